package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.io.File;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Hand-written JSON and YAML for our classes is strict through DL4J's own mappers, which ignore unknown
 * properties, truncate 1.5 to 1 and read null as 0: each of those fails here, naming the property (and, for
 * an unknown one, the class). Before StrictJson every case below loaded silently.
 */
class StrictJsonTest {

    private static final String PKG = "io.github.dl4jcosine.schedule.";
    private static final String COSINE = "{\"@class\": \"" + PKG + "CosineAnnealingSchedule\", \"scheduleType\": \"EPOCH\","
            + " \"initialValue\": 0.1, ";

    private static ISchedule read(String json) throws Exception {
        return JsonMappers.getMapper().readValue(json, ISchedule.class);
    }

    /** {@code json} as the learning-rate schedule of an Adam updater in a MultiLayerConfiguration, through fromJson. */
    private static MultiLayerConfiguration inConfiguration(String json) {
        String marker = TestNets.mlnConf(new Adam(new FixedSchedule(0.123456))).toJson();
        String conf = marker.replaceAll("\\{\\s*\"@class\" : \"org.nd4j.linalg.schedule.FixedSchedule\",\\s*"
                + "\"value\" : 0.123456\\s*}", java.util.regex.Matcher.quoteReplacement(json));
        assertFalse(conf.equals(marker), "marker replaced");
        return MultiLayerConfiguration.fromJson(conf);
    }

    /** The read fails (through the ISchedule mapper and inside a MultiLayerConfiguration) with every fragment. */
    private static void assertFails(String json, String... fragments) {
        Exception direct = assertThrows(Exception.class, () -> read(json), json);
        Exception inConf = assertThrows(Exception.class, () -> inConfiguration(json), json);
        for (String fragment : fragments) {
            assertTrue(direct.getMessage().contains(fragment), () -> "<" + fragment + "> not in: " + direct.getMessage());
            assertTrue(inConf.getMessage().contains(fragment), () -> "<" + fragment + "> not in: " + inConf.getMessage());
        }
    }

    /** Misspelt properties (DL4J: silently ignored, the property then defaults to 0): named with the class. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"minVlaue\": 0.01, \"period\": 10 | minVlaue | minValue",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 10, \"iterationPerEpoch\": 390 | iterationPerEpoch | iterationsPerEpoch",
        "CosineWarmRestartsSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"firstPeriod\": 10, \"periodMultiplier\": 2, \"peakDecay\": 1, \"maxCylces\": 3 | maxCylces | maxCycles",
        "WarmupCosineSchedule | \"scheduleType\": \"EPOCH\", \"peakValue\": 0.1, \"warmupPeriod\": 5, \"totalPeriod\": 90, \"warmupStart\": 0.01 | warmupStart | warmupStartValue",
        "LinearSchedule | \"scheduleType\": \"EPOCH\", \"startValue\": 0.1, \"endvalue\": 1.0, \"endValue\": 1.0, \"period\": 5 | endvalue | endValue",
        "LinearWarmupSchedule | \"scheduleType\": \"EPOCH\", \"warmupPeriod\": 5, \"schedule\": {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}, \"startvalue\": 0.01 | startvalue | startValue",
        "SequentialSchedule | \"scheduleType\": \"EPOCH\", \"schedules\": [{\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}], \"milestones\": [], \"milestone\": [] | milestone | milestones",
        "ProductSchedule | \"schedules\": [{\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}], \"factors\": [] | factors | schedules",
    })
    void unknownPropertyIsNamedWithItsClass(String cls, String body, String wrong, String right) {
        assertFails("{\"@class\": \"" + PKG + cls + "\", " + body + "}", "\"" + wrong + "\"", PKG + cls, right);
    }

    /** The type id may come anywhere in the object; an unknown property deep inside a wrapper names the inner class. */
    @Test
    void typeIdAnywhereAndNestedUnknownProperty() throws Exception {
        CosineAnnealingSchedule expected = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10);
        assertEquals(expected, read(COSINE + "\"period\": 10}"));
        assertEquals(expected, read("{\"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 10, \"@class\": \""
                + PKG + "CosineAnnealingSchedule\"}"));
        assertEquals(expected, read("{\"scheduleType\": \"EPOCH\", \"@class\": \"" + PKG
                + "CosineAnnealingSchedule\", \"initialValue\": 0.1, \"period\": 10}"));
        assertFails("{\"@class\": \"" + PKG + "LinearWarmupSchedule\", \"scheduleType\": \"EPOCH\", \"warmupPeriod\": 5,"
                + " \"schedule\": " + COSINE + "\"period\": 10, \"minVlaue\": 0.001}}",
                "\"minVlaue\"", PKG + "CosineAnnealingSchedule");
        assertFails("{\"@class\": \"" + PKG + "LinearWarmupSchedule\", \"scheduleType\": \"EPOCH\", \"warmupPeriod\": 5,"
                + " \"schedule\": {\"minVlaue\": 0.001, \"@class\": \"" + PKG + "CosineAnnealingSchedule\"}}",
                "\"minVlaue\"", PKG + "CosineAnnealingSchedule");
    }

    /** A fractional number where an int belongs (DL4J: truncated, so 1.5 became 1), or out of the int range. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 1.5 | period (1.5)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 10, \"iterationsPerEpoch\": 390.5 | iterationsPerEpoch (390.5)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 3000000000 | period (3000000000)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 1e10 | period (1e10)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 100.0000000001 | period (100.0000000001)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": \"10\" | period (\"10\") must be a whole number",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": true | period (true) must be a whole number",
        "CosineWarmRestartsSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"firstPeriod\": 10.5, \"periodMultiplier\": 2, \"peakDecay\": 1 | firstPeriod (10.5)",
        "CosineWarmRestartsSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"firstPeriod\": 10, \"periodMultiplier\": 2, \"peakDecay\": 1, \"maxCycles\": 2.5 | maxCycles (2.5)",
        "WarmupCosineSchedule | \"scheduleType\": \"EPOCH\", \"peakValue\": 0.1, \"warmupPeriod\": 0.5, \"totalPeriod\": 90 | warmupPeriod (0.5)",
        "LinearWarmupSchedule | \"scheduleType\": \"EPOCH\", \"warmupPeriod\": 2.5, \"schedule\": {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1} | warmupPeriod (2.5)",
        "SequentialSchedule | \"scheduleType\": \"EPOCH\", \"schedules\": [{\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}, {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.2}], \"milestones\": [5.7] | milestones[0] (5.7)",
        "SequentialSchedule | \"scheduleType\": \"EPOCH\", \"schedules\": [{\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}, {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.2}], \"milestones\": 5 | milestones (5) must be an array",
    })
    void fractionalIntIsNamed(String cls, String body, String fragment) {
        assertFails("{\"@class\": \"" + PKG + cls + "\", " + body + "}", fragment, PKG + cls);
    }

    /** Decision: an int written as an exactly integral number (100.0, 1e2, YAML 100.0) is that int. */
    @Test
    void integralNumberIsAcceptedExactly() throws Exception {
        CosineAnnealingSchedule expected = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 100, 390);
        assertEquals(expected, read(COSINE + "\"period\": 100.0, \"iterationsPerEpoch\": 390}"));
        assertEquals(expected, read(COSINE + "\"period\": 1e2, \"iterationsPerEpoch\": 3.9E2}"));
        assertEquals(expected, JsonMappers.getMapperYaml().readValue("!<" + PKG + "CosineAnnealingSchedule>\n"
                + "scheduleType: EPOCH\ninitialValue: 0.1\nperiod: 100.0\niterationsPerEpoch: 390\n", ISchedule.class));
        SequentialSchedule seq = (SequentialSchedule) read("{\"@class\": \"" + PKG + "SequentialSchedule\","
                + " \"scheduleType\": \"EPOCH\", \"milestones\": [5.0], \"schedules\": [" + COSINE + "\"period\": 5},"
                + COSINE + "\"period\": 10}]}");
        assertEquals(5, seq.getMilestones()[0]);
    }

    /** null for a number (DL4J: 0), required or optional: an optional property is left out for its default. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": null, \"period\": 10 | initialValue (null) must not be null",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"minValue\": null, \"period\": 10 | minValue (null) must not be null; leave the property out",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": null | period (null)",
        "CosineAnnealingSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"period\": 10, \"iterationsPerEpoch\": null | iterationsPerEpoch (null)",
        "CosineAnnealingSchedule | \"scheduleType\": null, \"initialValue\": 0.1, \"period\": 10 | scheduleType (null)",
        "CosineWarmRestartsSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"firstPeriod\": 10, \"periodMultiplier\": null, \"peakDecay\": 1 | periodMultiplier (null)",
        "CosineWarmRestartsSchedule | \"scheduleType\": \"EPOCH\", \"initialValue\": 0.1, \"firstPeriod\": 10, \"periodMultiplier\": 2, \"peakDecay\": 1, \"maxCycles\": null | maxCycles (null)",
        "WarmupCosineSchedule | \"scheduleType\": \"EPOCH\", \"peakValue\": 0.1, \"warmupStartValue\": null, \"warmupPeriod\": 5, \"totalPeriod\": 90 | warmupStartValue (null)",
        "LinearSchedule | \"scheduleType\": \"EPOCH\", \"startValue\": 0.1, \"endValue\": null, \"period\": 5 | endValue (null)",
        "LinearWarmupSchedule | \"scheduleType\": \"EPOCH\", \"warmupPeriod\": 5, \"schedule\": null | schedule (null)",
        "SequentialSchedule | \"scheduleType\": \"EPOCH\", \"schedules\": [{\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.1}, {\"@class\": \"org.nd4j.linalg.schedule.FixedSchedule\", \"value\": 0.2}], \"milestones\": [null] | milestones[0] (null)",
        "ProductSchedule | \"schedules\": null | schedules (null)",
    })
    void nullIsNamed(String cls, String body, String fragment) {
        assertFails("{\"@class\": \"" + PKG + cls + "\", " + body + "}", fragment, PKG + cls);
    }

    /** Coercions DL4J's mapper would make silently: a string for a number, an ordinal for an enum, a property twice. */
    @Test
    void otherSilentCoercionsAreRefused() {
        assertFails("{\"@class\": \"" + PKG + "CosineAnnealingSchedule\", \"scheduleType\": \"EPOCH\","
                + " \"initialValue\": \"0.1\", \"period\": 10}", "initialValue (\"0.1\") must be a number");
        assertFails("{\"@class\": \"" + PKG + "CosineAnnealingSchedule\", \"scheduleType\": 1,"
                + " \"initialValue\": 0.1, \"period\": 10}", "scheduleType (1) must be one of [ITERATION, EPOCH]");
        assertFails(COSINE + "\"period\": 10, \"period\": 1.0}", "period is given twice");
    }

    /**
     * An enum constant that does not exist (misspelt, lower case, Hugging Face's spelling) is named with its
     * property and the constants up front, like an ordinal, not only at the end of Jackson's reference chain
     * after an excerpt of the whole document.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "COSIN | decayShape (\"COSIN\") must be one of [LINEAR, COSINE, ONE_MINUS_SQRT]",
        "cosine | decayShape (\"cosine\") must be one of [LINEAR, COSINE, ONE_MINUS_SQRT]",
        "1-sqrt | decayShape (\"1-sqrt\") must be one of [LINEAR, COSINE, ONE_MINUS_SQRT]",
        "'' | decayShape (\"\") must be one of [LINEAR, COSINE, ONE_MINUS_SQRT]",
    })
    void unknownEnumConstantIsNamedWithItsProperty(String shape, String fragment) {
        assertFails("{\"@class\": \"" + PKG + "WarmupStableDecaySchedule\", \"scheduleType\": \"ITERATION\","
                + " \"peakValue\": 0.1, \"warmupPeriod\": 1, \"stablePeriod\": 1, \"decayPeriod\": 1,"
                + " \"warmupShape\": \"LINEAR\", \"decayShape\": \"" + shape + "\"}", fragment);
        assertFails("{\"@class\": \"" + PKG + "OneCycleSchedule\", \"scheduleType\": \"ITERATIONS\","
                + " \"initialValue\": 0.004, \"peakValue\": 0.1, \"finalValue\": 0, \"totalPeriod\": 100,"
                + " \"peakFraction\": 0.3}", "scheduleType (\"ITERATIONS\") must be one of [ITERATION, EPOCH]");
    }

    /** YAML (DL4J's toYaml writes native type tags) is read by the same rules. */
    @Test
    void yamlIsStrictToo() {
        ObjectMapper yaml = JsonMappers.getMapperYaml();
        String head = "!<" + PKG + "CosineAnnealingSchedule>\nscheduleType: EPOCH\ninitialValue: 0.1\n";
        Exception e = assertThrows(Exception.class, () -> yaml.readValue(head + "period: 10\nminVlaue: 0.001\n",
                ISchedule.class));
        assertTrue(e.getMessage().contains("\"minVlaue\""), e.getMessage());
        e = assertThrows(Exception.class, () -> yaml.readValue(head + "period: 1.5\n", ISchedule.class));
        assertTrue(e.getMessage().contains("period (1.5)"), e.getMessage());
        e = assertThrows(Exception.class, () -> yaml.readValue(head + "period: 10\nminValue: null\n", ISchedule.class));
        assertTrue(e.getMessage().contains("minValue (null)"), e.getMessage());
        e = assertThrows(Exception.class, () -> yaml.readValue(head + "period: 10\nminValue: ~\n", ISchedule.class));
        assertTrue(e.getMessage().contains("minValue (null)"), e.getMessage());
        MultiLayerConfiguration conf = TestNets.mlnConf(new Adam(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10)));
        String bad = conf.toYaml().replaceAll("(?m)^( *)period: 10$", "$1period: 10\n$1perod: 10");
        assertFalse(bad.equals(conf.toYaml()));
        e = assertThrows(Exception.class, () -> MultiLayerConfiguration.fromYaml(bad));
        assertTrue(e.getMessage().contains("\"perod\""), e.getMessage());
    }

    /** Values written by our own classes (extremes included) read back: JSON and YAML, alone and in a configuration. */
    @Test
    void everythingWeWriteReadsBack() throws Exception {
        List<ISchedule> schedules = List.of(
                new CosineAnnealingSchedule(EPOCH, 1e10, 1e-300, Integer.MAX_VALUE, Integer.MAX_VALUE),
                new CosineWarmRestartsSchedule(ITERATION, ValueBounds.MAX_VALUE, 0.0, 1, 1.0, 1.0, 0, 0),
                new WarmupCosineSchedule(EPOCH, 1.5e300, 4.9e-324, 0.0, 0, 1, 7),
                new LinearWarmupSchedule(ITERATION, 3, 0.0, new SequentialSchedule(ITERATION, List.of(
                        new ProductSchedule(new LinearSchedule(ITERATION, 0.01, 1.0, 5), new StepSchedule(ITERATION, 1.0,
                                0.5, 10)), new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 9)), new int[] {20})));
        for (ISchedule s : schedules) {
            ScheduleContract.assertSameSchedule(s, read(JsonMappers.getMapper().writeValueAsString(s)));
            ScheduleContract.assertSameSchedule(s, JsonMappers.getMapperYaml().readValue(
                    JsonMappers.getMapperYaml().writeValueAsString(s), ISchedule.class));
            ScheduleContract.assertSameSchedule(s, ScheduleContract.roundTripInConfiguration(s, false));
            ScheduleContract.assertSameSchedule(s, ScheduleContract.roundTripInConfiguration(s, true));
        }
    }

    /**
     * Every property of every object of ours in saved JSON, mutated one at a time: misspelt (two letters
     * swapped), set to null, and (int properties) set to a fractional number. Each must fail naming the property.
     */
    @Test
    void everyPropertyMutationIsNamed() throws Exception {
        ObjectMapper mapper = JsonMappers.getMapper();
        ISchedule nested = new LinearWarmupSchedule(EPOCH, 5, 0.001, new SequentialSchedule(EPOCH, List.of(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.001, 10, 2.0, 0.8, 2, 0),
                new ProductSchedule(new WarmupCosineSchedule(EPOCH, 0.05, 0.0, 0.0, 2, 20),
                        new LinearSchedule(EPOCH, 1.0, 0.5, 20), new StepSchedule(EPOCH, 1.0, 0.5, 10),
                        new OneCycleSchedule(EPOCH, 0.04, 1.0, 0.0, 20, 0.25, true),
                        new WarmupStableDecaySchedule(EPOCH, 1.0, 0.5, 0.5, 2, 10, 8,
                                WarmupStableDecaySchedule.Shape.LINEAR, WarmupStableDecaySchedule.Shape.ONE_MINUS_SQRT))),
                new int[] {30}));
        JsonNode original = mapper.valueToTree(nested);
        List<JsonNode> ours = new ArrayList<>();
        collectOurs(original, ours);
        assertEquals(8, ours.size());
        int mutations = 0;
        for (int o = 0; o < ours.size(); o++) {
            List<String> fields = new ArrayList<>();
            ours.get(o).fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                if (field.equals("@class")) {
                    continue;
                }
                boolean isInt = ours.get(o).get(field).isInt()
                        || ours.get(o).get(field).isArray() && ours.get(o).get(field).size() > 0
                        && ours.get(o).get(field).get(0).isInt();
                String swapped = field.substring(0, 1) + field.charAt(2) + field.charAt(1) + field.substring(3);
                for (int kind = 0; kind < (isInt ? 3 : 2); kind++) {
                    JsonNode copy = original.deepCopy();
                    List<JsonNode> targets = new ArrayList<>();
                    collectOurs(copy, targets);
                    org.nd4j.shade.jackson.databind.node.ObjectNode target =
                            (org.nd4j.shade.jackson.databind.node.ObjectNode) targets.get(o);
                    String named;
                    if (kind == 0) {
                        target.set(swapped, target.remove(field));
                        named = "\"" + swapped + "\"";
                    } else if (kind == 1) {
                        target.putNull(field);
                        named = field + " (null)";
                    } else if (target.get(field).isArray()) {
                        ((org.nd4j.shade.jackson.databind.node.ArrayNode) target.get(field)).set(0,
                                mapper.getNodeFactory().numberNode(30.5));
                        named = field + "[0] (30.5)";
                    } else {
                        target.put(field, target.get(field).asInt() + 0.5);
                        named = field + " (" + (target.get(field).asDouble()) + ")";
                    }
                    String json = mapper.writeValueAsString(copy);
                    Exception e = assertThrows(Exception.class, () -> read(json), json);
                    assertTrue(e.getMessage().contains(named), "<" + named + "> not in: " + e.getMessage());
                    mutations++;
                }
            }
        }
        assertTrue(mutations > 60, "mutations: " + mutations);
    }

    private static void collectOurs(JsonNode node, List<JsonNode> ours) {
        if (node.isObject() && node.has("@class") && node.get("@class").asText().startsWith(PKG)) {
            ours.add(node);
        }
        for (JsonNode child : node) {
            collectOurs(child, ours);
        }
    }

    /** Every saved fixture, whatever its kind, still loads through the strict reader (new files are picked up). */
    @Test
    void everyFixtureLoads() throws Exception {
        Path dir = Paths.get(StrictJsonTest.class.getResource("/fixtures/").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml")).sorted()
                    .collect(java.util.stream.Collectors.toList());
        }
        assertTrue(files.size() >= 11, "fixtures found: " + files);
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            boolean yaml = file.toString().endsWith(".yaml");
            JsonNode tree = (yaml ? JsonMappers.getMapperYaml() : JsonMappers.getMapper()).readTree(text);
            if (tree.isArray()) {
                for (JsonNode element : tree) {
                    assertNotNull(read(element.toString()), file.toString());
                }
            } else if (tree.has("confs")) {
                assertNotNull(yaml ? MultiLayerConfiguration.fromYaml(text) : MultiLayerConfiguration.fromJson(text));
            } else if (tree.has("vertices")) {
                assertNotNull(yaml ? ComputationGraphConfiguration.fromYaml(text)
                        : ComputationGraphConfiguration.fromJson(text));
            } else {
                // an updater configuration (the schedule-free updaters' fixtures) or a schedule, by its @class
                boolean updater = tree.has("@class") && org.nd4j.linalg.learning.config.IUpdater.class
                        .isAssignableFrom(Class.forName(tree.get("@class").asText()));
                Class<?> kind = updater ? org.nd4j.linalg.learning.config.IUpdater.class : ISchedule.class;
                assertNotNull((yaml ? JsonMappers.getMapperYaml() : JsonMappers.getMapper()).readValue(text, kind),
                        file.toString());
            }
        }
    }

    /**
     * Every public schedule class of the package adopts the strict reader and the value bound (a new class that
     * does not fails here): {@code @JsonDeserialize(using = StrictJson.class)} and {@code BoundedSchedule}.
     */
    @Test
    void everyScheduleClassIsStrict() throws Exception {
        File dir = Paths.get(CosineAnnealingSchedule.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/github/dl4jcosine/schedule").toFile();
        List<String> checked = new ArrayList<>();
        for (String name : dir.list()) {
            if (!name.endsWith(".class") || name.contains("$")) {
                continue;
            }
            Class<?> c = Class.forName(PKG + name.substring(0, name.length() - ".class".length()));
            if (!Modifier.isPublic(c.getModifiers()) || !ISchedule.class.isAssignableFrom(c)) {
                continue;
            }
            JsonDeserialize annotation = c.getAnnotation(JsonDeserialize.class);
            assertTrue(annotation != null && annotation.using() == StrictJson.class,
                    c + " must be annotated @JsonDeserialize(using = StrictJson.class)");
            assertTrue(BoundedSchedule.class.isAssignableFrom(c), c + " must implement BoundedSchedule (or TimedSchedule)");
            checked.add(c.getSimpleName());
        }
        assertTrue(checked.containsAll(Arrays.asList("CosineAnnealingSchedule", "CosineWarmRestartsSchedule",
                "WarmupCosineSchedule", "LinearSchedule", "LinearWarmupSchedule", "SequentialSchedule",
                "ProductSchedule")), checked.toString());
    }
}
