package io.ugnos.jdbc.importer;

import io.ugnos.engine.Database;
import io.ugnos.engine.UgnosException;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads points line by line in a {@link LineFormat} and writes them to a database in batches.
 *
 * <pre>{@code
 * Importer.Result r = new Importer(db, 50_000, (points, lines) -> {}).run(reader, new CsvFormat(null, TimestampPrecision.NS), "data.csv");
 * }</pre>
 *
 * Batches written before a bad line stay written; the error names the source and line number.
 */
public final class Importer {
    /** Told about progress after every batch. */
    public interface Progress {
        void update(long points, long lines);
    }

    /** Lines read and points written. */
    public record Result(long lines, long points) {
    }

    private final Database db;
    private final int batchPoints;
    private final Progress progress;

    public Importer(Database db, int batchPoints, Progress progress) {
        if (batchPoints < 1) {
            throw new IllegalArgumentException("batchPoints must be positive");
        }
        this.db = db;
        this.batchPoints = batchPoints;
        this.progress = progress;
    }

    /**
     * Imports every line of {@code in}.
     *
     * @param source names the input in errors ({@code data.csv:17: ...})
     * @throws ImportException at the first line that cannot be imported
     */
    public Result run(BufferedReader in, LineFormat format, String source) throws IOException {
        WriteBatch batch = new WriteBatch();
        long[] points = {0};
        long lines = 0;
        PointSink sink = (series, tags, ts, value) -> {
            batch.add(series, tags.isEmpty() ? TagSet.EMPTY : TagSet.of(tags), ts, value);
            points[0]++;
        };
        String line;
        while ((line = in.readLine()) != null) {
            lines++;
            try {
                format.parse(line, sink);
            } catch (ImportException | UgnosException e) {
                throw new ImportException(source + ":" + lines + ": " + e.getMessage(), e);
            }
            if (batch.pointCount() >= batchPoints) {
                write(batch, source, lines);
                progress.update(points[0], lines);
            }
        }
        if (!batch.isEmpty()) {
            write(batch, source, lines);
        }
        progress.update(points[0], lines);
        return new Result(lines, points[0]);
    }

    private void write(WriteBatch batch, String source, long line) {
        try {
            db.write(batch);
        } catch (UgnosException e) {
            throw new ImportException(source + ": the batch ending at line " + line + " was refused: " + e.getMessage(), e);
        }
        batch.clear();
    }
}
