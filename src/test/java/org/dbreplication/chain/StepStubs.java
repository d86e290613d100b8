package org.dbreplication.chain;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;

/**
 * Stand-ins for the step beans of the route test ({@link StepFailuresTest}): every method a route calls by
 * {@code bean: ref:} exists here with the same name and does nothing, except setting what the routes' expressions
 * read, so that every node of every step is reached. One instance is bound under every bean name the step routes
 * use; the run journal ({@link Runs}) and the webhooks are the real ones.
 */
public class StepStubs {

    /** The bean names of the step routes that this class stands in for. */
    public static final List<String> NAMES = List.of("fullRuns", "pgCommands", "restorePlanner", "archivePlanner",
            "targetSafety", "targetSchema", "tableDataLoader", "restoreTimings", "foreignKeys", "sequenceValues",
            "compatibilityView", "enrichment", "incrementalPlanner", "incrementalProgress", "chunkCopier",
            "incrementalFinisher", "tableBootstrap", "learningContent", "schemaExport", "keptTypes", "postDataItems",
            "copySwitch", "copyVerification", "analystObjects", "archiveDataLoader", "spaceCheck");

    private static final String FINISHING_ERRORS = "stubFinishingErrors";

    /** Where the full step's archive comes from: "dump" takes full-from-source, anything else full-from-backup. */
    volatile String backupSource = "dump";
    /** The content API the learning-content step downloads from (a real HTTP server of the test). */
    volatile String learningContentUrl;

    // -- full
    public void start(Exchange exchange) {
        exchange.setProperty("backupSource", backupSource);
        exchange.setProperty(FINISHING_ERRORS, new java.util.ArrayList<String>());
    }

    public void openSnapshot(Exchange exchange) {
    }

    public void dumpSection(Exchange exchange, String section) {
    }

    public void listArchive(Exchange exchange, String section) {
    }

    public void plan(Exchange exchange) {
    }

    public void checkReplica(Exchange exchange) {
    }

    public void restoreStarting(Exchange exchange) {
    }

    public void renderPreData(Exchange exchange) {
    }

    public void replace(Exchange exchange) {
    }

    public void renderPostData(Exchange exchange) {
    }

    public void removeLeftovers(Exchange exchange) {
    }

    /** As if FULL_REFRESH=swap, so that the check and the switch are reached. */
    public boolean buildsAside(Exchange exchange) {
        return true;
    }

    public void check(Exchange exchange) {
    }

    public void switchIn(Exchange exchange) {
    }

    public void dropPrevious(Exchange exchange) {
    }

    public void discardUnfinished(Exchange exchange) {
    }

    public void restorePass(Exchange exchange, String pass) {
    }

    public boolean hasLargeObjects(Exchange exchange) {
        return true;
    }

    public void dumpLargeObjects(Exchange exchange) {
    }

    public void restoreLargeObjects(Exchange exchange) {
    }

    public void record(Exchange exchange) {
    }

    public void createNotValid(Exchange exchange) {
    }

    public void refreshMaterializedViews(Exchange exchange) {
    }

    public void apply(Exchange exchange) {
    }

    public void scheduleIndexBuilds(Exchange exchange) {
    }

    public void restoreDone(Exchange exchange) {
    }

    public void done(Exchange exchange) {
    }

    public void finish(Exchange exchange) {
    }

    public void fetchBackup(Exchange exchange) {
    }

    public void listArchiveSection(Exchange exchange, String section) {
    }

    public void verifyArchiveData(Exchange exchange) {
    }

    public void renderArchiveSection(Exchange exchange, String section) {
    }

    public void restoreArchiveLargeObjects(Exchange exchange) {
    }

    // -- incremental: two tables of two chunks each, so that both splits run in parallel
    public List<String> tables(Exchange exchange) {
        return List.of("table-a", "table-b");
    }

    /** table-a is missing on the target: the route creates it (INCREMENTAL_BOOTSTRAP), so that its nodes are reached. */
    public void checkTarget(Exchange exchange) {
        exchange.setProperty(org.dbreplication.incremental.IncrementalPlanner.CREATE_TABLE,
                "table-a".equals(exchange.getIn().getBody(String.class)));
    }

    /** As the real one ends the step: the table fails with the route's error, and so does the step. */
    public void creationFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw new IllegalStateException("table-a: cannot create it on the target: " + cause.getMessage(), cause);
    }

    public List<String> prepare(Exchange exchange) {
        return List.of("chunk-1", "chunk-2");
    }

    public void copy(Exchange exchange) {
    }

    public void finishTable(Exchange exchange) {
    }

    public void checkAll(Exchange exchange) {
    }

    public void stop(Exchange exchange) {
    }

    public void closeConnections(Exchange exchange) {
    }

    public void dumpCommand(Exchange exchange) {
    }

    public void listCommand(Exchange exchange) {
    }

    public void scriptCommand(Exchange exchange) {
    }

    public void createCommand(Exchange exchange) {
    }

    public void cleanUp(Exchange exchange) {
    }

    public void replayCommand(Exchange exchange) {
    }

    // -- learning content
    public void request(Exchange exchange) {
        exchange.setProperty("learningContentEnabled", true);
        exchange.setProperty("learningContentUrl", learningContentUrl + "?httpMethod=GET");
        exchange.getIn().setBody(null);
        exchange.getIn().removeHeaders("*", "CamelRedelivery*", "CamelRedelivered"); // as the real bean: keeps the error handler's count
    }

    public void load(Exchange exchange) {
    }

    /** As the real bean: the request's failure becomes the step's, its cause's message in it. */
    public void unreachable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw new IllegalStateException("the request failed: " + (cause == null ? "no answer" : cause.getMessage()), cause);
    }

    /** Stands in for FinishingErrors (bean finishingErrors), whose overloads would clash with restoreTimings.record. */
    public static class FinishingErrorsStub {

        /** As FinishingErrors: a finishing part's failure, caught by its doCatch, is kept for the end of the step. */
        @SuppressWarnings("unchecked")
        public void record(Exchange exchange, String part) {
            exchange.getProperty(FINISHING_ERRORS, List.class).add(part + ": "
                    + exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
        }

        /** As FinishingErrors: once every finishing part ran, the step fails if one failed. */
        public void failIfAny(Exchange exchange) {
            List<?> errors = exchange.getProperty(FINISHING_ERRORS, List.class);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("finishing parts failed: " + errors);
            }
        }
    }

    /** The exec endpoints' executor: every pg_dump, pg_restore and psql "succeeds" at once, printing nothing. */
    public static class SucceedingExecutor implements ExecCommandExecutor {
        @Override
        public ExecResult execute(ExecCommand command) {
            return new ExecResult(command, new ByteArrayInputStream(new byte[0]), new ByteArrayInputStream(new byte[0]), 0);
        }
    }
}
