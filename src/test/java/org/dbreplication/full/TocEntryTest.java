package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TocEntryTest {

    @Test
    void parsesListLinesWithMultiWordDescriptions() {
        TocEntry fk = TocEntry.parse("3221; 2606 16410 FK CONSTRAINT public child child_pid_fkey postgres").orElseThrow();
        TocEntry owned = TocEntry.parse("3373; 0 0 SEQUENCE OWNED BY public a-B\"c_id_seq postgres").orElseThrow();

        assertThat(fk.dumpId()).isEqualTo(3221);
        assertThat(fk.classOid()).isEqualTo(2606);
        assertThat(fk.objectOid()).isEqualTo(16410);
        assertThat(fk.desc()).isEqualTo("FK CONSTRAINT");
        assertThat(fk.displayName()).isEqualTo("public child child_pid_fkey");
        assertThat(owned.desc()).isEqualTo("SEQUENCE OWNED BY");
        assertThat(owned.hasCatalogObject()).isFalse();
        assertThat(TocEntry.parse("; Archive created at 2026-11-23")).isEmpty();
        assertThat(TocEntry.parse("215; 1259 16394 TABLE public a-B\"c postgres").orElseThrow().desc()).isEqualTo("TABLE");
    }

    @Test
    void verboseOutputOfAParallelRestoreBecomesItemTimings() {
        List<String> lines = List.of(
                "1000 pg_restore: entering main parallel loop",
                "1000 pg_restore: launching item 3220 CONSTRAINT child child_pkey",
                "1005 pg_restore: launching item 3218 INDEX a-B\"c_v_idx",
                "1250 pg_restore: finished item 3220 CONSTRAINT child child_pkey",
                "1900 pg_restore: finished item 3218 INDEX a-B\"c_v_idx",
                "1900 pg_restore: finished main parallel loop");

        List<RestoreItem> items = PgRestoreVerboseParser.parse(lines, Instant.ofEpochMilli(2000));

        assertThat(items).extracting(RestoreItem::category, RestoreItem::name, i -> i.duration().toMillis())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CONSTRAINT", "child child_pkey", 250L),
                        org.assertj.core.groups.Tuple.tuple("INDEX", "a-B\"c_v_idx", 895L));
    }

    @Test
    void verboseOutputOfASerialRestoreTimesEachItemUntilTheNext() {
        List<String> lines = List.of(
                "100 pg_restore: connecting to database for restore",
                "110 pg_restore: creating CONSTRAINT \"public.big big_pkey\"",
                "400 pg_restore: creating INDEX \"public.big_payload_idx\"");

        List<RestoreItem> items = PgRestoreVerboseParser.parse(lines, Instant.ofEpochMilli(1000));

        assertThat(items).extracting(RestoreItem::category, RestoreItem::name, i -> i.duration().toMillis())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CONSTRAINT", "public.big big_pkey", 290L),
                        org.assertj.core.groups.Tuple.tuple("INDEX", "public.big_payload_idx", 600L));
    }
}
