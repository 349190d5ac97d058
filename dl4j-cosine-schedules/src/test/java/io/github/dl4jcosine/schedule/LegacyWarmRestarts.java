package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/**
 * TEST-SCOPE ORACLE, not library code: {@code CosineWarmRestartsSchedule.valueAt} and {@code cycleIndex} as they were
 * before the valueAt hot-path rewrite (issue 21), verbatim from commit 8c3a17c (main) on {@link LegacyRestartCycles} and
 * {@link LegacyScheduleTime}. Settings are not checked here: build the library's schedule first (it rejects bad
 * ones), then this with the same settings.
 */
final class LegacyWarmRestarts {

    private final ScheduleType scheduleType;
    private final double minValue;
    private final int iterationsPerEpoch;
    private final LegacyRestartCycles cycles;

    LegacyWarmRestarts(CosineWarmRestartsSchedule s) {
        this.scheduleType = s.getScheduleType();
        this.minValue = s.getMinValue();
        this.iterationsPerEpoch = s.getIterationsPerEpoch();
        this.cycles = LegacyRestartCycles.of(s.getInitialValue(), s.getFirstPeriod(), s.getPeriodMultiplier(),
                s.getPeakDecay(), s.getMaxCycles());
    }

    double valueAt(int iteration, int epoch) {
        double t = LegacyScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch);
        LegacyRestartCycles.Cycle cycle = cycles.cycle(t);
        return cycle == null ? minValue : LegacyScheduleTime.cosine(cycle.peak, minValue, t - cycle.start, cycle.length);
    }

    int cycleIndex(int iteration, int epoch) {
        return cycles.cycleAt(LegacyScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch));
    }
}
