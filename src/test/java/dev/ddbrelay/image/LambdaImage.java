package dev.ddbrelay.image;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container image without Docker: its task root assembled by the Dockerfile's run stage ({@link ImageRecipe}),
 * the training run that writes its archive included, and its function started as Lambda starts a container: the
 * Dockerfile's {@code ENTRYPOINT} with its {@code CMD} as arguments, in the image's environment, with this machine's
 * JDK first on the {@code PATH} where the base image has its own.
 *
 * <p>An image that keeps the base image's entry point (an older checkout, as a benchmark's baseline) starts with the
 * base image's {@code bootstrap}, of which the runtime directory holds a stand-in: the same kind of java command line
 * (the runtime interface client's jars as the class path, {@code -Xshare:on} with the JDK's own archive, tier 1 only,
 * the serial collector, the handler as argument), the client's jars from the test class path.
 */
final class LambdaImage {

    static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String FUNCTION_NAME = "relay";
    static final int MEMORY_MB = 1024;

    /** Classes the runtime interface client loads itself, from the JVM's class path, before any function code. */
    private static final List<String> RUNTIME_CLASS_PATH_CLASSES = List.of(
            RUNTIME_MAIN,                                                 // aws-lambda-java-runtime-interface-client
            "com.amazonaws.services.lambda.runtime.Context",              // aws-lambda-java-core
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer", // aws-lambda-java-serialization
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");   // utils-lite (trace id hand-over)

    private final ImageRecipe recipe;
    private final Path taskRoot;
    private final Path runtimeDirectory;
    private final Path javaHome;

    private LambdaImage(ImageRecipe recipe, Path taskRoot, Path runtimeDirectory, Path javaHome) {
        this.recipe = recipe;
        this.taskRoot = taskRoot;
        this.runtimeDirectory = runtimeDirectory;
        this.javaHome = javaHome;
    }

    /**
     * Builds the image's files under {@code directory} from the project's Dockerfile and build output, running the
     * function with the JDK at {@code javaHome}; the output of the Dockerfile's {@code RUN}s goes to {@code logs}.
     */
    static LambdaImage build(Path project, Path directory, Path javaHome, Path logs)
            throws IOException, InterruptedException {
        ImageRecipe recipe = ImageRecipe.read(project.resolve("Dockerfile"));
        Path taskRoot = Files.createDirectories(directory.resolve("var-task"));
        Path runtimeDirectory = Files.createDirectories(directory.resolve("var-runtime"));
        writeBootstrap(runtimeDirectory.resolve("bootstrap"), javaHome);
        LambdaImage image = new LambdaImage(recipe, taskRoot, runtimeDirectory, javaHome);
        Files.createDirectories(logs);
        recipe.assemble(project, image.baseVariables(), logs);
        return image;
    }

    /**
     * The JDK to run the image's function with: {@code RELAY_IMAGE_JAVA_HOME} when set (the image runs Java 25; a JDK
     * of that version gives its figures), else the JDK running this code.
     */
    static Path javaHome() {
        String home = System.getenv("RELAY_IMAGE_JAVA_HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("java.home") : home);
    }

    /** A sample event of {@code examples/events} (on the test class path as {@code /events/}), as text. */
    static String sampleEvent(String name) throws IOException {
        try (java.io.InputStream in = LambdaImage.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no sample event /events/" + name + " on the test class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The archive of the image's training run: Java 25's AOT cache, else a class-data sharing archive; or null. */
    Path archive() {
        for (String name : List.of("relay.aot", "relay.jsa")) {
            if (Files.isRegularFile(taskRoot.resolve(name))) {
                return taskRoot.resolve(name);
            }
        }
        return null;
    }

    /**
     * The JVM option that makes a start fail when the archive cannot be used (instead of going on without it, as
     * the image does): {@code -XX:AOTMode=on} for an AOT cache, {@code -Xshare:on} for a class-data sharing archive.
     */
    String archiveRequired() {
        Path archive = archive();
        return archive != null && archive.getFileName().toString().endsWith(".aot") ? "-XX:AOTMode=on" : "-Xshare:on";
    }

    ImageRecipe recipe() {
        return recipe;
    }

    Path taskRoot() {
        return taskRoot;
    }

    /** The image's environment as the function sees it: the base image's variables, then the Dockerfile's. */
    Map<String, String> environment() {
        Map<String, String> environment = baseVariables();
        environment.putAll(recipe.environment(baseVariables()));
        return environment;
    }

    /**
     * Starts the function as Lambda does: the Dockerfile's {@code ENTRYPOINT} (else the base image's bootstrap) with
     * the handler of its {@code CMD}, the image's environment, what a Lambda execution environment adds, and
     * {@code extra} (which may replace any of them; an empty value removes the variable).
     */
    Process start(String runtimeApi, Map<String, String> extra, Path stdout, Path stderr) throws IOException {
        List<String> command = new ArrayList<>(recipe.entrypoint(taskRoot));
        if (command.isEmpty()) {
            command.add(runtimeDirectory.resolve("bootstrap").toString());
        } else {
            command.addAll(recipe.command());
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(taskRoot.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        // A Lambda execution environment starts from its own variables, not the ones this build happens to have.
        environment.clear();
        environment.putAll(environment());
        environment.put("_HANDLER", recipe.command().get(0));
        environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(MEMORY_MB));
        environment.put("AWS_LAMBDA_LOG_FORMAT", "Text");
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2024/07/11/[$LATEST]0123456789abcdef0123456789abcdef");
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        extra.forEach((name, value) -> {
            if (value.isEmpty()) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
        return builder.start();
    }

    /** The runtime interface client's version, from its jar's manifest. */
    static String runtimeVersion() {
        try {
            return String.valueOf(Class.forName(RUNTIME_MAIN).getPackage().getImplementationVersion());
        } catch (ClassNotFoundException e) {
            return "unknown";
        }
    }

    private Map<String, String> baseVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        // The base image has its JDK's bin/ first on the PATH.
        variables.put("PATH", javaHome.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
        variables.put("LANG", "en_US.UTF-8");
        variables.put("TZ", ":UTC");
        variables.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        variables.put("LAMBDA_RUNTIME_DIR", runtimeDirectory.toString());
        return variables;
    }

    private static void writeBootstrap(Path bootstrap, Path javaHome) throws IOException {
        Path java = javaHome.resolve("bin").resolve("java");
        Path jdkArchive = javaHome.resolve("lib").resolve("server").resolve("classes.jsa");
        if (!Files.isRegularFile(jdkArchive)) {
            throw new IllegalStateException(jdkArchive + " is missing: the Lambda runtime starts java with -Xshare:on,"
                    + " which needs the JDK's class-data sharing archive (java -Xshare:dump makes it)");
        }
        String script = String.join("\n",
                "#!/bin/sh",
                "# Stand-in for the Lambda Java runtime's bootstrap: its kind of java command line.",
                "exec " + quote(java) + " -XX:MaxRAM=" + MEMORY_MB + "m -XX:+UseSerialGC"
                        + " -Xshare:on -XX:SharedArchiveFile=" + quote(jdkArchive)
                        + " -XX:+TieredCompilation -XX:TieredStopAtLevel=1"
                        + " -classpath " + quote(runtimeClassPath()) + " " + RUNTIME_MAIN + " \"$_HANDLER\"",
                "");
        Files.writeString(bootstrap, script);
        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String quote(Object text) {
        return "'" + text.toString().replace("'", "'\\''") + "'";
    }

    /** The runtime interface client's jar and the jars it loads itself, from this class path. */
    private static String runtimeClassPath() {
        List<String> entries = new ArrayList<>();
        for (String className : RUNTIME_CLASS_PATH_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, LambdaImage.class.getClassLoader());
                String entry = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                if (!entries.contains(entry)) {
                    entries.add(entry);
                }
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the runtime interface client needs " + className
                        + " on the test class path", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
