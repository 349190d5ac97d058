package io.github.dl4jcosine.schedule;

import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.nd4j.shade.jackson.databind.BeanDescription;
import org.nd4j.shade.jackson.databind.BeanProperty;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.deser.BeanDeserializerBase;
import org.nd4j.shade.jackson.databind.deser.BeanDeserializerFactory;
import org.nd4j.shade.jackson.databind.deser.ContextualDeserializer;
import org.nd4j.shade.jackson.databind.deser.DeserializerFactory;
import org.nd4j.shade.jackson.databind.deser.ResolvableDeserializer;
import org.nd4j.shade.jackson.databind.deser.SettableBeanProperty;
import org.nd4j.shade.jackson.databind.deser.std.StdDeserializer;
import org.nd4j.shade.jackson.databind.exc.MismatchedInputException;
import org.nd4j.shade.jackson.databind.util.TokenBuffer;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Strict JSON and YAML reading for this package's schedules, through any Jackson mapper, DL4J's included
 * (which ignores unknown properties, truncates {@code 1.5} to an int and reads {@code null} as 0). A schedule
 * class adopts it with one annotation:
 * <pre>{@code
 * @JsonDeserialize(using = StrictJson.class)   // org.nd4j.shade.jackson.databind.annotation.JsonDeserialize
 * public final class MySchedule implements ISchedule, TimedSchedule { ... @JsonCreator constructor ... }
 * }</pre>
 * Its properties are the parameters of its {@code @JsonCreator} constructor; everything else is read by the
 * bean deserializer Jackson would have used. Before that, the object's own properties are checked:
 * <ul>
 *   <li>a property that is not a creator parameter (a misspelt {@code "minVlaue"}), or one given twice, fails
 *       naming the property and the class ({@code "@class"} is the type id and never reaches this check);</li>
 *   <li>{@code null} fails for every property, optional ones included (leave an optional property out to get
 *       its default);</li>
 *   <li>an {@code int} (or {@code int[]} element) must be a JSON number with an exact integral value within the
 *       int range: {@code 1.5} fails, {@code 100.0} and {@code 1e2} read as 100;</li>
 *   <li>a {@code double} must be a JSON number, a {@code boolean} {@code true}/{@code false}, an enum one of its
 *       constants' names as a string (DL4J would accept {@code "0.1"}, {@code 1} for {@code true}, and an enum's
 *       ordinal; an unknown name failed without the property up front);</li>
 *   <li>a schedule of another package nested in ours (DL4J's {@code StepSchedule} as a factor of a
 *       {@code ProductSchedule}, say) fails on a property name that Jackson's introspection of its class does
 *       not know, naming the property and that class, and DL4J's own schedules there on a missing parameter
 *       of their JSON constructor, which DL4J would read as 0 or null ({@link ForeignScheduleCheck}); values
 *       are read by the class's own deserializer as before, and DL4J's schedules outside ours by DL4J;</li>
 *   <li>schedules nest at most {@link Nesting#MAX_DEPTH} deep, counted while reading, so that a deeply nested
 *       document fails with that message instead of a {@code StackOverflowError}.</li>
 * </ul>
 * Failures are Jackson {@link JsonMappingException}s (DL4J's {@code fromJson} wraps them in a
 * {@code RuntimeException}) whose message names the property and the class.
 */
final class StrictJson extends StdDeserializer<Object> implements ContextualDeserializer {

    private static final long serialVersionUID = 20261129L;

    /** Per-call attribute: how many of our schedules enclose the one being read. */
    private static final Object DEPTH = new Object();

    /**
     * Largest JSON nesting (objects and arrays) inside one of our objects: two levels per schedule level
     * ({@code "schedules": [ {...} ]}) plus room for the innermost schedules' own structure. Reading stops
     * there without buffering the rest of a hostile document.
     */
    private static final int MAX_JSON_DEPTH = 2 * Nesting.MAX_DEPTH + 32;

    /** What a property's value must look like. */
    private enum Kind { INT, INT_ARRAY, NUMBER, BOOLEAN, ENUM, OTHER }

    /** The bean deserializer Jackson would have used; null before {@link #createContextual}. */
    private final JsonDeserializer<Object> delegate;
    /** The creator properties by name. */
    private final Map<String, Kind> kinds;
    private final Set<String> optional;
    /** The constants of each enum property, for messages. */
    private final Map<String, String> enumNames;
    /** The constant names of each enum property: the strings it accepts. */
    private final Map<String, Set<String>> enumConstants;

    /** The instance Jackson creates from the annotation; made usable by {@link #createContextual}. */
    StrictJson() {
        this(Object.class, null, Collections.<String, Kind>emptyMap(), Collections.<String>emptySet(),
                Collections.<String, String>emptyMap(), Collections.<String, Set<String>>emptyMap());
    }

    private StrictJson(Class<?> type, JsonDeserializer<Object> delegate, Map<String, Kind> kinds,
                       Set<String> optional, Map<String, String> enumNames, Map<String, Set<String>> enumConstants) {
        super(type);
        this.delegate = delegate;
        this.kinds = kinds;
        this.optional = optional;
        this.enumNames = enumNames;
        this.enumConstants = enumConstants;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        if (delegate != null) {
            return this;
        }
        JavaType type = ctxt.getContextualType();
        BeanDescription description = ctxt.getConfig().introspect(type);
        DeserializerFactory factory = ctxt.getFactory();
        BeanDeserializerFactory beans = factory instanceof BeanDeserializerFactory
                ? (BeanDeserializerFactory) factory : BeanDeserializerFactory.instance;
        // Built directly, not looked up: a lookup would find this class's annotation again.
        JsonDeserializer<Object> bean = beans.buildBeanDeserializer(ctxt, type, description);
        if (bean instanceof ResolvableDeserializer) {
            ((ResolvableDeserializer) bean).resolve(ctxt);
        }
        @SuppressWarnings("unchecked")
        JsonDeserializer<Object> contextual = (JsonDeserializer<Object>) ctxt.handleSecondaryContextualization(
                bean, property, type);
        Map<String, Kind> kinds = new LinkedHashMap<>();
        Set<String> optional = new HashSet<>();
        Map<String, String> enumNames = new HashMap<>();
        Map<String, Set<String>> enumConstants = new HashMap<>();
        SettableBeanProperty[] creator = bean instanceof BeanDeserializerBase
                ? ((BeanDeserializerBase) bean).getValueInstantiator().getFromObjectArguments(ctxt.getConfig()) : null;
        if (creator == null) {
            throw JsonMappingException.from(ctxt, type.getRawClass().getName()
                    + " uses StrictJson but has no @JsonCreator constructor with @JsonProperty parameters");
        }
        for (SettableBeanProperty p : creator) {
            kinds.put(p.getName(), kindOf(p.getType()));
            if (!p.isRequired()) {
                optional.add(p.getName());
            }
            if (p.getType().isEnumType()) {
                Object[] constants = p.getType().getRawClass().getEnumConstants();
                enumNames.put(p.getName(), Arrays.toString(constants));
                Set<String> names = new HashSet<>();
                for (Object c : constants) {
                    names.add(((Enum<?>) c).name());
                }
                enumConstants.put(p.getName(), Collections.unmodifiableSet(names));
            }
        }
        return new StrictJson(type.getRawClass(), contextual, Collections.unmodifiableMap(kinds),
                Collections.unmodifiableSet(optional), Collections.unmodifiableMap(enumNames),
                Collections.unmodifiableMap(enumConstants));
    }

    private static Kind kindOf(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == int.class || raw == Integer.class) {
            return Kind.INT;
        }
        if (raw == int[].class) {
            return Kind.INT_ARRAY;
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return Kind.NUMBER;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Kind.BOOLEAN;
        }
        return raw.isEnum() ? Kind.ENUM : Kind.OTHER;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (delegate == null) {
            throw JsonMappingException.from(p, "StrictJson used without context");
        }
        Object outer = ctxt.getAttribute(DEPTH);
        int depth = outer == null ? 1 : (Integer) outer + 1;
        if (depth > Nesting.MAX_DEPTH) {
            throw tooDeep(p);
        }
        ctxt.setAttribute(DEPTH, depth);
        try {
            TokenBuffer checked = readChecked(p, ctxt);
            try (JsonParser buffered = checked.asParser(p)) {
                buffered.nextToken();
                return delegate.deserialize(buffered, ctxt);
            }
        } finally {
            ctxt.setAttribute(DEPTH, outer);
        }
    }

    /**
     * Copies this object (from its START_OBJECT, or the first property after the type id, to its END_OBJECT)
     * into a buffer, checking each property on the way.
     */
    private TokenBuffer readChecked(JsonParser p, DeserializationContext ctxt) throws IOException {
        TokenBuffer buffer = ctxt.bufferForInputBuffering(p);
        buffer.writeStartObject();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        }
        Set<String> seen = new HashSet<>();
        ForeignScheduleCheck foreign = null;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            Kind kind = kinds.get(name);
            if (kind == null) {
                throw unknown(p, name);
            }
            if (!seen.add(name)) {
                throw mismatch(p, name + " is given twice; give each property once");
            }
            p.nextToken();
            checkValue(p, name, kind);
            buffer.writeFieldName(name);
            if (kind == Kind.OTHER && p.currentToken().isStructStart() && foreign == null) {
                foreign = new ForeignScheduleCheck(ctxt);
            }
            copyValue(p, buffer, name, kind, kind == Kind.OTHER ? foreign : null);
        }
        if (t != JsonToken.END_OBJECT) {
            throw mismatch(p, "expected a property name or the end of the object, found " + t);
        }
        buffer.writeEndObject();
        return buffer;
    }

    /** Checks a value that starts at the parser's current token (the whole value for scalars). */
    private void checkValue(JsonParser p, String name, Kind kind) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            throw mismatch(p, name + " (null) must not be null" + (optional.contains(name)
                    ? "; leave the property out to use its default" : ""));
        }
        switch (kind) {
            case INT:
                checkInt(p, name);
                break;
            case INT_ARRAY:
                if (t != JsonToken.START_ARRAY) {
                    throw mismatch(p, name + " (" + quoted(p) + ") must be an array of whole numbers");
                }
                break;
            case NUMBER:
                if (!t.isNumeric()) {
                    throw mismatch(p, name + " (" + quoted(p) + ") must be a number");
                }
                break;
            case BOOLEAN:
                if (!t.isBoolean()) {
                    throw mismatch(p, name + " (" + quoted(p) + ") must be true or false");
                }
                break;
            case ENUM:
                if (t != JsonToken.VALUE_STRING || !enumConstants.get(name).contains(p.getText())) {
                    throw mismatch(p, name + " (" + quoted(p) + ") must be one of " + enumNames.get(name)
                            + ", as a string");
                }
                break;
            default:
                break;
        }
    }

    /** An int: a JSON number whose value is a whole number within the int range ({@code 100.0} is 100). */
    private void checkInt(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (!t.isNumeric()) {
            throw mismatch(p, name + " (" + quoted(p) + ") must be a whole number");
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return;
        }
        BigDecimal value;
        try {
            value = p.getDecimalValue();
        } catch (NumberFormatException | IOException e) {
            value = null; // NaN, Infinity
        }
        try {
            if (value != null) {
                value.intValueExact();
                return;
            }
        } catch (ArithmeticException e) {
            // fractional or out of range: reported below
        }
        throw mismatch(p, name + " (" + p.getText() + ") must be a whole number in the int range");
    }

    /**
     * Copies the value at the parser's current token; checks the elements of an int array on the way, and
     * passes every token to {@code foreign} (if not null) to check schedules of other packages inside.
     */
    private void copyValue(JsonParser p, TokenBuffer buffer, String name, Kind kind, ForeignScheduleCheck foreign)
            throws IOException {
        int depth = 0;
        int index = 0;
        do {
            JsonToken t = p.currentToken();
            if (t.isStructStart()) {
                if (++depth > MAX_JSON_DEPTH) {
                    throw tooDeep(p);
                }
            } else if (t.isStructEnd()) {
                depth--;
            } else if (kind == Kind.INT_ARRAY && depth == 1) {
                String element = name + "[" + index++ + "]";
                if (t == JsonToken.VALUE_NULL) {
                    throw mismatch(p, element + " (null) must not be null");
                }
                checkInt(p, element);
            } else if (kind == Kind.INT_ARRAY && depth > 1) {
                throw mismatch(p, name + " must be an array of whole numbers, not of arrays or objects");
            }
            if (foreign != null) {
                foreign.accept(p);
            }
            buffer.copyCurrentEvent(p);
        } while (depth > 0 && p.nextToken() != null);
        if (depth > 0) {
            throw mismatch(p, "unexpected end of input inside " + name);
        }
    }

    private JsonMappingException unknown(JsonParser p, String name) {
        return UnknownProperties.error(p, p.getCurrentLocation(), handledType(), name, kinds.keySet());
    }

    private JsonMappingException mismatch(JsonParser p, String message) {
        return MismatchedInputException.from(p, handledType(), message + " (in " + handledTypeName() + ")");
    }

    private JsonMappingException tooDeep(JsonParser p) {
        return mismatch(p, "nesting depth must be <= " + Nesting.MAX_DEPTH
                + ": schedules nest deeper than that here");
    }

    private String handledTypeName() {
        return handledType().getName();
    }

    /** The value at the parser as written: strings quoted, an array or object abbreviated. */
    private static String quoted(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\""
                : t == JsonToken.START_ARRAY ? "[...]" : t == JsonToken.START_OBJECT ? "{...}" : p.getText();
    }
}
