package io.github.dl4jcosine.finder;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's rate reaches every updater that has one. Reference: a twin of the network (same configuration, same
 * seed, the same pre-training) swept by hand with DL4J's own {@code setLearningRate(lr_k)} before each
 * {@code fit} (and, for a bias updater, which {@code setLearningRate} does not reach, its {@code setLrAndSchedule});
 * {@code find}'s losses equal the twin's scores bit for bit. The networks are pre-trained for 3 updates, so the
 * updater state (moments, squared gradients, momentum) and Adam's bias correction carry into the sweep.
 *
 * <p>Not here: AdaBelief, which cannot train at all in DL4J 1.0.0-M2.1 ({@code AdaBelief.instantiate} reshapes its
 * state to one dimension, then reads {@code shape[1]}: ArrayIndexOutOfBoundsException on the first {@code fit}).
 */
class UpdatersSweepTest {

    private static final LearningRateFinder FINDER = LearningRateFinder.builder().minValue(1e-4).maxValue(0.3)
            .steps(10).divergenceFactor(1e9).build();

    static Stream<Arguments> updaters() {
        ISchedule cosine = new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.01, 0, 100);
        return Stream.of(
                Arguments.of("Sgd", (Supplier<IUpdater>) () -> new Sgd(0.1)),
                Arguments.of("Nesterovs", (Supplier<IUpdater>) () -> new Nesterovs(0.05, 0.9)),
                Arguments.of("Nesterovs with a momentum schedule", (Supplier<IUpdater>) () -> new Nesterovs(0.05,
                        new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.95, 0.85, 10))),
                Arguments.of("Adam", (Supplier<IUpdater>) () -> new Adam(1e-3)),
                Arguments.of("Adam with a schedule", (Supplier<IUpdater>) () -> new Adam(cosine)),
                Arguments.of("AdaMax", (Supplier<IUpdater>) () -> new AdaMax(1e-3)),
                Arguments.of("AMSGrad", (Supplier<IUpdater>) () -> new AMSGrad(1e-3)),
                Arguments.of("Nadam", (Supplier<IUpdater>) () -> new Nadam(1e-3)),
                Arguments.of("RmsProp", (Supplier<IUpdater>) () -> new RmsProp(1e-3)),
                Arguments.of("AdaGrad", (Supplier<IUpdater>) () -> new AdaGrad(0.05)));
    }

    private static MultiLayerNetwork pretrained(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (DataSet d : TestData.batches(3, 9)) {
            net.fit(d);
        }
        return net;
    }

    /** The hand-made sweep on {@code twin}: DL4J's setLearningRate(lr_k), every bias updater too, fit, score. */
    private static double[] byHand(MultiLayerNetwork twin, int updates) {
        List<DataSet> batches = TestData.batches(4, 10);
        double[] scores = new double[updates];
        for (int k = 0; k < updates; k++) {
            double lr = FINDER.minValue() * Math.pow(FINDER.maxValue() / FINDER.minValue(), k / (FINDER.steps() - 1.0));
            twin.setLearningRate(lr);
            for (org.deeplearning4j.nn.api.Layer l : twin.getLayers()) {
                IUpdater bias = ((BaseLayer) l.conf().getLayer()).getBiasUpdater();
                if (bias != null && bias.hasLearningRate()) {
                    bias.setLrAndSchedule(lr, null);
                }
            }
            twin.fit(batches.get(k % batches.size()));
            scores[k] = twin.score();
        }
        return scores;
    }

    private static void assertSweepIsTheHandMadeOne(Supplier<MultiLayerConfiguration> conf) {
        LearningRateFinder.Result r = FINDER.find(pretrained(conf.get()), TestData.iterator(4, 10));
        double[] losses = r.losses();
        assertEquals(FINDER.steps(), losses.length);
        double[] expected = byHand(pretrained(conf.get()), losses.length);
        for (int k = 0; k < losses.length; k++) {
            assertEquals(expected[k], losses[k], 1e-14 * Math.abs(expected[k]), "loss of update " + k);
        }
        assertNotEquals(losses[1], losses[losses.length - 1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updaters")
    void everyUpdaterWithALearningRateFollowsTheSweep(String name, Supplier<IUpdater> updater) {
        assertSweepIsTheHandMadeOne(() -> TestData.mlnConf(updater.get(), TestData.hidden().build(),
                TestData.output().build()));
    }

    /** Different updaters per layer, one with its own schedule, a bias updater, weight decay scaled by the rate. */
    @Test
    void perLayerAndBiasUpdatersFollowTheSweep() {
        assertSweepIsTheHandMadeOne(() -> TestData.mlnConf(new Sgd(0.1),
                TestData.hidden().updater(new Adam(new CosineAnnealingSchedule(ScheduleType.ITERATION, 0.01, 0, 50)))
                        .biasUpdater(new RmsProp(0.001)).regularization(List.of(new WeightDecay(1e-2, true))).build(),
                TestData.output().updater(new Nesterovs(0.1, 0.9)).biasUpdater(new Sgd(0.02)).build()));
    }

    /** AdaDelta has no rate: its layer trains as it would; the Sgd layer follows the sweep. */
    @Test
    void updatersWithoutARateKeepTheirWay() {
        assertSweepIsTheHandMadeOne(() -> TestData.mlnConf(new Sgd(0.1),
                TestData.hidden().updater(new AdaDelta()).build(), TestData.output().updater(new Sgd(0.1)).build()));
    }

    @Test
    void aNetworkWithoutAnyRateIsRefused() {
        MultiLayerNetwork net = TestData.mln(new NoOp());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FINDER.find(net, TestData.iterator(2, 1)));
        assertTrue(e.getMessage().startsWith("net must have a layer whose updater has a learning rate"),
                e.getMessage());
        ComputationGraph graph = TestData.graphWithOneInput(new AdaDelta());
        assertThrows(graph);
    }

    private static void assertThrows(ComputationGraph graph) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FINDER.find(graph, TestData.iterator(2, 1)));
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }

    /** A schedule without {@code equals}, shared by every layer of the network through {@code Adam.clone()}. */
    public static final class SharedSchedule implements ISchedule {
        private static final long serialVersionUID = 1L;
        private final double value;

        @JsonCreator
        public SharedSchedule(@JsonProperty("value") double value) {
            this.value = value;
        }

        @JsonProperty("value")
        public double getValue() {
            return value;
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return value;
        }

        @Override
        public ISchedule clone() {
            return this;
        }
    }

    /**
     * DL4J groups parameters whose updater configurations are {@code equals} into one block with one state array
     * ({@code [m of all, v of all]} for Adam). With a schedule that has no {@code equals} shared by all layers, the
     * network has one block, and the copy built from its JSON (one schedule object per layer) has one per layer: the
     * state is moved parameter by parameter. A copy of the flat state would scramble Adam's moments.
     */
    @Test
    void updaterStateIsCopiedWhereTheCopyGroupsParametersDifferently() {
        Supplier<MultiLayerConfiguration> conf = () -> TestData.mlnConf(new Adam(new SharedSchedule(1e-2)),
                TestData.hidden().build(), TestData.output().build());
        MultiLayerNetwork net = pretrained(conf.get());
        MultiLayerNetwork copy = NetworkCopies.copy(net);
        assertEquals(1, ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().size());
        assertEquals(2, ((BaseMultiLayerUpdater<?>) copy.getUpdater()).getUpdaterBlocks().size());
        assertSweepIsTheHandMadeOne(conf);
    }
}
