package dev.ddbrelay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The relay on a workstation: {@code replay} hands Lambda event files to the same function Lambda runs;
 * {@code backfill} loads a DynamoDB export. Both write to the sink given with {@code --sink} or
 * {@code SPRING_DATASOURCE_URL}, or else to an embedded PostgreSQL started for the run.
 */
@Command(name = "dynamodb-cratedb-relay", mixinStandardHelpOptions = true, version = "dynamodb-cratedb-relay 0.1",
        subcommands = {ReplayCommand.class, BackfillCommand.class, CommandLine.HelpCommand.class},
        description = "Keeps a CrateDB or PostgreSQL table an exact copy of a DynamoDB table.")
public final class RelayCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
