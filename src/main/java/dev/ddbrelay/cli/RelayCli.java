package dev.ddbrelay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The relay on a workstation: {@code replay} hands Lambda event files to the same function Lambda runs;
 * {@code backfill} loads a DynamoDB export; {@code redrive} applies again the batches Lambda gave up on, read back
 * from the stream. They write to the sink given with {@code --sink} or {@code SPRING_DATASOURCE_URL}, or else (replay
 * and backfill) to an embedded PostgreSQL started for the run.
 */
@Command(name = "dynamodb-cratedb-relay", mixinStandardHelpOptions = true, version = "dynamodb-cratedb-relay 0.1",
        subcommands = {ReplayCommand.class, BackfillCommand.class, RedriveCommand.class, CheckCommand.class, DeadLettersCommand.class,
                PurgeTombstonesCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class},
        description = "Keeps a CrateDB or PostgreSQL table an exact copy of a DynamoDB table.")
public final class RelayCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show the stack trace of a failure.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its handling of failures: one or two lines that say what to do, and the exit code. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new RelayCli());
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            boolean debug = parsed.originalArgs().contains("--debug");
            if (debug) {
                failure.printStackTrace(command.getErr());
            }
            Failures.Described described = Failures.describe(failure);
            command.getErr().println("error: " + described.message()
                    + (debug || described.exitCode() == UserError.USAGE ? "" : " (--debug shows the details)"));
            return described.exitCode();
        });
        commandLine.setParameterExceptionHandler((mistake, arguments) -> {
            CommandLine command = mistake.getCommandLine();
            command.getErr().println("error: " + mistake.getMessage());
            command.getErr().println("Usage: " + command.getCommandSpec().qualifiedName() + " --help shows the options");
            return UserError.USAGE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
