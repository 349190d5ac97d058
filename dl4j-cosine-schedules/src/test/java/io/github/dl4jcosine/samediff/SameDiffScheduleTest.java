package io.github.dl4jcosine.samediff;

import io.github.dl4jcosine.listener.SameDiffLearningRateListener;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.LinearSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import io.github.dl4jcosine.testing.Printed;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our schedules in SameDiff: {@code TrainingConfig.builder().updater(new Adam(schedule))}, trained with
 * {@code fit(DataSetIterator, epochs)}, 2 iterations per epoch, 3 epochs.
 *
 * <p>The rate Adam applied is read back from the parameters. The model is a measuring rig: loss =
 * {@code sum((in . w) * label)} is linear in {@code w}, so every update sees the same gradient
 * g = in^T label = 2e6 in every element. With a constant gradient Adam's bias-corrected step is
 * {@code lr * g sqrt(1 - b2^t) / (sqrt(1 - b2^t) |g| + eps)} = {@code lr} to within eps / (0.03 |g|) < 1e-15
 * (relative), so each element of {@code w} moves by exactly the applied rate: a rate applied at the wrong counters
 * (or a bias correction at the wrong step) shows up.
 */
class SameDiffScheduleTest {

    private static final int EPOCHS = 3;
    private static final int ITERATIONS_PER_EPOCH = 2;
    private static final double TOLERANCE = 1e-12;

    /** ND4J 1.0.0-M2.1's SameDiff prints a line per op it differentiates (System.out.println, no logger): dropped. */
    private Printed.Dropped differentiatedOps;

    @BeforeEach
    void dropSameDiffChatter() {
        differentiatedOps = Printed.dropStdoutLines("Added differentiated op ");
    }

    @AfterEach
    void restoreStdout() {
        differentiatedOps.close();
    }

    private static ScheduleType type(String unit) {
        return unit.equals("ITERATION") ? ScheduleType.ITERATION : ScheduleType.EPOCH;
    }

    /** Each family from its hand formula in generate_samediff_expected.py, in the unit given. */
    static ISchedule schedule(String family, String unit) {
        ScheduleType u = type(unit);
        int n = unit.equals("FRACTIONAL") ? ITERATIONS_PER_EPOCH : 0;
        switch (family) {
            case "cosine":
                return new CosineAnnealingSchedule(u, 0.1, 0.01, 4, n);
            case "restarts":
                return new CosineWarmRestartsSchedule(u, 0.1, 0.01, 2, 2.0, 1.0, 0, n);
            case "warmupCosine":
                return new WarmupCosineSchedule(u, 0.1, 0.01, 0.01, 1, 3, n);
            case "linear":
                return new LinearSchedule(u, 0.1, 0.01, 4, n);
            case "linearWarmup":
                return new LinearWarmupSchedule(u, 1, 0.02, new CosineAnnealingSchedule(u, 0.1, 0.01, 4, n), n);
            case "sequential":
                return new SequentialSchedule(u, Arrays.asList(new LinearSchedule(u, 0.01, 0.1, 1, n),
                        new CosineAnnealingSchedule(u, 0.1, 0.01, 2, n)), new int[] {1}, n);
            case "product":
                return new ProductSchedule(new LinearSchedule(u, 0.5, 1.0, 2, n), new CosineAnnealingSchedule(u, 0.1, 0.01, 4, n));
            case "oneCycle":
                return new OneCycleSchedule(u, 0.01, 0.1, 0.001, 4, 0.5, false, n);
            case "wsd":
                return new WarmupStableDecaySchedule(u, 0.1, 0.01, 0.001, 1, 1, 2, WarmupStableDecaySchedule.Shape.LINEAR,
                        WarmupStableDecaySchedule.Shape.COSINE, n);
            default:
                throw new IllegalArgumentException(family);
        }
    }

    /**
     * Rate at updates k = 0..5 (epoch k / 2). Hand formulas, src/test/resources/samediff/generate_samediff_expected.py:
     * t = k (ITERATION), k / 2 rounded down (EPOCH), k / 2 (fractional EPOCH, 2 iterations per epoch).
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                // cosine 0.1 -> 0.01 over 4: 0.01 + 0.045 (1 + cos(pi t / 4)), then 0.01
                Arguments.of("cosine", "ITERATION", new double[] {0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01, 0.01}),
                Arguments.of("cosine", "EPOCH", new double[] {0.1, 0.1, 0.08681980515339464, 0.08681980515339464, 0.05500000000000001, 0.05500000000000001}),
                Arguments.of("cosine", "FRACTIONAL", new double[] {0.1, 0.0965745789630079, 0.08681980515339464, 0.07222075445642905, 0.05500000000000001, 0.03777924554357097}),
                // SGDR 0.1 -> 0.01, T_0 = 2, T_mult = 2: cycles [0, 2), [2, 6)
                Arguments.of("restarts", "ITERATION", new double[] {0.09999999999999999, 0.055, 0.09999999999999999, 0.08681980515339463, 0.055, 0.023180194846605363}),
                Arguments.of("restarts", "EPOCH", new double[] {0.09999999999999999, 0.09999999999999999, 0.055, 0.055, 0.09999999999999999, 0.09999999999999999}),
                Arguments.of("restarts", "FRACTIONAL", new double[] {0.09999999999999999, 0.08681980515339463, 0.055, 0.023180194846605363, 0.09999999999999999, 0.09657457896300789}),
                // warmup 0.01 -> 0.1 over [0, 1), cosine 0.1 -> 0.01 over [1, 3]
                Arguments.of("warmupCosine", "ITERATION", new double[] {0.01, 0.1, 0.05500000000000001, 0.01, 0.01, 0.01}),
                Arguments.of("warmupCosine", "EPOCH", new double[] {0.01, 0.01, 0.1, 0.1, 0.05500000000000001, 0.05500000000000001}),
                Arguments.of("warmupCosine", "FRACTIONAL", new double[] {0.01, 0.055, 0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363}),
                // linear 0.1 -> 0.01 over 4
                Arguments.of("linear", "ITERATION", new double[] {0.1, 0.0775, 0.055, 0.0325, 0.009999999999999995, 0.009999999999999995}),
                Arguments.of("linear", "EPOCH", new double[] {0.1, 0.1, 0.0775, 0.0775, 0.055, 0.055}),
                Arguments.of("linear", "FRACTIONAL", new double[] {0.1, 0.08875000000000001, 0.0775, 0.06625, 0.055, 0.04375}),
                // linear warmup 0.02 -> 0.1 over 1, then cosine 0.1 -> 0.01 over 4 shifted by 1
                Arguments.of("linearWarmup", "ITERATION", new double[] {0.02, 0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01}),
                Arguments.of("linearWarmup", "EPOCH", new double[] {0.02, 0.02, 0.1, 0.1, 0.08681980515339464, 0.08681980515339464}),
                Arguments.of("linearWarmup", "FRACTIONAL", new double[] {0.02, 0.06, 0.1, 0.0965745789630079, 0.08681980515339464, 0.07222075445642905}),
                // linear 0.01 -> 0.1 until milestone 1, then cosine 0.1 -> 0.01 over 2 restarted at 0
                Arguments.of("sequential", "ITERATION", new double[] {0.01, 0.1, 0.05500000000000001, 0.01, 0.01, 0.01}),
                Arguments.of("sequential", "EPOCH", new double[] {0.01, 0.01, 0.1, 0.1, 0.05500000000000001, 0.05500000000000001}),
                Arguments.of("sequential", "FRACTIONAL", new double[] {0.01, 0.055, 0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363}),
                // factor 0.5 -> 1 over 2 times cosine 0.1 -> 0.01 over 4
                Arguments.of("product", "ITERATION", new double[] {0.05, 0.06511485386504598, 0.05500000000000001, 0.023180194846605363, 0.01, 0.01}),
                Arguments.of("product", "EPOCH", new double[] {0.05, 0.05, 0.06511485386504598, 0.06511485386504598, 0.05500000000000001, 0.05500000000000001}),
                Arguments.of("product", "FRACTIONAL", new double[] {0.05, 0.06035911185187994, 0.06511485386504598, 0.06319316014937541, 0.05500000000000001, 0.03777924554357097}),

                Arguments.of("oneCycle", "ITERATION", new double[] {0.009999999999999995, 0.1, 0.0505, 0.001, 0.001, 0.001}),
                Arguments.of("oneCycle", "EPOCH", new double[] {0.009999999999999995, 0.009999999999999995, 0.1, 0.1, 0.0505, 0.0505}),
                Arguments.of("oneCycle", "FRACTIONAL", new double[] {0.009999999999999995, 0.055, 0.1, 0.0855017856687341, 0.0505, 0.0154982143312659}),

                Arguments.of("wsd", "ITERATION", new double[] {0.01, 0.1, 0.1, 0.0505, 0.001, 0.001}),
                Arguments.of("wsd", "EPOCH", new double[] {0.01, 0.01, 0.1, 0.1, 0.1, 0.1}),
                Arguments.of("wsd", "FRACTIONAL", new double[] {0.01, 0.05500000000000001, 0.1, 0.1, 0.1, 0.0855017856687341}));
    }

    /** The rig: {@code loss = sum((in . w) * label)}, Adam(schedule). */
    static SameDiff model(ISchedule schedule) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, 3);
        SDVariable label = sd.placeHolder("label", DataType.DOUBLE, -1, 2);
        SDVariable w = sd.var("w", Nd4j.linspace(DataType.DOUBLE, 1, 6, 1).reshape(3, 2));
        SDVariable loss = in.mmul(w).mul(label).sum("loss");
        loss.markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(schedule))
                .dataSetFeatureMapping("in")
                .dataSetLabelMapping("label")
                .build());
        return sd;
    }

    /** Two identical batches of 2 examples: ones in, 1e6 labels, so dL/dw = 2e6 everywhere. */
    static DataSet batch() {
        return new DataSet(Nd4j.ones(DataType.DOUBLE, 2, 3), Nd4j.ones(DataType.DOUBLE, 2, 2).muli(1e6));
    }

    static ListDataSetIterator<DataSet> epochOfBatches() {
        return new ListDataSetIterator<>(Arrays.asList(batch(), batch()), 1);
    }

    /** Reads the applied rate back from {@code w} at each iteration, with SameDiff's counters. */
    static final class Measure extends BaseListener {
        final List<double[]> rows = new ArrayList<>(); // {iteration, epoch, rate}
        private INDArray before;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlMs) {
            before = sd.getVariable("w").getArr().dup();
        }

        @Override
        public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
            INDArray delta = sd.getVariable("w").getArr().sub(before);
            // Gradient > 0 everywhere: w decreases by the rate in every element.
            rows.add(new double[] {at.iteration(), at.epoch(), -delta.meanNumber().doubleValue()});
            double spread = delta.maxNumber().doubleValue() - delta.minNumber().doubleValue();
            assertTrue(spread <= 1e-15, "every element moved by the same rate: " + delta);
        }

        double[] rates() {
            return rows.stream().mapToDouble(r -> r[2]).toArray();
        }
    }

    private static void assertRates(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], TOLERANCE * Math.max(expected[k], 1e-3), what + " at update " + k
                    + ": " + Arrays.toString(actual));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void adamAppliesTheScheduleAtSameDiffsCounters(String family, String unit, double[] expected) {
        SameDiff sd = model(schedule(family, unit));
        Measure measure = new Measure();
        SameDiffLearningRateListener lr = new SameDiffLearningRateListener();
        sd.addListeners(measure, lr);
        sd.fit(epochOfBatches(), EPOCHS);

        assertRates(expected, measure.rates(), family + " " + unit + " applied");
        List<SameDiffLearningRateListener.Record> records = lr.records();
        assertEquals(expected.length, records.size());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(k, (int) measure.rows.get(k)[0], "iteration");
            assertEquals(k / ITERATIONS_PER_EPOCH, (int) measure.rows.get(k)[1], "epoch");
            assertEquals(k, records.get(k).iteration());
            assertEquals(k / ITERATIONS_PER_EPOCH, records.get(k).epoch());
            assertEquals(expected[k], records.get(k).learningRate(), TOLERANCE * Math.max(expected[k], 1e-3),
                    "listener at update " + k);
        }
        assertEquals(EPOCHS * ITERATIONS_PER_EPOCH, sd.getTrainingConfig().getIterationCount());
        assertEquals(EPOCHS, sd.getTrainingConfig().getEpochCount());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void trainingConfigJsonRoundTripKeepsTheSchedule(String family, String unit, double[] expected) {
        ISchedule schedule = schedule(family, unit);
        TrainingConfig config = model(schedule).getTrainingConfig();
        TrainingConfig back = TrainingConfig.fromJson(config.toJson());
        Adam adam = (Adam) back.getUpdater();
        assertEquals(schedule, adam.getLearningRateSchedule());
        assertEquals(config.getUpdater(), back.getUpdater());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], adam.getLearningRate(k, k / ITERATIONS_PER_EPOCH), TOLERANCE * Math.max(expected[k], 1e-3));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void resumeAfterSaveAndLoadIsBitwiseTheUninterruptedRun(String family, String unit, double[] expected,
                                                            @TempDir File dir) {
        SameDiff straight = model(schedule(family, unit));
        Measure whole = new Measure();
        straight.addListeners(whole);
        straight.fit(epochOfBatches(), EPOCHS);

        SameDiff first = model(schedule(family, unit));
        Measure part1 = new Measure();
        first.addListeners(part1);
        first.fit(epochOfBatches(), 1);
        File saved = new File(dir, "model.sd");
        first.save(saved, true);
        SameDiff resumed = SameDiff.load(saved, true);
        assertEquals(ITERATIONS_PER_EPOCH, resumed.getTrainingConfig().getIterationCount());
        assertEquals(1, resumed.getTrainingConfig().getEpochCount());
        Measure part2 = new Measure();
        resumed.addListeners(part2);
        resumed.fit(epochOfBatches(), EPOCHS - 1);

        double[] joined = new double[EPOCHS * ITERATIONS_PER_EPOCH];
        double[] a = part1.rates();
        double[] b = part2.rates();
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        assertArrayEquals(whole.rates(), joined, "rates applied, bitwise");
        assertArrayEquals(straight.getVariable("w").getArr().data().asDouble(),
                resumed.getVariable("w").getArr().data().asDouble(), "parameters, bitwise");
        assertRates(expected, joined, family + " " + unit + " resumed");
    }

    @Test
    void fitDataSetNeverAdvancesTheEpochUnlessTold() {
        // EPOCH cosine 0.1 -> 0.01 over 4 epochs: epoch 0 -> 0.1, epoch 1 -> 0.01 + 0.045 (1 + cos(pi / 4)).
        double epoch1 = 0.01 + 0.045 * (1 + Math.sqrt(0.5));
        SameDiff stuck = model(schedule("cosine", "EPOCH"));
        Measure s = new Measure();
        stuck.addListeners(s);
        for (int e = 0; e < 2; e++) {
            stuck.fit(batch());
            stuck.fit(batch());
        }
        assertEquals(0, stuck.getTrainingConfig().getEpochCount(), "fit(DataSet) leaves the epoch at 0");
        assertRates(new double[] {0.1, 0.1, 0.1, 0.1}, s.rates(), "fit(DataSet) loop");

        SameDiff told = model(schedule("cosine", "EPOCH"));
        Measure t = new Measure();
        told.addListeners(t);
        for (int e = 0; e < 2; e++) {
            told.fit(batch());
            told.fit(batch());
            told.getTrainingConfig().incrementEpochCount(); // the fix: count the epoch yourself
        }
        assertEquals(2, told.getTrainingConfig().getEpochCount());
        assertRates(new double[] {0.1, 0.1, epoch1, epoch1}, t.rates(), "fit(DataSet) loop with incrementEpochCount");
    }

    @Test
    void listenerIsSerializableWithItsRecordsAndValidatesFrequency() throws Exception {
        SameDiff sd = model(schedule("linear", "ITERATION"));
        SameDiffLearningRateListener lr = new SameDiffLearningRateListener(2);
        sd.addListeners(lr);
        sd.fit(epochOfBatches(), EPOCHS);
        // every second update: k = 0, 2, 4 -> 0.1, 0.1 - 0.09 / 2 = 0.055, then the end value 0.01 (held from k = 4)
        assertEquals("iteration,epoch,learningRate\n0,0,0.1\n2,1,0.055\n4,2,0.01\n", lr.toCsv());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(lr);
        }
        SameDiffLearningRateListener copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SameDiffLearningRateListener) in.readObject();
        }
        assertEquals(lr.toCsv(), copy.toCsv());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SameDiffLearningRateListener(0));
        assertEquals("frequency (0) must be >= 1", e.getMessage());
        assertTrue(!lr.isActive(Operation.INFERENCE) && lr.isActive(Operation.TRAINING));
    }

    @Test
    void listenerRecordsEveryCallFromConcurrentThreads() throws Exception {
        SameDiff sd = model(schedule("cosine", "ITERATION"));
        SameDiffLearningRateListener lr = new SameDiffLearningRateListener();
        int threads = 4;
        int calls = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < calls; i++) {
                    lr.iterationDone(sd, new At(0, i, 0, 0L, null, Operation.TRAINING), null, null);
                }
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(threads * calls, lr.records().size());
        assertNotEquals(0, lr.toCsv().length());
    }
}
