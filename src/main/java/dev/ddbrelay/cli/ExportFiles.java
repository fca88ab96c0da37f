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
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The data files of a DynamoDB export, local or in S3, read line by line; gzipped or not. */
final class ExportFiles implements AutoCloseable {

    /** One data file: where it is, how large it is stored, and how to read it. */
    interface Part {
        String name();

        long size();

        InputStream open() throws IOException;
    }

    private final List<Part> parts;
    private final S3Export s3;

    private ExportFiles(List<Part> parts, S3Export s3) {
        this.parts = parts;
        this.s3 = s3;
    }

    /**
     * The data files at these locations: local files as given, local folders searched for data files, and
     * {@code s3://bucket/prefix} for every data file under the prefix.
     */
    static ExportFiles at(List<String> locations) throws IOException {
        List<Part> parts = new ArrayList<>();
        S3Export s3 = null;
        for (String location : locations) {
            if (location.startsWith("s3://")) {
                s3 = s3 == null ? new S3Export() : s3;
                parts.addAll(s3.parts(location));
            } else {
                parts.addAll(localParts(Path.of(location)));
            }
        }
        return new ExportFiles(parts, s3);
    }

    private static List<Part> localParts(Path path) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> found = Files.walk(path)) {
                found.filter(Files::isRegularFile).filter(file -> isData(file.getFileName().toString())).sorted()
                        .forEach(files::add);
            }
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            throw new IOException("no such file or folder: " + path);
        }
        List<Part> parts = new ArrayList<>();
        for (Path file : files) {
            long size = Files.size(file);
            parts.add(new Part() {
                @Override
                public String name() {
                    return file.toString();
                }

                @Override
                public long size() {
                    return size;
                }

                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(file);
                }
            });
        }
        return parts;
    }

    /**
     * Export data files: gzipped or plain DynamoDB JSON lines; not the manifests, nor what the backfill state machine
     * writes under {@code relay-backfill-results/}.
     */
    static boolean isData(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return !file.startsWith("manifest") && !("/" + name).contains("/relay-backfill-results/")
                && (file.endsWith(".json.gz") || file.endsWith(".json")
                || file.endsWith(".jsonl") || file.endsWith(".jsonl.gz") || file.endsWith(".gz"));
    }

    List<Part> parts() {
        return parts;
    }

    long totalBytes() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    /** Reads a part's lines; {@code bytesRead} is told how many bytes of the part (as stored) were consumed. */
    static BufferedReader open(Part part, LongConsumer bytesRead) throws IOException {
        InputStream counting = new FilterInputStream(part.open()) {
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
        InputStream data = part.name().endsWith(".gz") ? new GZIPInputStream(counting, 65536) : counting;
        return new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8), 65536);
    }

    /**
     * The export time from {@code manifest-summary.json}, looked for beside the given locations and up to two
     * folders above (an export keeps its data in {@code AWSDynamoDB/<id>/data/}); null when there is none.
     */
    Instant exportTime(List<String> locations) throws IOException {
        for (String location : locations) {
            JsonNode manifest = location.startsWith("s3://") ? s3.manifestSummary(location) : localManifest(Path.of(location));
            if (manifest != null && manifest.path("exportTime").isTextual()) {
                return Instant.parse(manifest.path("exportTime").asText());
            }
        }
        return null;
    }

    private static JsonNode localManifest(Path path) throws IOException {
        Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        for (int up = 0; up <= 2 && folder != null; up++, folder = folder.getParent()) {
            Path manifest = folder.resolve("manifest-summary.json");
            if (Files.isRegularFile(manifest)) {
                return new ObjectMapper().readTree(manifest.toFile());
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
