package io.github.dl4jcosine.schedulefree;

import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict JSON and YAML reading of the schedule-free configurations through any Jackson mapper, DL4J's included
 * (which ignores unknown properties, truncates {@code 1.5} to an int, reads {@code null} as 0 and {@code "0.1"}
 * as a number). Here each of those fails with a {@link JsonMappingException} naming the property and the class:
 * an unknown or repeated property, {@code null}, a value that is not a JSON number, and a {@code warmupSteps}
 * that is not an integral number within the int range ({@code 100.0} and {@code 1e2} read as 100). A property
 * left out takes the builder's default (the package's), so a hand-written configuration may give only what
 * differs. Values then pass the constructor's checks; a rule it breaks fails with its message.
 *
 * @param <T> the configuration class
 */
abstract class StrictUpdaterJson<T> extends StdDeserializer<T> {

    private static final long serialVersionUID = 20261201L;

    private final Map<String, Number> defaults;

    StrictUpdaterJson(Class<T> type, Map<String, Number> defaults) {
        super(type);
        this.defaults = Collections.unmodifiableMap(defaults);
    }

    /** The configuration from every property, defaults filled in. */
    abstract T create(Map<String, Number> values);

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String type = handledType().getName();
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            token = p.nextToken();
        }
        Map<String, Number> values = new HashMap<>();
        while (token == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            token = p.nextToken();
            if ("@class".equals(name)) {
                p.skipChildren();
                token = p.nextToken();
                continue;
            }
            Number fallback = defaults.get(name);
            if (fallback == null) {
                throw JsonMappingException.from(p, "Unknown property \"" + name + "\" in " + type + "; its properties are "
                        + defaults.keySet());
            }
            if (values.containsKey(name)) {
                throw JsonMappingException.from(p, name + " is given twice; give each property once (in " + type + ")");
            }
            values.put(name, read(p, token, name, fallback instanceof Integer, type));
            token = p.nextToken();
        }
        if (token != JsonToken.END_OBJECT) {
            throw JsonMappingException.from(p, "Expected a property or the end of the object in " + type + ", got "
                    + token);
        }
        for (Map.Entry<String, Number> d : defaults.entrySet()) {
            values.putIfAbsent(d.getKey(), d.getValue());
        }
        try {
            return create(values);
        } catch (IllegalArgumentException bad) {
            throw JsonMappingException.from(p, bad.getMessage() + " (in " + type + ")", bad);
        }
    }

    private static Number read(JsonParser p, JsonToken token, String name, boolean integer, String type)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            throw JsonMappingException.from(p, name + " must not be null; leave it out for its default (in " + type + ")");
        }
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw JsonMappingException.from(p, name + " must be a JSON number, got " + describe(p, token) + " (in "
                    + type + ")");
        }
        if (!integer) {
            return p.getDoubleValue();
        }
        BigDecimal exact;
        try {
            exact = p.getDecimalValue();
        } catch (IOException | NumberFormatException notDecimal) {
            throw JsonMappingException.from(p, name + " (" + p.getText() + ") must be an integer (in " + type + ")");
        }
        try {
            return exact.intValueExact();
        } catch (ArithmeticException notInt) {
            throw JsonMappingException.from(p, name + " (" + p.getText() + ") must be an integer in the int range (in "
                    + type + ")");
        }
    }

    private static String describe(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? "the string \"" + p.getText() + "\"" : String.valueOf(token);
    }

    /** {@link ScheduleFreeAdamW}'s reader. */
    static final class AdamW extends StrictUpdaterJson<ScheduleFreeAdamW> {
        private static final long serialVersionUID = 20261201L;

        AdamW() {
            super(ScheduleFreeAdamW.class, adamDefaults());
        }

        private static Map<String, Number> adamDefaults() {
            Map<String, Number> d = new LinkedHashMap<>();
            d.put("learningRate", ScheduleFreeAdamW.DEFAULT_LEARNING_RATE);
            d.put("beta1", ScheduleFreeAdamW.DEFAULT_BETA1);
            d.put("beta2", ScheduleFreeAdamW.DEFAULT_BETA2);
            d.put("epsilon", ScheduleFreeAdamW.DEFAULT_EPSILON);
            d.put("weightDecay", 0.0);
            d.put("warmupSteps", 0);
            d.put("r", 0.0);
            d.put("weightLrPower", ScheduleFreeAdamW.DEFAULT_WEIGHT_LR_POWER);
            return d;
        }

        @Override
        ScheduleFreeAdamW create(Map<String, Number> v) {
            return new ScheduleFreeAdamW(v.get("learningRate").doubleValue(), v.get("beta1").doubleValue(),
                    v.get("beta2").doubleValue(), v.get("epsilon").doubleValue(), v.get("weightDecay").doubleValue(),
                    v.get("warmupSteps").intValue(), v.get("r").doubleValue(), v.get("weightLrPower").doubleValue());
        }
    }

    /** {@link ScheduleFreeSgd}'s reader. */
    static final class Sgd extends StrictUpdaterJson<ScheduleFreeSgd> {
        private static final long serialVersionUID = 20261201L;

        Sgd() {
            super(ScheduleFreeSgd.class, sgdDefaults());
        }

        private static Map<String, Number> sgdDefaults() {
            Map<String, Number> d = new LinkedHashMap<>();
            d.put("learningRate", ScheduleFreeSgd.DEFAULT_LEARNING_RATE);
            d.put("momentum", ScheduleFreeSgd.DEFAULT_MOMENTUM);
            d.put("weightDecay", 0.0);
            d.put("warmupSteps", 0);
            d.put("r", 0.0);
            d.put("weightLrPower", ScheduleFreeSgd.DEFAULT_WEIGHT_LR_POWER);
            return d;
        }

        @Override
        ScheduleFreeSgd create(Map<String, Number> v) {
            return new ScheduleFreeSgd(v.get("learningRate").doubleValue(), v.get("momentum").doubleValue(),
                    v.get("weightDecay").doubleValue(), v.get("warmupSteps").intValue(), v.get("r").doubleValue(),
                    v.get("weightLrPower").doubleValue());
        }
    }
}
