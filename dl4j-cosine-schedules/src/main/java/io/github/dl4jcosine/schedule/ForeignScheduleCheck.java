package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonIgnoreProperties;
import org.nd4j.shade.jackson.annotation.JsonIncludeProperties;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.core.JsonLocation;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonToken;
import org.nd4j.shade.jackson.databind.AnnotationIntrospector;
import org.nd4j.shade.jackson.databind.BeanDescription;
import org.nd4j.shade.jackson.databind.DeserializationConfig;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonMappingException;
import org.nd4j.shade.jackson.databind.PropertyName;
import org.nd4j.shade.jackson.databind.deser.BasicDeserializerFactory;
import org.nd4j.shade.jackson.databind.deser.BeanDeserializerBase;
import org.nd4j.shade.jackson.databind.deser.SettableBeanProperty;
import org.nd4j.shade.jackson.databind.exc.MismatchedInputException;
import org.nd4j.shade.jackson.databind.introspect.AnnotatedMember;
import org.nd4j.shade.jackson.databind.introspect.BeanPropertyDefinition;
import org.nd4j.shade.jackson.databind.jsontype.TypeDeserializer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The property names of schedules of other packages (DL4J's {@code StepSchedule}, a user's own class, ...)
 * nested in one of ours, checked while {@link StrictJson} copies the value that holds them. DL4J's mapper
 * ignores unknown properties, so a misspelt {@code "decayRte"} would read as 0; here it fails naming the
 * property and the class, like a misspelling in one of our objects.
 *
 * <p>Known names come from Jackson's introspection of the class with the reading mapper's configuration (its
 * visibility rules, annotations and mix-ins): the properties of its bean deserializer and creator, their
 * aliases, every property the introspection finds (getters included, so every name the mapper writes) and the
 * names the class ignores. A class Jackson reads leniently by design ({@code ignoreUnknown = true}, an any-setter,
 * {@code @JsonIncludeProperties}) or with a deserializer of its own is not checked: its names cannot be known.
 * Only property names are checked; values are read as the class's own deserializer reads them.
 *
 * <p>One instance serves one value: feed it every token of the value, in order, before the token is copied.
 */
final class ForeignScheduleCheck {

    /** An object or array being read: the object's property names and locations, its type id once seen. */
    private static final class Frame {
        final boolean object;
        String typeId;
        final List<String> names = new ArrayList<>();
        final List<JsonLocation> locations = new ArrayList<>();

        Frame(boolean object, String typeId) {
            this.object = object;
            this.typeId = typeId;
        }
    }

    /**
     * What one reading call (one {@code readValue}, a whole configuration) has found out: the type deserializer and,
     * by type id, the class and its known names (null: not checked). Introspecting a class costs far more than
     * reading a schedule, and a configuration repeats the same few classes in every layer.
     */
    private static final class Memo {
        final TypeDeserializer types;
        final Map<String, Known> byTypeId = new HashMap<>();

        Memo(TypeDeserializer types) {
            this.types = types;
        }
    }

    /**
     * A foreign schedule class, the property names the mapper knows for it, and those that must be given: for
     * DL4J's own schedules ({@value #DL4J_SCHEDULES}), the parameters of their {@code @JsonCreator}, which DL4J
     * always writes and reads as 0 or null when missing (an {@code ExponentialSchedule} without
     * {@code scheduleType} would silently step per epoch); none for other classes, whose defaults are their own.
     */
    private static final class Known {
        final Class<?> type;
        final Set<String> names;
        final Set<String> required;

        Known(Class<?> type, Set<String> names, Set<String> required) {
            this.type = type;
            this.names = names;
            this.required = required;
        }
    }

    /** The package of DL4J's (ND4J's) schedules. */
    static final String DL4J_SCHEDULES = "org.nd4j.linalg.schedule";

    private final DeserializationContext ctxt;
    private final Memo memo;
    /** How {@code ISchedule}'s type id is read with this mapper; null if it has none (then nothing is checked). */
    private final TypeDeserializer types;
    private final String typeProperty;
    private final Deque<Frame> frames = new ArrayDeque<>();
    /** The object whose type-id property was just named: the next token is its value. */
    private Frame awaitingTypeId;

    ForeignScheduleCheck(DeserializationContext ctxt) throws JsonMappingException {
        this.ctxt = ctxt;
        Memo memo = (Memo) ctxt.getAttribute(Memo.class);
        if (memo == null) {
            memo = new Memo(ctxt.getFactory().findTypeDeserializer(ctxt.getConfig(),
                    ctxt.constructType(ISchedule.class)));
            ctxt.setAttribute(Memo.class, memo);
        }
        this.memo = memo;
        this.types = memo.types;
        this.typeProperty = types == null ? null : types.getPropertyName();
    }

    /** Takes the token at the parser; at the end of an object whose type is a foreign schedule, checks its names. */
    void accept(JsonParser p) throws IOException {
        if (types == null) {
            return;
        }
        JsonToken t = p.currentToken();
        Frame typed = awaitingTypeId;
        awaitingTypeId = null;
        switch (t) {
            case START_OBJECT:
                Object nativeId = p.canReadTypeId() ? p.getTypeId() : null;
                frames.push(new Frame(true, nativeId == null ? null : nativeId.toString()));
                break;
            case START_ARRAY:
                frames.push(new Frame(false, null));
                break;
            case END_OBJECT:
                check(p, frames.pop());
                break;
            case END_ARRAY:
                frames.pop();
                break;
            case FIELD_NAME:
                Frame top = frames.peek();
                if (top != null && top.object) {
                    if (p.currentName().equals(typeProperty)) {
                        awaitingTypeId = top;
                    }
                    top.names.add(p.currentName());
                    top.locations.add(p.getCurrentLocation());
                }
                break;
            case VALUE_STRING:
                if (typed != null && typed.typeId == null) {
                    typed.typeId = p.getText();
                }
                break;
            default:
                break;
        }
    }

    private void check(JsonParser p, Frame frame) throws IOException {
        if (!frame.object || frame.typeId == null) {
            return;
        }
        Known found;
        if (memo.byTypeId.containsKey(frame.typeId)) {
            found = memo.byTypeId.get(frame.typeId);
        } else {
            found = known(frame.typeId);
            memo.byTypeId.put(frame.typeId, found);
        }
        if (found == null) {
            return;
        }
        Class<?> type = found.type;
        Set<String> known = found.names;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < frame.names.size(); i++) {
            String name = frame.names.get(i);
            if (!seen.add(name)) {
                throw MismatchedInputException.from(p, type, name
                        + " is given twice; give each property once (in " + type.getName() + ")");
            }
            if (!known.contains(name) && !name.equals(typeProperty)) {
                throw UnknownProperties.error(p, frame.locations.get(i), type, name, known);
            }
        }
        for (String name : found.required) {
            if (!seen.contains(name)) {
                throw MismatchedInputException.from(p, type, name + " is missing for " + type.getName()
                        + ": DL4J would read it as 0 or null; give every one of " + found.required);
            }
        }
    }

    /** The class of {@code typeId} and its known names; null if it is not checked here. */
    private Known known(String typeId) throws JsonMappingException {
        JavaType type;
        try {
            type = types.getTypeIdResolver().typeFromId(ctxt, typeId);
        } catch (IOException | IllegalArgumentException e) {
            return null; // not an ISchedule, or no such class: the class's own reading reports it
        }
        if (type == null) {
            return null;
        }
        return knownNames(type);
    }

    /**
     * Every property name the mapper knows for {@code type}, and the required ones (see {@link Known}), or null if
     * the class is ours (checked by StrictJson itself) or its names cannot be known.
     */
    private Known knownNames(JavaType type) throws JsonMappingException {
        JsonDeserializer<Object> deserializer;
        try {
            deserializer = ctxt.findContextualValueDeserializer(type, null);
        } catch (JsonMappingException e) {
            return null; // Jackson cannot read the class at all: its own reading reports why
        }
        if (deserializer instanceof StrictJson || !(deserializer instanceof BeanDeserializerBase)) {
            return null;
        }
        DeserializationConfig config = ctxt.getConfig();
        BeanDescription description = config.introspect(type);
        Class<?> raw = type.getRawClass();
        JsonIgnoreProperties.Value ignorals = config.getDefaultPropertyIgnorals(raw, description.getClassInfo());
        JsonIncludeProperties.Value inclusions = config.getDefaultPropertyInclusions(raw, description.getClassInfo());
        if (ignorals.getIgnoreUnknown() || description.findAnySetterAccessor() != null
                || inclusions != null && inclusions.getIncluded() != null) {
            return null;
        }
        BeanDeserializerBase bean = (BeanDeserializerBase) deserializer;
        if (bean.getValueInstantiator().canCreateUsingDelegate()
                || bean.getValueInstantiator().canCreateUsingArrayDelegate()) {
            return null; // a delegating creator reads the object as a whole (a Map, say): any name may be its
        }
        Set<String> names = new TreeSet<>();
        for (Iterator<SettableBeanProperty> it = bean.properties(); it.hasNext(); ) {
            addWithAliases(names, it.next(), config);
        }
        Set<String> required = new TreeSet<>();
        Package where = raw.getPackage();
        boolean dl4j = where != null && where.getName().equals(DL4J_SCHEDULES);
        SettableBeanProperty[] creator = bean.getValueInstantiator().getFromObjectArguments(config);
        if (creator != null) {
            for (SettableBeanProperty property : creator) {
                addWithAliases(names, property, config);
                if (dl4j) {
                    required.add(property.getName());
                }
            }
        }
        AnnotationIntrospector annotations = config.getAnnotationIntrospector();
        for (BeanPropertyDefinition property : description.findProperties()) {
            names.add(property.getName());
            AnnotatedMember member = property.getMutator() != null ? property.getMutator()
                    : property.getPrimaryMember();
            if (member == null) {
                continue;
            }
            if (annotations != null && annotations.findUnwrappingNameTransformer(member) != null) {
                return null; // @JsonUnwrapped: the names of another class are read at this level
            }
            if (ctxt.getFactory() instanceof BasicDeserializerFactory) {
                TypeDeserializer external = ((BasicDeserializerFactory) ctxt.getFactory())
                        .findPropertyTypeDeserializer(config, member.getType(), member);
                if (external != null && external.getTypeInclusion() == JsonTypeInfo.As.EXTERNAL_PROPERTY) {
                    names.add(external.getPropertyName()); // the type id written beside the property
                }
            }
        }
        names.addAll(description.getIgnoredPropertyNames());
        names.addAll(ignorals.findIgnoredForDeserialization());
        return new Known(raw, names, required);
    }

    private static void addWithAliases(Collection<String> names, SettableBeanProperty property,
                                       DeserializationConfig config) {
        names.add(property.getName());
        for (PropertyName alias : property.findAliases(config)) {
            names.add(alias.getSimpleName());
        }
    }
}
