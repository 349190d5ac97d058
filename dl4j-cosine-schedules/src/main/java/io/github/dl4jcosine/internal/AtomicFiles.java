package io.github.dl4jcosine.internal;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Kill-safe file writes: the content goes to a hidden temporary file in the target's folder
 * ({@code .<name>.<random>.tmp}), is flushed and synced to the disk, then moved to the final name in one atomic
 * rename, and the folder entry is synced too. At every instant the final name holds either the previous complete
 * file, or the new complete file; never a part. The writer holds an exclusive lock on its temporary file, so
 * {@link #removeLeftovers} deletes only the leftovers of writers that died (the OS drops a killed process's locks).
 */
public final class AtomicFiles {

    /** Writes the content to a stream (which it must not close). */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** The temporary name's start for {@code finalName}: a dot hides it from folder scans and from glob "*.zip". */
    public static String tempPrefix(String finalName) {
        return "." + finalName + ".";
    }

    /** Whether {@code name} is a temporary file of this class (for any final name). */
    public static boolean isTemp(String name) {
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /**
     * Writes {@code target} atomically. The target is replaced only once the new content is complete and on the disk;
     * on any failure it is left as it was and the temporary file is removed.
     */
    public static void write(Path target, Content content) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        try {
            writeOnce(folder, target, content);
        } catch (NoSuchFileException e) {
            // A cleanup that started in the instant between creating and locking the temporary file took it for a
            // leftover: write once more under a new name.
            writeOnce(folder, target, content);
        }
        syncFolder(folder);
    }

    private static void writeOnce(Path folder, Path target, Content content) throws IOException {
        Path temp = folder.resolve(tempPrefix(target.getFileName().toString()) + UUID.randomUUID() + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileOutputStream file = new FileOutputStream(temp.toFile())) {
                FileLock lock = lock(file.getChannel());
                try {
                    OutputStream out = new BufferedOutputStream(file, 1 << 16);
                    content.writeTo(out);
                    out.flush();
                    file.getFD().sync();
                } finally {
                    if (lock != null) {
                        lock.release();
                    }
                }
            }
            move(temp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The writer's lock, or null on a file system without locks (some network mounts; cleanup leaves those alone). */
    private static FileLock lock(FileChannel channel) {
        try {
            return channel.lock();
        } catch (IOException e) {
            return null;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Syncs the folder so that a rename or delete survives a power loss. Where the platform cannot open a folder
     * (Windows), the rename is still atomic and the file content is already synced.
     */
    public static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here: nothing more can be done, and nothing is lost
        }
    }

    /**
     * Deletes the temporary files in {@code folder} whose final name starts with {@code finalNamePrefix} and that no
     * live writer (in this or another process) holds. Returns how many were deleted; never throws for a file that
     * cannot be deleted (such files are ignored by every reader).
     */
    public static int removeLeftovers(Path folder, String finalNamePrefix) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (isTemp(name) && name.startsWith("." + finalNamePrefix) && Files.isRegularFile(entry)
                        && removeIfAbandoned(entry)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean removeIfAbandoned(Path temp) {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false;   // a writer in this JVM holds it
            }
            if (lock == null) {
                return false;   // a writer in another process holds it
            }
            try {
                Files.delete(temp);
                return true;
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            return false;
        }
    }
}
