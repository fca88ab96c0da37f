package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The data files of a DynamoDB export, read line by line; gzipped or not. */
final class ExportFiles {

    private final List<Path> files;
    private final long totalBytes;

    private ExportFiles(List<Path> files) throws IOException {
        this.files = files;
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        this.totalBytes = total;
    }

    /** The data files at these paths: files as given, folders searched for {@code .json}, {@code .jsonl}, {@code .gz}. */
    static ExportFiles at(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> found = Files.walk(path)) {
                    found.filter(Files::isRegularFile).filter(ExportFiles::isData).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new IOException("no such file or folder: " + path);
            }
        }
        return new ExportFiles(files);
    }

    private static boolean isData(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith("manifest") && (name.endsWith(".json.gz") || name.endsWith(".json")
                || name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".gz"));
    }

    List<Path> files() {
        return files;
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Reads a file's lines; {@code bytesRead} is told how many bytes of the file (as stored) were consumed. */
    static BufferedReader open(Path file, java.util.function.LongConsumer bytesRead) throws IOException {
        InputStream counting = new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.accept(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.accept(n);
                }
                return n;
            }
        };
        InputStream data = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(counting, 65536) : counting;
        return new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), 65536);
    }

    /**
     * The export time from {@code manifest-summary.json}, looked for beside the given paths and up to two folders
     * above (an export keeps its data in {@code AWSDynamoDB/<id>/data/}); null when there is none.
     */
    static Instant exportTime(List<Path> paths) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (Path path : paths) {
            Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
            for (int up = 0; up <= 2 && folder != null; up++, folder = folder.getParent()) {
                Path manifest = folder.resolve("manifest-summary.json");
                if (Files.isRegularFile(manifest)) {
                    JsonNode time = json.readTree(manifest.toFile()).path("exportTime");
                    if (time.isTextual()) {
                        return Instant.parse(time.asText());
                    }
                }
            }
        }
        return null;
    }
}
