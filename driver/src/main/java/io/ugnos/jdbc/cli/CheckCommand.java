package io.ugnos.jdbc.cli;

import io.ugnos.engine.UgnosException;
import io.ugnos.engine.check.IntegrityCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ugnos check DIR}: verifies every checksum of a database and reports, changing nothing.
 * Exit code 0 when intact, 1 when damaged, 2 when {@code DIR} holds no database.
 */
@Command(name = "check", description = "Verifies every checksum of a database (segments, manifest, WAL) without changing it. "
        + "Exit code: 0 intact, 1 damaged, 2 no database.")
final class CheckCommand implements Callable<Integer> {
    static final int DAMAGED = 1;

    @Parameters(paramLabel = "DIR", description = "the database directory; stop the process using it first")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IntegrityCheck.Report r;
        try {
            r = IntegrityCheck.run(dir);
        } catch (UgnosException e) {
            err.println("ugnos check: " + e.getMessage());
            return Ugnos.USAGE;
        }
        out.printf("checked %s: %d segments (%d blocks), manifest and %d write-ahead log files (%d records)%n",
                dir, r.segments(), r.blocks(), r.walFiles(), r.records());
        if (r.tornBytes() > 0) {
            out.printf("note: %d bytes of torn log tail (left by a crash; the next open cuts them off)%n", r.tornBytes());
        }
        if (r.ok()) {
            out.println("OK: no damage found");
            out.flush();
            return 0;
        }
        for (IntegrityCheck.Problem p : r.problems()) {
            out.println("DAMAGED " + p);
        }
        out.printf("%d problem(s) found; nothing was changed. Restore the named files from a backup.%n", r.problems().size());
        out.flush();
        return DAMAGED;
    }
}
