package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.Printed;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ParallelWrapper (2 workers): averaging mode with averaged updater state (its defaults) keeps the schedule-free
 * state consistent. For schedule-free SGD the step is linear in the gradient, so with averaging after every update
 * the averaged workers equal one network stepping on the mean gradient of their two batches, i.e. on the union
 * batch (minibatch averaging): y and x agree to rounding, with and without weight decay, over two
 * {@code wrapper.fit} calls (the wrapper drops the network's updater state at the end of each; prepare restores
 * it). The worker copies are prepared by {@link ScheduleFree#listener()}; without it the first update refuses,
 * naming it. Gradient sharing is refused by the listener.
 *
 * <p>DL4J's wrapper does not wait for a worker to copy the original network before the original takes its first
 * update of a fit; the test holds the original's first update until the other worker has its gradient (so it has
 * copied), which makes the comparison deterministic.
 */
@SuppressWarnings("try") // EvalMode resources are opened for their scope, not referenced (javac -Xlint:try)
class ParallelWrapperTest {

    private static List<DataSet> batches() {
        Nd4j.getRandom().setSeed(17);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            list.add(new DataSet(Nd4j.rand(DataType.DOUBLE, 4, 3), Nd4j.rand(DataType.DOUBLE, 4, 2)));
        }
        return list;
    }

    private static MultiLayerNetwork net(IUpdater updater) {
        return TestNets.mln(TestNets.builder(updater).miniBatch(true).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(3).nOut(4)
                        .activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .build());
    }

    /** The schedule-free listener, plus: the original network's first update waits until the other worker has copied it. */
    static final class Ordered extends BaseTrainingListener {
        private final TrainingListener scheduleFree = ScheduleFree.listener();
        private final Model original;
        private final CountDownLatch copied = new CountDownLatch(1);
        private boolean first = true;

        Ordered(Model original) {
            this.original = original;
        }

        @Override
        public void onGradientCalculation(Model model) {
            scheduleFree.onGradientCalculation(model);
            if (model != original) {
                copied.countDown();
            } else if (first) {
                first = false;
                try {
                    assertTrue(copied.await(120, TimeUnit.SECONDS), "the other worker started");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void parallel(MultiLayerNetwork net, ParallelWrapper.Builder<?> builder,
                                 TrainingListener listener, List<DataSet> data) throws Exception {
        try (ParallelWrapper wrapper = builder.build()) {
            if (listener != null) {
                wrapper.setListeners(listener);
            }
            wrapper.fit(new ListDataSetIterator<>(data, 1));
        }
    }

    private static ParallelWrapper.Builder<?> averaging(MultiLayerNetwork net) {
        return new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2).averagingFrequency(1)
                .averageUpdaters(true).trainingMode(ParallelWrapper.TrainingMode.AVERAGING);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void averagingEqualsOneNetworkOnTheUnionBatches(boolean weightDecay) throws Exception {
        IUpdater sgd = ScheduleFreeSgd.builder().learningRate(0.3).momentum(0.9).warmupSteps(2)
                .weightDecay(weightDecay ? 0.05 : 0).build();
        MultiLayerNetwork parallel = net(sgd);
        MultiLayerNetwork single = net(sgd);
        ScheduleFree.prepare(single);
        List<DataSet> b = batches();
        for (int fit = 0; fit < 2; fit++) {
            List<DataSet> part = b.subList(4 * fit, 4 * fit + 4);
            ScheduleFree.prepare(parallel);
            String log = quietly(() -> parallel(parallel, averaging(parallel), new Ordered(parallel), part));
            assertTrue(!log.contains("Exception"), log);
            for (int round = 0; round < 2; round++) {
                single.fit(DataSet.merge(part.subList(2 * round, 2 * round + 2)));
            }
            assertArrayEquals(single.params().toDoubleVector(), parallel.params().toDoubleVector(), 1e-13,
                    "y after fit " + fit);
            double[] x;
            try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(single)) {
                x = single.params().toDoubleVector();
            }
            try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(parallel)) {
                assertArrayEquals(x, parallel.params().toDoubleVector(), 1e-13, "x after fit " + fit);
            }
        }
        assertEquals(4, Blocks.of(parallel).get(0).updater.steps());
    }

    /** Forgetting prepare before the second wrapper.fit: the workers would copy an empty state; the listener refuses. */
    @Test
    void secondFitWithoutPrepareIsRefused() throws Exception {
        MultiLayerNetwork net = net(ScheduleFreeSgd.builder().learningRate(0.3).build());
        ScheduleFree.prepare(net);
        quietly(() -> parallel(net, averaging(net), ScheduleFree.listener(), batches().subList(0, 2)));
        assertRefused(net, averaging(net), true, "call ScheduleFree.prepare(net) before each wrapper.fit");
    }

    /** MultiLayerNetwork.clear() drops the solver and the updater state with it: evalMode restores it. */
    @Test
    void clearedNetworkKeepsItsState() {
        MultiLayerNetwork net = net(ScheduleFreeAdamW.builder().learningRate(0.05).build());
        ScheduleFree.prepare(net);
        for (DataSet d : batches()) {
            net.fit(d);
        }
        double[] x;
        try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(net)) {
            x = net.params().toDoubleVector();
        }
        net.clear();
        try (ScheduleFree.EvalMode e = ScheduleFree.evalMode(net)) {
            assertArrayEquals(x, net.params().toDoubleVector(), 0.0);
        }
        assertEquals(8, Blocks.of(net).get(0).updater.steps());
    }

    /** Without the listener the replicas are not prepared: the first update refuses and says what to add. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withoutTheListenerIsRefused(boolean weightDecay) {
        MultiLayerNetwork net = net(ScheduleFreeSgd.builder().weightDecay(weightDecay ? 0.01 : 0).build());
        assertRefused(net, averaging(net), false, "ScheduleFree.listener()");
    }

    @Test
    void gradientSharingIsRefused() {
        MultiLayerNetwork net = net(ScheduleFreeAdamW.builder().build());
        assertRefused(net, new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .trainingMode(ParallelWrapper.TrainingMode.SHARED_GRADIENTS), true, "gradient sharing");
    }

    private static void assertRefused(MultiLayerNetwork net, ParallelWrapper.Builder<?> builder,
                                      boolean listener, String fragment) {
        INDArray before = net.params().dup();
        String[] message = new String[1];
        String log = quietly(() -> {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> parallel(net, builder, listener ? ScheduleFree.listener() : null, batches()));
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getMessage()).append('\n');
            }
            message[0] = chain.toString();
        });
        assertTrue(message[0].contains(fragment), message[0]);
        assertTrue(message[0].contains("IllegalStateException"), message[0]);
        assertArrayEquals(before.toDoubleVector(), net.params().toDoubleVector(), 0.0, "no update applied");
        assertTrue(log.contains(fragment) || log.isEmpty(), log);
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with System.err captured (ParallelWrapper prints a worker's exception there, from the dying
     * worker thread, possibly after fit has thrown: the workers are waited for before the capture ends); returns it.
     */
    private static String quietly(Body body) {
        return Printed.stderrOf(() -> {
            body.run();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ParallelWrapper training thread")) {
                    t.join(60_000);
                }
            }
        });
    }
}
