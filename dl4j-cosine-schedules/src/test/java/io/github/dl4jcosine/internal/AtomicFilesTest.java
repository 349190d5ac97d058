package io.github.dl4jcosine.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {

    private static List<String> names(Path dir) {
        return Arrays.stream(dir.toFile().list()).sorted().collect(Collectors.toList());
    }

    /** A writer that fails half-way leaves the complete file as it was, and no temporary file. */
    @Test
    void failedWriteLeavesTheTargetAlone(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("a.zip");
        AtomicFiles.write(target, out -> out.write("complete".getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("part".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("complete", new String(Files.readAllBytes(target), StandardCharsets.UTF_8));
        assertEquals(List.of("a.zip"), names(dir));
    }

    /**
     * Leftovers of dead writers go; the temporary file of a live writer (here: locked in this JVM) and other
     * prefixes' files stay.
     */
    @Test
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    void onlyAbandonedTemporaryFilesAreRemoved(@TempDir Path dir) throws IOException {
        byte[] junk = {1, 2, 3};
        Path live = Files.write(dir.resolve(".s-cycle-2.zip.live.tmp"), junk);
        Files.write(dir.resolve(".s-cycle-1.zip.dead.tmp"), junk);
        Files.write(dir.resolve(".t-cycle-1.zip.other.tmp"), junk);
        Files.write(dir.resolve("s-cycle-0.zip"), junk);
        try (FileChannel channel = FileChannel.open(live, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertEquals(1, AtomicFiles.removeLeftovers(dir, "s-cycle-"));
            assertEquals(List.of(".s-cycle-2.zip.live.tmp", ".t-cycle-1.zip.other.tmp", "s-cycle-0.zip"), names(dir));
        }
        assertEquals(1, AtomicFiles.removeLeftovers(dir, "s-cycle-"));
        assertEquals(List.of(".t-cycle-1.zip.other.tmp", "s-cycle-0.zip"), names(dir));
    }
}
