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

    static double positiveFinite(String name, double value) {
        finite(name, value);
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    /** Finite and {@code >= 0}: a learning rate, momentum or other value that must never go negative. */
    static double nonNegativeFinite(String name, double value) {
        finite(name, value);
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
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
