package io.ugnos.sql;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.jdbc.CalciteConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Calcite connection under {@link UgnosSql#connect} reads its configuration once
 * ({@link org.apache.calcite.jdbc.ReadOnceCalciteConnection}): the values must be Calcite's own,
 * the shared time zone must not be changeable through a caller's copy, and statements whose
 * context copies the schema tree only when they are planned must still see new series.
 */
class ReadOnceCalciteConnectionTest {
    @RegisterExtension
    final SqlTestDb db = new SqlTestDb();

    @Test
    void theConfigurationIsOneObjectWithCalcitesValues() throws Exception {
        CalciteConnection cc = db.connection().unwrap(CalciteConnection.class);
        CalciteConnectionConfig once = cc.config();
        CalciteConnectionConfig calcite = new CalciteConnectionConfigImpl(cc.getProperties());
        assertThat(cc.config()).isSameAs(once);
        assertThat(once.timeZone()).isEqualTo(calcite.timeZone()).isEqualTo("UTC");
        assertThat(once.caseSensitive()).isEqualTo(calcite.caseSensitive()).isFalse();
        assertThat(once.quoting()).isEqualTo(calcite.quoting());
        assertThat(once.unquotedCasing()).isEqualTo(calcite.unquotedCasing());
        assertThat(once.conformance()).isEqualTo(calcite.conformance());
        assertThat(once.fetchSize()).isEqualTo(calcite.fetchSize());
        assertThat(once.spark()).isEqualTo(calcite.spark());
        assertThat(once.locale()).isEqualTo(calcite.locale());
    }

    @Test
    void aCallersTimeZoneIsACopy() throws Exception {
        AvaticaConnection ac = db.connection().unwrap(AvaticaConnection.class);
        TimeZone mine = ac.getTimeZone();
        assertThat(mine.getID()).isEqualTo("UTC");
        mine.setRawOffset(3_600_000);
        mine.setID("Mine");
        TimeZone next = ac.getTimeZone();
        assertThat(next.getID()).isEqualTo("UTC");
        assertThat(next.getRawOffset()).isZero();
        assertThat(next).isNotSameAs(mine);
    }

    @Test
    void aSeriesCreatedAfterACachedPlanIsSeenByTheNextStatement() throws Exception {
        WriteBatch b = new WriteBatch();
        b.add("a", TagSet.of("host", "h1"), 1_000_000_000L, 1.5);
        db.db().write(b);
        String query = "SELECT COUNT(*) FROM a";
        assertThat(db.rows(query)).containsExactly(List.of(1L));
        assertThat(db.rows(query)).containsExactly(List.of(1L)); // from the plan cache
        b = new WriteBatch();
        b.add("b", TagSet.of("host", "h2"), 2_000_000_000L, 2.5);
        b.add("b", TagSet.of("host", "h2"), 3_000_000_000L, 3.5);
        db.db().write(b);
        assertThat(db.rows("SELECT SUM(value) FROM b")).containsExactly(List.of(6.0));
        assertThat(db.rows(query)).containsExactly(List.of(1L));
    }
}
