package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FULL_REFRESH=swap needs room for a second copy of the replicated tables while it builds. Before building: the
 * estimate (the source's tables and indexes, as PostgreSQL sizes them in the snapshot; an archive's size times
 * {@value #ARCHIVE_EXPANSION} when the rows come from a backup) is logged, and compared with the free space of the
 * target's data directory when it can be known — the target server runs on this machine and its role may read
 * {@code data_directory} (superuser or pg_read_all_settings). Too little: the step fails before anything is built,
 * saying how much is missing.
 */
public class SpaceCheck {

    /** A compressed custom-format archive holds roughly a third of what its rows and indexes take once restored. */
    static final int ARCHIVE_EXPANSION = 3;
    private static final Logger LOG = LoggerFactory.getLogger(SpaceCheck.class);
    private final Settings settings;

    public SpaceCheck(Settings settings) {
        this.settings = settings;
    }

    public void check(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException, IOException {
        if (settings.full().refresh() != org.dbreplication.config.FullRefresh.SWAP) {
            return;
        }
        long needed = run.fromArchive() ? Files.size(run.archive()) * ARCHIVE_EXPANSION : sourceSize(run);
        OptionalLong free = freeSpace();
        if (free.isPresent() && free.getAsLong() < needed) {
            throw new IllegalStateException("not enough room on the target to build the new copy beside the live one: it needs"
                    + " about " + gigabytes(needed) + ", the target's disk has " + gigabytes(free.getAsLong())
                    + " free; free " + gigabytes(needed - free.getAsLong()) + " or set FULL_REFRESH=in-place");
        }
        LOG.info("the new copy needs about {} beside the live one; free on the target's disk: {}", v("needed", gigabytes(needed)),
                v("free", free.isPresent() ? gigabytes(free.getAsLong()) : "unknown (the target's server is not on this machine"
                        + " or its data directory cannot be read by its role)"));
    }

    /** The copied tables with their indexes and TOAST, in the snapshot. */
    private static long sourceSize(FullRun run) throws SQLException {
        try (PreparedStatement ps = run.snapshot().connection().prepareStatement(
                "SELECT coalesce(sum(pg_catalog.pg_total_relation_size(oid)), 0) FROM unnest(?::oid[]) AS t(oid)")) {
            ps.setArray(1, run.snapshot().connection().createArrayOf("bigint",
                    run.plan().tables().stream().map(t -> t.table().oid()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private OptionalLong freeSpace() {
        if (!java.util.Set.of("localhost", "127.0.0.1", "::1").contains(settings.databases().targetUrl().host())
                && !settings.databases().targetUrl().host().startsWith("/")) {
            return OptionalLong.empty();
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             PreparedStatement ps = target.prepareStatement("SELECT pg_catalog.current_setting('data_directory')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            Path directory = Path.of(rs.getString(1));
            return Files.isDirectory(directory) ? OptionalLong.of(Files.getFileStore(directory).getUsableSpace())
                    : OptionalLong.empty();
        } catch (SQLException | IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static String gigabytes(long bytes) {
        return bytes < 1e9 ? String.format(java.util.Locale.ROOT, "%.0f MB", bytes / 1e6)
                : String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
