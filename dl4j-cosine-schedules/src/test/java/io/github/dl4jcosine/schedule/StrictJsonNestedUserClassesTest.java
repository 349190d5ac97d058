package io.github.dl4jcosine.schedule;

import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.annotation.JsonUnwrapped;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own ISchedule classes nested in ours: the names Jackson reads for them load (a delegating creator,
 * {@code @JsonUnwrapped}, an external type id), a misspelling in a plain creator class fails, and a property
 * given twice in a nested schedule of another package fails instead of silently keeping the last value.
 * Each of the first three loaded through DL4J's mapper outside ours but was refused inside ours.
 */
class StrictJsonNestedUserClassesTest {

    private static final String PRODUCT = "{\"@class\": \"" + ProductSchedule.class.getName() + "\", \"schedules\": [";
    private static final String USER = StrictJsonNestedUserClassesTest.class.getName() + "$";

    /** A user's schedule with a plain {@code @JsonCreator}: one property, {@code value}. */
    public static final class Constant implements ISchedule {
        private static final long serialVersionUID = 1L;
        private final double value;

        @JsonCreator
        public Constant(@JsonProperty("value") double value) {
            this.value = value;
        }

        public double getValue() {
            return value;
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return value;
        }

        @Override
        public ISchedule clone() {
            return new Constant(value);
        }
    }

    /** Reads every property into a map through a delegating creator: any name is one it reads. */
    public static final class FromMap implements ISchedule {
        private static final long serialVersionUID = 1L;
        private final double value;

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public FromMap(Map<String, Double> properties) {
            this.value = properties.get("rate") * properties.get("scale");
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

    /** Two numbers that an unwrapped property reads at the schedule's own level. */
    public static final class Pair {
        @JsonProperty("rate")
        public double rate;
        @JsonProperty("scale")
        public double scale;
    }

    public static final class Unwrapped implements ISchedule {
        private static final long serialVersionUID = 1L;
        @JsonUnwrapped
        public Pair pair = new Pair();

        @Override
        public double valueAt(int iteration, int epoch) {
            return pair.rate * pair.scale;
        }

        @Override
        public ISchedule clone() {
            return this;
        }
    }

    /** A polymorphic part whose class name is written beside it, as {@code "partClass"}. */
    public static final class External implements ISchedule {
        private static final long serialVersionUID = 1L;
        @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.EXTERNAL_PROPERTY, property = "partClass")
        @JsonProperty("part")
        public Object part;

        @Override
        public double valueAt(int iteration, int epoch) {
            return ((Pair) part).rate;
        }

        @Override
        public ISchedule clone() {
            return this;
        }
    }

    private static ISchedule read(String json) throws Exception {
        return JsonMappers.getMapper().readValue(json, ISchedule.class);
    }

    /** The only factor of the product read from {@code factor}; the same JSON must load alone as well. */
    private static ISchedule readAsFactor(String factor) throws Exception {
        read(factor);
        return ((ProductSchedule) read(PRODUCT + factor + "]}")).getSchedules().get(0);
    }

    private static void assertFails(String json, String expected) {
        Exception e = assertThrows(Exception.class, () -> read(json), json);
        assertTrue(e.getMessage().contains(expected), () -> "<" + expected + "> not in: " + e.getMessage());
    }

    @Test
    void plainCreatorClassLoadsAndAMisspellingFails() throws Exception {
        assertEquals(0.5, readAsFactor("{\"@class\": \"" + USER + "Constant\", \"value\": 0.5}").valueAt(0, 0), 0.0);
        assertFails(PRODUCT + "{\"@class\": \"" + USER + "Constant\", \"vlaue\": 0.5}]}",
                "Unknown property \"vlaue\" for " + USER + "Constant (did you mean \"value\"?)");
    }

    /** Before: Unknown property "rate" for ...$FromMap (0 known properties). */
    @Test
    void delegatingCreatorLoads() throws Exception {
        // rate 0.5 x scale 0.25 = 0.125, exactly
        ISchedule s = readAsFactor("{\"@class\": \"" + USER + "FromMap\", \"rate\": 0.5, \"scale\": 0.25}");
        assertEquals(0.125, s.valueAt(0, 0), 0.0);
    }

    /** Before: Unknown property "rate" for ...$Unwrapped (one known property: "pair"). */
    @Test
    void unwrappedPropertiesLoad() throws Exception {
        ISchedule s = readAsFactor("{\"@class\": \"" + USER + "Unwrapped\", \"rate\": 0.5, \"scale\": 0.25}");
        assertEquals(0.125, s.valueAt(0, 0), 0.0);
    }

    /** Before: Unknown property "partClass" for ...$External; a misspelt name beside it still fails. */
    @Test
    void externalTypeIdLoads() throws Exception {
        String external = "{\"@class\": \"" + USER + "External\", \"partClass\": \"" + USER + "Pair\","
                + " \"part\": {\"rate\": 0.5, \"scale\": 2.0}";
        assertEquals(0.5, readAsFactor(external + "}").valueAt(0, 0), 0.0);
        assertFails(PRODUCT + external + ", \"prat\": 1}]}", "Unknown property \"prat\" for " + USER + "External");
    }

    /** Before: the last value won silently (step 20), and a second type id was ignored. */
    @Test
    void propertyGivenTwiceInANestedDl4jScheduleFails() throws Exception {
        String step = "{\"@class\": \"" + StepSchedule.class.getName() + "\", \"scheduleType\": \"ITERATION\","
                + " \"initialValue\": 0.1, \"decayRate\": 0.5, \"step\": 10";
        readAsFactor(step + "}");
        assertFails(PRODUCT + step + ", \"step\": 20}]}",
                "step is given twice; give each property once (in " + StepSchedule.class.getName() + ")");
        assertFails(PRODUCT + step + ", \"@class\": \"org.nd4j.linalg.schedule.ExponentialSchedule\"}]}",
                "@class is given twice; give each property once (in " + StepSchedule.class.getName() + ")");
    }
}
