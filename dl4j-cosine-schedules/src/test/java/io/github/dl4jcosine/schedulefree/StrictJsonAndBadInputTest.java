package io.github.dl4jcosine.schedulefree;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.learning.config.IUpdater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad values fail at construction with IllegalArgumentException naming the parameter and showing the value
 * (DESIGN.md: learning rate <= 0 or not finite, betas or momentum outside [0, 1), epsilon <= 0, negative weight
 * decay, warmup, r or power). Hand-written JSON is strict through DL4J's own mapper, which would otherwise
 * ignore a misspelt property (it then keeps its default), truncate 1.5 to 1 and read null as 0.
 */
class StrictJsonAndBadInputTest {

    private static final String PKG = "io.github.dl4jcosine.schedulefree.";

    private static void assertRejected(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "<" + fragment + "> not in: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "learningRate | 0.0 | learningRate (0.0) must be > 0",
        "learningRate | -0.1 | learningRate (-0.1) must be > 0",
        "learningRate | NaN | learningRate (NaN) must be finite",
        "learningRate | Infinity | learningRate (Infinity) must be finite",
        "beta1 | 1.0 | beta1 (1.0) must be in [0, 1)",
        "beta1 | -0.01 | beta1 (-0.01) must be in [0, 1)",
        "beta1 | NaN | beta1 (NaN) must be in [0, 1)",
        "beta2 | 1.0 | beta2 (1.0) must be in [0, 1)",
        "beta2 | -1.0 | beta2 (-1.0) must be in [0, 1)",
        "epsilon | 0.0 | epsilon (0.0) must be > 0",
        "epsilon | NaN | epsilon (NaN) must be finite",
        "weightDecay | -1.0E-4 | weightDecay (-1.0E-4) must be >= 0",
        "weightDecay | Infinity | weightDecay (Infinity) must be finite",
        "r | -0.5 | r (-0.5) must be >= 0",
        "r | NaN | r (NaN) must be finite",
        "weightLrPower | -2.0 | weightLrPower (-2.0) must be >= 0",
        "weightLrPower | Infinity | weightLrPower (Infinity) must be finite",
    })
    void adamWRejects(String parameter, double value, String message) {
        ScheduleFreeAdamW.Builder b = ScheduleFreeAdamW.builder();
        switch (parameter) {
            case "learningRate": b.learningRate(value); break;
            case "beta1": b.beta1(value); break;
            case "beta2": b.beta2(value); break;
            case "epsilon": b.epsilon(value); break;
            case "weightDecay": b.weightDecay(value); break;
            case "r": b.r(value); break;
            default: b.weightLrPower(value); break;
        }
        assertRejected(message, b::build);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "learningRate | 0.0 | learningRate (0.0) must be > 0",
        "learningRate | -Infinity | learningRate (-Infinity) must be finite",
        "momentum | 1.0 | momentum (1.0) must be in [0, 1)",
        "momentum | -0.5 | momentum (-0.5) must be in [0, 1)",
        "momentum | NaN | momentum (NaN) must be in [0, 1)",
        "weightDecay | -1.0 | weightDecay (-1.0) must be >= 0",
        "r | -1.0 | r (-1.0) must be >= 0",
        "weightLrPower | NaN | weightLrPower (NaN) must be finite",
    })
    void sgdRejects(String parameter, double value, String message) {
        ScheduleFreeSgd.Builder b = ScheduleFreeSgd.builder();
        switch (parameter) {
            case "learningRate": b.learningRate(value); break;
            case "momentum": b.momentum(value); break;
            case "weightDecay": b.weightDecay(value); break;
            case "r": b.r(value); break;
            default: b.weightLrPower(value); break;
        }
        assertRejected(message, b::build);
    }

    @Test
    void negativeWarmupRejected() {
        assertRejected("warmupSteps (-1) must be >= 0", () -> ScheduleFreeAdamW.builder().warmupSteps(-1).build());
        assertRejected("warmupSteps (-5) must be >= 0", () -> new ScheduleFreeSgd(1, 0.9, 0, -5, 0, 2));
    }

    /** The edges that are allowed: beta = 0 (y = z), zero weight decay, warmup, r and power. */
    @Test
    void edgesAccepted() {
        new ScheduleFreeAdamW(1e-300, 0, 0, Double.MIN_VALUE, 0, 0, 0, 0);
        new ScheduleFreeSgd(Double.MAX_VALUE, 0, 0, Integer.MAX_VALUE, 1e6, 1e6);
        assertEquals(0.0, Double.doubleToRawLongBits(new ScheduleFreeSgd(1, -0.0, -0.0, 0, -0.0, -0.0).getMomentum()));
    }

    private static IUpdater read(String json) throws Exception {
        return JsonMappers.getMapper().readValue(json, IUpdater.class);
    }

    /** {@code json} as the updater of both layers of a MultiLayerConfiguration, read by fromJson. */
    private static MultiLayerConfiguration inConfiguration(String json) {
        String conf = TestNets.mlnConf(new ScheduleFreeSgd(0.123456, 0.9, 0, 0, 0, 2)).toJson();
        String replaced = conf.replaceAll("\\{\\s*\"@class\" : \"" + PKG.replace(".", "\\.")
                + "ScheduleFreeSgd\",[^}]*}", java.util.regex.Matcher.quoteReplacement(json));
        assertFalse(replaced.equals(conf), "marker replaced");
        return MultiLayerConfiguration.fromJson(replaced);
    }

    private static void assertFails(String json, String... fragments) {
        Exception direct = assertThrows(Exception.class, () -> read(json), json);
        Exception inConf = assertThrows(Exception.class, () -> inConfiguration(json), json);
        for (String fragment : fragments) {
            assertTrue(direct.getMessage().contains(fragment), () -> "<" + fragment + "> not in: " + direct.getMessage());
            assertTrue(inConf.getMessage().contains(fragment), () -> "<" + fragment + "> not in: " + inConf.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // misspelt: DL4J would ignore it and keep the default
        "ScheduleFreeAdamW | \"learningrate\": 0.01 | Unknown property \"learningrate\" | ScheduleFreeAdamW",
        "ScheduleFreeAdamW | \"beta1\": 0.9, \"betas\": [0.9, 0.999] | Unknown property \"betas\" | learningRate",
        "ScheduleFreeSgd | \"momentum\": 0.9, \"weight_decay\": 0.1 | Unknown property \"weight_decay\" | weightDecay",
        "ScheduleFreeSgd | \"warmup\": 10 | Unknown property \"warmup\" | warmupSteps",
        // twice
        "ScheduleFreeAdamW | \"r\": 1, \"r\": 2 | r is given twice | ScheduleFreeAdamW",
        // null: DL4J would read 0
        "ScheduleFreeAdamW | \"beta2\": null | beta2 must not be null | ScheduleFreeAdamW",
        "ScheduleFreeSgd | \"warmupSteps\": null | warmupSteps must not be null | ScheduleFreeSgd",
        // strings and fractions: DL4J would read the string, truncate 2.5 to 2
        "ScheduleFreeAdamW | \"learningRate\": \"0.01\" | learningRate must be a JSON number, got the string \"0.01\" | ScheduleFreeAdamW",
        "ScheduleFreeSgd | \"warmupSteps\": 2.5 | warmupSteps (2.5) must be an integer | ScheduleFreeSgd",
        "ScheduleFreeSgd | \"warmupSteps\": 3000000000 | warmupSteps (3000000000) must be an integer in the int range | ScheduleFreeSgd",
        "ScheduleFreeAdamW | \"weightDecay\": true | weightDecay must be a JSON number | ScheduleFreeAdamW",
        // values the constructor refuses
        "ScheduleFreeAdamW | \"beta1\": 1.0 | beta1 (1.0) must be in [0, 1) | ScheduleFreeAdamW",
        "ScheduleFreeSgd | \"learningRate\": 0 | learningRate (0.0) must be > 0 | ScheduleFreeSgd",
        "ScheduleFreeSgd | \"weightLrPower\": -1 | weightLrPower (-1.0) must be >= 0 | ScheduleFreeSgd",
    })
    void strictJson(String type, String properties, String fragment, String alsoNamed) {
        assertFails("{\"@class\": \"" + PKG + type + "\", " + properties + "}", fragment, alsoNamed);
    }

    /** Left-out properties take the package's defaults; integral floats are accepted for warmupSteps; @class may come last. */
    @Test
    void lenientWhereItIsSafe() throws Exception {
        assertEquals(ScheduleFreeAdamW.builder().build(), read("{\"@class\": \"" + PKG + "ScheduleFreeAdamW\"}"));
        assertEquals(ScheduleFreeSgd.builder().learningRate(0.3).warmupSteps(100).build(),
                read("{\"learningRate\": 0.3, \"warmupSteps\": 1e2, \"@class\": \"" + PKG + "ScheduleFreeSgd\"}"));
        assertEquals(ScheduleFreeSgd.builder().warmupSteps(7).build(),
                read("{\"@class\": \"" + PKG + "ScheduleFreeSgd\", \"warmupSteps\": 7.0}"));
        MultiLayerConfiguration conf = inConfiguration("{\"@class\": \"" + PKG + "ScheduleFreeAdamW\", \"learningRate\": 0.01}");
        assertEquals(ScheduleFreeAdamW.builder().learningRate(0.01).build(),
                ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater());
    }
}
