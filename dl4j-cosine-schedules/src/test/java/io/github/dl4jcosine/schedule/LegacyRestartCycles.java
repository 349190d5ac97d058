package io.github.dl4jcosine.schedule;

/*
 * TEST-SCOPE ORACLE, not library code: RestartCycles as it was before the valueAt hot-path rewrite (issue 21),
 * verbatim from commit 8c3a17c (main) but for the class names (RestartCycles -> LegacyRestartCycles, ScheduleTime ->
 * LegacyScheduleTime). LegacyRestartsOracleTest compares the new CosineWarmRestartsSchedule.valueAt with it, bit for bit.
 * Do not "fix" or speed it up: its worth is that it is the old algorithm.
 */

import java.io.Serializable;

/**
 * The cycles of a {@link CosineWarmRestartsSchedule}: where cycle {@code k} starts ({@code S_k}), how
 * long it lasts ({@code L_k}), its peak ({@code P_k}), and which cycle contains a time {@code t}.
 * Derived from the schedule's configuration in its constructor, never written to JSON. Every lookup is
 * O(1), in one of three forms:
 * <ul>
 *   <li>{@link Constant}, {@code periodMultiplier == 1}: {@code S_k = k * firstPeriod}.</li>
 *   <li>{@link Tabled}, other multipliers with at most {@link #MAX_TABLE_CYCLES} cycles below
 *       {@code 2^31} (every multiplier {@code >= 1.02}, say): a table of running sums, so that
 *       for integer {@code firstPeriod} and {@code periodMultiplier} every restart is exact.</li>
 *   <li>{@link Geometric}, more cycles (a multiplier very close to 1, or a shrinking one with a large
 *       {@code maxCycles}): the closed form {@code S_k = firstPeriod * (m^k - 1) / (m - 1)}.</li>
 * </ul>
 * Arguments are checked by the schedule's constructor, not here. Serializable, and held in a non-transient field
 * of the schedule, so that a serializer that copies fields without running constructors (Spark's Kryo) copies it.
 */
abstract class LegacyRestartCycles implements Serializable {

    private static final long serialVersionUID = 20261129L;

    /** Largest number of cycles kept in a {@link Tabled} start table. */
    static final int MAX_TABLE_CYCLES = 1_000;

    final double initialValue;
    final int firstPeriod;
    final double periodMultiplier;
    final double peakDecay;
    final int maxCycles;

    private LegacyRestartCycles(double initialValue, int firstPeriod, double periodMultiplier, double peakDecay,
                          int maxCycles) {
        this.initialValue = initialValue;
        this.firstPeriod = firstPeriod;
        this.periodMultiplier = periodMultiplier;
        this.peakDecay = peakDecay;
        this.maxCycles = maxCycles;
    }

    /**
     * The cycle of the last lookup: a speed hint only, checked against its exact bounds before use. Immutable and
     * holding exactly what {@link #newCycle} computes, so whichever one a thread sees (it is never null), every
     * lookup gives the same result. Consecutive updates nearly always share a cycle: a hit costs two comparisons,
     * and the cycle's start, length and peak do not depend on the time, which keeps the lookup off the path to
     * the cosine.
     *
     * <p>Safe only while three things stay true: {@link Cycle}'s fields stay final (the field is read and written
     * without a lock, and final fields are what make a racing thread see a whole cycle); a cycle's {@code start} and
     * {@code end} are exactly the bounds {@link #lookup} decides by (else a hit and a search could disagree at a
     * boundary); and {@link #newCycle} gives the same cycle for the same {@code k} every time.
     */
    Cycle hint;

    /** The cycles of a schedule with these (already checked) settings; maxCycles 0 = unlimited. */
    static LegacyRestartCycles of(double initialValue, int firstPeriod, double periodMultiplier, double peakDecay,
                            int maxCycles) {
        LegacyRestartCycles cycles;
        if (periodMultiplier == 1) {
            cycles = new Constant(initialValue, firstPeriod, peakDecay, maxCycles);
        } else {
            int tabled = Tabled.count(firstPeriod, periodMultiplier, maxCycles);
            cycles = tabled >= 0 ? new Tabled(initialValue, firstPeriod, periodMultiplier, peakDecay, maxCycles, tabled)
                    : new Geometric(initialValue, firstPeriod, periodMultiplier, peakDecay, maxCycles);
        }
        cycles.hint = cycles.newCycle(0);
        return cycles;
    }

    /** The cycle containing time {@code t >= 0}, or {@code maxCycles} once every cycle has ended. */
    final int cycleAt(double t) {
        Cycle cycle = hint;
        return cycle.start <= t && t < cycle.end ? cycle.index : lookup(t);
    }

    /**
     * The cycle containing time {@code t >= 0} with its bounds and peak, or null once every cycle has ended
     * ({@code maxCycles}): the lookup of {@code valueAt}.
     */
    final Cycle cycle(double t) {
        Cycle cycle = hint;
        if (cycle.start <= t && t < cycle.end) {
            return cycle;
        }
        int k = lookup(t);
        if (maxCycles > 0 && k >= maxCycles) {
            return null;
        }
        cycle = newCycle(k);
        hint = cycle;
        return cycle;
    }

    /** Cycle {@code k}, for {@code 0 <= k < count()}. */
    Cycle newCycle(int k) {
        return new Cycle(k, start(k), end(k), length(k), peak(k));
    }

    /**
     * How many cycles start within the int time range (at or before {@link LegacyScheduleTime#MAX_TIME}), at most
     * {@code maxCycles} when set: up to {@code 2^31} (a constant period of 1, unlimited), hence a long.
     */
    abstract long count();

    /** {@link #cycleAt} without the hint: the exact search. */
    abstract int lookup(double t);

    /** {@code S_k}, for {@code 0 <= k < count()}. */
    abstract double start(int k);

    /** {@code L_k = S_(k+1) - S_k}, for {@code 0 <= k < count()}. */
    abstract double length(int k);

    /** {@code S_(k+1)}, where cycle {@code k} ends: exactly the bound {@link #cycleAt} uses, for {@code 0 <= k < count()}. */
    abstract double end(int k);

    /** {@code P_k = initialValue * peakDecay^k}, for {@code 0 <= k < count()}. */
    double peak(int k) {
        return peakDecay == 1 ? initialValue : initialValue * Math.pow(peakDecay, k);
    }

    /** Every cycle {@code firstPeriod} long. */
    static final class Constant extends LegacyRestartCycles {

        private static final long serialVersionUID = 20261129L;

        /** {@code firstPeriod} as a double, and its inverse: the lookup neither converts nor divides. */
        private final double period;
        private final double inversePeriod;

        Constant(double initialValue, int firstPeriod, double peakDecay, int maxCycles) {
            super(initialValue, firstPeriod, 1.0, peakDecay, maxCycles);
            period = firstPeriod;
            inversePeriod = 1.0 / firstPeriod;
        }

        @Override
        long count() {
            long reached = (long) LegacyScheduleTime.MAX_TIME / firstPeriod + 1;
            return maxCycles > 0 ? Math.min(maxCycles, reached) : reached;
        }

        @Override
        int lookup(double t) {
            // t >= 0, so truncation is floor; the product may be an ulp off, exact comparisons settle it.
            // No Math.floor or int-to-double conversion on this path (see LegacyScheduleTime.exact).
            long k = (long) (t * inversePeriod);
            double start = LegacyScheduleTime.exact(k) * period;
            if (start > t) {
                k--;
            } else if (start + period <= t) {
                k++;
            }
            // maxCycles once every cycle has ended; int max for the one time past the int range (t = 2^31
            // with a period of 1, asked only for the update after the last one)
            return (int) Math.min(k, maxCycles > 0 ? maxCycles : Integer.MAX_VALUE);
        }

        @Override
        double start(int k) {
            return LegacyScheduleTime.exact(k) * period;
        }

        @Override
        double length(int k) {
            return period;
        }

        @Override
        double end(int k) {
            return (k + 1.0) * firstPeriod;
        }
    }

    /** Starts and peaks in tables, the starts as exact running sums of the cycle lengths. */
    static final class Tabled extends LegacyRestartCycles {

        private static final long serialVersionUID = 20261129L;

        /** {@code S_0 .. S_n}: n + 1 entries, the last the end of the last cycle. */
        private final double[] starts;
        /** {@code P_0 .. P_(n-1)}. */
        private final double[] peaks;
        private final double logMultiplier;

        Tabled(double initialValue, int firstPeriod, double periodMultiplier, double peakDecay, int maxCycles,
               int cycles) {
            super(initialValue, firstPeriod, periodMultiplier, peakDecay, maxCycles);
            starts = new double[cycles + 1];
            peaks = new double[cycles];
            for (int k = 0; k < cycles; k++) {
                starts[k + 1] = starts[k] + firstPeriod * Math.pow(periodMultiplier, k);
                peaks[k] = super.peak(k);
            }
            logMultiplier = Math.log(periodMultiplier);
        }

        /**
         * Number of cycles to table: every cycle that starts at or before the largest reachable time, and
         * at most {@code maxCycles} when set; -1 when that is more than {@link #MAX_TABLE_CYCLES}.
         */
        static int count(int firstPeriod, double periodMultiplier, int maxCycles) {
            double start = 0;
            int k = 0;
            while ((maxCycles == 0 || k < maxCycles) && start <= LegacyScheduleTime.MAX_TIME) {
                if (k == MAX_TABLE_CYCLES) {
                    return -1;
                }
                start += firstPeriod * Math.pow(periodMultiplier, k);
                k++;
            }
            return k;
        }

        @Override
        long count() {
            return peaks.length;
        }

        @Override
        int lookup(double t) {
            int n = peaks.length;
            if (t >= starts[n]) {
                return n;
            }
            // The guess only has to land within a cycle or two; exact comparisons settle it.
            double guess = Math.log(1 + t * (periodMultiplier - 1) / firstPeriod) / logMultiplier;
            int k = guess >= n - 1 ? n - 1 : guess > 0 ? (int) guess : 0;
            while (starts[k] > t) {
                k--;
            }
            while (starts[k + 1] <= t) {
                k++;
            }
            return k;
        }

        @Override
        double start(int k) {
            return starts[k];
        }

        @Override
        double length(int k) {
            return starts[k + 1] - starts[k];
        }

        @Override
        double end(int k) {
            return starts[k + 1];
        }

        @Override
        double peak(int k) {
            return peaks[k];
        }
    }

    /** Starts from the geometric sum, for more cycles than a table should hold. */
    static final class Geometric extends LegacyRestartCycles {

        private static final long serialVersionUID = 20261129L;

        /** {@code log(periodMultiplier)}, as {@code log1p(periodMultiplier - 1)}. */
        private final double logMultiplier;
        private final int count;

        Geometric(double initialValue, int firstPeriod, double periodMultiplier, double peakDecay, int maxCycles) {
            super(initialValue, firstPeriod, periodMultiplier, peakDecay, maxCycles);
            logMultiplier = Math.log1p(periodMultiplier - 1);
            long end = end();
            long k = Math.min(end, cycleAt(LegacyScheduleTime.MAX_TIME, end) + 1);
            while (k < end && sum(k) <= LegacyScheduleTime.MAX_TIME) {
                k++;
            }
            count = (int) k;
        }

        /** The largest cycle index a lookup can return: maxCycles (all ended), or int max. */
        private long end() {
            return maxCycles > 0 ? maxCycles : Integer.MAX_VALUE;
        }

        /**
         * {@code S_k = firstPeriod * (m^k - 1) / (m - 1)}: strictly increasing in {@code k} as long as
         * cycles are longer than the rounding error; k is a double so that {@code k + 1} never overflows.
         */
        private double sum(double k) {
            return firstPeriod * (Math.expm1(k * logMultiplier) / (periodMultiplier - 1));
        }

        /** The cycle containing {@code t}, at most {@code end}: a logarithm guesses, comparisons settle. */
        private long cycleAt(double t, long end) {
            double x = t * (periodMultiplier - 1) / firstPeriod;
            // x <= -1 only for shrinking cycles (m < 1), when t lies beyond the sum of all of them.
            double guess = x <= -1 ? end : Math.log1p(x) / logMultiplier;
            long k = guess >= end ? end : guess > 0 ? (long) guess : 0;
            while (k > 0 && sum(k) > t) {
                k--;
            }
            while (k < end && sum(k + 1.0) <= t) {
                k++;
            }
            return k;
        }

        /** Cycle {@code k}, from the hint when it is that cycle (the sums cost two exponentials). */
        private Cycle known(int k) {
            Cycle cycle = hint;
            if (cycle.index != k) {
                cycle = newCycle(k);
                hint = cycle;
            }
            return cycle;
        }

        @Override
        Cycle newCycle(int k) {
            double start = sum(k);
            double end = sum(k + 1.0);
            return new Cycle(k, start, end, end - start, super.peak(k));
        }

        @Override
        long count() {
            return count;
        }

        @Override
        int lookup(double t) {
            return (int) cycleAt(t, end());
        }

        @Override
        double start(int k) {
            return known(k).start;
        }

        @Override
        double length(int k) {
            return known(k).length;
        }

        @Override
        double end(int k) {
            return known(k).end;
        }

        @Override
        double peak(int k) {
            return known(k).peak;
        }
    }

    /** One cycle: index {@code k}, start {@code S_k}, end {@code S_(k+1)}, length {@code L_k}, peak {@code P_k}. */
    static final class Cycle implements Serializable {

        private static final long serialVersionUID = 20261129L;

        final int index;
        final double start;
        final double end;
        final double length;
        final double peak;

        Cycle(int index, double start, double end, double length, double peak) {
            this.index = index;
            this.start = start;
            this.end = end;
            this.length = length;
            this.peak = peak;
        }
    }
}
