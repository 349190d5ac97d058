package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class ScheduleInfoTest {

    /**
     * Restarts with a cycle limit end where the last cycle ends. T_0 = 10 epochs, T_mult = 2, 3 cycles:
     * 10 + 20 + 40 = 70 epochs, at 5 updates per epoch 350 iterations.
     */
    @Test
    void restartsHorizonIsTheEndOfTheLastCycle() {
        assertEquals(OptionalDouble.of(350), ScheduleInfo.horizonInIterations(
                new CosineWarmRestartsSchedule(EPOCH, 0.1, 0.0, 10, 2.0, 1.0, 3, 0), 5));
    }

    /** Unlimited restarts, or a limit no int counter reaches (T_0 = 100, T_mult = 2: 25 cycles start below 2^31), never end. */
    @Test
    void restartsThatNeverEndHaveNoHorizon() {
        assertEquals(OptionalDouble.empty(), ScheduleInfo.horizonInIterations(
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 2.0), 5));
        assertEquals(OptionalDouble.empty(), ScheduleInfo.horizonInIterations(
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 100, 2.0, 1.0, 100, 0), 5));
    }

    /**
     * A constant period of 1 with maxCycles = int max: the last cycle starts at 2^31 - 2 and lasts 1, so the
     * value settles at 2^31 - 1. Used to build an array of maxCycles restart points to count the cycles
     * (OutOfMemoryError).
     */
    @Test
    void hugeCycleLimitNeedsNoTable() {
        assertEquals(OptionalDouble.of(2147483647.0), ScheduleInfo.horizonInIterations(
                new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1, 1.0, 1.0, Integer.MAX_VALUE, 0), 5));
    }

    /** The parts of each composite, with where each is in charge (read off the constructor arguments). */
    @Test
    void partsOfEachComposite() {
        CosineAnnealingSchedule decay = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85);
        List<ScheduleInfo.Part> warmup = ScheduleInfo.parts(new LinearWarmupSchedule(EPOCH, 5, 0.0, decay));
        assertEquals(1, warmup.size());
        assertSame(decay, warmup.get(0).schedule());
        assertEquals(EPOCH, warmup.get(0).unit());
        assertEquals(5, warmup.get(0).start());
        assertEquals(OptionalInt.empty(), warmup.get(0).end());
        assertEquals("after the warmup of LinearWarmupSchedule", warmup.get(0).role());

        ISchedule a = new LinearSchedule(ITERATION, 0.01, 0.1, 10);
        ISchedule b = new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 20);
        ISchedule c = new FixedSchedule(0.001);
        List<ScheduleInfo.Part> sequence = ScheduleInfo.parts(
                new SequentialSchedule(ITERATION, Arrays.asList(a, b, c), new int[] {10, 30}));
        assertEquals(3, sequence.size());
        assertEquals(Arrays.asList(0, 10, 30), sequence.stream().map(ScheduleInfo.Part::start).collect(Collectors.toList()));
        assertEquals(Arrays.asList(OptionalInt.of(10), OptionalInt.of(30), OptionalInt.empty()),
                sequence.stream().map(ScheduleInfo.Part::end).collect(Collectors.toList()));
        assertSame(c, sequence.get(2).schedule());
        assertEquals("as part 2 of SequentialSchedule", sequence.get(2).role());

        List<ScheduleInfo.Part> product = ScheduleInfo.parts(new ProductSchedule(a, b));
        assertEquals(2, product.size());
        assertNull(product.get(1).unit(), "a product has no unit of its own");
        assertEquals(0, product.get(1).start());
        assertEquals("as a factor of ProductSchedule", product.get(1).role());

        assertTrue(ScheduleInfo.parts(decay).isEmpty());
        assertTrue(ScheduleInfo.parts(c).isEmpty());
    }

    /**
     * Composites end when their last part does. Warmup 5 epochs then cosine 85 epochs, 4 updates per epoch:
     * (5 + 85) x 4 = 360. Sequence of a 10-iteration line and a 100-iteration cosine from milestone 10: 110. Product of
     * a 5-epoch line and a 90-epoch cosine, 3 per epoch: max(15, 270) = 270. Unlimited restarts in charge to the end:
     * none; cut by a milestone at 20 before a 50-iteration cosine: 20 + 50 = 70.
     */
    @Test
    void composedHorizons() {
        assertEquals(OptionalDouble.of(360), ScheduleInfo.horizonInIterations(
                new LinearWarmupSchedule(EPOCH, 5, 0.0, new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85)), 4));
        assertEquals(OptionalDouble.of(110), ScheduleInfo.horizonInIterations(new SequentialSchedule(ITERATION,
                Arrays.asList(new LinearSchedule(ITERATION, 0.01, 0.1, 10),
                        new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 100)), new int[] {10}), 4));
        assertEquals(OptionalDouble.of(270), ScheduleInfo.horizonInIterations(new ProductSchedule(
                new LinearSchedule(EPOCH, 0.01, 1.0, 5), new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 90)), 3));
        CosineWarmRestartsSchedule forever = new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 10, 1.0);
        assertEquals(OptionalDouble.empty(), ScheduleInfo.horizonInIterations(
                new ProductSchedule(new LinearSchedule(ITERATION, 0.01, 1.0, 5), forever), 3));
        assertEquals(OptionalDouble.of(70), ScheduleInfo.horizonInIterations(new SequentialSchedule(ITERATION,
                Arrays.asList(forever, new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 50)), new int[] {20}), 3));
        assertEquals(OptionalDouble.empty(), ScheduleInfo.horizonInIterations(new SequentialSchedule(ITERATION,
                Arrays.asList(new CosineAnnealingSchedule(ITERATION, 0.1, 0.0, 50), forever), new int[] {20}), 3));
    }
}
