package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/** Columns → drift decision, as units: what is applied to the target, what stops the table. */
class SchemaDriftTest {

    static final TableRef TABLE = TableRef.publicTable("answers");

    static Column column(String name, String type) {
        return new Column(name, type, false, null);
    }

    @Test
    void addedColumnsAndWidenedTypesAreAppliedToTheTarget() {
        List<Column> target = List.of(column("id", "integer"), column("value", "character varying(10)"),
                column("score", "numeric(5,2)"));
        List<Column> source = List.of(column("id", "bigint"), column("value", "text"), column("score", "numeric(7,2)"),
                new Column("status", "text", true, "'ok'::text"), new Column("seq", "bigint", true, "nextval('s'::regclass)"));

        SchemaDrift.Result drift = SchemaDrift.compare(TABLE, source, target);

        // identifiers quoted, types as the source's catalog writes them
        assertThat(drift.compatible()).isTrue();
        assertThat(drift.statements()).containsExactly(
                "ALTER TABLE \"public\".\"answers\" ALTER COLUMN \"id\" TYPE bigint",
                "ALTER TABLE \"public\".\"answers\" ALTER COLUMN \"value\" TYPE text",
                "ALTER TABLE \"public\".\"answers\" ALTER COLUMN \"score\" TYPE numeric(7,2)",
                "ALTER TABLE \"public\".\"answers\" ADD COLUMN \"status\" text DEFAULT 'ok'::text NOT NULL",
                // a sequence's default is not copied: the target has no such sequence
                "ALTER TABLE \"public\".\"answers\" ADD COLUMN \"seq\" bigint");
    }

    @Test
    void aDroppedColumnOrANarrowingStopsTheTable() {
        List<Column> target = List.of(column("id", "bigint"), column("old", "text"), column("value", "text"));
        SchemaDrift.Result dropped = SchemaDrift.compare(TABLE, List.of(column("id", "bigint"), column("value", "text")), target);
        assertThat(dropped.compatible()).isFalse();
        assertThat(dropped.problems()).containsExactly(
                "column(s) [old] of the target are not in the source (dropped or renamed there)");

        SchemaDrift.Result changed = SchemaDrift.compare(TABLE,
                List.of(column("id", "bigint"), column("old", "text"), column("value", "integer")), target);
        assertThat(changed.problems()).containsExactly(
                "column value is integer in the source but text in the target (not a widening)");
    }

    @Test
    void aSourceNarrowerThanTheTargetNeedsNothing() {
        SchemaDrift.Result drift = SchemaDrift.compare(TABLE, List.of(column("id", "integer")), List.of(column("id", "bigint")));
        assertThat(drift.compatible()).isTrue();
        assertThat(drift.statements()).isEmpty();
    }

    @Test
    void wideningsAreThoseWhoseEveryValueFits() {
        assertThat(SchemaDrift.widens("smallint", "integer")).isTrue();
        assertThat(SchemaDrift.widens("bigint", "integer")).isFalse();
        assertThat(SchemaDrift.widens("real", "double precision")).isTrue();
        assertThat(SchemaDrift.widens("character varying(10)", "character varying(20)")).isTrue();
        assertThat(SchemaDrift.widens("character varying(20)", "character varying(10)")).isFalse();
        assertThat(SchemaDrift.widens("character varying", "character varying(10)")).isFalse();
        assertThat(SchemaDrift.widens("numeric(5,2)", "numeric(6,3)")).isTrue();
        assertThat(SchemaDrift.widens("numeric(5,2)", "numeric(5,3)")).as("one integer digit fewer").isFalse();
        assertThat(SchemaDrift.widens("numeric(5,2)", "numeric")).isTrue();
        assertThat(SchemaDrift.widens("text", "character varying(10)")).isFalse();
    }
}
