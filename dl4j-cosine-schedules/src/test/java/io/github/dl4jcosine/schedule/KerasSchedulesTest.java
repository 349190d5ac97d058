package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * {@link KerasSchedules#fromConfig}: the forms it reads, what each Keras class becomes, and every refusal. The values
 * against Keras itself are in {@link KerasReferenceTest}.
 */
class KerasSchedulesTest {

    /** A Keras 3 serialize() wrapper around {@code config}. */
    private static String keras3(String className, String config) {
        return "{\"module\": \"keras.optimizers.schedules\", \"class_name\": \"" + className + "\", \"config\": "
                + config + ", \"registered_name\": null}";
    }

    private static final String COSINE = "{\"initial_learning_rate\": 0.0, \"decay_steps\": 100, \"alpha\": 0.1,"
            + " \"name\": \"CosineDecay\", \"warmup_target\": 0.01, \"warmup_steps\": 10}";
    private static final ISchedule COSINE_SCHEDULE = new WarmupCosineSchedule(ITERATION, 0.01, 0.0, 0.1 * 0.01, 10, 110);

    static Stream<String> forms() {
        String schedule = keras3("CosineDecay", COSINE);
        return Stream.of(
                schedule,
                // the older form (tf.keras before 2.13)
                "{\"class_name\": \"CosineDecay\", \"config\": " + COSINE + "}",
                // optimizer.get_config() (Keras 3.15 writes these keys)
                "{\"name\": \"adam\", \"learning_rate\": " + schedule + ", \"weight_decay\": null, \"clipnorm\": null,"
                        + " \"use_ema\": false, \"beta_1\": 0.9, \"beta_2\": 0.999, \"epsilon\": 1e-07, \"amsgrad\": false}",
                // keras.optimizers.serialize(optimizer)
                "{\"module\": \"keras.optimizers\", \"class_name\": \"Adam\", \"config\": {\"name\": \"adam\","
                        + " \"learning_rate\": " + schedule + ", \"beta_1\": 0.9}, \"registered_name\": null}",
                // an HDF5 file's training_config["optimizer_config"] (tf.keras 2.11-2.15 name it "Custom>Adam")
                "{\"class_name\": \"Custom>Adam\", \"config\": {\"name\": \"Adam\", \"is_legacy_optimizer\": false,"
                        + " \"learning_rate\": {\"class_name\": \"CosineDecay\", \"config\": " + COSINE + "}}}",
                // an HDF5 file's whole training_config attribute
                "{\"loss\": \"categorical_crossentropy\", \"metrics\": null, \"optimizer_config\": {\"class_name\":"
                        + " \"Adam\", \"config\": {\"name\": \"adam\", \"learning_rate\": " + schedule + "}}}",
                // as DL4J's Hdf5Archive.readAttributeAsJson returns an attribute: followed by a NUL and buffer junk
                schedule + "\0\0\u0007x}{\0",
                // whitespace, key order
                "\n {\"config\": " + COSINE + ",\n \"class_name\": \"CosineDecay\"}\n");
    }

    @ParameterizedTest
    @MethodSource("forms")
    void readsEveryForm(String json) {
        ScheduleContract.assertSameSchedule(COSINE_SCHEDULE, KerasSchedules.fromConfig(json));
    }

    /** What each Keras class becomes: the table in the class javadoc and docs/keras.md. */
    @Test
    void returnsTheClassThatComputesTheSameValues() {
        float rate = 0.96f;   // Keras computes decay_rate, t_mul and m_mul in float32
        same(new ExponentialSchedule(ITERATION, 0.1, Math.pow(rate, 1 / 100.0)), "ExponentialDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"decay_rate\": 0.96, \"staircase\": false}");
        same(new StepSchedule(ITERATION, 0.1, rate, 100), "ExponentialDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"decay_rate\": 0.96, \"staircase\": true}");
        same(new InverseSchedule(ITERATION, 0.1, 0.5 / 10, 1.0), "InverseTimeDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5, \"staircase\": false}");
        same(new InverseTimeDecaySchedule(ITERATION, 0.1, 0.5, 10, true, 0), "InverseTimeDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.5, \"staircase\": true}");
        same(new LinearSchedule(ITERATION, 0.1, 1e-4, 100), "PolynomialDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 100, \"end_learning_rate\": 0.0001, \"power\": 1.0, \"cycle\": false}");
        same(new PolynomialDecaySchedule(ITERATION, 0.1, 1e-4, 100, 1.0, true, 0), "PolynomialDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"end_learning_rate\": 0.0001, \"power\": 1.0,"
                        + " \"cycle\": true}");
        same(new PolynomialDecaySchedule(ITERATION, 0.1, 0.0, 2.5, 1.0, false, 0), "PolynomialDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 2.5, \"end_learning_rate\": 0, \"power\": 1,"
                        + " \"cycle\": false}");
        same(new CosineAnnealingSchedule(ITERATION, 0.1, 0.1 * 0.1, 100), "CosineDecay", "{\"initial_learning_rate\":"
                + " 0.1, \"decay_steps\": 100, \"alpha\": 0.1, \"warmup_target\": null, \"warmup_steps\": 0}");
        // without a target Keras ignores warmup_steps; Keras before 2.13 wrote neither key
        same(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100), "CosineDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 100, \"alpha\": 0.0, \"warmup_target\": null, \"warmup_steps\": 5}");
        same(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100), "CosineDecay",
                "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100.0, \"alpha\": 0.0}");
        // a target without warmup steps: the cosine starts at the target
        same(new CosineAnnealingSchedule(ITERATION, 0.2, 0.0, 100), "CosineDecay", "{\"initial_learning_rate\": 0.1,"
                + " \"decay_steps\": 100, \"alpha\": 0.0, \"warmup_target\": 0.2, \"warmup_steps\": 0}");
        same(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.1 * 0.05, 10, 2.0), "CosineDecayRestarts",
                "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 2.0, \"m_mul\": 1.0,"
                        + " \"alpha\": 0.05}");
        same(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, (float) 1.1, (float) 0.9, 0, 0),
                "CosineDecayRestarts", "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 1.1,"
                        + " \"m_mul\": 0.9, \"alpha\": 0.0}");
        same(new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.1 * 0.1, 10, 2.0, (float) 0.9, 0), "CosineDecayRestarts",
                "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 2.0, \"m_mul\": 0.9,"
                        + " \"alpha\": 0.1, \"name\": \"SGDRDecay\"}");
        same(new CosineDecayRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0, 1.5, 0), "CosineDecayRestarts",
                "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 2.0, \"m_mul\": 1.5,"
                        + " \"alpha\": 0.0}");
    }

    /**
     * Keras's PiecewiseConstantDecay: values[0] while step <= boundaries[0], ...; boundaries cast to the integer step
     * (toward zero). [100, 110]: 1.0 to step 100, 0.5 for 101..110, 0.1 from 111. [-5.5, 10.7] -> [-5, 10]: step 0 is
     * past -5, so 0.25 to step 10, 0.125 from 11. [5, 3e9]: the second boundary is never passed by an int counter.
     * [0, 5]: 0.3 at step 0 only.
     */
    @Test
    void piecewiseConstantBecomesAMapSchedule() {
        same(new MapSchedule(ITERATION, map(0, 1.0, 101, 0.5, 111, 0.1)), "PiecewiseConstantDecay",
                "{\"boundaries\": [100, 110], \"values\": [1.0, 0.5, 0.1], \"name\": \"PiecewiseConstant\"}");
        same(new MapSchedule(ITERATION, map(0, 0.25, 11, 0.125)), "PiecewiseConstantDecay",
                "{\"boundaries\": [-5.5, 10.7], \"values\": [0.5, 0.25, 0.125]}");
        ISchedule far = KerasSchedules.fromConfig(keras3("PiecewiseConstantDecay",
                "{\"boundaries\": [5, 3e9], \"values\": [0.2, 0.1, 0.05]}"));
        ScheduleContract.assertSameSchedule(new MapSchedule(ITERATION, map(0, 0.2, 6, 0.1)), far);
        assertEquals(0.1, far.valueAt(Integer.MAX_VALUE, 0), 0.0);
        same(new MapSchedule(ITERATION, map(0, 0.3, 1, 0.2, 6, 0.1)), "PiecewiseConstantDecay",
                "{\"boundaries\": [0, 5], \"values\": [0.3, 0.2, 0.1]}");
        // every boundary below 0: the last value throughout; a boundary at 2^31 - 2 still has its step 2^31 - 1
        same(new MapSchedule(ITERATION, map(0, 0.05)), "PiecewiseConstantDecay",
                "{\"boundaries\": [-10, -1], \"values\": [0.2, 0.1, 0.05]}");
        same(new MapSchedule(ITERATION, map(0, 0.2, Integer.MAX_VALUE, 0.1)), "PiecewiseConstantDecay",
                "{\"boundaries\": [2147483646], \"values\": [0.2, 0.1]}");
    }

    private static Map<Integer, Double> map(Object... keysAndValues) {
        Map<Integer, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((Integer) keysAndValues[i], (Double) keysAndValues[i + 1]);
        }
        return map;
    }

    private static void same(ISchedule expected, String className, String config) {
        ScheduleContract.assertSameSchedule(expected, KerasSchedules.fromConfig(keras3(className, config)));
    }

    private static final String EXP = "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"decay_rate\": 0.96,"
            + " \"staircase\": false}";

    @Test
    void refusesTextThatIsNotOneJsonObject() {
        assertRejected("json (null) must not be null", () -> KerasSchedules.fromConfig(null));
        assertRejected("json is not valid JSON: Unexpected end-of-input", () -> KerasSchedules.fromConfig("{"));
        assertRejected("json is not valid JSON: Unrecognized token 'abc'", () -> KerasSchedules.fromConfig("abc"));
        assertRejected("json (\"  \") is empty", () -> KerasSchedules.fromConfig("  "));
        assertRejected("json ([1,2]) must be a JSON object", () -> KerasSchedules.fromConfig("[1, 2]"));
        assertRejected("json (null) must be a JSON object", () -> KerasSchedules.fromConfig("null"));
        assertRejected("json is not valid JSON: Unexpected end-of-input",
                () -> KerasSchedules.fromConfig("{\0\"class_name\": \"CosineDecay\"}"));
        assertRejected("json is not valid JSON: Trailing token", () -> KerasSchedules.fromConfig(keras3(
                "ExponentialDecay", EXP) + " {}"));
        assertRejected("json is not valid JSON: Duplicate field 'class_name'", () -> KerasSchedules.fromConfig(
                "{\"class_name\": \"ExponentialDecay\", \"class_name\": \"CosineDecay\", \"config\": " + EXP + "}"));
    }

    @Test
    void refusesUnknownClassesAndWrappers() {
        assertRejected("json: unknown class_name \"LinearCosineDecay\"; the Keras schedules are [ExponentialDecay,"
                + " PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts]",
                () -> KerasSchedules.fromConfig(keras3("LinearCosineDecay", EXP)));
        assertRejected("registered_name (\"mylib>ExponentialDecay\") names a custom class", () -> KerasSchedules
                .fromConfig(keras3("ExponentialDecay", EXP).replace("null}", "\"mylib>ExponentialDecay\"}")));
        assertRejected("json: unknown key \"build_config\" beside class_name", () -> KerasSchedules.fromConfig(
                "{\"class_name\": \"ExponentialDecay\", \"config\": " + EXP + ", \"build_config\": {}}"));
        assertRejected("json: class_name (7) must be a string", () -> KerasSchedules.fromConfig(
                "{\"class_name\": 7, \"config\": " + EXP + "}"));
        assertRejected("ExponentialDecay: config (nothing) must be a JSON object", () -> KerasSchedules.fromConfig(
                "{\"class_name\": \"ExponentialDecay\"}"));
        assertRejected("ExponentialDecay: config ([]) must be a JSON object", () -> KerasSchedules.fromConfig(
                "{\"class_name\": \"ExponentialDecay\", \"config\": []}"));
        assertRejected("json (keys [name, beta_1]) is neither a Keras schedule", () -> KerasSchedules.fromConfig(
                "{\"name\": \"adam\", \"beta_1\": 0.9}"));
        assertRejected("training_config: optimizer_config (\"adam\") must be a serialized optimizer",
                () -> KerasSchedules.fromConfig("{\"loss\": \"mse\", \"optimizer_config\": \"adam\"}"));
        assertRejected("training_config: optimizer_config (Adam) has no learning_rate", () -> KerasSchedules.fromConfig(
                "{\"loss\": \"mse\", \"optimizer_config\": {\"class_name\": \"Adam\", \"config\": {\"beta_1\": 0.9}}}"));
    }

    /** An optimizer config needs a schedule: a plain number is a fixed rate, refused with its DL4J form. */
    @Test
    void refusesAnOptimizerWithoutASchedule() {
        assertRejected("optimizer config: learning_rate (0.001) is a plain number, not a schedule: the rate is fixed"
                + " (new Adam(0.001) or net.setLearningRate(0.001) in DL4J)",
                () -> KerasSchedules.fromConfig("{\"name\": \"adam\", \"learning_rate\": 0.001, \"beta_1\": 0.9}"));
        assertRejected("optimizer SGD: learning_rate (0.01) is a plain number", () -> KerasSchedules.fromConfig(
                "{\"class_name\": \"SGD\", \"config\": {\"learning_rate\": 0.01, \"momentum\": 0.0}}"));
        assertRejected("optimizer config: learning_rate (\"fast\") must be a serialized Keras schedule",
                () -> KerasSchedules.fromConfig("{\"learning_rate\": \"fast\"}"));
        assertRejected("optimizer config: learning_rate (null) must be a serialized Keras schedule",
                () -> KerasSchedules.fromConfig("{\"learning_rate\": null}"));
        assertRejected("optimizer config: learning_rate has unknown class_name \"Adam\"", () -> KerasSchedules
                .fromConfig("{\"learning_rate\": {\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.1}}}"));
        assertRejected("optimizer config: learning_rate has unknown class_name \"MySchedule\"; the Keras schedules are"
                + " [ExponentialDecay", () -> KerasSchedules.fromConfig(
                        "{\"learning_rate\": {\"class_name\": \"MySchedule\", \"config\": {}}}"));
    }

    @Test
    void refusesUnknownAndMissingKeys() {
        assertRejected("ExponentialDecay: unknown key \"decay_step\" (did you mean \"decay_steps\"?); its keys are"
                + " [initial_learning_rate, decay_steps, decay_rate, staircase, name]",
                () -> KerasSchedules.fromConfig(keras3("ExponentialDecay", EXP.replace("decay_steps", "decay_step"))));
        assertRejected("ExponentialDecay: unknown key \"alpha\"", () -> KerasSchedules.fromConfig(keras3(
                "ExponentialDecay", EXP.replace("}", ", \"alpha\": 0.0}"))));
        assertRejected("ExponentialDecay: missing key \"staircase\"", () -> KerasSchedules.fromConfig(keras3(
                "ExponentialDecay", "{\"initial_learning_rate\": 0.1, \"decay_steps\": 100, \"decay_rate\": 0.96}")));
        assertRejected("CosineDecayRestarts: missing key \"alpha\"", () -> KerasSchedules.fromConfig(keras3(
                "CosineDecayRestarts", "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 2.0,"
                        + " \"m_mul\": 1.0}")));
        assertRejected("PiecewiseConstantDecay: missing key \"values\"", () -> KerasSchedules.fromConfig(keras3(
                "PiecewiseConstantDecay", "{\"boundaries\": [10]}")));
        assertRejected("PolynomialDecay: missing key \"cycle\"", () -> KerasSchedules.fromConfig(keras3(
                "PolynomialDecay", "{\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"end_learning_rate\": 0.0,"
                        + " \"power\": 1.0}")));
        assertRejected("CosineDecay: unknown key \"warmup_step\" (did you mean \"warmup_steps\"?)", () -> KerasSchedules
                .fromConfig(keras3("CosineDecay", COSINE.replace("warmup_steps", "warmup_step"))));
    }

    @Test
    void refusesInvalidValues() {
        rejected("ExponentialDecay: decay_steps (0.0) must be >= 1.0E-9 (Keras requires > 0)", "ExponentialDecay",
                EXP.replace("100", "0"));
        rejected("ExponentialDecay: decay_steps (-5.0) must be >= 1.0E-9", "ExponentialDecay", EXP.replace("100", "-5"));
        rejected("ExponentialDecay: decay_steps (\"100\") must be a number", "ExponentialDecay",
                EXP.replace("100", "\"100\""));
        rejected("ExponentialDecay: decay_steps (NaN) must be finite", "ExponentialDecay", EXP.replace("100", "NaN"));
        rejected("ExponentialDecay: decay_steps (null) must be a number", "ExponentialDecay", EXP.replace("100", "null"));
        rejected("ExponentialDecay: initial_learning_rate (-0.1) must be in [0, ", "ExponentialDecay",
                EXP.replace("0.1", "-0.1"));
        rejected("ExponentialDecay: initial_learning_rate (Infinity) must be finite", "ExponentialDecay",
                EXP.replace("0.1", "Infinity"));
        rejected("ExponentialDecay: initial_learning_rate (1) is an integer, so Keras computes this schedule in int32",
                "ExponentialDecay", EXP.replace("0.1", "1"));
        rejected("ExponentialDecay: decay_rate (-0.5) must be in [0, ", "ExponentialDecay",
                EXP.replace("0.96", "-0.5"));
        rejected("ExponentialDecay: staircase (\"yes\") must be true or false", "ExponentialDecay",
                EXP.replace("false", "\"yes\""));
        // 2^(2^31) overflows: refused rather than an infinite rate at some step
        rejected("ExponentialDecay: decay_rate (2.0) with decay_steps (1) takes the rate out of [0, ",
                "ExponentialDecay", EXP.replace("0.96", "2.0").replace("100", "1"));
        rejected("InverseTimeDecay: decay_rate (-0.5) must be in [0, ", "InverseTimeDecay",
                EXP.replace("0.96", "-0.5"));
        rejected("PiecewiseConstantDecay: values (2 entries) must have one entry more than boundaries (2 entries)",
                "PiecewiseConstantDecay", "{\"boundaries\": [10, 20], \"values\": [0.1, 0.01]}");
        rejected("PiecewiseConstantDecay: boundaries must increase strictly, but boundaries[1] (10.0) <= boundaries[0]"
                + " (20.0)", "PiecewiseConstantDecay", "{\"boundaries\": [20, 10], \"values\": [0.1, 0.01, 0.001]}");
        rejected("PiecewiseConstantDecay: boundaries ([]) must be a non-empty array of numbers",
                "PiecewiseConstantDecay", "{\"boundaries\": [], \"values\": [0.1]}");
        rejected("PiecewiseConstantDecay: values[1] (\"0.01\") must be a number", "PiecewiseConstantDecay",
                "{\"boundaries\": [10], \"values\": [0.1, \"0.01\"]}");
        rejected("PiecewiseConstantDecay: values[1] (-0.01) must be in [0, ", "PiecewiseConstantDecay",
                "{\"boundaries\": [10], \"values\": [0.1, -0.01]}");
        rejected("PiecewiseConstantDecay: boundaries[0] (NaN) must be finite", "PiecewiseConstantDecay",
                "{\"boundaries\": [NaN], \"values\": [0.1, 0.01]}");
        String poly = "{\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"end_learning_rate\": 0.0,"
                + " \"power\": 1.0, \"cycle\": false}";
        rejected("PolynomialDecay: power (-1.0) must be >= 0", "PolynomialDecay", poly.replace("1.0", "-1.0"));
        rejected("PolynomialDecay: end_learning_rate (-0.01) must be in [0, ", "PolynomialDecay",
                poly.replace("0.0,", "-0.01,"));
        rejected("PolynomialDecay: decay_steps (0.0) must be >= 1.0E-9", "PolynomialDecay",
                poly.replace("10", "0"));
        rejected("CosineDecay: decay_steps (2.5) must be a whole number in [1, 2147483647]", "CosineDecay",
                COSINE.replace("100", "2.5"));
        rejected("CosineDecay: decay_steps (0) must be a whole number in [1, ", "CosineDecay",
                COSINE.replace("100", "0"));
        rejected("CosineDecay: decay_steps (3000000000) must be a whole number in [1, 2147483647] (DL4J counts"
                + " iterations in an int)", "CosineDecay", COSINE.replace("100", "3000000000"));
        rejected("CosineDecay: warmup_steps (-1) must be a whole number in [0, ", "CosineDecay",
                COSINE.replace("10}", "-1}"));
        rejected("CosineDecay: warmup_steps (2147483647) + decay_steps (100) must be <= 2147483647", "CosineDecay",
                COSINE.replace("10}", "2147483647}"));
        rejected("CosineDecay: alpha (-0.1) must be >= 0", "CosineDecay", COSINE.replace("0.1,", "-0.1,"));
        rejected("CosineDecay: warmup_target (-0.01) must be in [0, ", "CosineDecay", COSINE.replace("0.01", "-0.01"));
        rejected("CosineDecay: initial_learning_rate (0) is an integer", "CosineDecay", COSINE.replace("0.0,", "0,"));
        String restarts = "{\"initial_learning_rate\": 0.1, \"first_decay_steps\": 10, \"t_mul\": 2.0,"
                + " \"m_mul\": 0.5, \"alpha\": 0.1}";
        rejected("CosineDecayRestarts: t_mul (0.5) must be >= 1: with t_mul < 1 Keras's cycles shrink toward step"
                + " first_decay_steps / (1 - t_mul) = 20.0, after which its rate is NaN", "CosineDecayRestarts",
                restarts.replace("2.0", "0.5"));
        rejected("CosineDecayRestarts: t_mul (1.0E39) is infinite in float32", "CosineDecayRestarts",
                restarts.replace("2.0", "1e39"));
        rejected("CosineDecayRestarts: m_mul (-0.5) must be >= 0", "CosineDecayRestarts",
                restarts.replace("0.5", "-0.5"));
        rejected("CosineDecayRestarts: alpha (-0.1) must be >= 0", "CosineDecayRestarts",
                restarts.replace("0.1}", "-0.1}"));
        rejected("CosineDecayRestarts: first_decay_steps (0) must be a whole number in [1, ", "CosineDecayRestarts",
                restarts.replace("10", "0"));
        rejected("CosineDecayRestarts (t_mul 1.0, m_mul 1.5 in float32): amplitudeDecay (1.5) takes the restart value"
                + " of cycle", "CosineDecayRestarts", restarts.replace("2.0", "1.0").replace("10", "1")
                .replace("0.5", "1.5"));
    }

    private static void rejected(String message, String className, String config) {
        assertRejected(message, () -> KerasSchedules.fromConfig(keras3(className, config)));
    }

    /** Every schedule the reference cases give survives DL4J's JSON and YAML inside Adam, with bitwise equal values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.dl4jcosine.schedule.KerasReferenceTest#cases")
    void survivesDl4jJsonAndYaml(KerasReferenceTest.Case c) {
        ISchedule schedule = KerasSchedules.fromConfig(c.json());
        for (boolean yaml : new boolean[] {false, true}) {
            ISchedule copy = ScheduleContract.roundTripInConfiguration(schedule, yaml);
            assertEquals(schedule, copy);
            assertEquals(schedule.hashCode(), copy.hashCode());
            for (long step : c.steps()) {
                assertEquals(schedule.valueAt((int) step, 0), copy.valueAt((int) step, 0), 0.0, c + " step " + step);
            }
        }
    }
}
