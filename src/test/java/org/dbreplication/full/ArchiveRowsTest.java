package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteStreamWriter;

/** Counting the rows of pg_restore's COPY output while streaming it in chunks, whatever the chunks' bounds. */
class ArchiveRowsTest {

    static final String ROWS = "1\ta\n2\t\\N\n3\t\\\\.x\n4\tline\\nbreak\n\\.\n\n--\n-- PostgreSQL database dump complete\n--\n";

    /** A CopyIn that keeps what it is given (a unit test's stand-in for the server). */
    static final class Collected implements CopyIn {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void writeToCopy(byte[] buf, int off, int siz) {
            bytes.write(buf, off, siz);
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushCopy() {
        }

        @Override
        public long endCopy() {
            return 0;
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void cancelCopy() {
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }

    /** Hands out at most {@code size} bytes a read: every bound of the chunks is tried. */
    static InputStream inChunksOf(int size, byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(size, len));
            }
        };
    }

    @Test
    void countsTheRowsUpToTheEndOfDataLineAndStreamsEveryByteWhereverTheChunksEnd() throws Exception {
        byte[] data = ROWS.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= data.length; size++) {
            Collected copy = new Collected();

            long rows = ArchiveDataLoader.streamRows(inChunksOf(size, data), copy);

            assertThat(rows).as("chunks of %d bytes", size).isEqualTo(4);
            assertThat(copy.bytes.toString(StandardCharsets.UTF_8)).as("chunks of %d bytes", size).startsWith(ROWS.substring(0, ROWS.indexOf("\\.\n") + 3));
        }
    }

    @Test
    void anEmptyTableHasOnlyTheEndOfDataLine() throws Exception {
        assertThat(ArchiveDataLoader.streamRows(inChunksOf(2, "\\.\n\n".getBytes(StandardCharsets.UTF_8)), new Collected())).isZero();
    }
}
