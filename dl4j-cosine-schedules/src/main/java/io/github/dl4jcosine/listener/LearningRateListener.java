package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.CsvStream;
import io.github.dl4jcosine.internal.IdentityWeakMap;
import io.github.dl4jcosine.internal.UpdaterLayers;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p><b>Memory.</b> Per recorded update it stores each <em>distinct</em> value among the model's layers
 * once, with a shared layout of which layer has which value: a 60-layer network whose layers share one
 * schedule stores one number per update ({@link #storedValueCount()}), not 60. {@link #records()} is a
 * view that expands them per layer on demand.
 *
 * <p><b>Streaming CSV.</b> With a {@link Path}, rows are written to {@code <file>.partial} in the same
 * folder as they are recorded (flushed after each update, synced to disk at each epoch end and on
 * {@link #flush()}); {@link #close()} syncs it and moves it to {@code <file>} atomically, so the final name
 * only ever holds a complete file. With a {@link Writer}, rows go to it the same way and {@link #close()}
 * closes it. A failed write is thrown as {@link UncheckedIOException}, which stops training.
 *
 * <p><b>Spark.</b> The listener is {@link Serializable}; Spark ships a copy with the network to each
 * executor. A copy records what its executor's network applies, in the copy's memory on that executor:
 * the driver's instance does not see those records (nor restarts). Streaming does not travel: a copy
 * keeps records in memory only (its stream, the open file or {@code Writer}, stays with the original).
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

    /** Which layer has which of a row's values; shared by every row with the same pattern. */
    private static final class Layout implements Serializable {
        private static final long serialVersionUID = 20261129L;

        final String[] names;
        final int[] slot;

        Layout(String[] names, int[] slot) {
            this.names = names;
            this.slot = slot;
        }
    }

    /** One recorded update of one model: its distinct values, and the layout that maps layers to them. */
    private static final class Row implements Serializable {
        private static final long serialVersionUID = 20261129L;

        final int iteration;
        final int epoch;
        final int model;
        final Layout layout;
        final double[] values;

        Row(int iteration, int epoch, int model, Layout layout, double[] values) {
            this.iteration = iteration;
            this.epoch = epoch;
            this.model = model;
            this.layout = layout;
            this.values = values;
        }
    }

    /** What the listener keeps per network instance: restart state per layer, the last layout. */
    private static final class ModelState {
        final int model;
        final String[] names;
        final double[] previous;
        final double[] lastChange;
        /** Every layout of this model so far, by pattern: a pattern seen before is shared, not stored again. */
        final Map<List<Integer>, Layout> layouts = new HashMap<>();
        Layout layout;

        ModelState(int model, String[] names) {
            this.model = model;
            this.names = names;
            this.previous = new double[names.length];
            this.lastChange = new double[names.length];
            Arrays.fill(previous, Double.NaN);
        }
    }

    private static final String HEADER = "iteration,epoch,layer,learningRate,model\n";

    private final int frequency;
    private final String csvFile;
    private final List<Row> rows = new ArrayList<>();
    private final List<Restart> restarts = new ArrayList<>();
    private int models;
    private long storedValues;
    private long recordCount;
    private transient IdentityWeakMap<ModelState> states = new IdentityWeakMap<>();
    private transient CsvStream stream;

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
     * Records as {@link #LearningRateListener(int)} and streams the CSV rows to {@code csvFile}: written to
     * {@code csvFile + ".partial"} in the same folder as training runs (replacing a leftover of an earlier
     * run), moved to {@code csvFile} atomically by {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}, or the folder cannot be created or
     *                                  written, naming it
     */
    public LearningRateListener(int frequency, Path csvFile) {
        this(checkedFrequency(frequency), CsvStream.toFile(Objects.requireNonNull(csvFile, "csvFile"), header()),
                csvFile.toString());
    }

    /**
     * Records as {@link #LearningRateListener(int)} and streams the CSV rows to {@code csv} (header first,
     * flushed after each update); {@link #close()} closes it.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}
     */
    public LearningRateListener(int frequency, Writer csv) {
        this(checkedFrequency(frequency), CsvStream.toWriter(Objects.requireNonNull(csv, "csv"), header()), null);
    }

    /** Every public constructor checks its arguments (left to right) before the stream is opened. */
    private LearningRateListener(int frequency, CsvStream stream, String csvFile) {
        this.frequency = frequency;
        this.stream = stream;
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
            ModelState state = state(model, layers);
            detectRestarts(state, lr, iteration, epoch);
            if (iteration % frequency == 0) {
                record(state, lr, iteration, epoch);
            }
        }
    }

    private ModelState state(Model model, List<UpdaterLayers.Entry> layers) {
        ModelState state = states.get(model);
        if (state == null || state.names.length != layers.size()) {
            String[] names = new String[layers.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = layers.get(i).name;
            }
            state = new ModelState(state == null ? models++ : state.model, names);
            states.put(model, state);
        }
        return state;
    }

    private void detectRestarts(ModelState state, double[] lr, int iteration, int epoch) {
        List<String> restarted = new ArrayList<>();
        double before = 0;
        double after = 0;
        for (int i = 0; i < lr.length; i++) {
            double prev = state.previous[i];
            state.previous[i] = lr[i];
            if (!Double.isNaN(prev) && lr[i] != prev) {
                double change = lr[i] - prev;
                if (change > 0 && state.lastChange[i] < 0) {
                    if (restarted.isEmpty()) {
                        before = prev;
                        after = lr[i];
                    }
                    restarted.add(state.names[i]);
                }
                state.lastChange[i] = change;
            }
        }
        if (!restarted.isEmpty()) {
            Restart r = new Restart(iteration, epoch, restarted, before, after, state.model);
            restarts.add(r);
            LOG.info("{}", r);
        }
    }

    private void record(ModelState state, double[] lr, int iteration, int epoch) {
        double[] distinct = new double[lr.length];
        int[] slot = new int[lr.length];
        int count = 0;
        for (int i = 0; i < lr.length; i++) {
            int s = 0;
            while (s < count && Double.doubleToLongBits(distinct[s]) != Double.doubleToLongBits(lr[i])) {
                s++;
            }
            if (s == count) {
                distinct[count++] = lr[i];
            }
            slot[i] = s;
        }
        Layout layout = state.layout;
        if (layout == null || !Arrays.equals(layout.slot, slot)) {
            List<Integer> key = new ArrayList<>(slot.length);
            for (int s : slot) {
                key.add(s);
            }
            layout = state.layouts.get(key);
            if (layout == null) {
                layout = new Layout(state.names, slot);
                state.layouts.put(key, layout);
            }
            state.layout = layout;
        }
        Row row = new Row(iteration, epoch, state.model, layout, Arrays.copyOf(distinct, count));
        rows.add(row);
        storedValues += count;
        recordCount += lr.length;
        if (stream != null) {
            try {
                StringBuilder csv = new StringBuilder(lr.length * 40);
                appendCsv(row, csv);
                stream.write(csv);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the learning-rate CSV" + (csvFile == null ? ""
                        : " " + csvFile + ".partial"), e);
            }
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        flush();
    }

    /** Syncs the streamed CSV to disk (a no-op without a stream). */
    @Override
    public synchronized void flush() {
        if (stream != null) {
            try {
                stream.sync();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the learning-rate CSV", e);
            }
        }
    }

    /**
     * Ends streaming: syncs the rows and, with a file, moves {@code <file>.partial} to {@code <file>}
     * atomically; with a {@code Writer}, closes it. Recording in memory goes on. Idempotent.
     *
     * @throws UncheckedIOException if the file cannot be written or moved
     */
    @Override
    public synchronized void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish the learning-rate CSV" + (csvFile == null ? ""
                        : " " + csvFile), e);
            } finally {
                stream = null;
            }
        }
    }

    /**
     * Every recorded value, in order, one per layer per recorded update (a view of the compact storage,
     * fixed at the time of the call).
     */
    public synchronized List<Record> records() {
        final Row[] snapshot = rows.toArray(new Row[0]);
        final long[] offsets = new long[snapshot.length + 1];
        for (int i = 0; i < snapshot.length; i++) {
            offsets[i + 1] = offsets[i] + snapshot[i].layout.slot.length;
        }
        final int size = (int) Math.min(Integer.MAX_VALUE, offsets[snapshot.length]);
        return new AbstractList<Record>() {
            @Override
            public Record get(int index) {
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException("index (" + index + ") must be in [0, " + size + ")");
                }
                int r = Arrays.binarySearch(offsets, index);   // offsets strictly increase: every row has layers
                r = r >= 0 ? r : -r - 2;
                Row row = snapshot[r];
                int layer = (int) (index - offsets[r]);
                return new Record(row.iteration, row.epoch, row.layout.names[layer],
                        row.values[row.layout.slot[layer]], row.model);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Every restart seen, in order. */
    public synchronized List<Restart> restarts() {
        return Collections.unmodifiableList(new ArrayList<>(restarts));
    }

    /**
     * How many learning-rate values are held in memory: per recorded update of each model, one per distinct
     * value among its layers (so it grows with distinct curves and recorded updates, not with layers).
     */
    public synchronized long storedValueCount() {
        return storedValues;
    }

    /** How many records {@link #records()} holds: one per layer per recorded update. */
    public synchronized long recordCount() {
        return recordCount;
    }

    /**
     * {@code iteration,epoch,layer,learningRate,model} per record, with a header line; a layer name with a
     * comma, quote or line break is quoted.
     */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        writeCsv(out);
        return out.toString();
    }

    /** Writes {@link #toCsv()} to {@code out} (a {@code Writer}, {@code StringBuilder}, ...). */
    public void writeCsv(Appendable out) {
        Row[] snapshot;
        synchronized (this) {
            snapshot = rows.toArray(new Row[0]);
        }
        try {
            out.append(HEADER);
            StringBuilder line = new StringBuilder();
            for (Row r : snapshot) {
                line.setLength(0);
                appendCsv(r, line);
                out.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendCsv(Row r, StringBuilder out) {
        for (int i = 0; i < r.layout.slot.length; i++) {
            out.append(r.iteration).append(',').append(r.epoch).append(',').append(csvField(r.layout.names[i]))
                    .append(',').append(r.values[r.layout.slot[i]]).append(',').append(r.model).append('\n');
        }
    }

    private static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A deserialized copy (a Spark executor's) starts with no network seen and no stream. */
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        states = new IdentityWeakMap<>();
        stream = null;
    }

    @Override
    public String toString() {
        return "LearningRateListener(frequency=" + frequency + (csvFile == null ? "" : ", csvFile=" + csvFile) + ")";
    }

    static String header() {
        return HEADER;
    }
}
