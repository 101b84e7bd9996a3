package io.ugnos.jdbc.cli;

import io.ugnos.jdbc.UgnosUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sqlline.SqlLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ugnos sql [url | directory]}: an interactive SQL shell (sqlline) connected to a database. */
@Command(name = "sql", description = "Opens a SQL shell (sqlline) on a database.")
final class SqlCommand implements Callable<Integer> {
    static final String DEFAULT_DIRECTORY = "data";

    @Parameters(arity = "0..1", paramLabel = "URL|DIR",
            description = "a jdbc:ugnos: URL, or a database directory (default: ./" + DEFAULT_DIRECTORY + ")")
    String target;

    @Option(names = {"-u", "--user"}, description = "user, for a server that requires authentication")
    String user;

    @Option(names = {"-p", "--password"}, description = "password, for a server that requires authentication")
    String password;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "run the statements of FILE and exit")
    String script;

    /** For tests: where the shell reads and writes; null for the terminal. */
    InputStream in;
    PrintStream out;

    /** The JDBC URL for {@code target}: a URL as given, a directory as {@code jdbc:ugnos:<dir>}. */
    static String url(String target) {
        if (target == null) {
            return UgnosUrl.PREFIX + DEFAULT_DIRECTORY;
        }
        return UgnosUrl.accepts(target) ? target : UgnosUrl.PREFIX + target;
    }

    @Override
    public Integer call() throws IOException {
        List<String> args = new ArrayList<>(List.of("-d", "io.ugnos.jdbc.Driver", "-u", url(target),
                "-n", user == null ? "" : user, "-p", password == null ? "" : password,
                "--isolation=TRANSACTION_NONE", "--maxWidth=200"));
        if (script != null) {
            args.add("--run=" + script);
        }
        SqlLine shell = new SqlLine();
        if (out != null) {
            shell.setOutputStream(out);
            shell.setErrorStream(out);
        }
        SqlLine.Status status = shell.begin(args.toArray(new String[0]), in, false);
        return status == SqlLine.Status.OK ? 0 : 1;
    }
}
