package io.github.dl4jcosine.schedule;

import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.json.JsonReadFeature;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One JSON object of a Keras configuration (a schedule's {@code config}, or the object around it), read strictly
 * for {@link KerasSchedules}: every key known, every required key present, every value of the JSON type Keras
 * writes. Messages name the Keras class and key, show the value and state the rule, e.g.
 * {@code "CosineDecay: decay_steps (0) must be a whole number >= 1"}.
 */
final class KerasConfig {

    /** Strict JSON: no duplicate keys, nothing after the value; Python's {@code NaN}/{@code Infinity} read (and refused later by name). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The largest value of any rate: {@link ValueBounds#MAX_VALUE}. */
    private static final double MAX_VALUE = ValueBounds.MAX_VALUE;

    private final String owner;
    private final JsonNode node;

    /**
     * @param owner what the object is, for messages: a Keras class name, or "the optimizer config"
     * @param node  the object
     */
    KerasConfig(String owner, JsonNode node) {
        this.owner = owner;
        this.node = node;
    }

    /**
     * Parses {@code json} into a tree; IllegalArgumentException when it is not one JSON object. Everything from the
     * first NUL character on is dropped first (JSON text has none: a control character in a string is escaped):
     * DL4J's {@code Hdf5Archive.readAttributeAsJson} returns an HDF5 attribute followed by the rest of its read
     * buffer, a NUL and whatever the buffer held.
     */
    static JsonNode parse(String json) {
        Checks.notNull("json", json);
        int nul = json.indexOf('\0');
        int end = nul < 0 ? json.length() : nul;
        JsonNode root;
        try {
            root = MAPPER.readTree(json.substring(0, end));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + lineOf(e) + ")", e);
        }
        Checks.argument(root != null && !root.isMissingNode(), "json (\"" + abbreviate(json)
                + "\") is empty; expected a Keras schedule or optimizer config as a JSON object");
        Checks.argument(root.isObject(), "json (" + abbreviate(root.toString())
                + ") must be a JSON object: a Keras schedule or optimizer config");
        return root;
    }

    private static int lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    /** What this object is, for messages: a Keras class name, or "optimizer config". */
    String owner() {
        return owner;
    }

    boolean has(String key) {
        return node.has(key);
    }

    JsonNode get(String key) {
        return node.get(key);
    }

    /**
     * Refuses a key that is not {@code required}, {@code optional} or {@code "name"} (which Keras writes and we do
     * not need), and a missing required key.
     */
    KerasConfig checkKeys(List<String> required, List<String> optional) {
        Set<String> known = new LinkedHashSet<>(required);
        known.addAll(optional);
        known.add("name");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String hint = closest(key, known);
                throw new IllegalArgumentException(owner + ": unknown key \"" + key + "\""
                        + (hint == null ? "" : " (did you mean \"" + hint + "\"?)") + "; its keys are " + known);
            }
        }
        for (String key : required) {
            Checks.argument(node.has(key), owner + ": missing key \"" + key + "\"; its keys are " + known);
        }
        return this;
    }

    /** A JSON number, any finite value. */
    double number(String key) {
        JsonNode v = node.get(key);
        Checks.argument(v != null && v.isNumber(), owner + ": " + key + " (" + shown(v) + ") must be a number");
        double d = v.asDouble();
        Checks.argument(Double.isFinite(d), owner + ": " + key + " (" + d + ") must be finite");
        return d;
    }

    /** A rate: a finite number in {@code [0, Double.MAX_VALUE / 2]}. */
    double rate(String key) {
        return rate(key, number(key));
    }

    double rate(String key, double value) {
        Checks.argument(value >= 0 && value <= MAX_VALUE, owner + ": " + key + " (" + value
                + ") must be in [0, " + MAX_VALUE + "]");
        return value + 0.0;
    }

    /**
     * {@code initial_learning_rate}: a rate written as a float. Keras computes a schedule in the type of this value,
     * so an integer ({@code 0}, {@code 1}) makes it compute in int32, where every other parameter is cast to an int
     * too ({@code CosineDecay(0, 100, warmup_target=0.1, warmup_steps=10)} gives 0 at every step): refused, since
     * those values are not what anyone meant and Keras's own are not worth reproducing.
     */
    double initialRate(String key) {
        JsonNode v = node.get(key);
        double value = rate(key);
        Checks.argument(!v.isIntegralNumber(), owner + ": " + key + " (" + v + ") is an integer, so Keras computes"
                + " this schedule in int32 (casting every other parameter to an int, e.g. CosineDecay(0, 100,"
                + " warmup_target=0.1, warmup_steps=10) gives 0 at every step); write it as a float (" + v + ".0)"
                + " in the schedule you train with, and here");
        return value;
    }

    /** A positive number ({@code decay_steps} of the schedules that accept any). */
    double positive(String key) {
        double value = number(key);
        Checks.argument(value >= Checks.MIN_DECAY_PERIOD, owner + ": " + key + " (" + value + ") must be >= "
                + Checks.MIN_DECAY_PERIOD + " (Keras requires > 0)");
        return value;
    }

    /** A whole number in {@code [min, Integer.MAX_VALUE]} ({@code 100} or {@code 100.0}). */
    int wholeNumber(String key, int min) {
        double value = number(key);
        Checks.argument(value == Math.rint(value) && value >= min && value <= Integer.MAX_VALUE, owner + ": " + key
                + " (" + node.get(key) + ") must be a whole number in [" + min + ", " + Integer.MAX_VALUE
                + "] (DL4J counts iterations in an int)");
        return (int) value;
    }

    boolean bool(String key) {
        JsonNode v = node.get(key);
        Checks.argument(v != null && v.isBoolean(), owner + ": " + key + " (" + shown(v) + ") must be true or false");
        return v.booleanValue();
    }

    /** Whether {@code key} is absent or JSON {@code null} (Python's {@code None}). */
    boolean isNone(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull();
    }

    /** A non-empty array of finite numbers. */
    double[] numbers(String key) {
        JsonNode v = node.get(key);
        Checks.argument(v != null && v.isArray() && v.size() > 0, owner + ": " + key + " (" + shown(v)
                + ") must be a non-empty array of numbers");
        double[] values = new double[v.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode e = v.get(i);
            Checks.argument(e.isNumber(), owner + ": " + key + "[" + i + "] (" + shown(e) + ") must be a number");
            values[i] = e.asDouble();
            Checks.argument(Double.isFinite(values[i]), owner + ": " + key + "[" + i + "] (" + values[i]
                    + ") must be finite");
        }
        return values;
    }

    /** The keys of this object, in order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return Collections.unmodifiableList(keys);
    }

    /** A value as written, for messages; "nothing" when absent. */
    static String shown(JsonNode v) {
        return v == null ? "nothing" : abbreviate(v.toString());
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The one of {@code known} within edit distance 2 of {@code key}, if there is one. */
    private static String closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
