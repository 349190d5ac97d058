package io.github.dl4jcosine.listener;

import io.github.dl4jcosine.internal.IdentityWeakMap;
import io.github.dl4jcosine.internal.ModelCounters;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;

/**
 * Drives every {@link PlateauSchedule} of a network: at the end of each epoch it computes the metric with one of
 * DL4J's {@link ScoreCalculator}s ({@code DataSetLossCalculator} for a validation loss,
 * {@code ClassificationScoreCalculator} for an accuracy, ...) and reports it to each PlateauSchedule instance in
 * the network's updaters once (learning rate and {@code Nesterovs} momentum, weights and biases, every layer; see
 * {@link PlateauSchedule#report(int, int, double)}), as of the next update: iteration = the network's iteration
 * count, epoch = its epoch count + 1. {@code MultiLayerNetwork} and {@code ComputationGraph}.
 *
 * <pre>{@code
 * PlateauSchedule lr = PlateauSchedule.builder(new FixedSchedule(1e-3)).patience(3).build();
 * MultiLayerNetwork net = ... .updater(new Adam(lr)) ...;
 * net.addListeners(new PlateauListener(new DataSetLossCalculator(validationIterator, true)));
 * net.fit(trainIterator, 50);
 * }</pre>
 *
 * <p><b>Checks.</b> Before the first update of each network it refuses, with an {@link IllegalStateException}, a
 * PlateauSchedule whose {@code mode} contradicts {@code calculator.minimizeScore()} ({@code MIN} with an accuracy,
 * {@code MAX} with a loss), and {@code ParallelWrapper} (below). A network without a PlateauSchedule is reported
 * once at WARN level and not evaluated. Each reduction is logged at INFO (logger
 * {@code io.github.dl4jcosine.listener.PlateauListener}) with the metric, the best one and the rate before and
 * after.
 *
 * <p><b>Early stopping.</b> {@code EarlyStoppingTrainer} computes a score at the end of each epoch; pass
 * {@link #earlyStopping()} as the trainer's {@code EarlyStoppingListener} and that score drives the schedules,
 * without a second evaluation (this listener's own calculator is then used only for the mode check, against the
 * trainer's calculator). If this listener is also among the network's listeners, it then skips its own
 * evaluation for that network. With {@code evaluateEveryNEpochs(n)} a report is made every n epochs.
 *
 * <p><b>ParallelWrapper</b> never calls {@code onEpochEnd}: attached to a wrapper this listener refuses before
 * the first update. Report on the wrapped network yourself instead, between fits: the wrapper rebuilds its workers
 * from the network on every {@code fit}:
 * <pre>{@code
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     wrapper.fit(trainIterator);
 *     plateau.reportEpoch(net);      // evaluates net, reports to its schedules
 *     net.incrementEpochCount();
 * }
 * }</pre>
 * Spark training masters likewise: each {@code sparkNet.fit(...)} ships the driver's network, schedule state
 * included, to the executors; its epoch is counted by then, so give the next update's epoch:
 * {@code plateau.reportEpoch(sparkNet.getNetwork(), sparkNet.getNetwork().getEpochCount())} on the driver (not
 * attached to the Spark network, whose executors' copies would evaluate and report to copies thrown away).
 *
 * <p>Serializable (Spark ships listeners with the network). Its own state (which networks an early-stopping
 * trainer drives, what was checked) is per JVM; everything a resumed run needs is in the schedules.
 */
public final class PlateauListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261205L;
    private static final Logger LOG = LoggerFactory.getLogger(PlateauListener.class);
    private static final String PARALLEL_WRAPPER_PACKAGE = "org.deeplearning4j.parallelism.";
    private static final String SPARK_PACKAGE = "org.deeplearning4j.spark.";

    private final ScoreCalculator<?> calculator;
    /** Where reductions are logged: {@link #LOG} (when null: Kryo skips transient fields), or a test's logger. */
    private final transient Logger log;
    /** Per network: what is known of it ({@link #CHECKED}, {@link #EARLY_STOPPING}, {@link #WARNED}). Lazily created. */
    private transient IdentityWeakMap<Integer> networks;
    /** Checked before its first update. */
    private static final int CHECKED = 1;
    /** Driven by an early-stopping trainer, which reports its own score. */
    private static final int EARLY_STOPPING = 2;
    /** Warned that it has no PlateauSchedule. */
    private static final int WARNED = 4;
    /** Per thread: "ParallelWrapper" or "Spark" when it trains for one of them, "" otherwise. */
    private transient volatile ThreadLocal<String> trainer;
    /** The network checked last: the check before each update costs one comparison after the first. */
    private transient volatile WeakReference<Model> lastPrepared;

    /**
     * @param calculator computes the metric at the end of each epoch (for a {@code MultiLayerNetwork} or a
     *                   {@code ComputationGraph}, as the network trained), not null
     * @throws NullPointerException if {@code calculator} is null
     */
    public PlateauListener(ScoreCalculator<?> calculator) {
        this(calculator, LOG);
    }

    /** Logging to {@code log} (tests). */
    PlateauListener(ScoreCalculator<?> calculator, Logger log) {
        this.calculator = Objects.requireNonNull(calculator, "calculator");
        this.log = log;
    }

    /** Java serialization keeps the calculator; the copy logs to {@link #LOG}. */
    private Object readResolve() {
        return new PlateauListener(calculator);
    }

    public ScoreCalculator<?> getCalculator() {
        return calculator;
    }

    @Override
    public void onEpochStart(Model model) {
        prepare(model);
    }

    @Override
    public void onGradientCalculation(Model model) {
        prepare(model);
    }

    @Override
    public void onEpochEnd(Model model) {
        if (!has(model, EARLY_STOPPING)) {   // an early-stopping trainer reports its own score
            reportEpoch(model);
        }
    }

    /**
     * Computes the metric with the calculator and reports it to every PlateauSchedule of {@code model}, as at the
     * end of an epoch, before the epoch counter moves: the next update is {@code (iterationCount, epochCount + 1)}.
     * For training loops that never call {@code onEpochEnd} ({@code ParallelWrapper}, {@code fit(DataSet)} loops):
     * call it after each epoch, then {@code incrementEpochCount()}. Does not evaluate a network without a
     * PlateauSchedule.
     *
     * @return the metric, NaN when nothing was evaluated
     * @throws IllegalStateException if a schedule's mode contradicts the calculator, or the calculator does not
     *                               take this kind of network
     */
    public double reportEpoch(Model model) {
        return reportEpoch(model, nextEpoch(model));
    }

    /**
     * As {@link #reportEpoch(Model)}, where the epoch counter of the next update is {@code nextEpoch}: after Spark's
     * {@code SparkDl4jMultiLayer.fit}, which counts the epoch itself, that is the network's epoch count.
     */
    public double reportEpoch(Model model, int nextEpoch) {
        List<PlateauTargets.Target> targets = PlateauTargets.of(Objects.requireNonNull(model, "model"));
        if (targets.isEmpty()) {
            warnNoSchedule(model);
            return Double.NaN;
        }
        checkModes(targets, calculator);
        double metric = score(model);
        report(model, targets, metric, calculator, nextEpoch);
        return metric;
    }

    /**
     * Reports a metric computed elsewhere to every PlateauSchedule of {@code model}, as {@link #reportEpoch(Model)}
     * does (the next update is {@code (iterationCount, epochCount + 1)}).
     *
     * @throws IllegalStateException if a schedule's mode contradicts this listener's calculator
     */
    public void report(Model model, double metric) {
        report(model, metric, nextEpoch(Objects.requireNonNull(model, "model")));
    }

    /** As {@link #report(Model, double)}, where the epoch counter of the next update is {@code nextEpoch}. */
    public void report(Model model, double metric, int nextEpoch) {
        List<PlateauTargets.Target> targets = PlateauTargets.of(Objects.requireNonNull(model, "model"));
        checkModes(targets, calculator);
        report(model, targets, metric, calculator, nextEpoch);
    }

    /** The listener for {@code EarlyStoppingTrainer}: its per-epoch score drives the schedules. */
    public <T extends Model> EarlyStoppingListener<T> earlyStopping() {
        return earlyStopping(null);
    }

    /** As {@link #earlyStopping()}, forwarding every call to {@code next} (your own listener) as well. */
    public <T extends Model> EarlyStoppingListener<T> earlyStopping(EarlyStoppingListener<T> next) {
        return new EarlyStoppingListener<T>() {
            private Model driven;

            @Override
            public void onStart(EarlyStoppingConfiguration<T> esConfig, T net) {
                checkModes(PlateauTargets.of(net), esConfig.getScoreCalculator());
                set(net, EARLY_STOPPING, true);
                driven = net;
                if (next != null) {
                    next.onStart(esConfig, net);
                }
            }

            @Override
            public void onEpoch(int epochNum, double score, EarlyStoppingConfiguration<T> esConfig, T net) {
                List<PlateauTargets.Target> targets = PlateauTargets.of(net);
                if (targets.isEmpty()) {
                    warnNoSchedule(net);
                } else {
                    checkModes(targets, esConfig.getScoreCalculator());
                    report(net, targets, score, esConfig.getScoreCalculator(), nextEpoch(net));
                }
                if (next != null) {
                    next.onEpoch(epochNum, score, esConfig, net);
                }
            }

            @Override
            public void onCompletion(EarlyStoppingResult<T> esResult) {
                if (driven != null) {
                    set(driven, EARLY_STOPPING, false);
                    driven = null;
                }
                if (next != null) {
                    next.onCompletion(esResult);
                }
            }
        };
    }

    /** Refuses ParallelWrapper, and checks each network once before its first update. */
    private void prepare(Model model) {
        refuseParallelWrapper();
        WeakReference<Model> last = lastPrepared;
        if (last != null && last.get() == model || has(model, CHECKED)) {   // called before every update
            return;
        }
        List<PlateauTargets.Target> targets = PlateauTargets.of(model);
        if (targets.isEmpty()) {
            warnNoSchedule(model);
        } else if (!has(model, EARLY_STOPPING)) {   // the trainer's calculator was checked in onStart
            checkModes(targets, calculator);
        }
        set(model, CHECKED, true);
        lastPrepared = new WeakReference<>(model);
    }

    /** The epoch counter of the next update, at an epoch end before the counter moves. */
    private static int nextEpoch(Model model) {
        int epoch = ModelCounters.epochCount(model);
        return epoch == Integer.MAX_VALUE ? epoch : epoch + 1;
    }

    private void report(Model model, List<PlateauTargets.Target> targets, double metric, ScoreCalculator<?> by,
                        int next) {
        Logger log = logger();
        int iteration = ModelCounters.iterationCount(model);
        int epoch = next - 1;   // the epoch that ended, for messages
        for (PlateauTargets.Target t : targets) {
            PlateauSchedule s = t.schedule;
            double before = s.valueAt(iteration, next);
            if (s.report(iteration, next, metric)) {
                log.info("PlateauListener: " + t.describe() + " reduced after epoch " + epoch + " (iteration "
                        + iteration + "): " + by.getClass().getSimpleName() + " " + metric + ", best "
                        + s.getState().getBest() + "; from " + before + " to " + s.valueAt(iteration, next));
            } else if (log.isDebugEnabled()) {
                log.debug("PlateauListener: " + t.describe() + " after epoch " + epoch + " (iteration " + iteration
                        + "): " + by.getClass().getSimpleName() + " " + metric + ", best " + s.getState().getBest()
                        + ", " + s.getState().getBadCount() + " bad reports");
            }
        }
    }

    private static void checkModes(List<PlateauTargets.Target> targets, ScoreCalculator<?> by) {
        boolean minimize = by.minimizeScore();
        for (PlateauTargets.Target t : targets) {
            if ((t.schedule.getMode() == PlateauSchedule.Mode.MIN) != minimize) {
                throw new IllegalStateException("PlateauListener: the PlateauSchedule of the " + t.describe()
                        + " has mode " + t.schedule.getMode() + " but the score calculator "
                        + by.getClass().getName() + " " + (minimize ? "minimizes" : "maximizes")
                        + " its score (minimizeScore() = " + minimize + "): use mode "
                        + (minimize ? "MIN" : "MAX") + " for this metric");
            }
        }
    }

    private double score(Model model) {
        @SuppressWarnings("unchecked")
        ScoreCalculator<Model> c = (ScoreCalculator<Model>) calculator;
        try {
            return c.calculateScore(model);
        } catch (ClassCastException e) {
            throw new IllegalStateException("PlateauListener: the score calculator " + calculator.getClass().getName()
                    + " does not take a " + model.getClass().getSimpleName() + " (" + e.getMessage() + ")", e);
        }
    }

    private void warnNoSchedule(Model model) {
        synchronized (this) {
            if (has(model, WARNED)) {
                return;
            }
            set(model, WARNED, true);
        }
        logger().warn("PlateauListener: the " + model.getClass().getSimpleName() + " has no PlateauSchedule in its"
                + " updaters (learning rate or Nesterovs momentum): nothing to report to, the metric is not computed");
    }

    /**
     * ParallelWrapper never calls onEpochEnd, and Spark's workers train copies that are thrown away: nothing useful
     * would ever be reported, so the run is refused.
     */
    private void refuseParallelWrapper() {
        ThreadLocal<String> local = trainer;
        if (local == null) {
            synchronized (this) {
                if (trainer == null) {
                    trainer = new ThreadLocal<>();
                }
                local = trainer;
            }
        }
        String found = local.get();
        if (found == null) {
            found = "";
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                if (frame.getClassName().startsWith(PARALLEL_WRAPPER_PACKAGE)) {
                    found = "ParallelWrapper";
                    break;
                }
                if (frame.getClassName().startsWith(SPARK_PACKAGE)) {
                    found = "Spark";
                    break;
                }
            }
            local.set(found);
        }
        if (found.equals("ParallelWrapper")) {
            throw new IllegalStateException("PlateauListener cannot be attached to a ParallelWrapper, which never "
                    + "calls onEpochEnd: no metric would ever be reported. Leave it out of the wrapper's listeners "
                    + "and report on the network between fits: wrapper.fit(train); plateau.reportEpoch(net); "
                    + "net.incrementEpochCount();");
        }
        if (found.equals("Spark")) {
            throw new IllegalStateException("PlateauListener cannot be attached to a Spark network: its executors "
                    + "train copies of the network, and what they report is thrown away. Leave it out of the "
                    + "network's listeners and report on the driver after each fit: sparkNet.fit(train); "
                    + "plateau.reportEpoch(sparkNet.getNetwork(), sparkNet.getNetwork().getEpochCount());");
        }
    }

    private Logger logger() {
        return log != null ? log : LOG;
    }

    private synchronized boolean has(Model model, int flag) {
        Integer flags = networks == null ? null : networks.get(model);
        return flags != null && (flags & flag) != 0;
    }

    private synchronized void set(Model model, int flag, boolean on) {
        if (networks == null) {
            networks = new IdentityWeakMap<>();
        }
        Integer flags = networks.get(model);
        int f = flags == null ? 0 : flags;
        networks.put(model, on ? f | flag : f & ~flag);
    }
}
