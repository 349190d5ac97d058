package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Facts about any {@link ISchedule} that checks and tools need: its unit and where it stops changing.
 * Knows this package's schedules (through any nesting) and DL4J's {@code FixedSchedule},
 * {@code MapSchedule}, {@code StepSchedule}, {@code ExponentialSchedule}, ... .
 */
public final class ScheduleInfo {

    private ScheduleInfo() {
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
        if (s instanceof LinearWarmupSchedule) {
            LinearWarmupSchedule w = (LinearWarmupSchedule) s;
            return shifted(inIterations(w.getScheduleType(), w.getWarmupPeriod(), n), horizon(w.getSchedule(), n));
        }
        if (s instanceof SequentialSchedule) {
            SequentialSchedule q = (SequentialSchedule) s;
            int[] milestones = q.getMilestones();
            List<ISchedule> schedules = q.getSchedules();
            OptionalDouble last = horizon(schedules.get(schedules.size() - 1), n);
            return milestones.length == 0 ? last
                    : shifted(inIterations(q.getScheduleType(), milestones[milestones.length - 1], n), last);
        }
        if (s instanceof ProductSchedule) {
            double max = 0;
            for (ISchedule factor : ((ProductSchedule) s).getSchedules()) {
                OptionalDouble h = horizon(factor, n);
                if (!h.isPresent()) {
                    return h;
                }
                max = Math.max(max, h.getAsDouble());
            }
            return OptionalDouble.of(max);
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

    private static OptionalDouble inIterations(ScheduleType unit, double time, int n) {
        return OptionalDouble.of(unit == ScheduleType.EPOCH ? time * n : time);
    }

    private static OptionalDouble shifted(OptionalDouble offset, OptionalDouble rest) {
        return rest.isPresent() ? OptionalDouble.of(offset.getAsDouble() + rest.getAsDouble()) : rest;
    }
}
