package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/**
 * Units never mix silently through a product inside a wrapper, and nested wrappers with a wrong
 * iterationsPerEpoch stay within one epoch of DL4J's counter (the README's promise).
 */
class NestedUnitsTest {

    /**
     * A whole-epoch warmup around Schedules.scaled(fractional cosine): the wrapper shifts only the epoch, so the
     * cosine used to see its unshifted iteration and run a whole epoch ahead. Now refused, naming the factor.
     */
    @Test
    void productWithFactorsOfAnotherIterationsPerEpochIsRejected() {
        CosineAnnealingSchedule fractional = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90, 390);
        assertRejected("schedule.schedules[1] (CosineAnnealingSchedule(initialValue=0.1, minValue=0.0, period=90,"
                        + " scheduleType=EPOCH, iterationsPerEpoch=390)) has iterationsPerEpoch=390 but its wrapper has"
                        + " iterationsPerEpoch=0",
                () -> new LinearWarmupSchedule(EPOCH, 5, 0.0, Schedules.scaled(fractional, 0.5)));
        assertRejected("schedules[1].schedules[0] (CosineAnnealingSchedule(", () -> new SequentialSchedule(EPOCH,
                List.of(Schedules.cosine(EPOCH, 0.1, 5), new ProductSchedule(fractional)), new int[] {5}));
        assertRejected("has iterationsPerEpoch=390 but its wrapper has iterationsPerEpoch=100",
                () -> new LinearWarmupSchedule(EPOCH, 5, 0.0, new ProductSchedule(new FixedSchedule(0.5),
                        new ProductSchedule(fractional)), 100));
    }

    /** A product that mixes units is fine alone, but a wrapper cannot shift both units at once: refused. */
    @Test
    void productWithFactorsInAnotherUnitIsRejected() {
        ProductSchedule mixed = new ProductSchedule(new LinearSchedule(ITERATION, 0.01, 1.0, 500),
                new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90));
        assertEquals(0.001, mixed.valueAt(0, 0), 1e-15);
        assertRejected("schedule.schedules[1] (CosineAnnealingSchedule(initialValue=0.1, minValue=0.0, period=90,"
                + " scheduleType=EPOCH)) has scheduleType=EPOCH but its wrapper has scheduleType=ITERATION",
                () -> new LinearWarmupSchedule(ITERATION, 100, 0.0, mixed));
        assertRejected("schedules[0].schedules[0] (LinearSchedule(",
                () -> new SequentialSchedule(EPOCH, List.of(mixed), new int[0]));
    }

    /**
     * A product in the wrapper's unit is computed with every factor shifted: warmup of 2 fractional epochs
     * (10 per epoch) around 0.5 x cosine(0.1 -> 0 over 10 epochs). Iteration 25, epoch 2: wrapper time 2.5, cosine
     * time 0.5: 0.5 * 0.1 * (1 + cos(pi * 0.5 / 10)) / 2 = 0.04969220851487845 (Python math.cos).
     */
    @Test
    void productInTheSameUnitIsShiftedWhole() {
        LinearWarmupSchedule s = new LinearWarmupSchedule(EPOCH, 2, 0.0,
                Schedules.scaled(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 10, 10), 0.5), 10);
        assertEquals(0.04969220851487845, s.valueAt(25, 2), 1e-16);
        assertEquals(0.05, s.valueAt(20, 2), 0.0);
        assertEquals(0.025, s.valueAt(10, 1), 1e-17);
    }

    /**
     * Three nested wrappers (warmup 2, warmup 3, a sequence switching at 4) declare 10 iterations per epoch
     * while training runs {@code real} per epoch. The innermost schedule is a line of slope 1 (value = its own
     * time), so its value is the time it sees. The outermost wrapper's time is DL4J's epoch plus the clamped
     * fraction, T = epoch + clamp((iteration - 10 * epoch) / 10, 0, 1); the innermost must see exactly T - 9,
     * which is within one epoch of DL4J's counter (epoch - 9). Before, each level clamped on its own and the
     * innermost time drifted up to two epochs ahead.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 10, 20, 37})
    void nestedWrappersStayWithinOneEpoch(int real) {
        LinearSchedule probe = new LinearSchedule(EPOCH, 0.0, 1e6, 1_000_000, 10);
        ISchedule s = new LinearWarmupSchedule(EPOCH, 2, 0.0, new LinearWarmupSchedule(EPOCH, 3, 0.0,
                new SequentialSchedule(EPOCH, List.of(new FixedSchedule(0.0), probe), new int[] {4}, 10), 10), 10);
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int i = 0; i < real; i++) {
                int iteration = epoch * real + i;
                double t = epoch + Math.min(1, Math.max(0, (iteration - 10.0 * epoch) / 10));
                if (t < 9) {
                    continue;
                }
                double inner = s.valueAt(iteration, epoch);
                assertEquals(t - 9, inner, 1e-9, "iteration " + iteration + ", epoch " + epoch);
                assertTrue(inner >= epoch - 9 && inner <= epoch - 8, "more than one epoch from DL4J's counter at "
                        + iteration + ", " + epoch + ": " + inner);
            }
        }
    }
}
