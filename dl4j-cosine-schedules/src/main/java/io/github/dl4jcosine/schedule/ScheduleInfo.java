package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Facts about any {@link ISchedule} that checks and tools need: its unit and where it stops changing.
 * Knows this package's schedules (through any nesting) and DL4J's {@code FixedSchedule},
 * {@code MapSchedule}, {@code StepSchedule}, {@code ExponentialSchedule}, ... .
 */
public final class ScheduleInfo {

    private ScheduleInfo() {
    }

    /**
     * One schedule inside a composed one ({@link LinearWarmupSchedule}, {@link SequentialSchedule},
     * {@link ProductSchedule}), with the stretch of the composite's time in which it is in charge. The part's own
     * time is 0 at {@link #start()}: it sees the counters it would have seen had training started there.
     */
    public static final class Part {
        private final ISchedule schedule;
        private final ScheduleType unit;
        private final int start;
        private final int end;
        private final String role;

        Part(ISchedule schedule, ScheduleType unit, int start, int end, String role) {
            this.schedule = schedule;
            this.unit = unit;
            this.start = start;
            this.end = end;
            this.role = role;
        }

        /** The part. */
        public ISchedule schedule() {
            return schedule;
        }

        /**
         * The unit of {@link #start()} and {@link #end()}, the composite's {@code scheduleType}; null for a factor
         * of a {@code ProductSchedule} (every factor sees the product's counters: start 0, no end).
         */
        public ScheduleType unit() {
            return unit;
        }

        /**
         * Where the part's own time 0 is, in the composite's time: the warmup period of a
         * {@code LinearWarmupSchedule}, the milestone before it in a {@code SequentialSchedule}, 0 for the first
         * part and for a factor.
         */
        public int start() {
            return start;
        }

        /** Where the next part takes over (the next milestone of a {@code SequentialSchedule}); empty: never. */
        public OptionalInt end() {
            return end >= 0 ? OptionalInt.of(end) : OptionalInt.empty();
        }

        /**
         * How the part sits in the composite, for messages: {@code "after the warmup of LinearWarmupSchedule"},
         * {@code "as part 1 of SequentialSchedule"}, {@code "as a factor of ProductSchedule"}.
         */
        public String role() {
            return role;
        }

        @Override
        public String toString() {
            return role + " from " + start + (end >= 0 ? " to " + end : "") + (unit != null ? " " + unit : "")
                    + ": " + schedule;
        }
    }

    /**
     * The schedules {@code schedule} is made of, in order, each with where it is in charge; empty for a schedule
     * that wraps none. Walk a composed schedule with it to any depth (depth is at most 64).
     */
    public static List<Part> parts(ISchedule schedule) {
        return Parts.of(Checks.notNull("schedule", schedule));
    }

    /**
     * The schedule's {@link ScheduleType}, or null when it has none ({@code FixedSchedule}), its factors
     * disagree ({@link ProductSchedule}), or it is not a schedule this class knows.
     */
    public static ScheduleType unitOf(ISchedule schedule) {
        return Units.typeOf(Checks.notNull("schedule", schedule));
    }

    /**
     * The {@code iterationsPerEpoch} of a fractional-epoch schedule of this package (for a
     * {@link ProductSchedule}, of its first such factor); 0 otherwise.
     */
    public static int iterationsPerEpochOf(ISchedule schedule) {
        Checks.notNull("schedule", schedule);
        if (schedule instanceof TimedSchedule) {
            return ((TimedSchedule) schedule).getIterationsPerEpoch();
        }
        if (schedule instanceof ProductSchedule) {
            for (ISchedule factor : ((ProductSchedule) schedule).getSchedules()) {
                int n = iterationsPerEpochOf(factor);
                if (n > 0) {
                    return n;
                }
            }
        }
        return 0;
    }

    /**
     * The number of iterations after which the value no longer changes, for training with
     * {@code iterationsPerEpoch} updates per epoch; empty when it changes forever (unlimited restarts,
     * {@link CosineDecayRestartsSchedule}, {@link InverseTimeDecaySchedule}, a cycling {@link PolynomialDecaySchedule},
     * {@code StepSchedule}, ...) or cannot be told. {@code CosineAnnealingSchedule(EPOCH, ..., period=90)}
     * with 390 updates per epoch gives {@code 35100}.
     */
    public static OptionalDouble horizonInIterations(ISchedule schedule, int iterationsPerEpoch) {
        Checks.notNull("schedule", schedule);
        Checks.positive("iterationsPerEpoch", iterationsPerEpoch);
        return horizon(schedule, iterationsPerEpoch);
    }

    private static OptionalDouble horizon(ISchedule s, int n) {
        if (s instanceof CosineAnnealingSchedule) {
            CosineAnnealingSchedule c = (CosineAnnealingSchedule) s;
            return inIterations(c.getScheduleType(), c.getPeriod(), n);
        }
        if (s instanceof LinearSchedule) {
            LinearSchedule l = (LinearSchedule) s;
            return inIterations(l.getScheduleType(), l.getPeriod(), n);
        }
        if (s instanceof WarmupCosineSchedule) {
            WarmupCosineSchedule w = (WarmupCosineSchedule) s;
            return inIterations(w.getScheduleType(), w.getTotalPeriod(), n);
        }
        if (s instanceof OneCycleSchedule) {
            // finalValue from the last update of the cycle, t = totalPeriod - 1, on
            OneCycleSchedule o = (OneCycleSchedule) s;
            return inIterations(o.getScheduleType(), o.getTotalPeriod() - 1.0, n);
        }
        if (s instanceof WarmupStableDecaySchedule) {
            WarmupStableDecaySchedule w = (WarmupStableDecaySchedule) s;
            return inIterations(w.getScheduleType(),
                    (double) w.getWarmupPeriod() + w.getStablePeriod() + w.getDecayPeriod(), n);
        }
        if (s instanceof PolynomialDecaySchedule) {
            // endValue from decayPeriod on; a cycling one decays again over every multiple
            PolynomialDecaySchedule p = (PolynomialDecaySchedule) s;
            return p.isCycle() ? OptionalDouble.empty() : inIterations(p.getScheduleType(), p.getDecayPeriod(), n);
        }
        if (s instanceof CosineWarmRestartsSchedule) {
            CosineWarmRestartsSchedule r = (CosineWarmRestartsSchedule) s;
            int cycles = r.getMaxCycles();
            if (cycles == 0 || r.cycleCount() < cycles) {
                return OptionalDouble.empty();
            }
            return inIterations(r.getScheduleType(), r.cycleStart(cycles - 1) + r.cycleLength(cycles - 1), n);
        }
        List<Part> parts = Parts.of(s);
        if (!parts.isEmpty()) {
            return composedHorizon(parts, n);
        }
        if (s instanceof FixedSchedule) {
            return OptionalDouble.of(0);
        }
        if (s instanceof MapSchedule) {
            MapSchedule m = (MapSchedule) s;
            int lastKey = 0;
            for (Map.Entry<Integer, Double> e : m.getValues().entrySet()) {
                lastKey = Math.max(lastKey, e.getKey());
            }
            return inIterations(m.getScheduleType(), lastKey, n);
        }
        return OptionalDouble.empty();
    }

    /**
     * A composed schedule stops changing once every part has: a part that hands over at a milestone counts until
     * there, the others until their start plus their own horizon (empty when any of them changes forever).
     */
    private static OptionalDouble composedHorizon(List<Part> parts, int n) {
        double max = 0;
        for (Part part : parts) {
            if (part.end >= 0) {
                max = Math.max(max, inIterations(part.unit, part.end, n).getAsDouble());
                continue;
            }
            OptionalDouble h = horizon(part.schedule, n);
            if (!h.isPresent()) {
                return h;
            }
            max = Math.max(max, inIterations(part.unit, part.start, n).getAsDouble() + h.getAsDouble());
        }
        return OptionalDouble.of(max);
    }

    private static OptionalDouble inIterations(ScheduleType unit, double time, int n) {
        return OptionalDouble.of(unit == ScheduleType.EPOCH ? time * n : time);
    }

}
