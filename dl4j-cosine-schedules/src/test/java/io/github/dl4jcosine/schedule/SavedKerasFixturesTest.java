package io.github.dl4jcosine.schedule;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Saved JSON/YAML of the classes {@link KerasSchedules} added ({@link PolynomialDecaySchedule},
 * {@link InverseTimeDecaySchedule}, {@link CosineDecayRestartsSchedule}) must load, on every build (the promise of
 * {@link SavedJsonFixturesTest}): alone, and as three layers' updaters of a {@code MultiLayerConfiguration} (with a
 * DL4J {@code MapSchedule}, what a Keras {@code PiecewiseConstantDecay} becomes, as a momentum schedule). Never
 * regenerate these files; add new ones for new versions. Their JSON is strict as every class of ours.
 */
class SavedKerasFixturesTest {

    private static final PolynomialDecaySchedule POLYNOMIAL = new PolynomialDecaySchedule(EPOCH, 0.1, 1e-4, 12.5, 0.9,
            true, 390);
    private static final InverseTimeDecaySchedule INVERSE = new InverseTimeDecaySchedule(ITERATION, 0.05, 0.5, 1000,
            true, 0);
    private static final CosineDecayRestartsSchedule RESTARTS = new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.001,
            1000, 2.0, 0.8999999761581421, 0);

    /** What each fixture file holds, written out by hand. */
    private static final Map<String, ISchedule> SAVED = Map.of("PolynomialDecaySchedule", POLYNOMIAL,
            "InverseTimeDecaySchedule", INVERSE, "CosineDecayRestartsSchedule", RESTARTS);

    @ParameterizedTest
    @ValueSource(strings = {"PolynomialDecaySchedule", "InverseTimeDecaySchedule", "CosineDecayRestartsSchedule"})
    void savedScheduleLoads(String name) throws IOException {
        ISchedule loaded = JsonMappers.getMapper().readValue(fixture(name + "-0.1.0.json"), ISchedule.class);
        ScheduleContract.assertSameSchedule(SAVED.get(name), loaded);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void savedMultiLayerConfigurationLoads(boolean yaml) throws IOException {
        MultiLayerConfiguration conf = yaml
                ? MultiLayerConfiguration.fromYaml(fixture("multilayer-configuration-keras-0.1.0.yaml"))
                : MultiLayerConfiguration.fromJson(fixture("multilayer-configuration-keras-0.1.0.json"));
        ScheduleContract.assertSameSchedule(RESTARTS, ((Adam) updater(conf, 0)).getLearningRateSchedule());
        ScheduleContract.assertSameSchedule(POLYNOMIAL, ((Sgd) updater(conf, 1)).getLearningRateSchedule());
        Nesterovs nesterovs = (Nesterovs) updater(conf, 2);
        ScheduleContract.assertSameSchedule(INVERSE, nesterovs.getLearningRateSchedule());
        Map<Integer, Double> momentum = new LinkedHashMap<>();
        momentum.put(0, 0.9);
        momentum.put(101, 0.95);
        ScheduleContract.assertSameSchedule(new MapSchedule(ITERATION, momentum), nesterovs.getMomentumISchedule());
    }

    /** Strict like every class of ours: a misspelt property, a fractional int, null: errors naming the property. */
    @Test
    void strictJson() {
        String restarts = "{\"@class\": \"io.github.dl4jcosine.schedule.CosineDecayRestartsSchedule\","
                + " \"scheduleType\": \"ITERATION\", \"initialValue\": 0.1, \"minValue\": 0.001, \"firstPeriod\": 1000,"
                + " \"periodMultiplier\": 2.0, \"amplitudeDecay\": 0.9}";
        assertEquals(new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.001, 1000, 2.0, 0.9, 0), read(restarts));
        assertFails(restarts.replace("amplitudeDecay", "amplitudeDecy"),
                "Unknown property \"amplitudeDecy\"", "did you mean \"amplitudeDecay\"");
        assertFails(restarts.replace("1000", "1000.5"), "firstPeriod (1000.5) must be a whole number");
        assertFails(restarts.replace("0.001", "null"), "minValue (null) must not be null");
        assertFails(restarts.replace(", \"amplitudeDecay\": 0.9", ""), "'amplitudeDecay'");
        String polynomial = "{\"@class\": \"io.github.dl4jcosine.schedule.PolynomialDecaySchedule\","
                + " \"scheduleType\": \"ITERATION\", \"initialValue\": 0.1, \"endValue\": 0.0, \"decayPeriod\": 2.5,"
                + " \"power\": 1.0, \"cycle\": true}";
        assertEquals(new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 2.5, 1.0, true, 0), read(polynomial));
        assertFails(polynomial.replace("true", "1"), "cycle (1) must be true or false");
        assertFails(polynomial.replace("\"power\": 1.0", "\"power\": -1.0"), "power (-1.0) must be >= 0");
        String inverse = "{\"@class\": \"io.github.dl4jcosine.schedule.InverseTimeDecaySchedule\","
                + " \"scheduleType\": \"ITERATION\", \"initialValue\": 0.1, \"decayRate\": 0.5, \"decayPeriod\": 10,"
                + " \"staircase\": true}";
        assertEquals(new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 10, true, 0), read(inverse));
        assertFails(inverse.replace("decayRate", "decay_rate"), "Unknown property \"decay_rate\"");
        assertFails(inverse.replace("0.5", "\"0.5\""), "decayRate (\"0.5\") must be a number");
    }

    private static ISchedule read(String json) {
        try {
            return JsonMappers.getMapper().readValue(json, ISchedule.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFails(String json, String... parts) {
        Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected <" + part + "> in " + e.getMessage());
        }
    }

    private static Object updater(MultiLayerConfiguration conf, int layer) {
        return ((BaseLayer) conf.getConf(layer).getLayer()).getIUpdater();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = SavedKerasFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertTrue(in != null, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
