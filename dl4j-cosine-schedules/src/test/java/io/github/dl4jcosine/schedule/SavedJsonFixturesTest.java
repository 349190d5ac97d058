package io.github.dl4jcosine.schedule;

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
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.StepSchedule;
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
 * JSON saved by release 0.1.0 must load, on every build: these files are the compatibility promise to
 * users' saved models. Never regenerate them; add new files for new versions.
 */
class SavedJsonFixturesTest {

    private static final CosineAnnealingSchedule ANNEALING = new CosineAnnealingSchedule(EPOCH, 0.1, 1e-4, 200, 390);
    private static final CosineWarmRestartsSchedule RESTARTS =
            new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 10, 2.0, 0.8, 5, 0);
    private static final WarmupCosineSchedule WARMUP = new WarmupCosineSchedule(ITERATION, 0.001, 0.0, 1e-5, 1000, 20000);

    /** What each fixture file holds, written out by hand. */
    private static final Map<String, ISchedule> SAVED = Map.of(
            "CosineAnnealingSchedule", ANNEALING,
            "CosineWarmRestartsSchedule", RESTARTS,
            "WarmupCosineSchedule", WARMUP,
            "LinearSchedule", new LinearSchedule(EPOCH, 0.01, 1.0, 5),
            "LinearWarmupSchedule", new LinearWarmupSchedule(ITERATION, 500, 0.0,
                    new StepSchedule(ITERATION, 0.001, 0.5, 10000)),
            "SequentialSchedule", new SequentialSchedule(EPOCH, Arrays.asList(new LinearSchedule(EPOCH, 0.01, 0.1, 5),
                    new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85)), new int[] {5}),
            "ProductSchedule", new ProductSchedule(new LinearSchedule(EPOCH, 0.01, 1.0, 5),
                    new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90)));

    @ParameterizedTest
    @ValueSource(strings = {"CosineAnnealingSchedule", "CosineWarmRestartsSchedule", "WarmupCosineSchedule",
        "LinearSchedule", "LinearWarmupSchedule", "SequentialSchedule", "ProductSchedule"})
    void savedScheduleLoads(String name) throws IOException {
        ISchedule loaded = JsonMappers.getMapper().readValue(fixture(name + "-0.1.0.json"), ISchedule.class);
        ScheduleContract.assertSameSchedule(SAVED.get(name), loaded);
    }

    /** A warmup around a sequence of restarts and a product with DL4J's StepSchedule, in a graph, JSON and YAML. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedNestedGraphConfigurationLoads(boolean yaml) throws IOException {
        ComputationGraphConfiguration conf = yaml
                ? ComputationGraphConfiguration.fromYaml(fixture("graph-configuration-nested-0.1.0.yaml"))
                : ComputationGraphConfiguration.fromJson(fixture("graph-configuration-nested-0.1.0.json"));
        ISchedule expected = new LinearWarmupSchedule(EPOCH, 5, 0.0, new SequentialSchedule(EPOCH, Arrays.asList(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 2, 0),
                new ProductSchedule(new CosineAnnealingSchedule(EPOCH, 0.05, 0.0, 20),
                        new StepSchedule(EPOCH, 1.0, 0.5, 10))), new int[] {30}));
        for (String layer : new String[] {"dense", "out"}) {
            BaseLayer l = (BaseLayer) ((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer();
            ScheduleContract.assertSameSchedule(expected, ((Adam) l.getIUpdater()).getLearningRateSchedule());
        }
    }

    @Test
    void savedMultiLayerConfigurationLoads() throws IOException {
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(fixture("multilayer-configuration-0.1.0.json"));
        assertEquals(new CosineAnnealingSchedule(EPOCH, 0.001, 1e-5, 100, 390),
                ((Adam) updater(conf, 0)).getLearningRateSchedule());
        assertEquals(new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 10, 2.0, 0.9, 4, 0),
                ((Nesterovs) updater(conf, 1)).getLearningRateSchedule());
        assertEquals(0.9, ((Nesterovs) updater(conf, 1)).getMomentum(), 0.0);
        assertEquals(new WarmupCosineSchedule(ITERATION, 0.1, 0.0, 0.001, 500, 10000),
                ((Sgd) updater(conf, 2)).getLearningRateSchedule());
    }

    /** As a user types it: optional properties (minValue, warmupStartValue, iterationsPerEpoch, maxCycles) left out. */
    @Test
    void handWrittenJsonWithDefaults() throws IOException {
        List<ISchedule> loaded = JsonMappers.getMapper().readValue(fixture("handwritten-schedules.json"),
                new TypeReference<List<ISchedule>>() { });
        assertEquals(List.of(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 100),
                new CosineWarmRestartsSchedule(ITERATION, 0.05, 1e-4, 1000, 2.0),
                new WarmupCosineSchedule(EPOCH, 0.001, 0.0, 0.0, 5, 90, 390)), loaded);
    }

    /**
     * A misspelt required property must not load as 0 (DL4J ignores unknown properties): it is an unknown
     * property, named with the one it resembles; left out, the required one is named.
     */
    @Test
    void missingRequiredPropertyIsNamed() {
        String json = "{\"@class\": \"io.github.dl4jcosine.schedule.CosineAnnealingSchedule\","
                + " \"scheduleType\": \"EPOCH\", \"initalValue\": 0.1, \"period\": 100}";
        Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
        assertTrue(e.getMessage().contains("Unknown property \"initalValue\"")
                && e.getMessage().contains("did you mean \"initialValue\""), e.getMessage());
        String missing = "{\"@class\": \"io.github.dl4jcosine.schedule.CosineAnnealingSchedule\","
                + " \"scheduleType\": \"EPOCH\", \"period\": 100}";
        e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(missing, ISchedule.class));
        assertTrue(e.getMessage().contains("'initialValue'"), e.getMessage());
    }

    /** An invalid value in JSON fails at load time with the constructor's message. */
    @Test
    void invalidValueInJsonIsRejectedAtLoad() {
        String json = "{\"@class\": \"io.github.dl4jcosine.schedule.CosineAnnealingSchedule\","
                + " \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": -3}";
        Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
        assertTrue(e.getMessage().contains("period (-3) must be > 0"), e.getMessage());
    }

    private static Object updater(MultiLayerConfiguration conf, int layer) {
        return ((BaseLayer) conf.getConf(layer).getLayer()).getIUpdater();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = SavedJsonFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertTrue(in != null, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
