package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.CsvStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Where a streaming {@link LearningRateListener} writes its rows: a {@link CsvStream} to a file or a {@code Writer},
 * with failures thrown as {@link UncheckedIOException} naming the file (which stops training). Keeps no rows.
 */
final class RowStream {

    private final CsvStream csv;
    /** The target file, for messages; null for a {@code Writer}. */
    private final String csvFile;

    private RowStream(CsvStream csv, String csvFile) {
        this.csv = csv;
        this.csvFile = csvFile;
    }

    /** Opens {@code <csvFile>.partial} and writes the header; see {@link CsvStream#toFile}. */
    static RowStream toFile(Path csvFile) {
        return new RowStream(CsvStream.toFile(csvFile, RateRows.HEADER), csvFile.toString());
    }

    /** Writes the header to {@code csv}. */
    static RowStream toWriter(Writer csv) {
        return new RowStream(CsvStream.toWriter(csv, RateRows.HEADER), null);
    }

    /** The row's lines, flushed to the operating system (or the caller's writer). */
    void write(RateRows.Row row) {
        try {
            StringBuilder lines = new StringBuilder(row.layout.slot.length * 40);
            row.appendCsv(lines);
            csv.write(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the learning-rate CSV" + (csvFile == null ? ""
                    : " " + csvFile + ".partial"), e);
        }
    }

    /** Forces a file's rows to disk. */
    void sync() {
        try {
            csv.sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the learning-rate CSV", e);
        }
    }

    /** Syncs and closes; a file is then moved to its final name atomically. */
    void close() {
        try {
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish the learning-rate CSV" + (csvFile == null ? ""
                    : " " + csvFile), e);
        }
    }
}
