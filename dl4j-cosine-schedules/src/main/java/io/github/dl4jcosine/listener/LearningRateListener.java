package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.UpdaterLayers;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.Flushable;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Records the learning rate each layer's updater applies at each update, reports restarts, and writes
 * CSV, in memory or streamed while training runs.
 *
 * <pre>{@code
 * LearningRateListener lr = new LearningRateListener();
 * net.setListeners(lr, new ScoreIterationListener(100));
 * net.fit(trainIter, 90);
 * Files.write(Paths.get("lr.csv"), lr.toCsv().getBytes(StandardCharsets.UTF_8));
 *
 * // or streamed: rows go to lr.csv.partial as training runs; close() moves it to lr.csv atomically
 * try (LearningRateListener streamed = new LearningRateListener(1, Paths.get("out/lr.csv"))) {
 *     net.setListeners(streamed);
 *     net.fit(trainIter, 90);
 * }
 * }</pre>
 *
 * The rate recorded for {@code (iteration, epoch)} is {@code updater.getLearningRate(iteration, epoch)}
 * for the update DL4J has just applied: the same call DL4J makes. A <em>restart</em> is a rise right
 * after the rate last fell (a warmup, which only rises, is not one); each is logged once per update
 * through SLF4J at info level, e.g. {@code "restart at epoch 10 (iteration 3900): lr 1.00e-05 -> 0.100"}.
 *
 * <p><b>Layers and models are told apart by identity.</b> A layer is its position in a network
 * instance, never its name: two layers named alike are two curves. Each network instance the listener is
 * called with is a <em>model</em>, numbered 0, 1, ... in the order first seen ({@link Record#model()}):
 * with {@code ParallelWrapper}, each worker's replica is one (replicas are rebuilt on each {@code fit}).
 * The listener holds no strong reference to a network.
 *
 * <p><b>Threads.</b> Safe when several {@code ParallelWrapper} workers call it at once, each with its own
 * replica: each replica's restarts are found from its own updates, and records and CSV rows of different
 * replicas never mix within a row.
 *
 * <p><b>Memory.</b> Without a stream, per recorded update it stores each <em>distinct</em> value among the
 * model's layers once, with a shared layout of which layer has which value: a 60-layer network whose layers share
 * one schedule stores one number per update ({@link #storedValueCount()}), not 60. {@link #records()} is a view
 * that expands them per layer on demand.
 *
 * <p><b>Streaming CSV.</b> With a {@link Path} or a {@link Writer}, the listener keeps no rows: its memory does not
 * grow with the number of updates (restarts, a few per run, are still kept), and {@link #records()},
 * {@link #toCsv()} and {@link #writeCsv} throw {@link IllegalStateException} (the rows went to the stream). With a
 * {@link Path}, rows are written to {@code <file>.partial} in the same folder as they are recorded (flushed after
 * each update, synced to disk at each epoch end and on {@link #flush()}); {@link #close()} syncs it and moves it to
 * {@code <file>} atomically, so the final name only ever holds a complete file. With a {@link Writer}, rows go to it
 * the same way and {@link #close()} closes it. Rows of updates after {@link #close()} go nowhere (restarts are still
 * found). A failed write is thrown as {@link UncheckedIOException}, which stops training.
 *
 * <p><b>Spark.</b> The listener is {@link Serializable}; Spark ships a copy with the network to each
 * executor. A copy records what its executor's network applies, in the copy's memory on that executor:
 * the driver's instance does not see those records (nor restarts). Streaming does not travel: the stream, the open
 * file or {@code Writer}, stays with the original, and a copy of a streaming listener records restarts only.
 * Read the driver-side rates with {@code ScheduleCheck}/{@code SchedulePreview}, or attach DL4J's
 * {@code StatsListener} with a remote router to collect executor values.
 */
public final class LearningRateListener extends BaseTrainingListener implements Serializable, Closeable, Flushable {

    private static final long serialVersionUID = 20261129L;

    private static final Logger LOG = LoggerFactory.getLogger(LearningRateListener.class);

    /** One recorded value. */
    public static final class Record {
        private final int iteration;
        private final int epoch;
        private final String layer;
        private final double learningRate;
        private final int model;

        Record(int iteration, int epoch, String layer, double learningRate, int model) {
            this.iteration = iteration;
            this.epoch = epoch;
            this.layer = layer;
            this.learningRate = learningRate;
            this.model = model;
        }

        /** DL4J's iteration counter for the update. */
        public int iteration() {
            return iteration;
        }

        /** DL4J's epoch counter for the update. */
        public int epoch() {
            return epoch;
        }

        /** The layer's name (names need not be unique; see {@link LearningRateListener}). */
        public String layer() {
            return layer;
        }

        /** The rate the layer's updater applied. */
        public double learningRate() {
            return learningRate;
        }

        /** Which network instance: 0 for the first one the listener saw, 1 for the next, ... */
        public int model() {
            return model;
        }

        @Override
        public String toString() {
            return "Record(iteration=" + iteration + ", epoch=" + epoch + ", layer=" + layer + ", learningRate="
                    + learningRate + ", model=" + model + ")";
        }
    }

    /** A restart: the rate rose at this update after last falling. */
    public static final class Restart implements Serializable {
        private static final long serialVersionUID = 20261129L;

        private final int iteration;
        private final int epoch;
        private final List<String> layers;
        private final double before;
        private final double after;
        private final int model;

        Restart(int iteration, int epoch, List<String> layers, double before, double after, int model) {
            this.iteration = iteration;
            this.epoch = epoch;
            this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
            this.before = before;
            this.after = after;
            this.model = model;
        }

        /** DL4J's iteration counter for the update. */
        public int iteration() {
            return iteration;
        }

        /** DL4J's epoch counter for the update. */
        public int epoch() {
            return epoch;
        }

        /** The layers that restarted at this update. */
        public List<String> layers() {
            return layers;
        }

        /** The first such layer's rate at the previous update. */
        public double before() {
            return before;
        }

        /** The first such layer's rate at this update. */
        public double after() {
            return after;
        }

        /** Which network instance (see {@link Record#model()}). */
        public int model() {
            return model;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "restart at epoch %d (iteration %d): lr %.3g -> %.3g%s", epoch, iteration,
                    before, after, layers.size() == 1 ? " (" + layers.get(0) + ")" : " (" + layers.size() + " layers)");
        }
    }

    private final int frequency;
    private final String csvFile;
    /** Whether it was made with a stream: then it keeps no rows, and its copies none either. */
    private final boolean streaming;
    private final RateRows rows = new RateRows();
    private final List<Restart> restarts = new ArrayList<>();
    private final ModelState.All states = new ModelState.All();
    private long recordCount;
    /** The stream while open; a deserialized copy has none (the stream stays with the original). */
    private transient RowStream stream;

    /** Records every update. */
    public LearningRateListener() {
        this(1);
    }

    /**
     * Records every {@code frequency}-th update (iterations {@code 0, f, 2f, ...}); restarts are detected
     * at every update regardless.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}
     */
    public LearningRateListener(int frequency) {
        this(checkedFrequency(frequency), null, null);
    }

    /**
     * Records as {@link #LearningRateListener(int)} and streams the CSV rows to {@code csvFile}, keeping none in
     * memory: written to {@code csvFile + ".partial"} in the same folder as training runs (replacing a leftover of
     * an earlier run), moved to {@code csvFile} atomically by {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}, or the folder cannot be created or
     *                                  written, naming it
     */
    public LearningRateListener(int frequency, Path csvFile) {
        this(checkedFrequency(frequency), RowStream.toFile(Objects.requireNonNull(csvFile, "csvFile")),
                csvFile.toString());
    }

    /**
     * Records as {@link #LearningRateListener(int)} and streams the CSV rows to {@code csv} (header first,
     * flushed after each update), keeping none in memory; {@link #close()} closes it.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}
     */
    public LearningRateListener(int frequency, Writer csv) {
        this(checkedFrequency(frequency), RowStream.toWriter(Objects.requireNonNull(csv, "csv")), null);
    }

    /** Every public constructor checks its arguments (left to right) before the stream is opened. */
    private LearningRateListener(int frequency, RowStream stream, String csvFile) {
        this.frequency = frequency;
        this.stream = stream;
        this.streaming = stream != null;
        this.csvFile = csvFile;
    }

    private static int checkedFrequency(int frequency) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency (" + frequency + ") must be >= 1");
        }
        return frequency;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        List<UpdaterLayers.Entry> layers = UpdaterLayers.of(model);
        if (layers.isEmpty()) {
            return;
        }
        double[] lr = new double[layers.size()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = layers.get(i).updater.getLearningRate(iteration, epoch);
        }
        synchronized (this) {
            ModelState state = states.of(model, layers);
            Restart restart = state.restartAt(lr, iteration, epoch);
            if (restart != null) {
                restarts.add(restart);
                LOG.info("{}", restart);
            }
            if (iteration % frequency == 0) {
                record(state.row(lr, iteration, epoch));
            }
        }
    }

    private void record(RateRows.Row row) {
        if (!streaming) {
            rows.add(row);
        } else if (stream != null) {
            stream.write(row);
        } else {
            return;   // closed, or a copy: the rows had nowhere to go
        }
        recordCount += row.layout.slot.length;
    }

    @Override
    public void onEpochEnd(Model model) {
        flush();
    }

    /** Syncs the streamed CSV to disk (a no-op without a stream). */
    @Override
    public synchronized void flush() {
        if (stream != null) {
            stream.sync();
        }
    }

    /**
     * Ends streaming: syncs the rows and, with a file, moves {@code <file>.partial} to {@code <file>}
     * atomically; with a {@code Writer}, closes it. Later updates record no rows (restarts are still found).
     * Idempotent; a no-op for a listener without a stream.
     *
     * @throws UncheckedIOException if the file cannot be written or moved
     */
    @Override
    public synchronized void close() {
        if (stream != null) {
            RowStream closing = stream;
            stream = null;
            closing.close();
        }
    }

    /**
     * Every recorded value, in order, one per layer per recorded update (a view of the compact storage,
     * fixed at the time of the call).
     *
     * @throws IllegalStateException for a listener made with a stream: its rows went to the stream
     */
    public synchronized List<Record> records() {
        requireRows("records()");
        return rows.records();
    }

    private void requireRows(String what) {
        if (streaming) {
            throw new IllegalStateException(what + " has no rows to give: this listener streamed its rows to "
                    + (csvFile != null ? csvFile : "its Writer") + " and keeps none in memory; read them there, or"
                    + " make the listener without a stream to keep them");
        }
    }

    /** Every restart seen, in order (also for a listener made with a stream). */
    public synchronized List<Restart> restarts() {
        return Collections.unmodifiableList(new ArrayList<>(restarts));
    }

    /**
     * How many learning-rate values are held in memory: per recorded update of each model, one per distinct
     * value among its layers (so it grows with distinct curves and recorded updates, not with layers); always 0 for
     * a listener made with a stream.
     */
    public synchronized long storedValueCount() {
        return rows.storedValues();
    }

    /** How many rows are held in memory (one per recorded update of each model; 0 with a stream). */
    synchronized int heldRowCount() {
        return rows.size();
    }

    /**
     * How many records were recorded, one per layer per recorded update: those {@link #records()} holds, or for a
     * listener made with a stream, those written to it.
     */
    public synchronized long recordCount() {
        return recordCount;
    }

    /**
     * {@code iteration,epoch,layer,learningRate,model} per record, with a header line; a layer name with a
     * comma, quote or line break is quoted.
     *
     * @throws IllegalStateException for a listener made with a stream: its rows went to the stream
     */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        writeCsv(out);
        return out.toString();
    }

    /**
     * Writes {@link #toCsv()} to {@code out} (a {@code Writer}, {@code StringBuilder}, ...).
     *
     * @throws IllegalStateException for a listener made with a stream: its rows went to the stream
     */
    public void writeCsv(Appendable out) {
        RateRows.Row[] snapshot;
        synchronized (this) {
            requireRows("writeCsv");
            snapshot = rows.snapshot();
        }
        RateRows.writeCsv(snapshot, out);
    }

    @Override
    public String toString() {
        return "LearningRateListener(frequency=" + frequency + (csvFile == null ? "" : ", csvFile=" + csvFile) + ")";
    }
}
