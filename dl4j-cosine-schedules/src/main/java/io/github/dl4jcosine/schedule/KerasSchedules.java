package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * A Keras user's learning-rate schedule, as Keras 3 computes it, from the JSON Keras writes for it.
 *
 * <p>{@link #fromConfig} reads any of:
 * <ul>
 *   <li>what {@code keras.optimizers.schedules.serialize(schedule)} writes:
 *       {@code {"module": "keras.optimizers.schedules", "class_name": "CosineDecay", "config": {...},
 *       "registered_name": null}};</li>
 *   <li>the older {@code {"class_name": "CosineDecay", "config": {...}}} (tf.keras before 2.13);</li>
 *   <li>a whole optimizer config, {@code optimizer.get_config()} ({@code {"name": "adam", "learning_rate": {...},
 *       ...}}), or a serialized optimizer ({@code {"class_name": "Adam", "config": {"learning_rate": {...}, ...}}},
 *       as in the {@code optimizer_config} of an HDF5 model's {@code training_config}): its {@code learning_rate};</li>
 *   <li>an HDF5 model's whole {@code training_config} attribute ({@code {"loss": ..., "optimizer_config": {...}}}):
 *       its optimizer's {@code learning_rate}.</li>
 * </ul>
 * and returns an {@code ITERATION} schedule (Keras counts optimizer steps; step {@code k} is DL4J's iteration
 * {@code k}, the {@code k+1}-th update). Where a class of this package or of DL4J computes the same values, that
 * class is returned:
 * <table>
 *   <caption>Keras class: what it becomes</caption>
 *   <tr><th>Keras</th><th>returned</th></tr>
 *   <tr><td>{@code ExponentialDecay}</td><td>DL4J {@code ExponentialSchedule(gamma = decay_rate^(1/decay_steps))};
 *       with {@code staircase}, DL4J {@code StepSchedule(decayRate, step = decay_steps)}</td></tr>
 *   <tr><td>{@code InverseTimeDecay}</td><td>DL4J {@code InverseSchedule(gamma = decay_rate / decay_steps, power 1)};
 *       with {@code staircase}, {@link InverseTimeDecaySchedule}</td></tr>
 *   <tr><td>{@code PiecewiseConstantDecay}</td><td>DL4J {@code MapSchedule}: {@code values[i+1]} from step
 *       {@code boundaries[i] + 1} on</td></tr>
 *   <tr><td>{@code PolynomialDecay}</td><td>{@link LinearSchedule} for {@code power = 1} without {@code cycle} and a
 *       whole {@code decay_steps}; otherwise {@link PolynomialDecaySchedule}</td></tr>
 *   <tr><td>{@code CosineDecay}</td><td>{@link CosineAnnealingSchedule} (min = {@code alpha} x the peak); with
 *       {@code warmup_target} and {@code warmup_steps > 0}, {@link WarmupCosineSchedule}</td></tr>
 *   <tr><td>{@code CosineDecayRestarts}</td><td>{@link CosineWarmRestartsSchedule} when {@code m_mul = 1} or
 *       {@code alpha = 0} (with {@code 0 < m_mul <= 1}); otherwise {@link CosineDecayRestartsSchedule}</td></tr>
 * </table>
 *
 * <p>Values equal Keras 3's at every step up to Keras's float32 rounding, except where that rounding moves a
 * piece: restart boundaries are exact here (Keras's float32 {@code floor(log(...))} can put a restart step at the
 * end of the previous cycle), and so are the multiples of {@code PolynomialDecay(cycle=True)} and the stairs far
 * beyond 2^24 steps; a {@code PolynomialDecay} ends exactly at {@code end_learning_rate} (jit-compiled, as
 * {@code model.fit} runs it, Keras's can end slightly off, or at NaN for a fractional {@code power} and some
 * {@code decay_steps}: XLA's {@code decay_steps * (1 / decay_steps)} is not exactly 1). Keras raises {@code decay_rate}, {@code t_mul} and {@code m_mul} to powers that grow with the
 * step, in float32: their float32 roundings are used here too ({@code 0.9999} is {@code 0.99989998...} in
 * float32; after 10,000 steps that is 1.7e-4 of the rate), so the values follow Keras's default float32 (with
 * {@code keras.config.set_floatx("float64")} Keras uses the parameters as written; build the classes directly for
 * that). Everything else is computed in double.
 *
 * <p>Refused, with an {@code IllegalArgumentException} naming what is wrong: text that is not one JSON object; an
 * unknown {@code class_name} (the message lists the six) or a custom one ({@code registered_name}); an unknown or
 * missing key in a schedule's {@code config} ({@code name} may be left out, and {@code CosineDecay}'s
 * {@code warmup_target}/{@code warmup_steps}, which Keras before 2.13 did not write); a value of the wrong JSON type
 * or out of range (a non-positive {@code decay_steps}, {@code values} not one longer than {@code boundaries},
 * boundaries not increasing, negative rates, {@code t_mul < 1}, for which Keras's rate becomes NaN after step
 * {@code first_decay_steps / (1 - t_mul)}); an integer {@code initial_learning_rate} (Keras then computes in int32;
 * see the message); and an optimizer config whose {@code learning_rate} is not a schedule: a plain number is a
 * fixed rate, not a schedule ({@code new Adam(0.001)} or {@code net.setLearningRate(0.001)} is its DL4J form).
 */
public final class KerasSchedules {

    /** The six Keras schedule classes, in Keras's order. */
    public static final List<String> CLASS_NAMES = Collections.unmodifiableList(Arrays.asList("ExponentialDecay",
            "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay", "CosineDecay", "CosineDecayRestarts"));

    private static final List<String> WRAPPER_KEYS = Arrays.asList("module", "class_name", "config",
            "registered_name");

    private KerasSchedules() {
    }

    /**
     * The schedule that {@code json} describes: a serialized Keras schedule, or an optimizer config whose
     * {@code learning_rate} is one (see the class javadoc).
     *
     * @throws IllegalArgumentException naming what is wrong, if {@code json} is not one of those forms or a value is
     *                                  out of range
     */
    public static ISchedule fromConfig(String json) {
        JsonNode root = KerasConfig.parse(json);
        if (root.has("class_name")) {
            String className = className("json", root);
            JsonNode config = configOf(className, root);
            if (CLASS_NAMES.contains(className)) {
                return schedule(className, config);
            }
            if (config.has("learning_rate")) {
                return learningRate("optimizer " + className, config.get("learning_rate"));
            }
            throw new IllegalArgumentException("json: unknown class_name \"" + className + "\"; the Keras schedules"
                    + " are " + CLASS_NAMES + " (an optimizer config would have a \"learning_rate\")");
        }
        if (root.has("learning_rate")) {
            return learningRate("optimizer config", root.get("learning_rate"));
        }
        if (root.has("optimizer_config")) {
            return trainingConfig(root.get("optimizer_config"));
        }
        throw new IllegalArgumentException("json (keys " + new KerasConfig("json", root).keys() + ") is neither a"
                + " Keras schedule ({\"class_name\": ..., \"config\": {...}}), an optimizer config (with a"
                + " \"learning_rate\") nor a training config (with an \"optimizer_config\")");
    }

    /** An HDF5 model's {@code training_config}: its {@code optimizer_config} is a serialized optimizer. */
    private static ISchedule trainingConfig(JsonNode optimizer) {
        String where = "training_config: optimizer_config";
        Checks.argument(optimizer.isObject() && optimizer.has("class_name"), where + " ("
                + KerasConfig.shown(optimizer) + ") must be a serialized optimizer ({\"class_name\": ..., \"config\":"
                + " {...}})");
        String className = className(where, optimizer);
        JsonNode config = configOf(where, optimizer);
        Checks.argument(config.has("learning_rate"), where + " (" + className + ") has no learning_rate");
        return learningRate("optimizer " + className, config.get("learning_rate"));
    }

    /** An optimizer's {@code learning_rate}: it must be a serialized schedule. */
    private static ISchedule learningRate(String optimizer, JsonNode lr) {
        if (lr.isNumber()) {
            throw new IllegalArgumentException(optimizer + ": learning_rate (" + lr + ") is a plain number, not a"
                    + " schedule: the rate is fixed (new Adam(" + lr + ") or net.setLearningRate(" + lr
                    + ") in DL4J)");
        }
        Checks.argument(lr.isObject() && lr.has("class_name"), optimizer + ": learning_rate ("
                + KerasConfig.shown(lr) + ") must be a serialized Keras schedule ({\"class_name\": ..., \"config\":"
                + " {...}})");
        String className = className(optimizer + ": learning_rate", lr);
        Checks.argument(CLASS_NAMES.contains(className), optimizer + ": learning_rate has unknown class_name \""
                + className + "\"; the Keras schedules are " + CLASS_NAMES);
        return schedule(className, configOf(className, lr));
    }

    /**
     * The {@code class_name} of a serialized object, after checking the keys around it ({@code module},
     * {@code class_name}, {@code config}, {@code registered_name}, no others) and that it is not a custom class.
     */
    private static String className(String where, JsonNode wrapper) {
        KerasConfig w = new KerasConfig(where, wrapper);
        for (String key : w.keys()) {
            Checks.argument(WRAPPER_KEYS.contains(key), where + ": unknown key \"" + key + "\" beside class_name;"
                    + " a serialized Keras object has the keys " + WRAPPER_KEYS);
        }
        JsonNode name = wrapper.get("class_name");
        Checks.argument(name.isTextual(), where + ": class_name (" + KerasConfig.shown(name) + ") must be a string");
        String className = name.textValue();
        JsonNode registered = wrapper.get("registered_name");
        Checks.argument(registered == null || registered.isNull() || registered.asText().equals(className), where
                + ": registered_name (" + registered + ") names a custom class; only Keras's own schedules "
                + CLASS_NAMES + " can be read");
        return className;
    }

    private static JsonNode configOf(String className, JsonNode wrapper) {
        JsonNode config = wrapper.get("config");
        Checks.argument(config != null && config.isObject(), className + ": config (" + KerasConfig.shown(config)
                + ") must be a JSON object");
        return config;
    }

    private static ISchedule schedule(String className, JsonNode node) {
        KerasConfig c = new KerasConfig(className, node);
        switch (className) {
            case "ExponentialDecay":
                return exponential(c.checkKeys(keys("initial_learning_rate", "decay_steps", "decay_rate",
                        "staircase"), keys()));
            case "InverseTimeDecay":
                return inverseTime(c.checkKeys(keys("initial_learning_rate", "decay_steps", "decay_rate",
                        "staircase"), keys()));
            case "PiecewiseConstantDecay":
                return KerasPieces.piecewise(c.checkKeys(keys("boundaries", "values"), keys()));
            case "PolynomialDecay":
                return polynomial(c.checkKeys(keys("initial_learning_rate", "decay_steps", "end_learning_rate",
                        "power", "cycle"), keys()));
            case "CosineDecay":
                return KerasPieces.cosine(c.checkKeys(keys("initial_learning_rate", "decay_steps", "alpha"),
                        keys("warmup_target", "warmup_steps")));
            case "CosineDecayRestarts":
                return KerasPieces.restarts(c.checkKeys(keys("initial_learning_rate", "first_decay_steps", "t_mul",
                        "m_mul", "alpha"), keys()));
            default:
                throw new IllegalStateException(className);
        }
    }

    private static List<String> keys(String... keys) {
        return Arrays.asList(keys);
    }

    /** {@code lr0 * decay_rate^(step / decay_steps)}, the exponent rounded down with {@code staircase}. */
    private static ISchedule exponential(KerasConfig c) {
        double lr0 = c.initialRate("initial_learning_rate");
        double steps = c.positive("decay_steps");
        double rate = c.rate("decay_rate", KerasPieces.float32(c.number("decay_rate")));
        ISchedule s = c.bool("staircase") ? new StepSchedule(ITERATION, lr0, rate, steps)
                : new ExponentialSchedule(ITERATION, lr0, Math.pow(rate, 1 / steps));
        KerasPieces.checkRange(c, s);
        return s;
    }

    /** {@code lr0 / (1 + decay_rate * step / decay_steps)}, the quotient rounded down with {@code staircase}. */
    private static ISchedule inverseTime(KerasConfig c) {
        double lr0 = c.initialRate("initial_learning_rate");
        double steps = c.positive("decay_steps");
        double rate = c.rate("decay_rate");
        return c.bool("staircase") ? new InverseTimeDecaySchedule(ITERATION, lr0, rate, steps, true, 0)
                : new InverseSchedule(ITERATION, lr0, rate / steps, 1.0);
    }

    /** {@code (lr0 - end) * (1 - step / decay_steps)^power + end}, over multiples of decay_steps with {@code cycle}. */
    private static ISchedule polynomial(KerasConfig c) {
        double lr0 = c.initialRate("initial_learning_rate");
        double steps = c.positive("decay_steps");
        double end = c.rate("end_learning_rate");
        double power = c.number("power");
        Checks.argument(power >= 0, c.owner() + ": power (" + power + ") must be >= 0: with a negative power Keras's rate"
                + " is infinite at step decay_steps");
        boolean cycle = c.bool("cycle");
        if (!cycle && power == 1 && steps == Math.rint(steps) && steps <= Integer.MAX_VALUE) {
            return new LinearSchedule(ITERATION, lr0, end, (int) steps);
        }
        return new PolynomialDecaySchedule(ITERATION, lr0, end, steps, power, cycle, 0);
    }
}
