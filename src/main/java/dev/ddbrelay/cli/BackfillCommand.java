package dev.ddbrelay.cli;

import dev.ddbrelay.RelayApplication;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.BatchResult;
import dev.ddbrelay.sink.OutcomeTotals;
import dev.ddbrelay.sink.SinkWriter;
import dev.ddbrelay.source.ExportLines;
import java.io.BufferedReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Loads a DynamoDB export to S3 (DynamoDB JSON lines, gzipped or not) into the sink. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Loads the items of a DynamoDB export (DynamoDB JSON format, one {\"Item\": ...} per line, "
                + "gzipped or not) with the same conversion and table layout as the stream. Safe to re-run.")
final class BackfillCommand implements Callable<Integer> {

    @Mixin
    SinkOptions sink;

    @Option(names = "--dynamodb-table", required = true, description = "The DynamoDB table the export is of.")
    String dynamodbTable;

    @Option(names = "--key", required = true, split = ",", paramLabel = "ATTRIBUTE",
            description = "The table's key attributes: the partition key, and the sort key if any (e.g. --key pk,sk).")
    List<String> keys;

    @Option(names = "--export-time", paramLabel = "TIME", converter = ExportTimeConverter.class,
            description = "When the export was taken (ISO-8601, e.g. 2024-07-11T10:00:00Z): stream changes newer than "
                    + "this win over the exported items, older ones lose. Default: exportTime of manifest-summary.json "
                    + "beside the data.")
    Instant exportTime;

    @Option(names = "--batch-size", defaultValue = "5000", description = "Items per write (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--retries", defaultValue = "5", description = "Retries of a batch the database fails (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--on-aws", description = "Load the export on AWS instead, file by file in parallel, with the "
            + "stack's backfill state machine (EnableBackfill=true), and follow it. LOCATION is then the export's folder "
            + "s3://BUCKET/PREFIX/AWSDynamoDB/EXPORT_ID/; the export time comes from its manifest.")
    boolean onAws;

    @Option(names = "--state-machine-arn", paramLabel = "ARN",
            description = "With --on-aws: the stack output BackfillStateMachineArn.")
    String stateMachineArn;

    @Option(names = "--concurrency", paramLabel = "FILES",
            description = "With --on-aws: files loaded at once (default: the stack's BackfillMaxConcurrency).")
    Integer concurrency;

    @Option(names = "--poll-seconds", defaultValue = "10",
            description = "With --on-aws: seconds between looks at the progress (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Parameters(arity = "1..*", paramLabel = "LOCATION",
            description = "Export data files, folders holding them, or s3://bucket/prefix of an export in S3.")
    List<String> locations;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (onAws) {
            return onAws();
        }
        sink.configuredUrl(); // a wrong sink or dialect is said before anything is read
        if (!dev.ddbrelay.source.ChangeDecoder.isTableName(dynamodbTable)) {
            System.err.println("--dynamodb-table '" + dynamodbTable + "' is not a DynamoDB table name "
                    + "(3 to 255 of a-z, A-Z, 0-9, '_', '-', '.')");
            return 2;
        }
        try (ExportFiles export = ExportFiles.at(locations)) {
            Instant taken = exportTime != null ? exportTime : export.exportTime(locations);
            if (taken == null) {
                System.err.println("No export time: give --export-time (when the export was taken), or keep the export's "
                        + "manifest-summary.json beside its data");
                return 2;
            }
            return load(export, new ExportLines(dynamodbTable, keys, ChronoUnit.MICROS.between(Instant.EPOCH, taken)),
                    started);
        }
    }

    private int load(ExportFiles export, ExportLines lines, long started) throws Exception {
        long items = 0;
        OutcomeTotals totals = new OutcomeTotals();
        try (LocalRelay relay = new LocalRelay(sink);
             ConfigurableApplicationContext application = new SpringApplicationBuilder(RelayApplication.class).run()) {
            relay.start();
            SinkWriter writer = application.getBean(SinkWriter.class);
            Progress progress = new Progress(System.err, System.console() != null, export.totalBytes());
            List<Decoded> batch = new ArrayList<>(batchSize);
            for (ExportFiles.Part part : export.parts()) {
                try (BufferedReader reader = ExportFiles.open(part, progress::bytesRead)) {
                    long lineNumber = 0;
                    boolean first = true;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lineNumber++;
                        if (line.isBlank()) {
                            continue;
                        }
                        if (first) {
                            checkIsExportData(part, line);
                            first = false;
                        }
                        batch.add(lines.decode(line, part.name(), lineNumber, batch.size()));
                        items++;
                        if (batch.size() >= batchSize) {
                            if (!write(writer, batch, totals)) {
                                return 1;
                            }
                            batch.clear();
                            progress.items(items);
                        }
                    }
                }
            }
            if (!write(writer, batch, totals)) {
                return 1;
            }
            progress.done(items);
            System.out.println(Summary.of("backfill of " + dynamodbTable, items, totals, 0,
                    Duration.ofNanos(System.nanoTime() - started)));
            if (relay.isEmbedded()) {
                relay.printTables(System.out);
            }
        }
        return 0;
    }

    /** Starts the parallel load on AWS and follows it to its end. */
    private int onAws() throws InterruptedException {
        if (stateMachineArn == null || !stateMachineArn.startsWith("arn:")) {
            throw new UserError(UserError.USAGE, "--on-aws needs --state-machine-arn: the stack output "
                    + "BackfillStateMachineArn (deploy with --parameter EnableBackfill=true)");
        }
        if (locations.size() != 1 || exportTime != null || sink.url != null) {
            throw new UserError(UserError.USAGE, "--on-aws takes one export folder (s3://BUCKET/PREFIX/AWSDynamoDB/EXPORT_ID/) "
                    + "and neither --export-time (the manifest's is used) nor --sink (the stack's is used)");
        }
        if (!dev.ddbrelay.source.ChangeDecoder.isTableName(dynamodbTable)) {
            throw new UserError(UserError.USAGE, "--dynamodb-table '" + dynamodbTable + "' is not a DynamoDB table name "
                    + "(3 to 255 of a-z, A-Z, 0-9, '_', '-', '.')");
        }
        if (concurrency != null && concurrency < 1) {
            throw new UserError(UserError.USAGE, "--concurrency must be 1 or more");
        }
        AwsBackfill.Input input = AwsBackfill.Input.of(locations.get(0), dynamodbTable, keys, sink.table, concurrency);
        try (AwsBackfill backfill = new AwsBackfill()) {
            return backfill.run(stateMachineArn, input, Duration.ofSeconds(Math.max(0, pollSeconds)), System.out, System.err);
        }
    }

    /** Reads {@code --export-time}, saying what to give when it is not an instant. */
    static final class ExportTimeConverter implements picocli.CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (java.time.format.DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a time: give an ISO-8601 instant such as 2024-07-11T10:00:00Z");
            }
        }
    }

    /** Refuses a file that is not export data: its first line must be an item ({"Item": ...}). */
    private static void checkIsExportData(ExportFiles.Part part, String firstLine) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(firstLine);
        } catch (java.io.IOException e) {
            if (firstLine.strip().equals("{") || firstLine.strip().equals("[")) {
                throw new UserError(UserError.USAGE, part.name() + " is not the data of a DynamoDB export: it is a JSON "
                        + "document over several lines, not one {\"Item\": ...} per line (a Lambda event? use replay)");
            }
            return; // a broken line is dead-lettered with its file and number
        }
        if (node == null || !node.isObject() || !node.has("Item")) {
            throw new UserError(UserError.USAGE, part.name() + " is not the data of a DynamoDB export: its first line "
                    + "has no \"Item\"" + (node != null && node.has("Records") ? " (it is a Lambda event: use replay)" : ""));
        }
    }

    /** Writes a batch, retrying what the database failed; false when retries run out. */
    private boolean write(SinkWriter writer, List<Decoded> batch, OutcomeTotals totals) throws InterruptedException {
        List<Decoded> pending = batch;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            BatchResult result = writer.write(pending, Source.EXPORT);
            totals.add(result);
            if (result.firstFailed() == null) {
                return true;
            }
            if (attempt >= retries) {
                System.err.println("backfill stopped: the database failed " + (retries + 1) + " times: " + result.failure());
                return false;
            }
            Backoff.pause(attempt);
            int from = 0;
            while (pending.get(from).origin() != result.firstFailed()) {
                from++;
            }
            pending = new ArrayList<>(pending.subList(from, pending.size()));
        }
        return true;
    }
}
