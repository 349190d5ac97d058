package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;

import java.util.Arrays;
import java.util.List;

/**
 * The product of several schedules' values (braintools {@code ChainedScheduler}, PyTorch
 * {@code ChainedScheduler} of multiplicative schedulers, optax schedule products).
 *
 * <pre>{@code
 * value(iteration, epoch) = s_0(iteration, epoch) * s_1(iteration, epoch) * ... * s_(k-1)(iteration, epoch)
 * }</pre>
 * Every factor sees the same counters in its own unit, so units may differ: a per-iteration warmup
 * factor times a per-epoch cosine is fine. The typical use is a {@link LinearSchedule} of factors
 * (0.01 to 1) times an absolute schedule.
 *
 * <pre>{@code
 * // braintools ChainedScheduler([LinearLR(start_factor=0.01, total_iters=5), CosineAnnealingLR(T_max=90)]), base lr 0.1
 * new Sgd(new ProductSchedule(new LinearSchedule(ScheduleType.EPOCH, 0.01, 1.0, 5),
 *                             new CosineAnnealingSchedule(ScheduleType.EPOCH, 0.1, 0.0, 90)));
 * }</pre>
 */
@JsonDeserialize(using = StrictJson.class)
public final class ProductSchedule implements ISchedule, BoundedSchedule {

    private static final long serialVersionUID = 20261122L;

    private final List<ISchedule> schedules;
    /** The same factors as an array, for the hot loop; derived, never in JSON. */
    @JsonIgnore
    private final ISchedule[] factors;
    /** The product of the factors' largest values, derived; never in JSON. */
    @JsonIgnore
    private final double largest;

    /**
     * @param schedules the factors, not null or empty, no null element, at most {@value Nesting#MAX_DEPTH} - 1
     *                  schedules deep, each giving values in {@code [0, Double.MAX_VALUE / 2]}, and the product
     *                  of their largest values at most {@code Double.MAX_VALUE / 2} (factors from elsewhere
     *                  that cannot be bounded are left out of that product)
     * @throws IllegalArgumentException naming the parameter, if a rule above is broken
     */
    @JsonCreator
    public ProductSchedule(@JsonProperty(value = "schedules", required = true) List<ISchedule> schedules) {
        this.schedules = Parts.copyOf("schedules", schedules);
        this.factors = this.schedules.toArray(new ISchedule[0]);
        Nesting.checkDepth("schedules", this.schedules);
        double known = 1;
        boolean bounded = true;
        for (int i = 0; i < factors.length; i++) {
            double factor = ValueBounds.largest("schedules[" + i + "]", factors[i]);
            if (factor == Double.POSITIVE_INFINITY) {
                bounded = false;
            } else {
                known *= factor;
            }
        }
        Checks.argument(known <= ValueBounds.MAX_VALUE, "schedules (" + this.schedules + ") multiply to values up"
                + " to " + known + ", more than " + ValueBounds.MAX_VALUE + " (Double.MAX_VALUE / 2)");
        this.largest = bounded ? known : Double.POSITIVE_INFINITY;
    }

    /** The product of {@code schedules}. */
    public ProductSchedule(ISchedule... schedules) {
        this(Arrays.asList(Checks.notNull("schedules", schedules)));
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double value = factors[0].valueAt(iteration, epoch);
        for (int i = 1; i < factors.length; i++) {
            value *= factors[i].valueAt(iteration, epoch);
        }
        return value;
    }

    /**
     * The largest value this schedule gives at any {@code (iteration, epoch)}: at most the product of its
     * factors' largest values ({@code +Infinity} when a factor from elsewhere cannot be bounded).
     */
    @Override
    public double largestValue() {
        return largest;
    }

    @Override
    public ISchedule clone() {
        return new ProductSchedule(Parts.cloneAll(schedules));
    }

    /** Java serialization keeps only the factors; the array is rebuilt. */
    private Object readResolve() {
        return new ProductSchedule(schedules);
    }

    /** The factors, unmodifiable. */
    public List<ISchedule> getSchedules() {
        return schedules;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ProductSchedule && schedules.equals(((ProductSchedule) o).schedules);
    }

    @Override
    public int hashCode() {
        return schedules.hashCode();
    }

    @Override
    public String toString() {
        return "ProductSchedule(schedules=" + schedules + ")";
    }
}
