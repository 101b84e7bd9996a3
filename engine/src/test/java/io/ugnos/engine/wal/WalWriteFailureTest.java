package io.ugnos.engine.wal;

import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write that fails part-way (a full disk) leaves no partial record behind: later records are
 * replayed, and the failed one is not (it was never acknowledged).
 */
class WalWriteFailureTest {
    @TempDir
    Path dir;

    private static byte[] record(long seq, double value) {
        EncodeBuffer buf = new EncodeBuffer(256);
        int start = RecordLog.begin(buf);
        WalRecord.encode(seq, new WriteBatch().add("s", TagSet.of("k", "v"), seq, value), buf);
        RecordLog.end(buf, start);
        return java.util.Arrays.copyOf(buf.array(), buf.size());
    }

    @Test
    void aFullDiskLeavesNoPartialRecordAndWritingResumes() throws IOException {
        Path file = dir.resolve("wal-1.log");
        FlakyChannel ch = new FlakyChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        WalWriter w = WalWriter.create(file, ch, new LongAdder());
        byte[] first = record(1, 1.0);
        w.append(first, first.length, Durability.FLUSH);

        ch.failAfter = 10; // the next write gets 10 bytes out, then the disk is full
        byte[] second = record(2, 2.0);
        assertThatThrownBy(() -> w.append(second, second.length, Durability.FLUSH))
                .isInstanceOf(io.ugnos.engine.DiskFullException.class).hasMessageContaining("disk full")
                .hasMessageContaining("No space left on device").hasMessageContaining("free space");

        ch.failAfter = -1; // space is back
        byte[] third = record(3, 3.0);
        w.append(third, third.length, Durability.SYNC);
        w.commit(Long.MAX_VALUE, Durability.NONE);
        w.close();

        List<Long> seqs = new ArrayList<>();
        WalReplay.Result r = WalReplay.replay(file, (seq, batch) -> seqs.add(seq));
        assertThat(seqs).containsExactly(1L, 3L);
        assertThat(r.tornBytes()).isZero();
    }

    /** Writes through to a real channel until {@code failAfter} bytes, then fails like a full disk. */
    static final class FlakyChannel extends FileChannel {
        private final FileChannel real;
        int failAfter = -1;
        Runnable onForce = () -> { };
        boolean failForce;

        FlakyChannel(FileChannel real) {
            this.real = real;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (failAfter >= 0) {
                int n = Math.min(failAfter, src.remaining());
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + n);
                real.write(part);
                src.position(src.position() + n);
                failAfter -= n;
                if (failAfter == 0) {
                    throw new IOException("No space left on device");
                }
                return n;
            }
            return real.write(src);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            onForce.run();
            if (failForce) {
                throw new IOException("Input/output error");
            }
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
