package io.ugnos.jdbc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ugnos} command line: {@code sql}, {@code server}, {@code import}, {@code check}.
 *
 * <pre>
 * ugnos sql [jdbc-url | directory]
 * ugnos server --data DIR [--port 8765] [--bind 127.0.0.1] [--users FILE [--auth basic|digest]]
 * ugnos import --data DIR [--format csv|line] [--series NAME] [--precision ns|us|ms|s] FILE...
 * ugnos check DIR
 * </pre>
 */
@Command(name = "ugnos", mixinStandardHelpOptions = true, versionProvider = Ugnos.Version.class,
        description = "ugnos, a time-series database for the JVM.",
        subcommands = {SqlCommand.class, ServerCommand.class, ImportCommand.class, CheckCommand.class,
                CommandLine.HelpCommand.class})
public final class Ugnos implements Runnable {
    /** Exit code of a command whose arguments or inputs are wrong. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        // enum options are written in lower case in the docs (--durability sync, --auth digest)
        return new CommandLine(new Ugnos()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: sql, server, import or check");
    }

    /** The version the driver was built as. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ugnos " + io.ugnos.jdbc.Driver.version()};
        }
    }
}
