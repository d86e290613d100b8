package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.dbreplication.config.FkMode;
import org.dbreplication.full.RestorePolicy.ForeignKeyAction;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/** The full step's one policy, as units: which tables are kept, what becomes of each foreign key in each mode. */
class RestorePolicyTest {

    static final TableRef ANSWERS = TableRef.publicTable("answers");
    static final TableRef USERS = TableRef.publicTable("users");
    static final TableRef ASSESSMENTS = TableRef.publicTable("assessments");
    static final TableRef CHALLENGES = TableRef.publicTable("challenges");
    static final TableRef SKILLS = TableRef.publicTable("skills");

    static RestorePolicy policy(FkMode mode) {
        return new RestorePolicy(Set.of(ANSWERS), List.of("challenges", "skills"), mode);
    }

    @Test
    void keptAreTheBackupModeTablesAndTheLearningContentTablesTheCopyDoesNotHave() {
        // the source has a table named skills: it is copied, not kept; challenges is the learning-content step's
        assertThat(policy(FkMode.NOT_VALID).keptTables(Set.of(USERS, ANSWERS, SKILLS))).containsExactlyInAnyOrder(ANSWERS, CHALLENGES);
        assertThat(policy(FkMode.NOT_VALID).keptTables(Set.of())).containsExactlyInAnyOrder(ANSWERS, CHALLENGES, SKILLS);
    }

    @Test
    void aForeignKeyTouchingAKeptTableIsSkippedInEveryMode() {
        Set<TableRef> kept = Set.of(ANSWERS);
        for (FkMode mode : FkMode.values()) {
            assertThat(policy(mode).foreignKey("fk", ANSWERS, ASSESSMENTS, false, kept)).isEqualTo(ForeignKeyAction.SKIP_KEPT);
            assertThat(policy(mode).foreignKey("fk", ASSESSMENTS, ANSWERS, false, kept)).isEqualTo(ForeignKeyAction.SKIP_KEPT);
        }
        assertThat(RestorePolicy.skipReason("public.answers fk_answers_assessment", ANSWERS, null))
                .isEqualTo("public.answers fk_answers_assessment (answers -> ?: a kept table is not from the same snapshot)");
    }

    @Test
    void theOtherForeignKeysFollowRestoreFkConstraints() {
        Set<TableRef> kept = Set.of(ANSWERS);
        assertThat(policy(FkMode.TRUE).foreignKey("fk", ASSESSMENTS, USERS, false, kept)).isEqualTo(ForeignKeyAction.CREATE);
        assertThat(policy(FkMode.NOT_VALID).foreignKey("fk", ASSESSMENTS, USERS, false, kept))
                .isEqualTo(ForeignKeyAction.CREATE_NOT_VALID);
        // no NOT VALID foreign key on a partitioned table before PostgreSQL 18: created validated
        assertThat(policy(FkMode.NOT_VALID).foreignKey("fk", ASSESSMENTS, USERS, true, kept)).isEqualTo(ForeignKeyAction.CREATE);
        assertThat(policy(FkMode.FALSE).foreignKey("fk", ASSESSMENTS, USERS, false, kept)).isEqualTo(ForeignKeyAction.LEAVE_OUT);
    }
}
