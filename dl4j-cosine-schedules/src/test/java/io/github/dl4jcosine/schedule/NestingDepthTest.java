package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Collections;
import java.util.List;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

/**
 * Schedules nest at most 64 deep (Nesting.MAX_DEPTH), in constructors and while reading JSON, so that a
 * document nested deep enough to overflow the stack fails with a clear message instead of a StackOverflowError.
 */
class NestingDepthTest {

    private static final String PKG = "io.github.dl4jcosine.schedule.";
    private static final CosineAnnealingSchedule LEAF = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10);

    /** {@code wrappers} warmups of one epoch around LEAF: depth wrappers + 1. */
    private static ISchedule chain(int wrappers) {
        ISchedule s = LEAF;
        for (int i = 0; i < wrappers; i++) {
            s = new LinearWarmupSchedule(EPOCH, 1, 0.0, s);
        }
        return s;
    }

    @Test
    void constructorsAllowSixtyFourLevels() {
        ISchedule deepest = chain(63);
        assertEquals(64, Nesting.depthOf(deepest));
        // 63 warmups of one epoch each: the cosine starts at epoch 63
        assertEquals(0.1, deepest.valueAt(0, 63), 0.0);
        assertRejected("nesting depth (65) must be <= 64: schedule already nests 64 schedules deep",
                () -> new LinearWarmupSchedule(EPOCH, 1, 0.0, deepest));
        assertRejected("nesting depth (65) must be <= 64: schedules already nests 64 schedules deep",
                () -> new ProductSchedule(new FixedSchedule(1.0), deepest));
        assertRejected("nesting depth (65) must be <= 64",
                () -> new SequentialSchedule(EPOCH, List.of(LEAF, deepest), new int[] {5}));
        ISchedule products = LEAF;
        for (int i = 0; i < 63; i++) {
            products = new ProductSchedule(Collections.singletonList(products));
        }
        ISchedule deepProducts = products;
        assertRejected("nesting depth (65) must be <= 64", () -> new ProductSchedule(deepProducts));
    }

    /** 64 levels read back; one more fails at load time with the maximum in the message, type id first or last. */
    @Test
    void jsonReadsSixtyFourLevelsAndRefusesSixtyFive() throws Exception {
        ISchedule deepest = chain(63);
        String json = JsonMappers.getMapper().writeValueAsString(deepest);
        assertEquals(deepest, JsonMappers.getMapper().readValue(json, ISchedule.class));
        for (boolean typeIdLast : new boolean[] {false, true}) {
            String tooDeep = warmups(64, typeIdLast);
            Exception e = assertThrows(Exception.class, () -> JsonMappers.getMapper().readValue(tooDeep, ISchedule.class));
            assertTrue(e.getMessage().contains("nesting depth must be <= 64"), e.getMessage());
        }
    }

    /**
     * 5,000 and 50,000 nested warmups, sequences or products in a string (a StackOverflowError before): refused
     * with a clear message through the ISchedule mapper, DL4J's fromJson and the YAML mapper.
     */
    @ParameterizedTest
    @ValueSource(ints = {5_000, 50_000})
    void hostileNestingIsRefusedWithoutStackOverflow(int levels) {
        for (String json : new String[] {warmups(levels, false), warmups(levels, true), sequences(levels),
            products(levels)}) {
            Exception direct = assertThrows(Exception.class,
                    () -> JsonMappers.getMapper().readValue(json, ISchedule.class));
            assertTrue(direct.getMessage().contains("nesting depth must be <= 64"), direct.getMessage());
        }
        // YAML is a superset of JSON (SnakeYAML takes seconds for 50,000 levels with the type id last: one case)
        Exception yaml = assertThrows(Exception.class,
                () -> JsonMappers.getMapperYaml().readValue(warmups(levels, false), ISchedule.class));
        assertTrue(yaml.getMessage().contains("nesting depth must be <= 64"), yaml.getMessage());
        String marker = TestNets.mlnConf(new Adam(new FixedSchedule(0.123456))).toJson();
        String conf = marker.replaceAll("\\{\\s*\"@class\" : \"org.nd4j.linalg.schedule.FixedSchedule\",\\s*"
                + "\"value\" : 0.123456\\s*}", java.util.regex.Matcher.quoteReplacement(warmups(levels, true)));
        assertFalse(conf.equals(marker));
        Exception e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(conf));
        assertTrue(e.getMessage().contains("nesting depth must be <= 64"), e.getMessage());
    }

    private static final String LEAF_JSON = "{\"@class\": \"" + PKG + "CosineAnnealingSchedule\","
            + " \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 10}";

    private static String warmups(int levels, boolean typeIdLast) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            b.append(typeIdLast ? "{\"scheduleType\": \"EPOCH\", \"warmupPeriod\": 1, \"schedule\": "
                    : "{\"@class\": \"" + PKG + "LinearWarmupSchedule\", \"scheduleType\": \"EPOCH\","
                    + " \"warmupPeriod\": 1, \"schedule\": ");
        }
        b.append(LEAF_JSON);
        for (int i = 0; i < levels; i++) {
            b.append(typeIdLast ? ", \"@class\": \"" + PKG + "LinearWarmupSchedule\"}" : "}");
        }
        return b.toString();
    }

    private static String sequences(int levels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            b.append("{\"@class\": \"" + PKG + "SequentialSchedule\", \"scheduleType\": \"EPOCH\", \"milestones\": [],"
                    + " \"schedules\": [");
        }
        b.append(LEAF_JSON);
        for (int i = 0; i < levels; i++) {
            b.append("]}");
        }
        return b.toString();
    }

    private static String products(int levels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            b.append("{\"@class\": \"" + PKG + "ProductSchedule\", \"schedules\": [");
        }
        b.append(LEAF_JSON);
        for (int i = 0; i < levels; i++) {
            b.append("]}");
        }
        return b.toString();
    }
}
