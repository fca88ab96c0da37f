package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.change.Change;
import dev.ddbrelay.change.Decoded;
import dev.ddbrelay.change.Rejection;
import dev.ddbrelay.sink.dialect.Dialects;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.sink.dialect.SqlStates;
import dev.ddbrelay.source.ChangeDecoder;
import dev.ddbrelay.source.ExportLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Compares a DynamoDB export with the copy, item by item and attribute by attribute, in constant memory (the
 * export is read in slices). Items changed or removed after the export are reported apart: they are not differences.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compares a DynamoDB export (the files backfill reads, local or s3://) with the copy: items "
                + "missing, extra or different, attribute by attribute. Changes newer than the export are counted "
                + "apart. Exit code 1 on any difference.")
final class VerifyCommand implements Callable<Integer> {

    private static final int SLICE = 1_000;
    private static final int SHOWN = 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Mixin
    SinkOptions sink;

    @Option(names = "--dynamodb-table", required = true, description = "The DynamoDB table the export is of.")
    String dynamodbTable;

    @Option(names = "--key", required = true, split = ",", paramLabel = "ATTRIBUTE",
            description = "The table's key attributes (e.g. --key pk,sk).")
    List<String> keys;

    @Option(names = "--export-time", paramLabel = "TIME", converter = BackfillCommand.ExportTimeConverter.class,
            description = "When the export was taken (default: exportTime of manifest-summary.json beside the data).")
    Instant exportTime;

    @Parameters(arity = "1..*", paramLabel = "LOCATION", description = "Export data files, folders, or s3://bucket/prefix.")
    List<String> locations;

    private long equal;
    private long different;
    private long missing;
    private long newer;
    private long removedLater;
    private long present;
    private final List<String> shown = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!ChangeDecoder.isTableName(dynamodbTable)) {
            throw new UserError(UserError.USAGE, "--dynamodb-table '" + dynamodbTable + "' is not a DynamoDB table name");
        }
        SinkTable table = new SinkTable(sink.schema, sink.table != null ? sink.table : dynamodbTable);
        try (ExportFiles export = ExportFiles.at(locations);
             Connection connection = sink.connect()) {
            Instant taken = exportTime != null ? exportTime : export.exportTime(locations);
            if (taken == null) {
                throw new UserError(UserError.USAGE, "no export time: give --export-time, or keep the export's "
                        + "manifest-summary.json beside its data");
            }
            SqlDialect dialect = sink.dialect(connection);
            SinkTable tombstoneTable = new SinkTable(sink.schema, RelayTableSql.TOMBSTONES);
            String name = Dialects.qualified(table);
            String tombstones = Dialects.qualified(tombstoneTable);
            try (Statement statement = connection.createStatement()) {
                // The comparison reads with searches.
                for (String sql : dialect.beforeSearching(table, tombstoneTable)) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new UserError(UserError.FAILURE, "the copy " + table + " cannot be read: " + e.getMessage());
            }
            ExportLines lines = new ExportLines(dynamodbTable, keys, ChronoUnit.MICROS.between(Instant.EPOCH, taken));
            List<Change> slice = new ArrayList<>(SLICE);
            long items = 0;
            for (ExportFiles.Part part : export.parts()) {
                try (BufferedReader reader = ExportFiles.open(part, bytes -> { })) {
                    long lineNumber = 0;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lineNumber++;
                        if (line.isBlank()) {
                            continue;
                        }
                        Decoded decoded = lines.decode(line, part.name(), lineNumber, 0);
                        if (decoded instanceof Rejection rejection) {
                            throw new UserError(UserError.FAILURE, part.name() + ": " + rejection.error());
                        }
                        slice.add((Change) decoded);
                        items++;
                        if (slice.size() == SLICE) {
                            compare(connection, name, tombstones, table, slice);
                            slice.clear();
                        }
                    }
                }
            }
            compare(connection, name, tombstones, table, slice);
            long extra = countRows(connection, name, ChronoUnit.MICROS.between(Instant.EPOCH, taken)) - present;
            System.out.printf("verify of %s against %d exported items: %d equal, %d different, %d missing, %d extra; "
                            + "apart: %d changed and %d removed after the export%n", table, items, equal, different,
                    missing, Math.max(0, extra), newer, removedLater);
            shown.forEach(System.out::println);
            if (extra > 0) {
                System.out.println("extra: " + extra + " rows of " + table + " no newer than the export are not in it");
            }
            return different + missing + Math.max(0, extra) > 0 ? 1 : 0;
        }
    }

    private void compare(Connection connection, String name, String tombstones, SinkTable table, List<Change> slice)
            throws SQLException, IOException {
        if (slice.isEmpty()) {
            return;
        }
        Map<String, JsonNode[]> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT \"id\", \"data\", \"aux\", \"ver\" FROM "
                + name + " WHERE \"id\" = ANY(?)")) {
            select.setArray(1, connection.createArrayOf("text", slice.stream().map(Change::keyId).toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new JsonNode[] {JSON.readTree(result.getString(2)),
                            JSON.readTree(result.getString(3)), JSON.getNodeFactory().numberNode(result.getLong(4))});
                }
            }
        }
        Map<String, Long> removals = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT \"id\", \"ver\" FROM " + tombstones
                + " WHERE \"sink_table\" = ? AND \"id\" = ANY(?)")) {
            select.setString(1, table.toString());
            select.setArray(2, connection.createArrayOf("text", slice.stream().map(Change::keyId).toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    removals.merge(result.getString(1), result.getLong(2), Math::max);
                }
            }
        } catch (SQLException e) {
            if (!SqlStates.isUndefinedTable(e)) {
                throw e; // no tombstone table: nothing was ever removed
            }
        }
        for (Change item : slice) {
            JsonNode[] row = rows.get(item.keyId());
            long exported = item.version().micros();
            if (row == null) {
                Long removedAt = removals.get(item.keyId());
                if (removedAt != null && removedAt >= exported) {
                    removedLater++;
                } else {
                    missing++;
                    show("missing " + item.keyId());
                }
                continue;
            }
            if (row[2].asLong() > exported) {
                newer++;
                continue;
            }
            present++;
            List<String> differences = CopyDifferences.of(item.image().tree(), row[0], row[1]);
            if (differences.isEmpty()) {
                equal++;
            } else {
                different++;
                show("different " + item.keyId() + ": " + String.join("; ", differences));
            }
        }
    }

    private long countRows(Connection connection, String name, long exportMicros) throws SQLException {
        // The export's items count from the start of its second, as backfill writes them.
        long exportVersion = Math.floorDiv(exportMicros, 1_000_000L) * 1_000_000L;
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + name + " WHERE \"ver\" <= ?")) {
            count.setLong(1, exportVersion);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private void show(String line) {
        if (shown.size() < SHOWN) {
            shown.add(line);
        }
    }

}
