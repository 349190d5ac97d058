package io.github.dl4jcosine.schedule;

/**
 * Argument checks shared by every schedule. Each message names the parameter, shows the value and
 * states the rule, e.g. {@code "period (0) must be > 0"}. Comparisons are written so that NaN fails.
 */
final class Checks {

    private Checks() {
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " (null) must not be null");
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be finite");
        }
        return value;
    }

    /**
     * A value a schedule gives (a rate, a factor, a momentum): finite, {@code >= 0} and at most
     * {@link ValueBounds#MAX_VALUE}, so that no formula of this package can overflow with it. Returns it with
     * {@code -0.0} turned into {@code 0.0}.
     */
    static double value(String name, double value) {
        finite(name, value);
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
        if (!(value <= ValueBounds.MAX_VALUE)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be <= " + ValueBounds.MAX_VALUE
                    + " (Double.MAX_VALUE / 2)");
        }
        return value + 0.0; // -0.0 becomes 0.0: no value of ours has a negative sign
    }

    static double positiveFinite(String name, double value) {
        finite(name, value);
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    /** The shortest decay period a schedule accepts: {@code t / period} stays finite for every time. */
    static final double MIN_DECAY_PERIOD = 1e-9;

    /** A {@code decayPeriod}: finite and at least {@link #MIN_DECAY_PERIOD} (so that {@code t / decayPeriod} is finite). */
    static double decayPeriod(double value) {
        finite("decayPeriod", value);
        if (!(value >= MIN_DECAY_PERIOD)) {
            throw new IllegalArgumentException("decayPeriod (" + value + ") must be >= " + MIN_DECAY_PERIOD);
        }
        return value;
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
        return value;
    }

    static void argument(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
