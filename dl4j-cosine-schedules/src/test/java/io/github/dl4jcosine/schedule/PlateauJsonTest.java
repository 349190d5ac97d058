package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.schedule.PlateauSchedule.Mode;
import io.github.dl4jcosine.schedule.PlateauSchedule.ThresholdMode;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.core.type.TypeReference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * PlateauSchedule's JSON, state included: saved files load (fixtures, written by hand in the format DL4J's mapper
 * writes; never regenerate them), and hand-written JSON is strict in the schedule and in its state.
 */
class PlateauJsonTest {

    @Test
    void savedScheduleWithStateLoads() throws IOException {
        ISchedule loaded = JsonMappers.getMapper().readValue(fixture("PlateauSchedule-0.1.0.json"), ISchedule.class);
        PlateauSchedule expected = new PlateauSchedule(
                new LinearWarmupSchedule(EPOCH, 2, 0.0, new FixedSchedule(0.001)), Mode.MIN, 0.5, 3, 1e-4,
                ThresholdMode.RELATIVE, 1, 1e-5, 1e-8,
                new PlateauState(0.4213, 0, 1, 4680, new int[] {2340, 4680}, new double[] {0.5, 0.25}));
        ScheduleContract.assertSameSchedule(expected, loaded);
        // epoch 5 is past the warmup: 0.001 times the multiplier of the update
        assertEquals(0.001, loaded.valueAt(2339, 5), 0.0);
        assertEquals(0.0005, loaded.valueAt(2340, 5), 0.0);
        assertEquals(0.00025, loaded.valueAt(4680, 5), 0.0);
    }

    @Test
    void savedFreshScheduleWithInfiniteBestLoads() throws IOException {
        ISchedule loaded = JsonMappers.getMapper().readValue(fixture("PlateauSchedule-fresh-0.1.0.json"),
                ISchedule.class);
        ScheduleContract.assertSameSchedule(PlateauSchedule.builder(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0,
                10000)).mode(Mode.MAX).threshold(0.01).thresholdMode(ThresholdMode.ABSOLUTE).eps(0).build(), loaded);
        assertEquals(Double.NEGATIVE_INFINITY, ((PlateauSchedule) loaded).getState().getBest(), 0.0);
    }

    /** Without "state": a fresh schedule. */
    @Test
    void handWrittenWithoutState() throws IOException {
        List<ISchedule> loaded = JsonMappers.getMapper().readValue(fixture("handwritten-plateau.json"),
                new TypeReference<List<ISchedule>>() { });
        assertEquals(List.of(PlateauSchedule.builder(new FixedSchedule(0.01)).build()), loaded);
    }

    /** Inside Adam in a configuration, with a state, through JSON and YAML: equal, state and all. */
    @Test
    void stateSurvivesTheConfiguration() {
        PlateauSchedule s = PlateauSchedule.builder(new FixedSchedule(0.01)).patience(0).build();
        s.report(3, 1.0);
        s.report(7, Double.NaN);
        MultiLayerConfiguration conf = TestNets.mlnConf(new Adam(s));
        assertEquals(s, ScheduleContract.adamSchedule(MultiLayerConfiguration.fromJson(conf.toJson()), 0));
        assertEquals(s, ScheduleContract.adamSchedule(MultiLayerConfiguration.fromYaml(conf.toYaml()), 1));
    }

    private static final String BASE = "{\"@class\": \"io.github.dl4jcosine.schedule.PlateauSchedule\","
            + " \"base\": {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.01},"
            + " \"mode\": \"MIN\", \"factor\": 0.1, \"patience\": 10, \"threshold\": 1e-4, \"thresholdMode\": \"RELATIVE\","
            + " \"cooldown\": 0, \"minValue\": 0, \"eps\": 1e-8";
    private static final String STATE = ", \"state\": {\"best\": 1.5, \"badCount\": 2, \"cooldownLeft\": 0,"
            + " \"lastReportIteration\": 40, \"reductionIterations\": [10, 20], \"reductionMultipliers\": [0.1, 0.01]";

    @Test
    void strictStateLoads() throws Exception {
        PlateauSchedule s = (PlateauSchedule) read(BASE + STATE + "}}");
        assertEquals(new PlateauState(1.5, 2, 0, 40, new int[] {10, 20}, new double[] {0.1, 0.01}), s.getState());
    }

    /** Each of these loaded silently (as 0, truncated, ignored) through DL4J's mapper without StrictJson. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a misspelt property of the schedule, and of its state
        "'' | , \"facter\": 0.2 | Unknown property \"facter\"",
        "'' | , \"state\": {\"best\": 1.5, \"badcount\": 2} | Unknown property \"badcount\"",
        // null, a string, a fraction where an int belongs, in the state's arrays too
        ", \"best\": null | '' | best (null) must not be null",
        ", \"best\": \"1.5\" | '' | best (\"1.5\") must be a number",
        ", \"badCount\": 1.5 | '' | badCount (1.5) must be a whole number",
        ", \"reductionIterations\": [10, 20.5] | '' | reductionIterations[1] (20.5) must be a whole number",
        ", \"reductionMultipliers\": [0.1, null] | '' | reductionMultipliers[1] (null) must not be null",
        ", \"reductionMultipliers\": [0.1, \"0.01\"] | '' | reductionMultipliers[1] (\"0.01\") must be a number",
        ", \"reductionMultipliers\": 0.1 | '' | reductionMultipliers (0.1) must be an array of numbers",
        // values that the constructors refuse
        ", \"best\": \"NaN\" | '' | best (NaN) must not be NaN",
        ", \"reductionMultipliers\": [0.1, 0.2] | '' | reductionMultipliers[1] (0.2) must be >= 0 and < reductionMultipliers[0] (0.1)",
        ", \"badCount\": 11 | '' | state.badCount (11) must be <= patience (10)",
    })
    void strictJsonNamesTheProperty(String stateOverride, String extra, String message) {
        String json;
        if (stateOverride.isEmpty() && !extra.isEmpty()) {
            json = BASE + extra + "}";
        } else {
            // the override replaces the property of the same name in STATE
            String name = stateOverride.substring(stateOverride.indexOf('"') + 1, stateOverride.indexOf("\":"));
            String state = STATE.replaceAll("\"" + name + "\": (\\[[^]]*]|[^,]*)", java.util.regex.Matcher
                    .quoteReplacement(stateOverride.substring(2)));
            json = BASE + state + "}}";
        }
        Exception e = assertThrows(Exception.class, () -> read(json), json);
        assertTrue(String.valueOf(e.getMessage()).contains(message), () -> json + "\n" + e.getMessage());
    }

    @Test
    void requiredPropertiesAreNamed() {
        Exception e = assertThrows(Exception.class, () -> read(BASE.replace(" \"patience\": 10,", "") + "}"));
        assertTrue(e.getMessage().contains("'patience'"), e.getMessage());
        e = assertThrows(Exception.class, () -> read(BASE + ", \"state\": {\"best\": 1.5}}"));
        assertTrue(e.getMessage().contains("'badCount'"), e.getMessage());
    }

    private static ISchedule read(String json) throws IOException {
        return JsonMappers.getMapper().readValue(json, ISchedule.class);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = PlateauJsonTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertTrue(in != null, "missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
