package org.dbreplication.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The full step: what it keeps out of the copy, how it treats foreign keys, how parallel it is and how it switches
 * the new copy in.
 *
 * @param backupModes                BACKUP_MODE: the kept tables (also the incremental step's tables)
 * @param fkMode                     RESTORE_FK_CONSTRAINTS
 * @param restoreJobs                PG_RESTORE_JOBS: parallel copies, index builds and pg_restore jobs
 * @param copySplitMegabytes         FULL_COPY_SPLIT_MB: tables bigger than this are copied in parts of this size
 * @param maintenanceWorkMem         RESTORE_MAINTENANCE_WORK_MEM, a PostgreSQL memory size
 * @param parallelMaintenanceWorkers RESTORE_PARALLEL_MAINTENANCE_WORKERS
 * @param enrichmentDir              ENRICHMENT_DIR: extra enrichment statements
 * @param strict                     FULL_STRICT: an object that cannot be restored fails the step
 * @param refresh                    FULL_REFRESH: swap or in-place
 */
public record FullSettings(BackupModes backupModes, FkMode fkMode, int restoreJobs, int copySplitMegabytes,
        String maintenanceWorkMem, int parallelMaintenanceWorkers, Optional<Path> enrichmentDir, boolean strict,
        FullRefresh refresh) {

    static final Variable<BackupModes> BACKUP_MODE = Variable.of(BackupModes.VARIABLE, "{}",
            (name, value) -> BackupModes.parse(value), "tables kept out of the full copy (JSON object: table -> mode)");
    static final Variable<FkMode> FK_CONSTRAINTS = Variable.of("RESTORE_FK_CONSTRAINTS", FkMode.NOT_VALID.setting(),
            FkMode::parse, "foreign keys of the copy: not-valid, true or false");
    static final Variable<Integer> RESTORE_JOBS = Variable.of("PG_RESTORE_JOBS", "4", Check.integer(1, 64),
            "parallel jobs of the full step (copies, index builds, pg_restore)");
    static final Variable<Integer> COPY_SPLIT_MB = Variable.of("FULL_COPY_SPLIT_MB", "256", Check.integer(1, 1_000_000),
            "tables bigger than this (MB) are copied in parallel parts of this size");
    static final Variable<String> MAINTENANCE_WORK_MEM = Variable.of("RESTORE_MAINTENANCE_WORK_MEM", "512MB",
            Check.memorySize(), "maintenance_work_mem of each index build");
    static final Variable<Integer> PARALLEL_MAINTENANCE_WORKERS = Variable.of("RESTORE_PARALLEL_MAINTENANCE_WORKERS",
            "0", Check.integer(0, 64), "max_parallel_maintenance_workers of each index build");
    static final Variable<Path> ENRICHMENT_DIR = Variable.optional("ENRICHMENT_DIR", Check.path(),
            "directory of extra enrichment *.sql files");
    static final Variable<Boolean> STRICT = Variable.of("FULL_STRICT", "false", Check.bool(),
            "true: an object other than a table that cannot be restored fails the full step");
    static final Variable<FullRefresh> REFRESH = Variable.of("FULL_REFRESH", FullRefresh.SWAP.setting(),
            FullRefresh::parse, "swap: build the new copy aside and switch it in; in-place: replace the live copy first");

    static final List<Variable<?>> VARIABLES = List.of(BACKUP_MODE, FK_CONSTRAINTS, RESTORE_JOBS, COPY_SPLIT_MB,
            MAINTENANCE_WORK_MEM, PARALLEL_MAINTENANCE_WORKERS, ENRICHMENT_DIR, STRICT, REFRESH);

    static FullSettings read(Env env) {
        return new FullSettings(BACKUP_MODE.read(env), FK_CONSTRAINTS.read(env), RESTORE_JOBS.read(env),
                COPY_SPLIT_MB.read(env), MAINTENANCE_WORK_MEM.read(env), PARALLEL_MAINTENANCE_WORKERS.read(env),
                ENRICHMENT_DIR.find(env), STRICT.read(env), REFRESH.read(env));
    }

    /** FULL_COPY_SPLIT_MB in bytes. */
    public long copySplitBytes() {
        return copySplitMegabytes * 1024L * 1024L;
    }
}
