package io.github.dl4jcosine.schedule;

/** The checks the builders of {@link Schedules} share: required settings and {@code minRatio}. */
final class Builders {

    private Builders() {
    }

    /** A builder's required setting: its value, or an error naming the setter when it was never called. */
    static <T> T required(String name, T value) {
        Checks.argument(value != null, name + " is required: call " + name + "(...) before build()");
        return value;
    }

    /** Checks {@code r} for {@code minRatio(r)}: {@code 0 <= r <= 1}. */
    static double checkMinRatio(double r) {
        Checks.argument(r >= 0 && r <= 1, "minRatio (" + r + ") must be in [0, 1]");
        return r;
    }

    /**
     * A builder's {@code minValue}: {@code minRatio x reference} when {@code minRatio(...)} was called, else
     * the {@code minValue(...)} set (0 by default); both set is an error.
     */
    static double minValue(Double minValue, Double minRatio, String reference, double referenceValue) {
        Checks.argument(minValue == null || minRatio == null, "minValue (" + minValue + ") and minRatio (" + minRatio
                + ") are both set; set one: minValue = minRatio x " + reference);
        return minRatio != null ? minRatio * referenceValue : minValue != null ? minValue : 0.0;
    }
}
