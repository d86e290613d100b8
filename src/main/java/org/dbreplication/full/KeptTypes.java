package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The types that survive on the target because kept tables use them (enums, domains, composite and range types)
 * are left out of the restore, so the copied tables are created with the target's copy of them. Each is compared
 * with the source's definition while planning ({@link KeptTypeRules}): an incompatible change is refused there,
 * before anything is touched; additive changes are stored in the plan and applied by {@link #apply}, a visible
 * step of the full route just before the schema replacement.
 */
public class KeptTypes {

    private static final Logger LOG = LoggerFactory.getLogger(KeptTypes.class);
    private final Settings settings;

    public KeptTypes(Settings settings) {
        this.settings = settings;
    }

    /**
     * Live source: compares the target's surviving types with the source catalog in the snapshot.
     *
     * @param survivorIdentities {@link TargetInspection.Result#survivorIdentities()}
     * @return the statements that bring the surviving types up to the source (empty: nothing to do)
     * @throws KeptTypeRefusedException a surviving type changed in a way its kept rows may not follow
     */
    static List<String> reviewWithSource(Settings settings, Set<String> survivorIdentities, Connection snapshot)
            throws SQLException {
        if (!hasTypes(survivorIdentities)) {
            return List.of();
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            target.setAutoCommit(false);
            List<TypeDefinition.Name> names = CatalogTypes.userTypes(target, survivorIdentities);
            Map<TypeDefinition.Name, TypeDefinition> targetTypes = CatalogTypes.read(target, names);
            target.rollback();
            return review(targetTypes, CatalogTypes.read(snapshot, names));
        }
    }

    /** Archive mode: the same comparison, with the archive's CREATE TYPE / CREATE DOMAIN statements as the source. */
    static List<String> reviewWithArchive(Settings settings, Set<String> survivorIdentities, List<TocEntry> preDataEntries,
                                          ArchiveSql preDataSql) throws SQLException {
        if (!hasTypes(survivorIdentities)) {
            return List.of();
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            target.setAutoCommit(false);
            Map<TypeDefinition.Name, TypeDefinition> targetTypes =
                    CatalogTypes.read(target, CatalogTypes.userTypes(target, survivorIdentities));
            target.rollback();
            return review(targetTypes, ArchiveTypes.read(preDataEntries, preDataSql));
        }
    }

    private static boolean hasTypes(Set<String> survivorIdentities) {
        return survivorIdentities.stream().anyMatch(key -> key.startsWith(CatalogTypes.SURVIVOR_TYPE_PREFIX));
    }

    private static List<String> review(Map<TypeDefinition.Name, TypeDefinition> targetTypes,
                                       Map<TypeDefinition.Name, TypeDefinition> sourceTypes) {
        KeptTypeRules.Review review = KeptTypeRules.review(targetTypes.values(), sourceTypes);
        if (!review.refusals().isEmpty()) {
            throw new KeptTypeRefusedException("types used by kept tables (BACKUP_MODE) changed in the source in a way the"
                    + " kept rows may not follow; nothing was changed on the target: " + String.join(" | ", review.refusals())
                    + ". Align the type on the target by hand, or take the table out of BACKUP_MODE for one run so that it is"
                    + " copied whole.");
        }
        if (!review.statements().isEmpty()) {
            LOG.info("types used by kept tables changed in the source: {} change(s) planned before the schema replacement",
                    v("kept_type_changes", review.statements().size()));
        }
        return review.statements();
    }

    /**
     * Bean of the full route, before the schema replacement: applies the planned changes in one transaction of
     * their own, committed before the replacement (an enum label added in a transaction cannot be used before it
     * commits). A failure rolls them all back and fails the step with PostgreSQL's error.
     */
    public void apply(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        List<String> statements = run.plan().keptTypeChanges();
        if (statements.isEmpty()) {
            return;
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            target.setAutoCommit(false);
            st.execute("SET LOCAL lock_timeout = " + Sql.literal(settings.databases().targetLockTimeoutSeconds() + "s"));
            for (String statement : statements) {
                try {
                    st.execute(statement);
                } catch (SQLException e) {
                    target.rollback();
                    throw new SQLException("changing a type used by kept tables failed (nothing was changed): " + statement
                            + ": " + e.getMessage(), e.getSQLState(), e);
                }
            }
            target.commit();
        }
        statements.forEach(s -> LOG.info("type used by kept tables brought up to the source: {}", v("statement", s)));
    }

    /** A type used by kept tables changed in the source in a way the kept rows may not follow. */
    public static class KeptTypeRefusedException extends RuntimeException {
        public KeptTypeRefusedException(String message) {
            super(message);
        }
    }
}
