package io.ugnos.engine.manifest;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.ugnos.engine.DiskFullException;
import io.ugnos.engine.index.Catalog;
import org.junit.jupiter.api.Test;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manifest on a full disk: an edit either fails and is not applied, or is durable and reported so. */
class ManifestDiskFullTest {
    /**
     * Regression: a checkpoint (a new manifest file) that failed for lack of space made append throw
     * after its edit was already durable, so the database undid a committed flush and deleted the
     * segment the manifest listed, and the next open failed on a missing segment.
     */
    @Test
    void aDurableEditIsNotReportedAsFailedWhenOnlyTheCheckpointFindsNoSpace() throws Exception {
        try (FileSystem fs = smallFs()) {
            Path dir = fs.getPath("/db");
            Files.createDirectories(dir);
            ManifestLog log = ManifestLog.open(dir, new ManifestState(new Catalog()), 1); // checkpoint after every edit
            log.append(new VersionEdit().add(new VersionEdit.AddSeries("s0")));
            Path before = log.file();
            fill(fs.getPath("/filler"));

            // fits in the last block of the current file; the checkpoint's new file does not fit anywhere
            log.append(new VersionEdit().add(new VersionEdit.AddSeries("s1")));
            assertThat(log.file()).as("still the old file: the checkpoint failed").isEqualTo(before);
            assertThat(manifests(dir)).containsExactly(before.getFileName().toString());
            log.close();

            ManifestState reread = new ManifestState(new Catalog());
            log = ManifestLog.open(dir, reread, 1);
            assertThat(reread.hasSeries("s1")).isTrue();

            Files.delete(fs.getPath("/filler"));
            log.append(new VersionEdit().add(new VersionEdit.AddSeries("s2")));
            assertThat(log.file()).as("checkpointed once there is room").isNotEqualTo(before);
            log.close();
            ManifestState last = new ManifestState(new Catalog());
            ManifestLog.open(dir, last).close();
            assertThat(last.hasSeries("s0") && last.hasSeries("s1") && last.hasSeries("s2")).isTrue();
        }
    }

    @Test
    void anEditThatDoesNotFitFailsWithDiskFullAndIsNotApplied() throws Exception {
        try (FileSystem fs = smallFs()) {
            Path dir = fs.getPath("/db");
            Files.createDirectories(dir);
            ManifestState state = new ManifestState(new Catalog());
            ManifestLog log = ManifestLog.open(dir, state);
            fill(fs.getPath("/filler"));
            VersionEdit big = new VersionEdit();
            for (int i = 0; i < 1000; i++) {
                big.add(new VersionEdit.AddSeries("series_with_a_long_name_" + i)); // more than the block has left
            }
            assertThatThrownBy(() -> log.append(big)).isInstanceOf(DiskFullException.class)
                    .hasMessageContaining("manifest").hasMessageContaining("free space");
            assertThat(state.hasSeries("series_with_a_long_name_0")).isFalse();
            Files.delete(fs.getPath("/filler"));
            log.append(new VersionEdit().add(new VersionEdit.AddSeries("after")));
            log.close();
            ManifestState reread = new ManifestState(new Catalog());
            ManifestLog.open(dir, reread).close(); // well-formed: the failed record was cut off
            assertThat(reread.hasSeries("after")).isTrue();
            assertThat(reread.hasSeries("series_with_a_long_name_0")).isFalse();
        }
    }

    private static FileSystem smallFs() {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(4096).setMaxSize(64 << 10).build());
    }

    private static void fill(Path file) throws Exception {
        byte[] chunk = new byte[4096];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                try {
                    out.write(chunk);
                } catch (java.io.IOException e) {
                    assertThat(DiskFullException.isOutOfSpace(e)).isTrue();
                    return;
                }
            }
        }
    }

    private static java.util.List<String> manifests(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("MANIFEST-")).toList();
        }
    }
}
