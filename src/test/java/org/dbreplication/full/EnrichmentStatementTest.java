package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/** Which enrichment files are one index build, and so may join the data load (a pure unit). */
class EnrichmentStatementTest {

    static boolean indexBuild(String sql) {
        return new Enrichment.Statement("x.sql", TableRef.publicTable("users"), sql).isIndexBuild();
    }

    @Test
    void oneCreateIndexOrCreateUniqueIndexIsAnIndexBuild() {
        assertThat(indexBuild("-- table: users\nCREATE INDEX IF NOT EXISTS \"users_createdAt_idx\" ON public.users (\"createdAt\")")).isTrue();
        assertThat(indexBuild("-- table: users\n/* analysts */ create unique index users_email ON users (lower(email));\n")).isTrue();
    }

    @Test
    void aFileNamedLikeABuiltInOneIsNotTakenForIt() {
        Enrichment.Statement builtIn = new Enrichment.Statement("40-users-created-at.sql", TableRef.publicTable("users"),
                "CREATE INDEX a ON users (a)");
        Enrichment.Statement custom = new Enrichment.Statement("40-users-created-at.sql", TableRef.publicTable("users"),
                "COMMENT ON TABLE users IS 'x'");
        EnrichmentBuilds builds = new EnrichmentBuilds(java.util.List.of(builtIn));

        assertThat(builds.contains(builtIn)).isTrue();
        assertThat(builds.contains(custom)).isFalse();
    }

    @Test
    void anythingElseIsNot() {
        assertThat(indexBuild("-- table: users\nCREATE INDEX CONCURRENTLY users_a ON users (a)")).isFalse();
        assertThat(indexBuild("-- table: users\nCREATE INDEX users_a ON users (a); UPDATE users SET a = 1")).isFalse();
        assertThat(indexBuild("-- table: users\nCREATE MATERIALIZED VIEW user_counts AS SELECT count(*) FROM users")).isFalse();
        assertThat(indexBuild("-- table: users\nCOMMENT ON TABLE users IS 'CREATE INDEX a ON users (a)'")).isFalse();
        assertThat(indexBuild("-- table: users\n-- CREATE INDEX a ON users (a)\nANALYZE users")).isFalse();
        assertThat(indexBuild("-- table: users\n")).isFalse();
    }
}
