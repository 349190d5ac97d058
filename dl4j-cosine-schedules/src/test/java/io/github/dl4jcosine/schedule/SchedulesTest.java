package io.github.dl4jcosine.schedule;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.Arrays;

import static io.github.dl4jcosine.schedule.ScheduleContract.assertRejected;
import static io.github.dl4jcosine.schedule.Schedules.cosine;
import static io.github.dl4jcosine.schedule.Schedules.linear;
import static io.github.dl4jcosine.schedule.Schedules.product;
import static io.github.dl4jcosine.schedule.Schedules.sequence;
import static io.github.dl4jcosine.schedule.Schedules.sgdr;
import static io.github.dl4jcosine.schedule.Schedules.warmup;
import static io.github.dl4jcosine.schedule.Schedules.warmupCosine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

/** The facade builds exactly what the constructors build, with the documented defaults. */
class SchedulesTest {

    @Test
    void factories() {
        assertEquals(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 200, 0), cosine(EPOCH, 0.1, 200));
        assertEquals(new CosineAnnealingSchedule(EPOCH, 0.1, 1e-4, 200, 0), cosine(EPOCH, 0.1, 1e-4, 200));
        assertEquals(new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 10, 2.0, 1.0, 0, 0), sgdr(EPOCH, 0.05, 10, 2));
        assertEquals(new WarmupCosineSchedule(EPOCH, 1e-3, 0.0, 0.0, 5, 90, 0), warmupCosine(EPOCH, 1e-3, 5, 90));
        assertEquals(new LinearSchedule(ITERATION, 0.01, 1.0, 5, 0), linear(ITERATION, 0.01, 1.0, 5));
        StepSchedule step = new StepSchedule(ITERATION, 0.1, 0.5, 100);
        assertEquals(new LinearWarmupSchedule(ITERATION, 50, 0.0, step, 0), warmup(ITERATION, 50, step));
        assertEquals(new ProductSchedule(Arrays.asList(step, step)), product(step, step));
    }

    @Test
    void buildersWithDefaults() {
        assertEquals(new CosineAnnealingSchedule(EPOCH, 1e-3, 0.0, 90, 0),
                cosine(EPOCH).initialValue(1e-3).period(90).build());
        assertEquals(new CosineAnnealingSchedule(EPOCH, 1e-3, 1e-5, 90, 390),
                cosine(EPOCH).initialValue(1e-3).minValue(1e-5).period(90).iterationsPerEpoch(390).build());
        assertEquals(new CosineWarmRestartsSchedule(ITERATION, 0.1, 0.0, 1000, 1.0, 1.0, 0, 0),
                sgdr(ITERATION).initialValue(0.1).firstPeriod(1000).build());
        assertEquals(new CosineWarmRestartsSchedule(EPOCH, 0.1, 1e-4, 10, 2.0, 0.5, 3, 390),
                sgdr(EPOCH).initialValue(0.1).minValue(1e-4).firstPeriod(10).periodMultiplier(2)
                        .peakDecay(0.5).maxCycles(3).iterationsPerEpoch(390).build());
        assertEquals(new WarmupCosineSchedule(EPOCH, 0.1, 0.0, 0.0, 5, 90, 0),
                warmupCosine(EPOCH).peakValue(0.1).warmupPeriod(5).totalPeriod(90).build());
        assertEquals(new WarmupCosineSchedule(EPOCH, 0.1, 0.001, 1e-5, 5, 90, 390),
                warmupCosine(EPOCH).peakValue(0.1).warmupStartValue(0.001).minValue(1e-5).warmupPeriod(5)
                        .totalPeriod(90).iterationsPerEpoch(390).build());
        assertEquals(new SequentialSchedule(EPOCH, Arrays.asList(linear(EPOCH, 0.01, 0.1, 5), cosine(EPOCH, 0.1, 85)),
                        new int[] {5}),
                sequence(EPOCH).start(linear(EPOCH, 0.01, 0.1, 5)).then(5, cosine(EPOCH, 0.1, 85)).build());
        assertEquals(new LinearSchedule(EPOCH, 0.01, 0.1, 5, 0), linear(EPOCH).startValue(0.01).endValue(0.1).period(5)
                .build());
        assertEquals(new LinearSchedule(EPOCH, 0.01, 0.1, 5, 390), linear(EPOCH).startValue(0.01).endValue(0.1)
                .period(5).iterationsPerEpoch(390).build());
        CosineAnnealingSchedule decay = cosine(EPOCH, 0.1, 85);
        assertEquals(new LinearWarmupSchedule(EPOCH, 5, 0.0, decay, 0), warmup(EPOCH).warmupPeriod(5).schedule(decay)
                .build());
        CosineAnnealingSchedule fractional = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 85, 390);
        assertEquals(new LinearWarmupSchedule(EPOCH, 5, 0.01, fractional, 390), warmup(EPOCH).warmupPeriod(5)
                .startValue(0.01).schedule(fractional).iterationsPerEpoch(390).build());
    }

    /** Scaled copies are a product with DL4J's FixedSchedule: 0.1 x cosine(0.5 -> 0 over 10) = 0.025 at 5. */
    @Test
    void scaledCopies() throws Exception {
        CosineAnnealingSchedule head = cosine(ITERATION, 0.5, 10);
        ProductSchedule backbone = Schedules.scaled(head, 0.1);
        assertEquals(new ProductSchedule(new FixedSchedule(0.1), head), backbone);
        assertEquals(0.025, backbone.valueAt(5, 0), 1e-15);
        // linear scaling rule: tuned at 256, run at 1024: x4
        assertEquals(2.0, Schedules.linearScaling(head, 1024).valueAt(0, 0), 0.0);
        ScheduleContract.check(backbone, java.util.List.of("schedules"), java.util.List.of(Schedules.scaled(head, 0.2)));
        assertRejected("factor (NaN) must be finite", () -> Schedules.scaled(head, Double.NaN));
        assertRejected("factor (Infinity) must be finite", () -> Schedules.scaled(head, Double.POSITIVE_INFINITY));
        assertRejected("factor (0.0) must be > 0", () -> Schedules.scaled(head, 0.0));
        assertRejected("factor (-2.0) must be > 0", () -> Schedules.scaled(head, -2.0));
        assertRejected("schedule (null) must not be null", () -> Schedules.scaled(null, 2.0));
        assertRejected("batchSize (0) must be > 0", () -> Schedules.linearScaling(head, 0));
    }

    @Test
    void buildersNameWhatIsMissing() {
        assertRejected("initialValue is required: call initialValue(...) before build()",
                () -> cosine(EPOCH).period(5).build());
        assertRejected("period is required", () -> cosine(EPOCH).initialValue(0.1).build());
        assertRejected("firstPeriod is required", () -> sgdr(EPOCH).initialValue(0.1).build());
        assertRejected("totalPeriod is required",
                () -> warmupCosine(EPOCH).peakValue(0.1).warmupPeriod(5).build());
        assertRejected("then(5, ...) needs start(...) first", () -> sequence(EPOCH).then(5, cosine(EPOCH, 0.1, 5)));
        assertRejected("start(...) must come first and only once",
                () -> sequence(EPOCH).start(cosine(EPOCH, 0.1, 5)).start(cosine(EPOCH, 0.1, 5)));
        assertRejected("period (0) must be > 0", () -> cosine(EPOCH).initialValue(0.1).period(0).build());
        assertRejected("endValue is required", () -> linear(EPOCH).startValue(0.1).period(5).build());
        assertRejected("schedule is required", () -> warmup(EPOCH).warmupPeriod(5).build());
        assertRejected("warmupPeriod is required", () -> warmup(EPOCH).schedule(cosine(EPOCH, 0.1, 5)).build());
        // Values given explicitly reach the constructor's checks, whatever they are.
        assertRejected("initialValue (NaN) must be finite",
                () -> cosine(EPOCH).initialValue(Double.NaN).period(5).build());
        assertRejected("peakValue (NaN) must be finite",
                () -> warmupCosine(EPOCH).peakValue(Double.NaN).warmupPeriod(1).totalPeriod(5).build());
        assertRejected("firstPeriod (-2147483648) must be > 0",
                () -> sgdr(EPOCH).initialValue(0.1).firstPeriod(Integer.MIN_VALUE).build());
        assertRejected("milestones ([5, 5]) must be > 0 and strictly increasing",
                () -> sequence(EPOCH).start(cosine(EPOCH, 0.1, 5)).then(5, cosine(EPOCH, 0.1, 5))
                        .then(5, cosine(EPOCH, 0.1, 5)).build());
    }
}
