package dev.ddbrelay.function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ddbrelay.source.ChangeDecoder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the backfill function loads: one data file of a DynamoDB export in S3, as the state machine hands it over
 * ({@code bucket}, {@code key}, {@code exportTime}, {@code dynamodbTable}, {@code keyAttributes}, optionally
 * {@code sinkTable} and {@code resume}).
 *
 * @param sinkTable the sink table to write to; null: the function's {@code RELAY_TABLE}, else the DynamoDB table's name
 * @param resume what an earlier invocation of the same file returned when its time ran out; null for a first one
 */
public record ExportFileRequest(String bucket, String key, Instant exportTime, String dynamodbTable,
                                List<String> keyAttributes, String sinkTable, ExportFileResult resume) {

    /** The file as dead letters and logs name it. */
    public String file() {
        return "s3://" + bucket + "/" + key;
    }

    /** The first line to read: 1, or where the earlier invocation stopped. */
    long firstLine() {
        return resume == null ? 1 : resume.nextLine();
    }

    /**
     * Reads the function's input.
     *
     * @throws IllegalArgumentException naming the field to set when the input is not a request; the state machine does
     *     not retry it
     */
    static ExportFileRequest read(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new IllegalArgumentException("backfillExportFile takes a JSON object with bucket, key, exportTime, "
                    + "dynamodbTable and keyAttributes (one data file of a DynamoDB export)");
        }
        String bucket = required(input, "bucket", "the export's S3 bucket");
        String key = required(input, "key", "the S3 key of one data file of the export (dataFileS3Key in manifest-files.json)");
        String time = required(input, "exportTime", "when the export was taken, e.g. 2024-07-11T10:00:00Z (exportTime in "
                + "manifest-summary.json)");
        Instant exportTime;
        try {
            exportTime = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("exportTime '" + time + "' is not an ISO-8601 instant such as 2024-07-11T10:00:00Z");
        }
        String table = required(input, "dynamodbTable", "the DynamoDB table the export is of");
        if (!ChangeDecoder.isTableName(table)) {
            throw new IllegalArgumentException("dynamodbTable '" + table + "' is not a DynamoDB table name "
                    + "(3 to 255 of a-z, A-Z, 0-9, '_', '-', '.')");
        }
        JsonNode keys = input.get("keyAttributes");
        List<String> keyAttributes = new ArrayList<>();
        if (keys != null && keys.isArray()) {
            keys.forEach(name -> keyAttributes.add(name.isTextual() ? name.asText() : ""));
        }
        if (keyAttributes.isEmpty() || keyAttributes.size() > 2 || keyAttributes.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("keyAttributes must list the table's key attributes: the partition key, "
                    + "and the sort key if any, e.g. [\"pk\", \"sk\"]");
        }
        JsonNode sink = input.get("sinkTable");
        String sinkTable = sink == null || sink.isNull() || sink.asText().isBlank() ? null : sink.asText().trim();
        JsonNode resume = input.get("resume");
        ExportFileResult earlier = resume == null || resume.isNull() ? null : ExportFileResult.read(resume);
        RelaySettings.checkSinkTable("sinkTable", sinkTable);
        if (earlier != null && earlier.nextLine() == null) {
            throw new IllegalArgumentException("resume is the result of a finished file (no nextLine): nothing to resume");
        }
        ExportFileRequest request = new ExportFileRequest(bucket, key, exportTime, table, List.copyOf(keyAttributes),
                sinkTable, earlier);
        if (earlier != null && earlier.file() != null && !request.file().equals(earlier.file())) {
            // Its line number and counts belong to another file: going on from there would skip lines of this one.
            throw new IllegalArgumentException("resume is the result of " + earlier.file() + ", not of " + request.file());
        }
        return request;
    }

    private static String required(JsonNode input, String field, String meaning) {
        JsonNode value = input.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("set \"" + field + "\": " + meaning);
        }
        return value.asText();
    }
}
