package io.ugnos.bench.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.Random;

/**
 * One client of the load test: until its deadline it picks an operation at random (weights in
 * {@link LoadConfig}), runs it and records its latency. Inserts remember which rows were acknowledged;
 * queries check what they read against them (a client is the only writer of its own rows, so a
 * query over its rows must count exactly the rows it had acknowledged), so a lost or doubled row is
 * an error the moment it is read, not only at the end.
 */
final class LoadClient implements Runnable {
    private static final String[] DDL = {"ALTER SERIES \"%s\" SET RETENTION '3650d'", "FLUSH", "COMPACT"};
    /** A selective query's window: 5 ms of a client's rows. */
    private static final int WINDOW_ROWS = 5_000;

    private final String name;
    private final ClientConnections connections;
    private final LoadConfig config;
    private final RowKeys keys;
    private final long deadlineNanos;
    private final Random random;
    private final Queue<String> errors;
    final LatencyLog latencies = new LatencyLog();
    final AckedRows rows;
    private long nextSeq;
    private int ddlTurn;

    LoadClient(String name, ClientConnections connections, LoadConfig config, RowKeys keys, long deadlineNanos,
               long seed, Queue<String> errors) {
        this.name = name;
        this.connections = connections;
        this.config = config;
        this.keys = keys;
        this.deadlineNanos = deadlineNanos;
        this.random = new Random(seed);
        this.errors = errors;
        this.rows = new AckedRows(name, keys.series());
    }

    @Override
    public void run() {
        try (connections) {
            while (System.nanoTime() < deadlineNanos) {
                OperationKind kind = config.pick(random);
                long start = System.nanoTime();
                try {
                    Connection c = connections.borrow();
                    try {
                        run(kind, c);
                    } finally {
                        connections.giveBack(c);
                    }
                    latencies.record(kind, System.nanoTime() - start);
                } catch (SQLException | RuntimeException e) {
                    errors.add(name + " " + kind + ": " + e);
                }
            }
        } catch (SQLException e) {
            errors.add(name + " close: " + e);
        }
    }

    private void run(OperationKind kind, Connection c) throws SQLException {
        int series = random.nextInt(keys.series());
        switch (kind) {
            case INSERT -> insert(c, series);
            case SELECTIVE -> selective(c, series);
            case SCAN -> scan(c, series);
            case DDL -> ddl(c, series);
        }
    }

    private void insert(Connection c, int series) throws SQLException {
        long from = nextSeq;
        long to = from + config.batchRows();
        nextSeq = to;
        String sql = "INSERT INTO \"" + keys.seriesName(series) + "\" (ts_ns, \"value\", client, zone) VALUES (?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long seq = from; seq < to; seq++) {
                ps.setLong(1, keys.tsNanos(seq));
                ps.setDouble(2, seq);
                ps.setString(3, name);
                ps.setString(4, "z" + (seq % 4));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            if (counts.length != config.batchRows()) {
                rows.markUnknown(series, from, to);
                throw new IllegalStateException("executeBatch returned " + counts.length + " counts for " + config.batchRows() + " rows");
            }
        } catch (SQLException | RuntimeException e) {
            rows.markUnknown(series, from, to);
            throw e;
        }
        rows.acknowledge(series, from, to);
    }

    private void selective(Connection c, int series) throws SQLException {
        int from = nextSeq == 0 ? 0 : (int) (random.nextLong(nextSeq) / 1000 * 1000);
        int to = from + WINDOW_ROWS;
        String sql = "SELECT count(*) AS n, avg(\"value\") AS mean FROM \"" + keys.seriesName(series)
                + "\" WHERE client = ? AND ts_ns >= ? AND ts_ns < ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setLong(2, keys.tsNanos(from));
            ps.setLong(3, keys.tsNanos(to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                expect(rs.getLong("n"), rows.ackedBetween(series, from, to), series, "rows " + from + ".." + to);
            }
        }
    }

    private void scan(Connection c, int series) throws SQLException {
        String sql = "SELECT client, count(*) AS n, max(\"value\") AS top FROM \"" + keys.seriesName(series) + "\" GROUP BY client";
        long mine = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (name.equals(rs.getString("client"))) {
                    mine = rs.getLong("n");
                }
            }
        }
        expect(mine, rows.acked(series).cardinality(), series, "all rows");
    }

    private void ddl(Connection c, int series) throws SQLException {
        String sql = String.format(DDL[ddlTurn++ % DDL.length], keys.seriesName(series));
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void expect(long read, long acked, int series, String what) {
        if (read != acked) {
            throw new IllegalStateException("read " + read + " of its own " + what + " in " + keys.seriesName(series)
                    + " but " + acked + " were acknowledged");
        }
    }
}
