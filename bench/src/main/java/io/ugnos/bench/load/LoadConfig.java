package io.ugnos.bench.load;

import io.ugnos.engine.Durability;

import java.util.Locale;
import java.util.Random;

/**
 * What one load test run does.
 *
 * @param seconds         how long the clients run
 * @param remoteClients   clients through {@code jdbc:ugnos:remote:} to the in-process server, one connection each
 * @param embeddedClients clients through a HikariCP pool of embedded connections to the same database
 * @param series          series the rows are spread over
 * @param batchRows       rows per {@code executeBatch}
 * @param durability      the database's durability
 * @param insertWeight    relative frequency of inserts (likewise the other weights)
 * @param seed            seeds every client's choices
 */
record LoadConfig(int seconds, int remoteClients, int embeddedClients, int series, int batchRows, Durability durability,
                  int insertWeight, int selectiveWeight, int scanWeight, int ddlWeight, long seed) {

    LoadConfig {
        if (seconds < 1 || remoteClients < 0 || embeddedClients < 0 || remoteClients + embeddedClients == 0
                || series < 1 || batchRows < 1) {
            throw new IllegalArgumentException("need seconds >= 1, at least one client, series >= 1 and batchRows >= 1");
        }
    }

    /** 16 remote and 16 embedded clients for 60 s; inserts 60 %, selective queries 25 %, scans 12 %, DDL 3 %. */
    static LoadConfig defaults() {
        return new LoadConfig(60, 16, 16, 4, 100, Durability.FLUSH, 60, 25, 12, 3, 7);
    }

    LoadConfig withSeconds(int s) {
        return new LoadConfig(s, remoteClients, embeddedClients, series, batchRows, durability,
                insertWeight, selectiveWeight, scanWeight, ddlWeight, seed);
    }

    /**
     * Reads {@code --seconds=60 --remote-clients=16 --embedded-clients=16 --series=4 --batch-rows=100
     * --durability=flush --seed=7} over the defaults.
     */
    static LoadConfig parse(String... args) {
        LoadConfig c = defaults();
        int seconds = c.seconds, remote = c.remoteClients, embedded = c.embeddedClients, series = c.series, batch = c.batchRows;
        Durability durability = c.durability;
        long seed = c.seed;
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, got '" + a + "'");
            }
            String name = a.substring(2, eq);
            String value = a.substring(eq + 1);
            switch (name) {
                case "seconds" -> seconds = Integer.parseInt(value);
                case "remote-clients" -> remote = Integer.parseInt(value);
                case "embedded-clients" -> embedded = Integer.parseInt(value);
                case "series" -> series = Integer.parseInt(value);
                case "batch-rows" -> batch = Integer.parseInt(value);
                case "durability" -> durability = Durability.valueOf(value.toUpperCase(Locale.ROOT));
                case "seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option --" + name
                        + "; known: --seconds, --remote-clients, --embedded-clients, --series, --batch-rows, --durability, --seed");
            }
        }
        return new LoadConfig(seconds, remote, embedded, series, batch, durability,
                c.insertWeight, c.selectiveWeight, c.scanWeight, c.ddlWeight, seed);
    }

    OperationKind pick(Random random) {
        int r = random.nextInt(insertWeight + selectiveWeight + scanWeight + ddlWeight);
        if ((r -= insertWeight) < 0) {
            return OperationKind.INSERT;
        }
        if ((r -= selectiveWeight) < 0) {
            return OperationKind.SELECTIVE;
        }
        return r < scanWeight ? OperationKind.SCAN : OperationKind.DDL;
    }
}
