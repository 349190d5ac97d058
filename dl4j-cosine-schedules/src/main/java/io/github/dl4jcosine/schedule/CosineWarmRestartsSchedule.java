package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Objects;

/**
 * Cosine annealing with warm restarts, SGDR (PyTorch {@code CosineAnnealingWarmRestarts}, timm
 * {@code CosineLRScheduler}, Keras {@code CosineDecayRestarts}, braintools
 * {@code CosineAnnealingWarmRestarts}).
 *
 * <pre>{@code
 * L_k = firstPeriod * periodMultiplier^k                 length of cycle k (k = 0, 1, ...)
 * S_k = L_0 + L_1 + ... + L_(k-1)                         start of cycle k (S_0 = 0)
 * P_k = initialValue * peakDecay^k                        value at the start of cycle k
 * value(t) = minValue + (P_k - minValue) * (1 + cos(pi * (t - S_k) / L_k)) / 2   for S_k <= t < S_(k+1)
 * value(t) = minValue                                     for t >= S_maxCycles, when maxCycles > 0
 * }</pre>
 * where {@code t} is the time in the unit of {@code scheduleType} (iterations, whole epochs, or
 * fractional epochs when {@code iterationsPerEpoch > 0}). The value is {@code initialValue} at
 * {@code t = 0}, approaches {@code minValue} at the end of each cycle, and jumps back to {@code P_k}
 * exactly at each restart {@code S_k}: cycle starts are exact sums, so for integer
 * {@code firstPeriod} and {@code periodMultiplier} every restart lands on its integer position,
 * whereas PyTorch and timm compute the cycle with {@code floor(log(...))} and return
 * {@code eta_min} instead of the restart value at positions such as {@code T_0=1, T_mult=3, t=121}.
 * Multipliers so close to 1 that more than 1,000 cycles start below {@code 2^31} (e.g. 1.01 with
 * {@code firstPeriod} 100) take the starts from the geometric sum
 * {@code S_k = firstPeriod * (m^k - 1) / (m - 1)} instead.
 *
 * <p>Parameters, with their PyTorch / timm / Keras names: {@code initialValue} = {@code lr},
 * {@code minValue} = {@code eta_min} / {@code lr_min}, {@code firstPeriod} = {@code T_0} /
 * {@code t_initial} / {@code first_decay_steps}, {@code periodMultiplier} = {@code T_mult} /
 * {@code t_mul} (a double here; {@code >= 1}, or in {@code (0, 1)} only with a finite
 * {@code maxCycles}), {@code peakDecay} = timm {@code cycle_decay} / Keras {@code m_mul} (only the
 * peak decays, as in timm; {@code > 0}, and {@code > 1} only with a finite {@code maxCycles}),
 * {@code maxCycles} = timm {@code cycle_limit} (0 = unlimited; after that many cycles the value
 * holds {@code minValue}). As in timm, only the peak decays: should a decayed peak fall below
 * {@code minValue}, that cycle's cosine rises from the peak to {@code minValue}.
 *
 * <pre>{@code
 * // SGDR: 10 epochs, then 20, 40, ..., each restart back to 0.05
 * new Sgd(new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.05, 0.0, 10, 2.0));
 * }</pre>
 *
 * @see <a href="https://arxiv.org/abs/1608.03983">Loshchilov &amp; Hutter, SGDR: Stochastic Gradient
 *      Descent with Warm Restarts, ICLR 2017, arXiv:1608.03983</a>
 */
@JsonDeserialize(using = StrictJson.class)
public final class CosineWarmRestartsSchedule implements ISchedule, TimedSchedule {

    private static final long serialVersionUID = 20261122L;

    /** The most points {@link #restartPoints} returns in one call (8 MB); {@link #cycleStart} answers any cycle. */
    static final int MAX_RESTART_POINTS = 1 << 20;

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double minValue;
    private final int firstPeriod;
    private final double periodMultiplier;
    private final double peakDecay;
    private final int maxCycles;
    private final int iterationsPerEpoch;

    /** Where the cycles start, their lengths and peaks: derived, never in JSON. */
    @JsonIgnore
    private final RestartCycles cycles;

    /**
     * The cycle of the last {@code valueAt}: a speed hint only, checked against the cycle's exact bounds before use,
     * under the rules of {@link RestartCycles#hint} (immutable, never null, read and written without a lock).
     * Derived, never in JSON; not transient, so that a serializer that copies fields (Spark's Kryo) copies it.
     */
    @JsonIgnore
    private RestartCycle hint;

    /**
     * @param scheduleType       unit of the periods: {@code ITERATION} or {@code EPOCH}
     * @param initialValue       value at {@code t = 0}, the first peak (PyTorch {@code lr}), in
     *                           {@code [0, Double.MAX_VALUE / 2]}
     * @param minValue           value each cycle anneals toward (PyTorch {@code eta_min}), in
     *                           {@code [0, Double.MAX_VALUE / 2]}
     * @param firstPeriod        length of cycle 0 (PyTorch {@code T_0}), {@code > 0}
     * @param periodMultiplier   factor between consecutive cycle lengths (PyTorch {@code T_mult}),
     *                           finite, {@code >= 1}, or in {@code (0, 1)} only with {@code maxCycles > 0}
     *                           and every cycle at least one update long:
     *                           {@code firstPeriod * periodMultiplier^(maxCycles - 1) >= 1} (or
     *                           {@code >= 1 / iterationsPerEpoch} with fractional epochs)
     * @param peakDecay          factor between consecutive peaks (timm {@code cycle_decay}), finite,
     *                           {@code > 0}, and {@code <= 1} unless {@code maxCycles > 0}; every peak
     *                           reached below {@code 2^31} at most {@code Double.MAX_VALUE / 2}
     * @param maxCycles          number of cycles before holding {@code minValue}; 0 = unlimited
     * @param iterationsPerEpoch 0, or with {@code EPOCH} the iterations per epoch (fractional epochs)
     * @throws IllegalArgumentException naming the parameter, if any rule above is broken
     */
    @JsonCreator
    public CosineWarmRestartsSchedule(@JsonProperty(value = "scheduleType", required = true) ScheduleType scheduleType,
                                      @JsonProperty(value = "initialValue", required = true) double initialValue,
                                      @JsonProperty("minValue") double minValue,
                                      @JsonProperty(value = "firstPeriod", required = true) int firstPeriod,
                                      @JsonProperty(value = "periodMultiplier", required = true) double periodMultiplier,
                                      @JsonProperty(value = "peakDecay", required = true) double peakDecay,
                                      @JsonProperty("maxCycles") int maxCycles,
                                      @JsonProperty("iterationsPerEpoch") int iterationsPerEpoch) {
        ScheduleTime.checkUnit(scheduleType, iterationsPerEpoch);
        this.scheduleType = scheduleType;
        this.initialValue = Checks.value("initialValue", initialValue);
        this.minValue = Checks.value("minValue", minValue);
        this.firstPeriod = Checks.positive("firstPeriod", firstPeriod);
        this.periodMultiplier = Checks.positiveFinite("periodMultiplier", periodMultiplier);
        this.peakDecay = Checks.positiveFinite("peakDecay", peakDecay);
        this.maxCycles = Checks.nonNegative("maxCycles", maxCycles);
        this.iterationsPerEpoch = iterationsPerEpoch;
        Checks.argument(periodMultiplier >= 1 || maxCycles > 0, "periodMultiplier (" + periodMultiplier
                + ") must be >= 1 when maxCycles is 0 (unlimited); a shrinking cycle needs maxCycles > 0");
        Checks.argument(peakDecay <= 1 || maxCycles > 0, "peakDecay (" + peakDecay
                + ") must be <= 1 when maxCycles is 0 (unlimited); growing peaks need maxCycles > 0");
        if (periodMultiplier < 1) {
            // Shrinking cycles: the last one must still hold an update (and its length must not underflow).
            double update = iterationsPerEpoch > 0 ? 1.0 / iterationsPerEpoch : 1.0;
            double last = firstPeriod * Math.pow(periodMultiplier, maxCycles - 1.0);
            Checks.argument(last >= update, "periodMultiplier (" + periodMultiplier + ") makes cycle "
                    + (maxCycles - 1) + " of maxCycles (" + maxCycles + ") last " + last + ", less than one update ("
                    + update + "); every cycle must hold an update: use fewer cycles or a multiplier closer to 1");
        }
        cycles = RestartCycles.of(this.initialValue, this.minValue, firstPeriod, periodMultiplier, peakDecay, maxCycles);
        hint = cycles.hint;
        int lastCycle = (int) (cycles.count() - 1);
        Checks.argument(Double.isFinite(cycles.length(lastCycle)), "periodMultiplier (" + periodMultiplier
                + ") makes cycle " + lastCycle + " infinitely long; use a smaller multiplier");
        Checks.argument(cycles.peak(lastCycle) <= ValueBounds.MAX_VALUE, "peakDecay (" + peakDecay
                + ") over maxCycles (" + maxCycles + ") cycles overflows the peak value (" + cycles.peak(lastCycle)
                + " > " + ValueBounds.MAX_VALUE + "); use fewer cycles or a smaller peakDecay");
    }

    /** SGDR without peak decay or cycle limit: PyTorch {@code CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)}. */
    public CosineWarmRestartsSchedule(ScheduleType scheduleType, double initialValue, double minValue,
                                      int firstPeriod, double periodMultiplier) {
        this(scheduleType, initialValue, minValue, firstPeriod, periodMultiplier, 1.0, 0, 0);
    }

    /**
     * The value at the update {@code (iteration, epoch)}: the formula above at its time {@code t} ({@link ScheduleTime}).
     * The common case, {@code t} in the cycle of the previous call and past its start, reads that cycle
     * ({@link #hint}) and computes nothing but the time and the cycle's cosine; an int time (iterations, whole
     * epochs) is compared with the cycle's int bounds and converted together with the subtraction of the cycle's
     * start ({@link RestartCycle#elapsed}). Bit for bit {@code ScheduleTime.cosine(P_k, minValue, t - S_k, L_k)}.
     */
    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < 0 || epoch < 0) {
            throw ScheduleTime.negative(iteration, epoch);
        }
        RestartCycle cycle = hint;
        double t;
        // in the cycle of the previous call and past its start (so never at a restart, where the value is the peak):
        // the cosine; anything else, the cycle's first update included, goes to lookUp
        if (iterationsPerEpoch == 0) {
            int v = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
            if (v > cycle.first && v <= cycle.last) {
                return cycle.cosine(cycle.elapsed(v));
            }
            t = ScheduleTime.exact(v);
        } else {
            t = ScheduleTime.fractional(iterationsPerEpoch, iteration, epoch);
            if (cycle.start < t && t < cycle.end) {
                return cycle.cosine(t - cycle.start);
            }
        }
        return lookUp(t);
    }

    /**
     * {@link #valueAt} at a time outside the cycle of the previous call or at its first update: the lookup, whose
     * cycle becomes the hint.
     */
    private double lookUp(double t) {
        RestartCycle cycle = cycles.cycle(t);
        if (cycle == null) {
            return minValue;
        }
        hint = cycle;
        double elapsed = t - cycle.start;
        return elapsed == 0 ? cycle.peak : cycle.cosine(elapsed);
    }

    /**
     * The cycle that the update {@code (iteration, epoch)} falls in (0-based), or {@code maxCycles}
     * once every cycle has ended and the value holds {@code minValue}.
     */
    public int cycleIndex(int iteration, int epoch) {
        return cycles.cycleAt(ScheduleTime.of(scheduleType, iterationsPerEpoch, iteration, epoch));
    }

    /** Start of cycle {@code k} in the schedule's unit: {@code S_k}; {@code cycleStart(0) == 0}. */
    public double cycleStart(int cycle) {
        return cycles.start(checkCycle(cycle));
    }

    /** Length of cycle {@code k} in the schedule's unit: {@code firstPeriod * periodMultiplier^k}. */
    public double cycleLength(int cycle) {
        return cycles.length(checkCycle(cycle));
    }

    /** Value at the start of cycle {@code k}: {@code initialValue * peakDecay^k}. */
    public double cyclePeak(int cycle) {
        return cycles.peak(checkCycle(cycle));
    }

    /**
     * The starts of the first {@code count} cycles, beginning with 0 ({@code firstPeriod=100,
     * periodMultiplier=2}: 0, 100, 300, 700, 1500, 3100). Fewer when there are fewer cycles:
     * {@code maxCycles}, or the cycles that start below {@code 2^31} (the int time range), so
     * {@code restartPoints(Integer.MAX_VALUE)} asks for all of them.
     *
     * @throws IllegalArgumentException if {@code count < 0}, or if more than {@value #MAX_RESTART_POINTS}
     *                                  points would be returned (a constant period shorter than 2048 has more
     *                                  restarts below {@code 2^31}): ask for fewer, or use {@link #cycleStart}
     */
    public double[] restartPoints(int count) {
        Checks.nonNegative("count", count);
        long n = Math.min(count, cycles.count());
        Checks.argument(n <= MAX_RESTART_POINTS, "restartPoints(" + count + ") would return " + n
                + " points, more than " + MAX_RESTART_POINTS + " (" + cycles.count() + " cycles start below 2^31);"
                + " ask for fewer or use cycleStart(k)");
        double[] points = new double[(int) n];
        for (int k = 0; k < points.length; k++) {
            points[k] = cycles.start(k);
        }
        return points;
    }

    /**
     * Whether {@code (iteration, epoch)} is the last update of its cycle: the next update starts a
     * new cycle (or the final hold). For whole-epoch schedules ({@code EPOCH},
     * {@code iterationsPerEpoch = 0}) this is true for every iteration of the cycle's last epoch,
     * so act on it at the end of the epoch.
     */
    public boolean isLastUpdateOfCycle(int iteration, int epoch) {
        int k = cycleIndex(iteration, epoch);
        if (maxCycles > 0 && k >= maxCycles) {
            return false;
        }
        // Compared with the cycle's end rather than by the next time's cycle index, which for a period of 1
        // would be 2^31 after the last int iteration.
        return ScheduleTime.next(scheduleType, iterationsPerEpoch, iteration, epoch) >= cycles.end(k);
    }

    /**
     * How many cycles {@link #cycleStart} and friends accept: {@code maxCycles}, or fewer when only that
     * many start below {@code 2^31}; at most int max (a constant period of 1, unlimited, has {@code 2^31}:
     * every int is a valid cycle index).
     */
    int cycleCount() {
        return (int) Math.min(cycles.count(), Integer.MAX_VALUE);
    }

    private int checkCycle(int cycle) {
        if (cycle < 0 || cycle >= cycles.count()) {
            throw new IllegalArgumentException("cycle (" + cycle + ") must be in [0, " + (cycles.count() - 1) + "]");
        }
        return cycle;
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: {@code minValue} or the highest
     * peak ({@code initialValue}, or the last cycle's peak when {@code peakDecay > 1}).
     */
    @Override
    public double largestValue() {
        return Math.max(minValue, peakDecay <= 1 ? initialValue : cycles.peak((int) (cycles.count() - 1)));
    }

    @Override
    public ISchedule clone() {
        return new CosineWarmRestartsSchedule(scheduleType, initialValue, minValue, firstPeriod, periodMultiplier,
                peakDecay, maxCycles, iterationsPerEpoch);
    }

    /** Java serialization keeps only the configuration; the derived tables are rebuilt (and rechecked). */
    private Object readResolve() {
        return clone();
    }

    @Override
    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getMinValue() {
        return minValue;
    }

    public int getFirstPeriod() {
        return firstPeriod;
    }

    public double getPeriodMultiplier() {
        return periodMultiplier;
    }

    public double getPeakDecay() {
        return peakDecay;
    }

    public int getMaxCycles() {
        return maxCycles;
    }

    @Override
    public int getIterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CosineWarmRestartsSchedule)) {
            return false;
        }
        CosineWarmRestartsSchedule that = (CosineWarmRestartsSchedule) o;
        return scheduleType == that.scheduleType
                && Double.compare(initialValue, that.initialValue) == 0
                && Double.compare(minValue, that.minValue) == 0
                && firstPeriod == that.firstPeriod
                && Double.compare(periodMultiplier, that.periodMultiplier) == 0
                && Double.compare(peakDecay, that.peakDecay) == 0
                && maxCycles == that.maxCycles
                && iterationsPerEpoch == that.iterationsPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, minValue, firstPeriod, periodMultiplier, peakDecay,
                maxCycles, iterationsPerEpoch);
    }

    @Override
    public String toString() {
        return "CosineWarmRestartsSchedule(initialValue=" + initialValue + ", minValue=" + minValue
                + ", firstPeriod=" + firstPeriod + ", periodMultiplier=" + periodMultiplier
                + ", peakDecay=" + peakDecay + ", maxCycles=" + maxCycles + ", "
                + ScheduleTime.describe(scheduleType, iterationsPerEpoch) + ")";
    }
}
