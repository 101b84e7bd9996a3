package io.ugnos.sql.schema;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.SqlTestDb;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.schema.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema's table map is rebuilt when, and only when, the database's schema changes. */
class UgnosSchemaTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @Test
    void tablesAreReusedUntilASeriesOrATagKeyAppears() {
        UgnosSchema schema = new UgnosSchema(t.db());
        t.db().write(new WriteBatch().add("cpu.a", TagSet.of("host", "h1"), 1, 1.0));
        Table a = schema.getTable("cpu.a");
        Table family = schema.getTable("cpu");
        assertThat(a).isNotNull();
        assertThat(schema.getTable("cpu.a")).as("no schema change: the same table").isSameAs(a);

        t.db().write(new WriteBatch().add("cpu.a", TagSet.of("host", "h2"), 2, 2.0)); // same tag key
        assertThat(schema.getTable("cpu.a")).isSameAs(a);

        t.db().write(new WriteBatch().add("cpu.b", TagSet.of("host", "h1"), 1, 3.0)); // a new series
        assertThat(schema.getTable("cpu.b")).isNotNull();
        Table family2 = schema.getTable("cpu");
        assertThat(family2).isNotSameAs(family);
        assertThat(family2.getRowType(new JavaTypeFactoryImpl()).getFieldNames()).contains("a", "b");

        t.db().write(new WriteBatch().add("cpu.a", TagSet.of("host", "h1", "region", "eu"), 3, 4.0)); // a new tag key
        assertThat(schema.getTable("cpu").getRowType(new JavaTypeFactoryImpl()).getFieldNames()).contains("region");
    }
}
