package org.dbreplication.full;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * Writes the scripts that psql replays in one transaction to replace the target's schema: the drops of the current
 * objects (survivors of kept tables excepted), then the new pre-data, then a check that no kept table lost a column
 * through a cascade. Any error rolls the whole replacement back: the target stays as it was.
 */
public class TargetSchema {

    private final Settings settings;

    public TargetSchema(Settings settings) {
        this.settings = settings;
    }

    static Path dropScript(FullRun run) {
        return run.directory().resolve("drop-current-objects.sql");
    }

    static Path verifyScript(FullRun run) {
        return run.directory().resolve("verify-kept-tables.sql");
    }

    public void writeReplacementScripts(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws IOException {
        RestorePlan plan = run.plan();
        StringBuilder drop = new StringBuilder()
                .append("SET lock_timeout = ").append(Sql.literal(settings.targetLockTimeoutSeconds() + "s")).append(";\n")
                .append("SET client_min_messages = warning;\n");
        plan.dropStatements().forEach(statement -> drop.append(statement).append('\n'));
        Files.writeString(dropScript(run), drop);
        Files.writeString(verifyScript(run), verification(plan.keptColumnCounts()));
    }

    private static String verification(Map<TableRef, Integer> keptColumnCounts) {
        if (keptColumnCounts.isEmpty()) {
            return "SELECT 1;\n";
        }
        String expected = keptColumnCounts.entrySet().stream()
                .map(e -> "(" + Sql.literal(e.getKey().schema()) + ", " + Sql.literal(e.getKey().name()) + ", "
                        + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return """
                DO $verify$
                DECLARE damaged text;
                BEGIN
                    SELECT string_agg(format('%%I.%%I', k.schema_name, k.table_name), ', ') INTO damaged
                    FROM (VALUES %s) AS k(schema_name, table_name, column_count)
                    WHERE k.column_count <> (
                        SELECT count(a.attnum) FROM pg_catalog.pg_attribute a
                        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = k.schema_name AND c.relname = k.table_name
                          AND a.attnum > 0 AND NOT a.attisdropped);
                    IF damaged IS NOT NULL THEN
                        RAISE EXCEPTION 'kept tables would lose columns or disappear through dropped objects they use: %%', damaged;
                    END IF;
                END
                $verify$;
                """.formatted(expected);
    }
}
