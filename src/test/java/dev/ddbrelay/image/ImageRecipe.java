package dev.ddbrelay.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the project's Dockerfile puts into the image, read from the Dockerfile itself: the run stage's {@code ENV},
 * {@code COPY} and {@code CMD}, and each stage's {@code WORKDIR}. Only the instructions the Dockerfile uses are
 * understood; anything the test cannot map to the build output fails loudly instead of being guessed.
 */
final class ImageRecipe {

    /** A {@code COPY} of the run stage; {@code stage} is null for a copy from the build context. */
    record Copy(String stage, List<String> sources, String destination) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK_ROOT_VARIABLE = "LAMBDA_TASK_ROOT";

    private final Map<String, String> environment;
    private final List<String> command;
    private final List<Copy> copies;
    private final Map<String, String> workdirs;

    private ImageRecipe(Map<String, String> environment, List<String> command, List<Copy> copies,
                        Map<String, String> workdirs) {
        this.environment = environment;
        this.command = command;
        this.copies = copies;
        this.workdirs = workdirs;
    }

    static ImageRecipe read(Path dockerfile) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> command = List.of();
        List<Copy> copies = new ArrayList<>();
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
                    command = List.of();
                    copies.clear();
                }
                case "WORKDIR" -> workdirs.put(stage, arguments);
                case "ENV" -> environment.putAll(environmentOf(arguments));
                case "CMD" -> command = commandOf(arguments);
                case "COPY" -> copies.add(copyOf(arguments));
                default -> {
                    // ARG, RUN, LABEL...: nothing the task root depends on.
                }
            }
        }
        return new ImageRecipe(environment, command, copies, workdirs);
    }

    /** The run stage's environment, as {@code ENV} sets it. */
    Map<String, String> environment() {
        return environment;
    }

    /** The run stage's {@code CMD}: for the Lambda base images, the handler. */
    List<String> command() {
        return command;
    }

    List<Copy> copies() {
        return copies;
    }

    /**
     * Builds the task root as {@code docker build} would: every {@code COPY} of the run stage, with the build stage's
     * files taken from the project's own build output ({@code /workspace/target/...} is {@code <project>/target/...}).
     */
    void assemble(Path project, Path taskRoot) throws IOException {
        if (copies.isEmpty()) {
            throw new IllegalStateException("the Dockerfile's run stage copies nothing into the image");
        }
        for (Copy copy : copies) {
            Path destination = destination(copy.destination(), taskRoot);
            for (String source : copy.sources()) {
                Path from = source(copy.stage(), source, project);
                if (!Files.exists(from)) {
                    throw new IllegalStateException(project.relativize(from) + " is missing (the Dockerfile copies "
                            + source + "): run ./mvnw package first");
                }
                copy(from, destination, copy.destination().endsWith("/") || copy.sources().size() > 1);
            }
        }
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

    /** Docker's COPY: a directory's contents go into the destination; a file goes to it, or into it as a folder. */
    private static void copy(Path from, Path destination, boolean intoFolder) throws IOException {
        if (!Files.isDirectory(from)) {
            Path target = intoFolder ? destination.resolve(from.getFileName().toString()) : destination;
            Files.createDirectories(target.getParent());
            Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
            return;
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

    private static List<String> commandOf(String arguments) {
        try {
            JsonNode array = JSON.readTree(arguments);
            if (array == null || !array.isArray()) {
                throw new IllegalStateException("CMD " + arguments + ": expected the exec form [\"...\"]");
            }
            List<String> command = new ArrayList<>();
            array.forEach(element -> command.add(element.asText()));
            return command;
        } catch (IOException e) {
            throw new IllegalStateException("CMD " + arguments + ": expected the exec form [\"...\"]", e);
        }
    }

    private static Copy copyOf(String arguments) {
        String stage = null;
        List<String> paths = new ArrayList<>();
        for (String word : words(arguments)) {
            if (word.startsWith("--from=")) {
                stage = word.substring("--from=".length());
            } else if (!word.startsWith("--")) {
                paths.add(word);
            }
        }
        if (paths.size() < 2) {
            throw new IllegalStateException("COPY " + arguments + ": expected sources and a destination");
        }
        return new Copy(stage, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1));
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
