package io.github.dl4jcosine.listener;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records the learning rate SameDiff's updater applied at each training iteration: SameDiff's own
 * {@link org.nd4j.autodiff.listeners.Listener}, the counterpart of {@link LearningRateListener} (which is a DL4J
 * {@code TrainingListener} and does not see SameDiff training).
 *
 * <pre>{@code
 * SameDiffLearningRateListener lr = new SameDiffLearningRateListener();
 * sd.setTrainingConfig(TrainingConfig.builder()
 *         .updater(new Adam(Schedules.warmupCosine(ScheduleType.EPOCH, 1e-3, 1, 30)))
 *         .dataSetFeatureMapping("in").dataSetLabelMapping("label").build());
 * sd.addListeners(lr);
 * sd.fit(trainIter, 30);   // fit(DataSetIterator, epochs): fit(DataSet) never advances the epoch
 * Files.write(Paths.get("lr.csv"), lr.toCsv().getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * The rate recorded for {@code (iteration, epoch)} is
 * {@code trainingConfig.getUpdater().getLearningRate(at.iteration(), at.epoch())}, read after the update with the
 * counters SameDiff passed to the updater for it: the same call SameDiff makes. Updaters without a learning rate
 * record nothing. Thread-safe (the records are guarded; SameDiff itself trains on one thread) and
 * {@link Serializable} with what it has recorded.
 */
public final class SameDiffLearningRateListener extends BaseListener implements Serializable {

    private static final long serialVersionUID = 20261129L;

    /** One recorded value. */
    public static final class Record implements Serializable {
        private static final long serialVersionUID = 20261129L;

        private final int iteration;
        private final int epoch;
        private final double learningRate;

        Record(int iteration, int epoch, double learningRate) {
            this.iteration = iteration;
            this.epoch = epoch;
            this.learningRate = learningRate;
        }

        public int iteration() {
            return iteration;
        }

        public int epoch() {
            return epoch;
        }

        public double learningRate() {
            return learningRate;
        }

        @Override
        public String toString() {
            return "(" + iteration + ", " + epoch + ") -> " + learningRate;
        }
    }

    private final int frequency;
    private final List<Record> records = new ArrayList<>();

    /** Records every iteration. */
    public SameDiffLearningRateListener() {
        this(1);
    }

    /**
     * Records iterations {@code 0, f, 2f, ...}.
     *
     * @throws IllegalArgumentException if {@code frequency < 1}
     */
    public SameDiffLearningRateListener(int frequency) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency (" + frequency + ") must be >= 1");
        }
        this.frequency = frequency;
    }

    /** Active during training only (not inference or validation). */
    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
        TrainingConfig config = sd.getTrainingConfig();
        IUpdater updater = config == null ? null : config.getUpdater();
        if (updater == null || !updater.hasLearningRate() || at.iteration() % frequency != 0) {
            return;
        }
        double lr = updater.getLearningRate(at.iteration(), at.epoch());
        synchronized (records) {
            records.add(new Record(at.iteration(), at.epoch(), lr));
        }
    }

    /** A copy of every recorded value, in order. */
    public List<Record> records() {
        synchronized (records) {
            return Collections.unmodifiableList(new ArrayList<>(records));
        }
    }

    /** {@code iteration,epoch,learningRate} per record, with a header line. */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        writeCsv(out);
        return out.toString();
    }

    /** Writes {@link #toCsv()} to {@code out} (a {@code Writer}, {@code StringBuilder}, ...). */
    public void writeCsv(Appendable out) {
        try {
            out.append("iteration,epoch,learningRate\n");
            for (Record r : records()) {
                out.append(Integer.toString(r.iteration)).append(',').append(Integer.toString(r.epoch)).append(',')
                        .append(Double.toString(r.learningRate)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
