package io.github.dl4jcosine.finder;

import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input, non-finite losses, defaults, and the Result's accessors and CSV. */
class LearningRateFinderInputTest {

    private static void assertRefused(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static LearningRateFinder finder(double min, double max, int steps, double smoothing, double factor) {
        return LearningRateFinder.builder().minValue(min).maxValue(max).steps(steps).smoothing(smoothing)
                .divergenceFactor(factor).build();
    }

    @Test
    void defaults() {
        LearningRateFinder f = LearningRateFinder.builder().build();
        assertEquals(1e-7, f.minValue());
        assertEquals(10, f.maxValue());
        assertEquals(100, f.steps());
        assertEquals(0.98, f.smoothing());
        assertEquals(4.0, f.divergenceFactor());
        assertEquals("LearningRateFinder(minValue=1.0E-7, maxValue=10.0, steps=100, smoothing=0.98,"
                + " divergenceFactor=4.0)", f.toString());
    }

    @Test
    void badSettingsNameTheParameterTheValueAndTheRule() {
        assertRefused("minValue (0.0) must be > 0 and finite", () -> finder(0, 10, 100, 0.98, 4));
        assertRefused("minValue (-1.0) must be > 0 and finite", () -> finder(-1, 10, 100, 0.98, 4));
        assertRefused("minValue (NaN) must be > 0 and finite", () -> finder(Double.NaN, 10, 100, 0.98, 4));
        assertRefused("minValue (Infinity) must be > 0 and finite",
                () -> finder(Double.POSITIVE_INFINITY, 10, 100, 0.98, 4));
        assertRefused("maxValue (1.0E-7) must be > minValue (1.0E-7) and finite",
                () -> finder(1e-7, 1e-7, 100, 0.98, 4));
        assertRefused("maxValue (1.0E-8) must be > minValue (1.0E-7) and finite",
                () -> finder(1e-7, 1e-8, 100, 0.98, 4));
        assertRefused("maxValue (NaN) must be > minValue (1.0E-7) and finite",
                () -> finder(1e-7, Double.NaN, 100, 0.98, 4));
        assertRefused("maxValue (Infinity) must be > minValue (1.0E-7) and finite",
                () -> finder(1e-7, Double.POSITIVE_INFINITY, 100, 0.98, 4));
        assertRefused("steps (1) must be >= 2", () -> finder(1e-7, 10, 1, 0.98, 4));
        assertRefused("steps (-3) must be >= 2", () -> finder(1e-7, 10, -3, 0.98, 4));
        assertRefused("smoothing (1.0) must be in [0, 1)", () -> finder(1e-7, 10, 100, 1, 4));
        assertRefused("smoothing (-0.1) must be in [0, 1)", () -> finder(1e-7, 10, 100, -0.1, 4));
        assertRefused("smoothing (NaN) must be in [0, 1)", () -> finder(1e-7, 10, 100, Double.NaN, 4));
        assertRefused("divergenceFactor (1.0) must be > 1 and finite", () -> finder(1e-7, 10, 100, 0.98, 1));
        assertRefused("divergenceFactor (0.5) must be > 1 and finite", () -> finder(1e-7, 10, 100, 0.98, 0.5));
        assertRefused("divergenceFactor (NaN) must be > 1 and finite", () -> finder(1e-7, 10, 100, 0.98, Double.NaN));
        assertRefused("divergenceFactor (Infinity) must be > 1 and finite",
                () -> finder(1e-7, 10, 100, 0.98, Double.POSITIVE_INFINITY));
        assertRefused("steps (1) must be >= 2", () -> new LearningRateFinder(1e-7, 10, 1, 0.98, 4));
        assertRefused("maxValue / minValue (Infinity) must be finite", () -> finder(1e-300, 1e300, 100, 0.98, 4));
        // the edges that are allowed
        LearningRateFinder edges = finder(Double.MIN_NORMAL, 1, 2, 0, Math.nextUp(1.0));
        assertArrayEquals(new double[] {Double.MIN_NORMAL, 1}, edges.analyze(new double[] {1, 1}).learningRates(),
                1e-300);
    }

    @Test
    void nullNetworkOrIterator() {
        LearningRateFinder f = LearningRateFinder.builder().build();
        DataSetIterator it = TestData.iterator(2, 1);
        assertRefused("net (null) must not be null", () -> f.find((MultiLayerNetwork) null, it));
        assertRefused("net (null) must not be null", () -> f.find((ComputationGraph) null, it));
        assertRefused("net (null) must not be null", () -> f.find((ComputationGraph) null,
                new TestData.ListMultiIterator(TestData.twoInputBatches(1, 1))));
        MultiLayerNetwork net = TestData.mln(new Adam(1e-3));
        ComputationGraph graph = TestData.graphWithOneInput(new Adam(1e-3));
        assertRefused("trainIter (null) must not be null", () -> f.find(net, (DataSetIterator) null));
        assertRefused("trainIter (null) must not be null", () -> f.find(graph, (DataSetIterator) null));
        assertRefused("trainIter (null) must not be null", () -> f.find(graph, (MultiDataSetIterator) null));
        ComputationGraph twoInputs = new ComputationGraph(TestData.twoInputGraph(new Adam(1e-3)));
        twoInputs.init();
        assertRefused("trainIter (a DataSetIterator) needs a graph with one input and one output; net has 2 and 1:"
                + " give a MultiDataSetIterator", () -> f.find(twoInputs, it));
    }

    @Test
    void anIteratorWithoutABatch() {
        LearningRateFinder f = LearningRateFinder.builder().steps(5).build();
        MultiLayerNetwork net = TestData.mln(new Adam(1e-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.find(net, new ListDataSetIterator<>(new ArrayList<DataSet>(), 4)));
        assertTrue(e.getMessage().startsWith("trainIter (org.deeplearning4j.datasets.iterator.utilty"
                + ".ListDataSetIterator) must have at least one batch; it has none, even after reset()"),
                e.getMessage());
        IllegalArgumentException spent = assertThrows(IllegalArgumentException.class,
                () -> f.find(net, new IteratorDataSetIterator(new ArrayList<DataSet>().iterator(), 4)));
        assertTrue(spent.getMessage().endsWith("must have at least one batch; it has none left and does not support"
                + " reset()"), spent.getMessage());
        IllegalArgumentException graph = assertThrows(IllegalArgumentException.class,
                () -> f.find(TestData.graphWithOneInput(new Adam(1e-3)),
                        new TestData.ListMultiIterator(new ArrayList<>())));
        assertTrue(graph.getMessage().startsWith("trainIter ("), graph.getMessage());
    }

    /** An iterator that cannot be reset and has fewer batches than the sweep needs. */
    @Test
    void anIteratorThatRunsOutAndCannotBeReset() {
        LearningRateFinder f = LearningRateFinder.builder().steps(10).divergenceFactor(1e9).build();
        List<DataSet> three = TestData.batches(3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.find(TestData.mln(new Adam(1e-3)), new IteratorDataSetIterator(three.iterator(), 6)));
        assertTrue(e.getMessage().contains("ran out after 3 batches and does not support reset()"), e.getMessage());
        // with enough batches it does not need a reset
        assertEquals(3, LearningRateFinder.builder().steps(3).build()
                .find(TestData.mln(new Adam(1e-3)), new IteratorDataSetIterator(three.iterator(), 6)).losses().length);
    }

    @Test
    void analyzeInput() {
        LearningRateFinder f = LearningRateFinder.builder().steps(3).build();
        assertRefused("losses (null) must not be null", () -> f.analyze(null));
        assertRefused("losses (4 values) must have at most steps (3) values", () -> f.analyze(new double[4]));
        LearningRateFinder.Result empty = f.analyze(new double[0]);
        assertEquals(0, empty.losses().length);
        assertFalse(empty.stoppedEarly());
        assertFalse(empty.suggestion().isPresent());
    }

    /** A network whose loss is NaN from the first update: a result with that one update, no suggestion. */
    @Test
    void lossesThatAreNaNFromTheFirstUpdateGiveAResultWithoutSuggestions() {
        List<DataSet> batches = TestData.batches(2, 3);
        for (DataSet d : batches) {
            d.getFeatures().putScalar(0, 0, Double.NaN);
        }
        LearningRateFinder.Result r = LearningRateFinder.builder().build()
                .find(TestData.mln(new Adam(1e-3)), new ListDataSetIterator<>(batches, 1));
        assertEquals(1, r.losses().length);
        assertTrue(Double.isNaN(r.losses()[0]));
        assertTrue(r.stoppedEarly());
        for (LearningRateFinder.Suggestion s : LearningRateFinder.Suggestion.values()) {
            assertFalse(r.suggestion(s).isPresent(), s.toString());
            assertFalse(r.point(s).isPresent(), s.toString());
        }
        assertEquals("Result(updates=1, stoppedEarly=true, STEEPEST=none, VALLEY=none, MINIMUM=none)", r.toString());
    }

    @Test
    void resultAccessors(@TempDir Path dir) throws IOException {
        LearningRateFinder f = LearningRateFinder.builder().minValue(1e-3).maxValue(1).steps(20).smoothing(0).build();
        double[] losses = new double[20];
        for (int k = 0; k < 20; k++) {
            losses[k] = k < 14 ? 2 - 0.1 * k : 0.7 + Math.pow(2, k - 14);
        }
        LearningRateFinder.Result r = f.analyze(losses);
        assertThrows(IllegalArgumentException.class, () -> r.suggestion(null));
        assertThrows(IllegalArgumentException.class, () -> r.point(null));
        r.losses()[0] = 99;
        r.learningRates()[0] = 99;
        r.smoothedLosses()[0] = 99;
        assertEquals(2, r.losses()[0], "the arrays are copies");
        assertEquals(1e-3, r.learningRates()[0]);
        assertEquals(2, r.smoothedLosses()[0]);
        // smoothing 0: s = loss; s_15 = 2.7 > 4 * min(s_0..s_14) = 4 * 0.7 is false, s_16 = 4.7 > 2.8 stops
        assertTrue(r.stoppedEarly());
        assertEquals(17, r.losses().length);
        // MINIMUM: the smallest s is s_13 = 0.7 (s_14 = 1.7): rate 1e-3 * 1000^(13/19) / 10
        assertEquals(13, r.point(LearningRateFinder.Suggestion.MINIMUM).getAsInt());
        assertEquals(1e-3 * Math.pow(1000, 13 / 19.0) / 10, r.suggestion(LearningRateFinder.Suggestion.MINIMUM)
                .getAsDouble(), 1e-18);

        String csv = r.toCsv();
        String[] lines = csv.split("\n");
        assertEquals("update,learningRate,loss,smoothedLoss", lines[0]);
        assertEquals(18, lines.length);
        assertEquals("0,0.001,2.0,2.0", lines[1]);
        for (int k = 0; k < 17; k++) {
            String[] f4 = lines[k + 1].split(",");
            assertEquals(k, Integer.parseInt(f4[0]));
            assertEquals(r.learningRates()[k], Double.parseDouble(f4[1]));
            assertEquals(r.losses()[k], Double.parseDouble(f4[2]));
            assertEquals(r.smoothedLosses()[k], Double.parseDouble(f4[3]));
        }
        Path file = dir.resolve("lr-finder.csv");
        Files.write(file, "old".getBytes(StandardCharsets.UTF_8));
        r.writeCsv(file);
        assertEquals(csv, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        assertThrows(IOException.class, () -> r.writeCsv(dir.resolve("missing/lr.csv")));
        assertRefused("file (null) must not be null", () -> r.writeCsv((Path) null));

        LearningRateFinder.Result nan = f.analyze(new double[] {1, Double.NEGATIVE_INFINITY});
        assertArrayEquals(new String[] {"update,learningRate,loss,smoothedLoss", "0,0.001,1.0,1.0",
            "1," + f.analyze(new double[] {1, 2}).learningRates()[1] + ",-Infinity,-Infinity"},
                nan.toCsv().split("\n"));
    }
}
