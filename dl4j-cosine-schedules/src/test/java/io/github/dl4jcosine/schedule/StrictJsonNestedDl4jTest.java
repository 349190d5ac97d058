package io.github.dl4jcosine.schedule;

import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.RampSchedule;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * DL4J's own schedules nested in ours (a factor of a product, a part of a sequence, the schedule a warmup wraps)
 * are read with their property names checked: DL4J's mapper ignores an unknown property, so before this a
 * misspelt {@code "decayRte"} loaded as a decay rate of 0. Every JSON that DL4J's own mapper writes for them
 * still reads back equal, and DL4J's reading of its schedules outside ours is unchanged.
 */
class StrictJsonNestedDl4jTest {

    private static final String PRODUCT = ProductSchedule.class.getName();

    /** DL4J's schedule classes, each with parameters a product accepts (values bounded, see ValueBounds). */
    static Stream<ISchedule> dl4jSchedules() {
        TreeMap<Integer, Double> map = new TreeMap<>();
        map.put(0, 0.1);
        map.put(10, 0.05);
        return Stream.of(
                new StepSchedule(ITERATION, 0.1, 0.5, 10),
                new ExponentialSchedule(ITERATION, 0.1, 0.99),
                new MapSchedule(ITERATION, map),
                new InverseSchedule(EPOCH, 0.1, 0.1, 0.75),
                new PolySchedule(ITERATION, 0.1, -0.5, 100),
                new SigmoidSchedule(ITERATION, 0.1, 0.5, 10),
                new CycleSchedule(ITERATION, 0.01, 0.1, 100, 10, 0.1),
                new FixedSchedule(0.1));
    }

    private static ObjectMapper mapper() {
        return NeuralNetConfiguration.mapper();
    }

    private static ISchedule read(String json) throws Exception {
        return mapper().readValue(json, ISchedule.class);
    }

    /** The names DL4J's mapper writes for {@code schedule}, without the type id. */
    private static List<String> writtenNames(ISchedule schedule) throws Exception {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = mapper().valueToTree(schedule).fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("@class")) {
                names.add(name);
            }
        }
        assertFalse(names.isEmpty(), schedule.toString());
        return names;
    }

    /** {@code name} with its third-last letter left out: "decayRate" becomes "decayRte", "value" "vaue". */
    private static String misspelt(String name) {
        int i = Math.max(1, name.length() - 3);
        return name.substring(0, i) + name.substring(i + 1);
    }

    private static String expectedMessage(String wrong, Class<?> type, String right) {
        return "Unknown property \"" + wrong + "\" for " + type.getName() + " (did you mean \"" + right + "\"?)";
    }

    /** DL4J's JSON for each class, as a factor of a product, reads back equal (values bitwise the same). */
    @ParameterizedTest
    @MethodSource("dl4jSchedules")
    void dl4jsOwnJsonReadsBackInAProduct(ISchedule dl4j) throws Exception {
        ProductSchedule product = new ProductSchedule(dl4j, new LinearSchedule(ITERATION, 0.5, 1.0, 10));
        String json = mapper().writeValueAsString(product);
        assertTrue(json.contains(dl4j.getClass().getName()), json);
        ProductSchedule restored = (ProductSchedule) read(json);
        ScheduleContract.assertSameSchedule(product, restored);
        ScheduleContract.assertSameSchedule(dl4j, restored.getSchedules().get(0));
        ScheduleContract.assertSameSchedule(product, JsonMappers.getMapperYaml().readValue(
                JsonMappers.getMapperYaml().writeValueAsString(product), ISchedule.class));
    }

    /**
     * Every property DL4J writes for each class, misspelt in turn inside a product, fails naming the property,
     * the DL4J class and the right name. (Before: DL4J read the schedule with that property at 0.)
     */
    @ParameterizedTest
    @MethodSource("dl4jSchedules")
    void everyMisspeltPropertyOfANestedDl4jScheduleIsNamed(ISchedule dl4j) throws Exception {
        ProductSchedule product = new ProductSchedule(new LinearSchedule(ITERATION, 0.5, 1.0, 10), dl4j);
        JsonNode original = mapper().valueToTree(product);
        for (String name : writtenNames(dl4j)) {
            JsonNode copy = original.deepCopy();
            ObjectNode factor = (ObjectNode) copy.get("schedules").get(1);
            assertEquals(dl4j.getClass().getName(), factor.get("@class").asText());
            String wrong = misspelt(name);
            factor.set(wrong, factor.remove(name));
            String json = mapper().writeValueAsString(copy);
            Exception e = assertThrows(Exception.class, () -> read(json), json);
            String expected = expectedMessage(wrong, dl4j.getClass(), name);
            assertTrue(e.getMessage().contains(expected), () -> "<" + expected + "> not in: " + e.getMessage());
        }
    }

    /**
     * The parameters of each DL4J schedule's JSON constructor, read off the ND4J 1.0.0-M2.1 sources
     * (org/nd4j/linalg/schedule/*Schedule.java, the {@code @JsonProperty} names of the constructor's parameters).
     */
    private static List<String> constructorProperties(ISchedule dl4j) {
        switch (dl4j.getClass().getSimpleName()) {
            case "StepSchedule": return List.of("scheduleType", "initialValue", "decayRate", "step");
            case "ExponentialSchedule": return List.of("scheduleType", "initialValue", "gamma");
            case "MapSchedule": return List.of("scheduleType", "values");
            case "InverseSchedule": return List.of("scheduleType", "initialValue", "gamma", "power");
            case "PolySchedule": return List.of("scheduleType", "initialValue", "power", "maxIter");
            case "SigmoidSchedule": return List.of("scheduleType", "initialValue", "gamma", "stepSize");
            case "CycleSchedule": return List.of("scheduleType", "initialLearningRate", "maxLearningRate", "cycleLength",
                    "annealingLength", "annealingDecay");
            case "FixedSchedule": return List.of("value");
            default: throw new IllegalArgumentException(dl4j.toString());
        }
    }

    /**
     * Each property DL4J writes, left out in turn inside a product: a constructor parameter fails naming it (DL4J
     * would read 0 or null: an ExponentialSchedule without scheduleType steps per epoch); a property DL4J writes
     * from a getter only (CycleSchedule's stepSize, increment) may be left out, the schedule reads back equal.
     */
    @ParameterizedTest
    @MethodSource("dl4jSchedules")
    void everyLeftOutConstructorPropertyOfANestedDl4jScheduleIsNamed(ISchedule dl4j) throws Exception {
        ProductSchedule product = new ProductSchedule(new LinearSchedule(ITERATION, 0.5, 1.0, 10), dl4j);
        JsonNode original = mapper().valueToTree(product);
        List<String> required = constructorProperties(dl4j);
        assertTrue(writtenNames(dl4j).containsAll(required), dl4j + " writes " + writtenNames(dl4j));
        for (String name : writtenNames(dl4j)) {
            JsonNode copy = original.deepCopy();
            ((ObjectNode) copy.get("schedules").get(1)).remove(name);
            String json = mapper().writeValueAsString(copy);
            if (required.contains(name)) {
                Exception e = assertThrows(Exception.class, () -> read(json), json);
                String expected = name + " is missing for " + dl4j.getClass().getName();
                assertTrue(e.getMessage().contains(expected), () -> "<" + expected + "> not in: " + e.getMessage());
            } else {
                ScheduleContract.assertSameSchedule(product, read(json));
            }
        }
        Exception empty = assertThrows(Exception.class, () -> read("{\"@class\":\"" + PRODUCT + "\",\"schedules\":["
                + "{\"@class\":\"" + dl4j.getClass().getName() + "\"}]}"));
        assertTrue(empty.getMessage().contains(" is missing for " + dl4j.getClass().getName()), empty.getMessage());
    }

    /** The example of the brief, through the ISchedule mapper and through a whole configuration's fromJson. */
    @Test
    void decayRteInAProductInAConfiguration() throws Exception {
        ProductSchedule product = new ProductSchedule(new StepSchedule(ITERATION, 0.1, 0.5, 10),
                new LinearSchedule(ITERATION, 0.5, 1.0, 10));
        String json = TestNets.mlnConf(new Adam(product)).toJson();
        assertEquals(2, json.split("\"decayRate\"", -1).length - 1, "one StepSchedule per layer");
        String bad = json.replace("\"decayRate\"", "\"decayRte\"");
        Exception e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(bad));
        String expected = expectedMessage("decayRte", StepSchedule.class, "decayRate");
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(product, ScheduleContract.roundTripInConfiguration(product, false));
    }

    /** A DL4J schedule as a part of a SequentialSchedule, in a MultiLayerConfiguration: JSON and YAML. */
    @Test
    void partOfASequenceInAConfiguration() {
        SequentialSchedule sequence = new SequentialSchedule(EPOCH, List.of(new LinearSchedule(EPOCH, 0.01, 0.1, 5),
                new ExponentialSchedule(EPOCH, 0.1, 0.9)), new int[] {5});
        assertEquals(sequence, ScheduleContract.roundTripInConfiguration(sequence, false));
        assertEquals(sequence, ScheduleContract.roundTripInConfiguration(sequence, true));
        MultiLayerConfiguration conf = TestNets.mlnConf(new Adam(sequence));
        String json = conf.toJson().replace("\"gamma\"", "\"gamam\"");
        Exception e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        String expected = expectedMessage("gamam", ExponentialSchedule.class, "gamma");
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        String yaml = conf.toYaml().replaceAll("(?m)^( *)gamma:", "$1gamam:");
        assertFalse(yaml.equals(conf.toYaml()));
        Exception y = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromYaml(yaml));
        assertTrue(y.getMessage().contains(expected), y.getMessage());
    }

    /** A DL4J schedule wrapped by LinearWarmupSchedule, in a MultiLayerConfiguration and a ComputationGraph. */
    @Test
    void wrappedByAWarmupInConfigurations() {
        LinearWarmupSchedule warmup = new LinearWarmupSchedule(ITERATION, 5, 0.0,
                new InverseSchedule(ITERATION, 0.1, 0.01, 0.75), 0);
        assertEquals(warmup, ScheduleContract.roundTripInConfiguration(warmup, false));
        assertEquals(warmup, ScheduleContract.roundTripInGraph(warmup, false));
        assertEquals(warmup, ScheduleContract.roundTripInGraph(warmup, true));
        String expected = expectedMessage("pwer", InverseSchedule.class, "power");
        String json = TestNets.mlnConf(new Adam(warmup)).toJson().replace("\"power\"", "\"pwer\"");
        Exception e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        ComputationGraphConfiguration graph = TestNets.graphConf(new Adam(warmup));
        String yaml = graph.toYaml().replaceAll("(?m)^( *)power:", "$1pwer:");
        assertFalse(yaml.equals(graph.toYaml()));
        Exception g = assertThrows(RuntimeException.class, () -> ComputationGraphConfiguration.fromYaml(yaml));
        assertTrue(g.getMessage().contains(expected), g.getMessage());
    }

    /** The property may come before the type id; a nested DL4J schedule deeper down (product in a warmup) too. */
    @Test
    void typeIdLastAndDeeperNesting() {
        String step = "{\"scheduleType\": \"ITERATION\", \"initialValue\": 0.1, \"decayRte\": 0.5, \"step\": 10,"
                + " \"@class\": \"org.nd4j.linalg.schedule.StepSchedule\"}";
        String json = "{\"@class\": \"" + LinearWarmupSchedule.class.getName() + "\", \"scheduleType\": \"ITERATION\","
                + " \"warmupPeriod\": 5, \"schedule\": {\"@class\": \"" + PRODUCT + "\", \"schedules\": [" + step + "]}}";
        Exception e = assertThrows(Exception.class, () -> read(json));
        assertTrue(e.getMessage().contains(expectedMessage("decayRte", StepSchedule.class, "decayRate")),
                e.getMessage());
    }

    /**
     * RampSchedule (issue #8988) has no creator and no visible property: DL4J writes only its type id and cannot
     * read it back, before and after this change, with Jackson's own message. Any property given for it is one
     * that DL4J's mapper does not know, and is named.
     */
    @Test
    void rampScheduleAsDl4jReadsIt() throws Exception {
        ProductSchedule product = new ProductSchedule(new RampSchedule(new FixedSchedule(0.1), 10));
        String json = mapper().writeValueAsString(product);
        assertTrue(json.contains("\"@class\" : \"org.nd4j.linalg.schedule.RampSchedule\"\n"), json);
        Exception e = assertThrows(Exception.class, () -> read(json));
        assertFalse(e.getMessage().contains("Unknown property"), e.getMessage());
        String bad = "{\"@class\": \"" + PRODUCT + "\", \"schedules\": [{\"@class\": "
                + "\"org.nd4j.linalg.schedule.RampSchedule\", \"numIterr\": 10}]}";
        Exception named = assertThrows(Exception.class, () -> read(bad));
        assertTrue(named.getMessage().contains("Unknown property \"numIterr\" for org.nd4j.linalg.schedule.RampSchedule"),
                named.getMessage());
    }

    /** Outside our classes DL4J reads its own schedules as it always did: a misspelling still loads (as 0). */
    @Test
    void dl4jScheduleOutsideOursIsReadByDl4jAsBefore() {
        String json = TestNets.mlnConf(new Adam(new StepSchedule(ITERATION, 0.1, 0.5, 10))).toJson()
                .replace("\"decayRate\"", "\"decayRte\"");
        StepSchedule read = (StepSchedule) ScheduleContract.adamSchedule(MultiLayerConfiguration.fromJson(json), 0);
        assertEquals(0.0, read.getDecayRate(), 0.0);
    }
}
