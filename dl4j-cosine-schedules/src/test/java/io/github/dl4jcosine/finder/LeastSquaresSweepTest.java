package io.github.dl4jcosine.finder;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real sweep on {@link LeastSquares}: full-batch gradient descent on {@code mean((X w - y)^2)}, which diverges above
 * {@code lr = 2 / lambda_max = 0.25} (derivation there). The recorded losses are those of plain gradient descent,
 * computed here in double, and the sweep stops after the rate passes 0.25, where the stop rule fires on them.
 */
class LeastSquaresSweepTest {

    /** 1e-3 .. 10 in 40 steps: rates pass 0.25 at update 24 (1e-3 * 1e4^(24/39) = 0.29; update 23 has 0.23). */
    private static final LearningRateFinder FINDER = LearningRateFinder.builder().minValue(1e-3).maxValue(10)
            .steps(40).build();

    private static final double RELATIVE_TOLERANCE = 1e-9;

    private static LearningRateFinder.Result sweep(String kind, LearningRateFinder finder, int batch) {
        ListDataSetIterator<DataSet> it = LeastSquares.iterator(batch);
        switch (kind) {
            case "MultiLayerNetwork":
                return finder.find(LeastSquares.mln(), it);
            case "ComputationGraph+DataSetIterator":
                return finder.find(LeastSquares.graph(), it);
            case "ComputationGraph+MultiDataSetIterator":
                return finder.find(LeastSquares.graph(), new MultiDataSetIteratorAdapter(it));
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static double[] plannedRates(LearningRateFinder finder, int n) {
        double[] rates = new double[n];
        for (int k = 0; k < n; k++) {
            rates[k] = finder.minValue() * Math.pow(finder.maxValue() / finder.minValue(), k / (finder.steps() - 1.0));
        }
        return rates;
    }

    private static void assertLossesAre(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], RELATIVE_TOLERANCE * Math.abs(expected[k]), "loss of update " + k);
        }
    }

    /** The stop rule applied to {@code losses} as written (smoothing 0.98, factor 4): the update where it fires. */
    private static int stopUpdate(double[] losses) {
        double avg = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < losses.length; k++) {
            avg = 0.98 * avg + 0.02 * losses[k];
            double s = avg / (1 - Math.pow(0.98, k + 1));
            if (k >= 1 && s > 4 * min) {
                return k;
            }
            min = Math.min(min, s);
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"MultiLayerNetwork", "ComputationGraph+DataSetIterator",
        "ComputationGraph+MultiDataSetIterator"})
    void lossesArePlainGradientDescentsAndTheSweepStopsAfterTheDivergenceRate(String kind) {
        LearningRateFinder.Result r = sweep(kind, FINDER, LeastSquares.ROWS);
        double[] rates = r.learningRates();
        int n = rates.length;
        assertArrayEquals(plannedRates(FINDER, n), rates);
        double[] gd = LeastSquares.gradientDescent(rates, LeastSquares.ROWS);
        assertLossesAre(gd, r.losses());
        assertEquals(4.0 + 4 + 2.25 + 0.09, r.losses()[0], 1e-12, "L(0) = 0.09 + 4*1 + 1*4 + 0.25*9");

        assertTrue(r.stoppedEarly());
        assertTrue(n < FINDER.steps(), n + " updates");
        assertTrue(rates[n - 1] > LeastSquares.DIVERGENCE_RATE, "stopped at lr " + rates[n - 1]);
        assertTrue(rates[n - 2] > LeastSquares.DIVERGENCE_RATE, "no stop while the rate was below 0.25");
        // the stop rule fires on the gradient-descent losses (continued to the full sweep) at the same update
        assertEquals(n - 1, stopUpdate(LeastSquares.gradientDescent(plannedRates(FINDER, FINDER.steps()),
                LeastSquares.ROWS)));
        double steepest = r.suggestion().getAsDouble();
        assertTrue(steepest < LeastSquares.DIVERGENCE_RATE, "STEEPEST " + steepest);
        assertEquals(r, FINDER.analyze(r.losses()), "analyze gives what find gives");
    }

    /** Minibatches of 2 rows: update k trains on rows 2(k mod 4) .. +1; the iterator is reset every 4 updates. */
    @ParameterizedTest
    @ValueSource(strings = {"MultiLayerNetwork", "ComputationGraph+DataSetIterator",
        "ComputationGraph+MultiDataSetIterator"})
    void oneMinibatchPerUpdateAndTheIteratorIsReusedWhenItRunsOut(String kind) {
        LearningRateFinder finder = LearningRateFinder.builder().minValue(1e-3).maxValue(0.2).steps(30).build();
        LearningRateFinder.Result r = sweep(kind, finder, 2);
        assertEquals(30, r.losses().length);
        assertFalse(r.stoppedEarly());
        assertLossesAre(LeastSquares.gradientDescent(plannedRates(finder, 30), 2), r.losses());
    }

    /**
     * The sweep's rates are counted from the network's own iteration counter: a network at iteration 1000, epoch 3
     * sweeps from {@code minValue} as one at 0 does.
     */
    @Test
    void theSweepStartsAtTheNetworksCounters() {
        MultiLayerNetwork net = LeastSquares.mln();
        net.getLayerWiseConfigurations().setIterationCount(1000);
        net.getLayerWiseConfigurations().setEpochCount(3);
        LearningRateFinder.Result r = FINDER.find(net, LeastSquares.iterator(LeastSquares.ROWS));
        assertLossesAre(LeastSquares.gradientDescent(r.learningRates(), LeastSquares.ROWS), r.losses());
        assertTrue(r.losses().length > 20);

        ComputationGraph graph = LeastSquares.graph();
        graph.getConfiguration().setIterationCount(77);
        LearningRateFinder.Result g = FINDER.find(graph, LeastSquares.iterator(LeastSquares.ROWS));
        assertEquals(r, g);
    }

    /** After the sweep the iterator is reset: its next batch is the first one. */
    @Test
    void theIteratorIsResetAfterTheSweep() {
        ListDataSetIterator<DataSet> it = LeastSquares.iterator(2);
        LearningRateFinder.builder().steps(7).build().find(LeastSquares.mln(), it);
        assertTrue(it.hasNext());
        assertEquals(LeastSquares.rows(0, 2), it.next());
    }

    /** A list iterator that allows read-ahead, as DL4J's file and image iterators do. */
    static final class ReadAhead extends ListDataSetIterator<DataSet> {
        private static final long serialVersionUID = 1L;

        ReadAhead(int batch) {
            super(LeastSquares.iterator(1).next(LeastSquares.ROWS).asList(), batch);
        }

        @Override
        public boolean asyncSupported() {
            return true;
        }
    }

    /**
     * An iterator that allows read-ahead is read by a background thread, as {@code fit(iterator)} reads it: the
     * same batches in the same order, so the same sweep; the thread ends with the sweep and the iterator is reset.
     */
    @ParameterizedTest
    @ValueSource(strings = {"MultiLayerNetwork", "ComputationGraph+MultiDataSetIterator"})
    void anIteratorThatAllowsReadAheadGivesTheSameSweep(String kind) {
        LearningRateFinder finder = LearningRateFinder.builder().minValue(1e-3).maxValue(0.2).steps(30).build();
        ReadAhead it = new ReadAhead(2);
        int threads = Thread.activeCount();
        LearningRateFinder.Result r = kind.equals("MultiLayerNetwork") ? finder.find(LeastSquares.mln(), it)
                : finder.find(LeastSquares.graph(), new MultiDataSetIteratorAdapter(it) {
                    @Override
                    public boolean asyncSupported() {
                        return true;
                    }
                });
        assertEquals(sweep(kind, finder, 2), r);
        assertLossesAre(LeastSquares.gradientDescent(plannedRates(finder, 30), 2), r.losses());
        assertTrue(it.hasNext());
        assertEquals(LeastSquares.rows(0, 2), it.next());
        assertTrue(Thread.activeCount() <= threads, "the read-ahead thread has ended");
    }
}
