package io.github.dl4jcosine.schedulefree;

/**
 * Argument checks of the schedule-free configurations. Each message names the parameter, shows the value and
 * states the rule, e.g. {@code "beta1 (1.0) must be in [0, 1)"}. Comparisons are written so that NaN fails.
 */
final class UpdaterChecks {

    private UpdaterChecks() {
    }

    static double positive(String name, double value) {
        finite(name, value);
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be > 0");
        }
        return value;
    }

    static double nonNegative(String name, double value) {
        finite(name, value);
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
        return value + 0.0; // -0.0 becomes 0.0
    }

    static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must be >= 0");
        }
        return value;
    }

    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be in [0, 1)");
        }
        return value + 0.0;
    }

    private static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " (" + value + ") must be finite");
        }
    }
}
