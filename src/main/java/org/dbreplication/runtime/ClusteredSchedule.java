package org.dbreplication.runtime;

import java.sql.Connection;
import java.util.Properties;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler of the scheduling processes (camel-quartz's {@code quartz:} endpoints of schedule.yaml),
 * clustered through Quartz's JDBC job store in the target database (tables qrtz_* of REPLICATION_SCHEMA, created by
 * the journal's migration V7). Any number of {@code schedule} processes may run against one target: each trigger
 * fires on one of them, and when that one dies, another recovers its job within a few check-ins (the nightly route
 * is a recoverable job: the recovering process resumes the night, see ChainTrigger). No election of our own: Quartz
 * does it, with row locks in qrtz_locks.
 * <p>
 * Quartz's connections are opened on DATABASE_URL by the tool's opener (password from the URL, never in the
 * properties), one per store operation: a check-in every {@link #CHECKIN_MILLIS} ms and the trigger acquisitions.
 */
public final class ClusteredSchedule {

    /** How often each process tells the others it is alive; a process silent for longer is recovered. */
    static final long CHECKIN_MILLIS = 5_000;
    static final String DATA_SOURCE = "replication";

    private ClusteredSchedule() {
    }

    /** Quartz's properties for camel-quartz ({@code camel.component.quartz.propertiesRef}). */
    public static Properties properties(Settings settings) {
        Properties p = new Properties();
        // one name for every process of the cluster; AUTO: host and start time tell them apart
        p.setProperty("org.quartz.scheduler.instanceName", "db-replication");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", settings.databases().replicationSchema() + ".qrtz_");
        p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(CHECKIN_MILLIS));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return p;
    }

    /** Registers the store's connections (by name, as Quartz looks them up) before the scheduler starts. */
    public static void useConnectionsOf(DatabaseUrl target, String app) {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() {
                // not refused while the process stops: Quartz records its shutdown
                return Connections.openForJournal(target, app + ":schedule");
            }

            @Override
            public void shutdown() {
                // nothing pooled
            }

            @Override
            public void initialize() {
                // connections are opened on demand
            }
        });
    }
}
