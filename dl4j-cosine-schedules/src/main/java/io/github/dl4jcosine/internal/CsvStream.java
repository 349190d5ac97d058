package io.github.dl4jcosine.internal;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A CSV stream that keeps no rows: rows go to a caller's {@link Writer}, or to a file written as
 * {@code <file>.partial} in the target's folder, synced on request and moved to {@code <file>}
 * atomically on {@link #close()}. Used by {@code LearningRateListener} and any other writer of a long CSV log.
 * Messages name the parameter {@code csvFile}.
 */
public final class CsvStream {

    private final Writer writer;
    private final FileOutputStream file;
    private final Path partial;
    private final Path target;

    private CsvStream(Writer writer, FileOutputStream file, Path partial, Path target) {
        this.writer = writer;
        this.file = file;
        this.partial = partial;
        this.target = target;
    }

    /** Opens {@code <target>.partial} (replacing a leftover) and writes the header. */
    public static CsvStream toFile(Path target, String header) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException("csvFile (" + target + ") must not be a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("csvFile's folder (" + dir + ") must be a directory that can be"
                    + " created: " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("csvFile's folder (" + dir + ") must be writable");
        }
        Path partial = dir.resolve(abs.getFileName() + ".partial");
        FileOutputStream out;
        try {
            out = new FileOutputStream(partial.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("csvFile (" + target + ") cannot be written: " + e, e);
        }
        CsvStream stream = new CsvStream(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)),
                out, partial, abs);
        stream.header(header);
        return stream;
    }

    /** Writes the header to {@code writer}. */
    public static CsvStream toWriter(Writer writer, String header) {
        CsvStream stream = new CsvStream(writer, null, null, null);
        stream.header(header);
        return stream;
    }

    private void header(String header) {
        try {
            write(header);
        } catch (IOException e) {
            abandon();
            throw new UncheckedIOException("cannot write the CSV header", e);
        }
    }

    /** Appends rows and hands them to the operating system (or the caller's writer). */
    public void write(CharSequence rows) throws IOException {
        writer.append(rows);
        writer.flush();
    }

    /** Flushes, and for a file forces it to disk. */
    public void sync() throws IOException {
        writer.flush();
        if (file != null) {
            file.getFD().sync();
        }
    }

    /** Syncs and closes; a file is then moved to its final name atomically. */
    public void close() throws IOException {
        try {
            sync();
        } finally {
            writer.close();
        }
        if (partial != null) {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncFolder(target.getParent());
        }
    }

    /** Closes without publishing: the partial file is deleted. */
    public void abandon() {
        try {
            writer.close();
        } catch (IOException ignored) {
            // nothing was published; the partial file goes below
        }
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .partial is never read as a result
            }
        }
    }
}
