package io.ugnos.bench.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every row back and compares, key by key, with what the clients were told was written: an
 * acknowledged row must be read exactly once, a row of a failed batch at most once, and no other row
 * may exist.
 *
 * @param expected   acknowledged rows
 * @param read       rows read
 * @param missing    acknowledged rows not read
 * @param duplicated keys read more than once
 * @param unexpected rows read that no client wrote (or whose batch was neither acknowledged nor failed)
 */
record RowAudit(long expected, long read, long missing, long duplicated, long unexpected) {

    boolean exact() {
        return missing == 0 && duplicated == 0 && unexpected == 0;
    }

    static RowAudit of(Connection c, RowKeys keys, List<AckedRows> clients) throws SQLException {
        Map<String, AckedRows> byClient = new HashMap<>();
        long expected = 0;
        for (AckedRows r : clients) {
            byClient.put(r.client, r);
            expected += r.ackedCount();
        }
        long read = 0, missing = 0, duplicated = 0, unexpected = 0;
        for (int s = 0; s < keys.series(); s++) {
            Map<String, BitSet> seen = new HashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT client, ts_ns FROM \"" + keys.seriesName(s) + "\"")) {
                while (rs.next()) {
                    read++;
                    String client = rs.getString(1);
                    long seq = keys.seqOf(rs.getLong(2));
                    AckedRows mine = byClient.get(client);
                    if (mine == null || seq < 0 || seq > Integer.MAX_VALUE
                            || !(mine.acked(s).get((int) seq) || mine.unknown(s).get((int) seq))) {
                        unexpected++;
                        continue;
                    }
                    BitSet b = seen.computeIfAbsent(client, k -> new BitSet());
                    if (b.get((int) seq)) {
                        duplicated++;
                    }
                    b.set((int) seq);
                }
            }
            for (AckedRows r : clients) {
                BitSet lost = (BitSet) r.acked(s).clone();
                BitSet got = seen.get(r.client);
                if (got != null) {
                    lost.andNot(got);
                }
                missing += lost.cardinality();
            }
        }
        return new RowAudit(expected, read, missing, duplicated, unexpected);
    }
}
