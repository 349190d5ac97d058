package io.github.dl4jcosine.finder;

import io.github.dl4jcosine.internal.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The CSV form of a {@link LearningRateFinder.Result}. */
final class ResultCsv {

    static final String HEADER = "update,learningRate,loss,smoothedLoss\n";

    private ResultCsv() {
    }

    static void write(LearningRateFinder.Result result, Appendable out) {
        double[] rates = result.learningRates();
        double[] losses = result.losses();
        double[] smoothed = result.smoothedLosses();
        try {
            out.append(HEADER);
            StringBuilder row = new StringBuilder(80);
            for (int k = 0; k < losses.length; k++) {
                row.setLength(0);
                row.append(k).append(',').append(rates[k]).append(',').append(losses[k]).append(',')
                        .append(smoothed[k]).append('\n');
                out.append(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(LearningRateFinder.Result result, Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file (null) must not be null");
        }
        AtomicFiles.write(file, stream -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            try {
                write(result, w);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
        });
    }
}
