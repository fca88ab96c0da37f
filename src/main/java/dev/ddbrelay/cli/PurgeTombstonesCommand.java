package dev.ddbrelay.cli;

import dev.ddbrelay.sink.dialect.RelayTableSql;
import dev.ddbrelay.sink.dialect.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Removes tombstones older than the retention, as the function does by itself every ten minutes. */
@Command(name = "purge-tombstones", mixinStandardHelpOptions = true,
        description = "Removes the removals' tombstones older than the retention (the function also does it by "
                + "itself). Keep the retention at least as long as the stream keeps records.")
final class PurgeTombstonesCommand implements Callable<Integer> {

    @Mixin
    SinkOptions sink;

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "7d",
            description = "Tombstones written longer ago than this go: 7d, 24h, P7D (default: ${DEFAULT-VALUE}).")
    String olderThan;

    @Override
    public Integer call() throws SQLException {
        Duration retention;
        try {
            retention = DurationStyle.detectAndParse(olderThan);
        } catch (IllegalArgumentException e) {
            throw new UserError(UserError.USAGE, "--older-than is '" + olderThan + "': give a duration such as 7d, 24h or P7D");
        }
        try (Connection connection = sink.connect()) {
            RelayTableSql sql = sink.dialect(connection).relayTables(sink.schema);
            try (PreparedStatement purge = connection.prepareStatement(sql.purgeTombstones())) {
                purge.setTimestamp(1, Timestamp.from(Instant.now().minus(retention)));
                System.out.println("purged " + purge.executeUpdate() + " tombstones older than " + retention);
            } catch (SQLException e) {
                if (SqlStates.isUndefinedTable(e)) {
                    System.out.println("purged 0 tombstones: the sink has no tombstone table yet");
                    return 0;
                }
                throw e;
            }
        }
        return 0;
    }
}
