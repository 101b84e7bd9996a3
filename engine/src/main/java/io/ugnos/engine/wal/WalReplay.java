package io.ugnos.engine.wal;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.StorageException;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.FormatException;
import io.ugnos.engine.format.RecordLog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a WAL file back at open. A record cut short by a crash at the tail of the file is cut off
 * (the batch was never acknowledged, so nothing acknowledged is lost); a checksum failure with
 * intact records after it is corruption, reported with the file and offset.
 */
public final class WalReplay {
    /** Receives each intact record in file order. */
    public interface Visitor {
        void record(long seq, WriteBatch batch);
    }

    /** What replay found: records read, and bytes cut from a torn tail. */
    public record Result(long records, long tornBytes) {
    }

    private WalReplay() {
    }

    public static Result replay(Path file, Visitor visitor) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw StorageException.of("read write-ahead log", file, e);
        }
        if (bytes.length < FileFormat.HEADER_BYTES) {
            // a crash between creating the file and writing its header: nothing was ever acknowledged in it
            truncate(file, 0);
            return new Result(0, bytes.length);
        }
        FileFormat.checkHeader(file, java.util.Arrays.copyOf(bytes, FileFormat.HEADER_BYTES), WalFormat.KIND, WalFormat.VERSION);
        RecordLog.Scan scan = RecordLog.scan(file, "write-ahead log", bytes, FileFormat.HEADER_BYTES, WalRecord::durableBefore,
                (buf, off, len, at) -> {
            WriteBatch batch = new WriteBatch();
            long seq;
            try {
                ByteReader in = new ByteReader(buf, off, off + len);
                seq = WalRecord.decode(in, batch).seq();
                if (in.remaining() != 0) {
                    throw new FormatException(in.remaining() + " trailing bytes");
                }
            } catch (FormatException | InvalidInputException e) {
                throw new CorruptionException(file, at, "write-ahead log record cannot be decoded: " + e.getMessage());
            }
            visitor.record(seq, batch);
        });
        int torn = scan.tornBytes();
        int pos = scan.end();
        long records = scan.records();
        if (torn > 0) {
            truncate(file, pos);
        }
        return new Result(records, torn);
    }

    private static void truncate(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        } catch (IOException e) {
            throw StorageException.of("cut the torn tail off", file, e);
        }
    }
}
