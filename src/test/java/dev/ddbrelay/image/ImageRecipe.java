package dev.ddbrelay.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the project's Dockerfile puts into the image, read from the Dockerfile itself: the run stage's {@code ENV},
 * {@code COPY}, {@code RUN}, {@code ENTRYPOINT} and {@code CMD}, and each stage's {@code WORKDIR}. Only the instructions the Dockerfile
 * uses are understood; anything the test cannot map to the build output fails loudly instead of being guessed.
 */
final class ImageRecipe {

    /** A step of the run stage that changes the image's files, in the Dockerfile's order. */
    sealed interface Step permits Copy, Run {
    }

    /**
     * A {@code COPY} of the run stage; {@code stage} is null for a copy from the build context, {@code mode} null
     * without {@code --chmod}.
     */
    record Copy(String stage, List<String> sources, String destination, String mode) implements Step {
    }

    /** A {@code RUN} of the run stage (shell form), with the {@code ENV} in effect where it stands. */
    record Run(String command, Map<String, String> environment) implements Step {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK_ROOT_VARIABLE = "LAMBDA_TASK_ROOT";
    /** The value of {@code LAMBDA_TASK_ROOT} in the Lambda base images, for paths that cannot name the variable. */
    private static final String TASK_ROOT = "/var/task";
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private final Map<String, String> environment;
    private final List<String> entrypoint;
    private final List<String> command;
    private final List<Step> steps;
    private final Map<String, String> workdirs;

    private ImageRecipe(Map<String, String> environment, List<String> entrypoint, List<String> command,
                        List<Step> steps, Map<String, String> workdirs) {
        this.environment = environment;
        this.entrypoint = entrypoint;
        this.command = command;
        this.steps = steps;
        this.workdirs = workdirs;
    }

    static ImageRecipe read(Path dockerfile) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> command = List.of();
        List<Step> steps = new ArrayList<>();
        Map<String, String> workdirs = new LinkedHashMap<>();
        String stage = null;
        for (String instruction : instructions(Files.readAllLines(dockerfile))) {
            String[] parts = instruction.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String arguments = parts.length > 1 ? parts[1].trim() : "";
            switch (keyword) {
                case "FROM" -> {
                    // Only the last stage is the image; start over at every FROM.
                    List<String> words = words(arguments);
                    stage = words.size() >= 3 && words.get(words.size() - 2).equalsIgnoreCase("AS")
                            ? words.get(words.size() - 1) : "stage-" + workdirs.size();
                    workdirs.put(stage, "/");
                    environment.clear();
                    entrypoint = List.of();
                    command = List.of();
                    steps.clear();
                }
                case "WORKDIR" -> workdirs.put(stage, arguments);
                case "ENV" -> environment.putAll(environmentOf(arguments));
                case "ENTRYPOINT" -> entrypoint = execForm(keyword, arguments);
                case "CMD" -> command = execForm(keyword, arguments);
                case "COPY" -> steps.add(copyOf(arguments));
                // The build stage's RUN is the Maven build, whose output the test takes from target/.
                case "RUN" -> steps.add(runOf(arguments, environment));
                default -> {
                    // ARG, LABEL...: nothing the task root depends on.
                }
            }
        }
        return new ImageRecipe(environment, entrypoint, command, steps, workdirs);
    }

    /** The run stage's environment, as {@code ENV} sets it, before Docker expands variables in it. */
    Map<String, String> environment() {
        return environment;
    }

    /** The same with {@code $NAME} and {@code ${NAME}} replaced as Docker does, from the base image's variables. */
    Map<String, String> environment(Map<String, String> base) {
        Map<String, String> expanded = new LinkedHashMap<>();
        environment.forEach((name, value) -> expanded.put(name, expand(value, base)));
        return expanded;
    }

    /**
     * The run stage's {@code ENTRYPOINT} with its task root paths ({@code /var/task/...}) in {@code taskRoot}; empty
     * when the Dockerfile keeps the base image's.
     */
    List<String> entrypoint(Path taskRoot) {
        return entrypoint.stream().map(word -> word.equals(TASK_ROOT) || word.startsWith(TASK_ROOT + "/")
                ? taskRoot + word.substring(TASK_ROOT.length()) : word).toList();
    }

    /** The run stage's {@code CMD}: for the Lambda base images, the handler. */
    List<String> command() {
        return command;
    }

    List<Step> steps() {
        return steps;
    }

    /**
     * Builds the task root as {@code docker build} would: the run stage's steps in order, each {@code COPY} with the
     * build stage's files taken from the project's own build output ({@code /workspace/target/...} is
     * {@code <project>/target/...}), each {@code RUN} by {@code /bin/sh -c} in the task root (the base image's
     * working directory) with the base image's variables ({@code base}, which names the task root) and the
     * {@code ENV} set before it. A failing {@code RUN} fails with its output, which is also kept in {@code logs}.
     */
    void assemble(Path project, Map<String, String> base, Path logs) throws IOException, InterruptedException {
        Path taskRoot = Path.of(base.get(TASK_ROOT_VARIABLE));
        if (steps.stream().noneMatch(Copy.class::isInstance)) {
            throw new IllegalStateException("the Dockerfile's run stage copies nothing into the image");
        }
        int runs = 0;
        for (Step step : steps) {
            if (step instanceof Copy copy) {
                Path destination = destination(copy.destination(), taskRoot);
                for (String source : copy.sources()) {
                    Path from = source(copy.stage(), source, project);
                    if (!Files.exists(from)) {
                        throw new IllegalStateException(project.relativize(from) + " is missing (the Dockerfile copies "
                                + source + "): run ./mvnw package first");
                    }
                    Path copied = copy(from, destination, copy.destination().endsWith("/") || copy.sources().size() > 1);
                    if (copy.mode() != null) {
                        Files.setPosixFilePermissions(copied, permissions(copy.mode()));
                    }
                }
            } else if (step instanceof Run run) {
                run(run, base, taskRoot, logs.resolve("run-" + ++runs + ".log"));
            }
        }
    }

    private static void run(Run run, Map<String, String> base, Path taskRoot, Path log)
            throws IOException, InterruptedException {
        if (run.command().startsWith("[") || run.command().startsWith("--")) {
            throw new IllegalStateException("RUN " + run.command() + ": only the shell form without options is understood");
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", run.command())
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(base);
        run.environment().forEach((name, value) -> builder.environment().put(name, expand(value, base)));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("RUN " + run.command() + ": still running after 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("RUN " + run.command() + ": exit status " + process.exitValue() + "\n"
                    + Files.readString(log));
        }
    }

    /** Docker's variable expansion in ENV: {@code $NAME} and {@code ${NAME}}; unknown names become empty. */
    private static String expand(String value, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(variables.getOrDefault(name, "")));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    private Path source(String stage, String source, Path project) {
        if (stage == null) {
            return project.resolve(source);
        }
        String workdir = workdirs.get(stage);
        if (workdir == null) {
            throw new IllegalStateException("COPY --from=" + stage + ": no such stage in the Dockerfile");
        }
        String prefix = workdir.endsWith("/") ? workdir : workdir + "/";
        if (!source.startsWith(prefix)) {
            throw new IllegalStateException("COPY --from=" + stage + " " + source + ": not under the stage's WORKDIR "
                    + workdir + ", so the test cannot tell which build output it is");
        }
        return project.resolve(source.substring(prefix.length()));
    }

    private static Path destination(String destination, Path taskRoot) {
        String resolved = destination.replace("${" + TASK_ROOT_VARIABLE + "}", taskRoot.toString())
                .replace("$" + TASK_ROOT_VARIABLE, taskRoot.toString());
        if (resolved.equals(destination)) {
            throw new IllegalStateException("COPY to " + destination + ": outside ${" + TASK_ROOT_VARIABLE + "}");
        }
        return Path.of(resolved);
    }

    /** {@code --chmod=755}: an octal mode of three digits. */
    private static Set<PosixFilePermission> permissions(String mode) {
        if (!mode.matches("[0-7]{3}")) {
            throw new IllegalStateException("COPY --chmod=" + mode + ": only an octal mode of three digits is understood");
        }
        String[] classes = {"---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"};
        StringBuilder text = new StringBuilder();
        mode.chars().forEach(digit -> text.append(classes[digit - '0']));
        return PosixFilePermissions.fromString(text.toString());
    }

    /**
     * Docker's COPY: a directory's contents go into the destination; a file goes to it, or into it as a folder.
     * Returns the file copied, for a directory the destination.
     */
    private static Path copy(Path from, Path destination, boolean intoFolder) throws IOException {
        if (!Files.isDirectory(from)) {
            Path target = intoFolder ? destination.resolve(from.getFileName().toString()) : destination;
            Files.createDirectories(target.getParent());
            Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Path target = destination.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return destination;
    }

    /** The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped. */
    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            instructions.add(current.toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().strip());
        }
        return instructions;
    }

    /** {@code ENV a=1 b="two words"}, or the older {@code ENV a 1}. */
    private static Map<String, String> environmentOf(String arguments) {
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> words = words(arguments);
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            variables.put(words.get(0), arguments.substring(words.get(0).length()).strip());
            return variables;
        }
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalStateException("ENV " + arguments + ": cannot read '" + word + "'");
            }
            variables.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return variables;
    }

    /** {@code CMD} or {@code ENTRYPOINT} in the exec form, {@code ["...", ...]}. */
    private static List<String> execForm(String keyword, String arguments) {
        try {
            JsonNode array = JSON.readTree(arguments);
            if (array == null || !array.isArray()) {
                throw new IllegalStateException(keyword + " " + arguments + ": expected the exec form [\"...\"]");
            }
            List<String> command = new ArrayList<>();
            array.forEach(element -> command.add(element.asText()));
            return command;
        } catch (IOException e) {
            throw new IllegalStateException(keyword + " " + arguments + ": expected the exec form [\"...\"]", e);
        }
    }

    private static Run runOf(String arguments, Map<String, String> environment) {
        return new Run(arguments, Map.copyOf(environment));
    }

    private static Copy copyOf(String arguments) {
        String stage = null;
        String mode = null;
        List<String> paths = new ArrayList<>();
        for (String word : words(arguments)) {
            if (word.startsWith("--from=")) {
                stage = word.substring("--from=".length());
            } else if (word.startsWith("--chmod=")) {
                mode = word.substring("--chmod=".length());
            } else if (!word.startsWith("--")) {
                paths.add(word);
            }
        }
        if (paths.size() < 2) {
            throw new IllegalStateException("COPY " + arguments + ": expected sources and a destination");
        }
        return new Copy(stage, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1), mode);
    }

    /** Splits on blanks outside double quotes and removes the quotes. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '\\' && quoted && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalStateException("unbalanced quotes in: " + text);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
