package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbrelay.RelayApplication;
import dev.ddbrelay.change.Source;
import dev.ddbrelay.sink.Outcome;
import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SinkTable;
import dev.ddbrelay.sink.dialect.SqlDialect;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The records the relay could not apply: list them, and apply them again once the cause is fixed. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "Lists the records the relay could not apply (relay_dead_letters), or applies them again.",
        subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.ReplayLetters.class})
final class DeadLettersCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A dead letter as stored. */
    record Letter(String id, String source, String failedAt, String sequenceNumber, String table, String error,
                  String record) {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the dead letters, oldest first.")
    static final class ListLetters implements Callable<Integer> {

        @Mixin
        SinkOptions sink;

        @Override
        public Integer call() throws SQLException {
            List<Letter> letters = read(sink);
            List<List<String>> rows = new ArrayList<>();
            letters.forEach(letter -> rows.add(List.of(letter.failedAt(), letter.source(),
                    String.valueOf(letter.sequenceNumber()), String.valueOf(letter.table()), letter.error())));
            System.out.println("relay_dead_letters (" + letters.size() + " rows)");
            TextTable.print(System.out, List.of("failed_at", "source", "sequence_number", "dynamodb_table", "error"), rows);
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Hands every dead-lettered stream record to the relay function again, as Lambda would: a "
                    + "letter whose record is now applied (or found stale) is removed, one that fails again is kept "
                    + "with its new error. Letters of an export are left: load their file again with backfill.")
    static final class ReplayLetters implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        SinkOptions sink;

        @Override
        public Integer call() throws Exception {
            List<Letter> letters = read(sink);
            System.setProperty("MAIN_CLASS", RelayApplication.class.getName());
            int applied = 0;
            int failing = 0;
            int left = 0;
            try (LocalRelay relay = new LocalRelay(sink)) {
                Map<String, FunctionInvoker> functions = Map.of(
                        Source.KINESIS.label(), new FunctionInvoker("relay"),
                        Source.DYNAMODB_STREAMS.label(), new FunctionInvoker("relayDynamodbStream"));
                relay.start();
                for (Letter letter : letters) {
                    FunctionInvoker function = functions.get(letter.source());
                    JsonNode record = function == null ? null : parse(letter.record());
                    if (record == null) {
                        left++;
                        continue;
                    }
                    LocalContext context = new LocalContext();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] event = JSON.writeValueAsBytes(JSON.createObjectNode().set("Records",
                            JSON.createArrayNode().add(record)));
                    function.handleRequest(new ByteArrayInputStream(event), out, context);
                    boolean notApplied = !JSON.readTree(out.toByteArray()).path("batchItemFailures").isEmpty();
                    if (notApplied || context.totals().get(Outcome.DEAD_LETTERED) > 0) {
                        failing++;
                    } else {
                        delete(sink, letter);
                        applied++;
                    }
                }
            }
            System.out.printf("dead letters: %d applied and removed, %d failing again (kept with their new error), "
                    + "%d left (export lines: load their file again with backfill)%n", applied, failing, left);
            return failing > 0 ? 1 : 0;
        }

        private static JsonNode parse(String record) {
            try {
                JsonNode node = JSON.readTree(record);
                return node != null && node.isObject() ? node : null;
            } catch (java.io.IOException e) {
                return null; // kept as base64: not a record to hand over as it is
            }
        }
    }

    /** Every dead letter of the configured sink and schema. */
    static List<Letter> read(SinkOptions sink) throws SQLException {
        List<Letter> letters = new ArrayList<>();
        try (Connection connection = sink.connect(); Statement statement = connection.createStatement()) {
            SqlDialect dialect = sink.dialect(connection);
            RelayTableSql sql = dialect.relayTables(sink.schema);
            for (String search : dialect.beforeSearching(new SinkTable(sink.schema, RelayTableSql.DEAD_LETTERS))) {
                statement.execute(search);
            }
            try (ResultSet rows = statement.executeQuery(sql.listDeadLetters())) {
                while (rows.next()) {
                    letters.add(new Letter(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getString(7)));
                }
            }
        } catch (SQLException e) {
            if (SqlStates.isUndefinedTable(e)) {
                return letters; // no dead-letter table: nothing was ever rejected
            }
            throw e;
        }
        return letters;
    }

    private static void delete(SinkOptions sink, Letter letter) throws SQLException {
        try (Connection connection = sink.connect();
             PreparedStatement delete = connection.prepareStatement(
                     sink.dialect(connection).relayTables(sink.schema).deleteDeadLetter())) {
            delete.setString(1, letter.id());
            delete.executeUpdate();
        }
    }



}
