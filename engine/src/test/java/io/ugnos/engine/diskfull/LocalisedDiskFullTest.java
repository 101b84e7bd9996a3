package io.ugnos.engine.diskfull;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.ugnos.engine.DiskFullException;
import io.ugnos.engine.StorageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a system whose messages are not in English the JDK passes on a localised "no space" message;
 * a failed write on a file system without usable space is still reported as a full disk.
 */
class LocalisedDiskFullTest {
    private static final IOException FRENCH = new IOException("Aucun espace disponible sur le périphérique");

    @Test
    void aFailedWriteOnAFullFileSystemIsDiskFullWhateverTheMessage() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(4096).setMaxSize(1 << 20).build())) {
            Path dir = Files.createDirectories(fs.getPath("/db"));
            Path wal = dir.resolve("wal").resolve("000001.log"); // not created yet: its nearest existing parent counts
            assertThat(StorageException.of("append to", wal, FRENCH)).isNotInstanceOf(DiskFullException.class);

            try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // the file system is full now
            }
            StorageException e = StorageException.of("append to", wal, FRENCH);
            assertThat(e).isInstanceOf(DiskFullException.class);
            assertThat(e.getMessage()).contains("disk full").contains(wal.toString());
        }
    }
}
