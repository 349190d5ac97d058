package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.core.type.TypeReference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Saved JSON/YAML of {@link OneCycleSchedule} and {@link WarmupStableDecaySchedule} must load, on every build
 * (the same promise as {@link SavedJsonFixturesTest}): alone, in a {@code MultiLayerConfiguration} (with
 * {@code Nesterovs}' momentum schedule), and nested in wrappers in a {@code ComputationGraphConfiguration}.
 * Never regenerate these files; add new ones for new versions.
 */
class SavedOneCycleWsdFixturesTest {

    /** What each fixture file holds, written out by hand. */
    private static final Map<String, ISchedule> SAVED = Map.of(
            "OneCycleSchedule", new OneCycleSchedule(EPOCH, 0.004, 0.1, 4e-7, 30, 0.3, true, 390),
            "WarmupStableDecaySchedule", new WarmupStableDecaySchedule(ITERATION, 3e-4, 0.0, 3e-5, 2000, 88000, 10000,
                    Shape.LINEAR, Shape.ONE_MINUS_SQRT, 0));

    @ParameterizedTest
    @ValueSource(strings = {"OneCycleSchedule", "WarmupStableDecaySchedule"})
    void savedScheduleLoads(String name) throws IOException {
        ISchedule loaded = JsonMappers.getMapper().readValue(fixture(name + "-0.1.0.json"), ISchedule.class);
        ScheduleContract.assertSameSchedule(SAVED.get(name), loaded);
    }

    /** Nesterovs with a one-cycle rate and momentum, Adam with fractional-epoch WSD, Sgd with sqrt-scaled one-cycle. */
    @Test
    void savedMultiLayerConfigurationLoads() throws IOException {
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(
                fixture("multilayer-configuration-onecycle-wsd-0.1.0.json"));
        Nesterovs nesterovs = (Nesterovs) updater(conf, 0);
        ScheduleContract.assertSameSchedule(new OneCycleSchedule(ITERATION, 0.004, 0.1, 4e-7, 1000, 0.3, false),
                nesterovs.getLearningRateSchedule());
        ScheduleContract.assertSameSchedule(new OneCycleSchedule(ITERATION, 0.95, 0.85, 0.95, 1000, 0.3, false),
                nesterovs.getMomentumISchedule());
        ScheduleContract.assertSameSchedule(new WarmupStableDecaySchedule(EPOCH, 1e-3, 1e-5, 1e-5, 2, 20, 8,
                Shape.COSINE, Shape.LINEAR, 390), ((Adam) updater(conf, 1)).getLearningRateSchedule());
        ScheduleContract.assertSameSchedule(new ProductSchedule(new FixedSchedule(2.0),
                new OneCycleSchedule(EPOCH, 0.02, 0.5, 0.0, 10, 0.25, false, 0)),
                ((Sgd) updater(conf, 2)).getLearningRateSchedule());
    }

    /** A warmup around a sequence of a one-cycle and a half-scaled WSD, in a graph, JSON and YAML. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedNestedGraphConfigurationLoads(boolean yaml) throws IOException {
        ComputationGraphConfiguration conf = yaml
                ? ComputationGraphConfiguration.fromYaml(fixture("graph-configuration-onecycle-wsd-0.1.0.yaml"))
                : ComputationGraphConfiguration.fromJson(fixture("graph-configuration-onecycle-wsd-0.1.0.json"));
        ISchedule expected = new LinearWarmupSchedule(ITERATION, 100, 0.0, new SequentialSchedule(ITERATION,
                Arrays.asList(new OneCycleSchedule(ITERATION, 0.01, 0.1, 1e-4, 500, 0.4, false),
                        new ProductSchedule(new FixedSchedule(0.5), new WarmupStableDecaySchedule(ITERATION, 1e-4, 0.0,
                                0.0, 0, 300, 200, Shape.LINEAR, Shape.COSINE))), new int[] {500}));
        for (String layer : new String[] {"dense", "out"}) {
            BaseLayer l = (BaseLayer) ((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer();
            ScheduleContract.assertSameSchedule(expected, ((Adam) l.getIUpdater()).getLearningRateSchedule());
        }
    }

    /** As a user types it: threePhase, iterationsPerEpoch, warmupStartValue and minValue left out. */
    @Test
    void handWrittenJsonWithDefaults() throws IOException {
        List<ISchedule> loaded = JsonMappers.getMapper().readValue(fixture("handwritten-onecycle-wsd.json"),
                new TypeReference<List<ISchedule>>() { });
        assertEquals(List.of(Schedules.oneCycle(ITERATION, 0.1, 1000),
                new WarmupStableDecaySchedule(EPOCH, 0.001, 0.0, 0.0, 1, 6, 3, Shape.LINEAR, Shape.COSINE, 390)),
                loaded);
    }

    /** A shape is required (no silent default), and an unknown shape is named. */
    @Test
    void missingOrUnknownShapeIsRejectedAtLoad() {
        String json = "{\"@class\": \"io.github.dl4jcosine.schedule.WarmupStableDecaySchedule\", \"scheduleType\":"
                + " \"ITERATION\", \"peakValue\": 0.1, \"warmupPeriod\": 1, \"stablePeriod\": 1, \"decayPeriod\": 1,"
                + " \"warmupShape\": \"LINEAR\"}";
        Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
        assertTrue(e.getMessage().contains("'decayShape'"), e.getMessage());
        String unknown = json.replace("}", ", \"decayShape\": \"SQRT\"}");
        e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(unknown, ISchedule.class));
        assertTrue(e.getMessage().contains("SQRT"), e.getMessage());
    }

    /** An invalid value in JSON fails at load time with the constructor's message. */
    @Test
    void invalidValueInJsonIsRejectedAtLoad() {
        String json = "{\"@class\": \"io.github.dl4jcosine.schedule.OneCycleSchedule\", \"scheduleType\": \"ITERATION\","
                + " \"initialValue\": 0.004, \"peakValue\": 0.1, \"finalValue\": 0, \"totalPeriod\": 100,"
                + " \"peakFraction\": 1.3}";
        Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
        assertTrue(e.getMessage().contains("peakFraction (1.3) must be in (0, 1)"), e.getMessage());
    }

    private static Object updater(MultiLayerConfiguration conf, int layer) {
        return ((BaseLayer) conf.getConf(layer).getLayer()).getIUpdater();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = SavedOneCycleWsdFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertTrue(in != null, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
