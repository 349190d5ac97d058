package io.github.dl4jcosine.check;

import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Catches a misconfigured schedule before it wastes a training run. For a planned run of
 * {@code epochs} epochs of {@code iterationsPerEpoch} updates it reports, as {@link Severity#ERROR}:
 * <ul>
 *   <li>a layer whose learning rate is NaN ({@code AdaGrad.clone()} drops schedules set on the global
 *       builder), a schedule that gives a non-finite value, or a rate of 0 for the whole run;</li>
 *   <li>the first updates trained at rate 0: a warmup from 0 stepped per whole epoch gives {@code t = 0},
 *       so rate 0, for every update of epoch 0 (more than the single first update at 0 of a per-iteration
 *       or fractional-epoch warmup, which is fine);</li>
 *   <li>unit errors: an {@code ITERATION} schedule whose decay is over within the first epoch, or whose
 *       horizon is the number of epochs (periods meant in epochs: PyTorch's {@code T_max} in epochs with
 *       {@code scheduler.step()} per batch); an {@code EPOCH} schedule whose horizon is the number of
 *       iterations (periods meant in iterations); a fractional-epoch schedule whose
 *       {@code iterationsPerEpoch} differs from the run's;</li>
 *   <li>a seam: a jump between composed parts (a decay that does not start where the warmup ended) of a
 *       {@code SequentialSchedule}, {@code LinearWarmupSchedule} or {@code ProductSchedule}, seen per update
 *       and, for schedules that step once per epoch, per epoch (a WARNING for a jump in any other schedule,
 *       e.g. DL4J's {@code CycleSchedule}, whose annealing starts 10x lower);</li>
 *   <li>restarts cut part-way through a cycle: by the end of training, or by a milestone of a
 *       {@code SequentialSchedule}, also when the restarts are wrapped in a {@code LinearWarmupSchedule},
 *       {@code SequentialSchedule} or {@code ProductSchedule}.</li>
 * </ul>
 * and as {@link Severity#WARNING}: a decay that ends far before the run ends (the rest runs at the final
 * value) or far after it (the rate never gets low), an {@code AdaGrad} layer without the schedule the other layers
 * have, and the Spark pitfalls of {@link #forSpark} and {@link #forSparkSharedTraining}. Restarts and a jump up
 * after a constant stretch are {@link Severity#INFO}. A fractional-epoch {@code iterationsPerEpoch} that differs
 * from the run's is an ERROR when it is off by more than half (or less than two thirds), a WARNING when it is near
 * (a partial last batch). A {@code PlateauSchedule} is checked through its base, and is a WARNING when its
 * {@code minValue}, patience or mode ({@link #check(Model, ScoreCalculator)}) cannot work in the run. Each finding
 * also says what was found ({@link Finding#kind()}), to filter on. Everything but the restart cuts works on sampled
 * values and on {@link ScheduleInfo}, so it covers any {@code ISchedule}.
 *
 * <p><b>Momentum.</b> A layer's momentum schedule ({@code new Nesterovs(lrSchedule, momentumSchedule)}) gets the
 * unit, {@code iterationsPerEpoch}, horizon and restart-cut checks, reported as the layer's
 * {@code "momentum schedule"}; not the checks for a value of 0 (momentum 0 is plain SGD) nor for seams. A
 * momentum schedule counts as shaped for the horizon checks when it decays or dips below where it starts and ends
 * (PyTorch's one-cycle momentum, 0.95 -> 0.85 -> 0.95); a rise to a constant is a warmup and may end early. When
 * a layer's rate and momentum are both {@link OneCycleSchedule}s with a different {@code scheduleType},
 * {@code totalPeriod}, {@code iterationsPerEpoch}, {@code peakFraction} or {@code threePhase}, that is a WARNING:
 * PyTorch's {@code OneCycleLR} cycles both over the same steps and phases.
 *
 * <p>An {@code EPOCH} schedule whose epoch counter never moves can only be seen during training: use
 * {@link ScheduleCheckListener}.
 *
 * <pre>{@code
 * ScheduleCheck.forTraining(90, 390).check(net).forEach(System.out::println);
 * ScheduleCheck.forTraining(90, 390).checkOrThrow(net);   // IllegalStateException listing the problems
 * }</pre>
 */
public final class ScheduleCheck implements Serializable {

    private static final long serialVersionUID = 20261129L;

    /** How bad a finding is. */
    public enum Severity { ERROR, WARNING, INFO }

    /** What a finding is about, to filter on without reading the message. */
    public enum Kind {
        /** A layer's learning rate is NaN (e.g. {@code AdaGrad.clone()} dropped the schedule). */
        NAN_RATE,
        /** An {@code AdaGrad} layer has a fixed rate while the other layers use schedules. */
        ADAGRAD_WITHOUT_SCHEDULE,
        /** A layer's rate and momentum one-cycles cycle over different steps or phases. */
        ONE_CYCLE_MISMATCH,
        /** A fractional-epoch schedule's {@code iterationsPerEpoch} differs from the run's. */
        ITERATIONS_PER_EPOCH,
        /** An {@code ITERATION} schedule under {@code SharedTrainingMaster}: its iteration counter is one thread's. */
        SHARED_TRAINING_ITERATIONS,
        /** The first few updates (fewer than an epoch) train at rate 0. */
        ZERO_RATE_UPDATES,
        /** Whole first epochs train at rate 0 (typically a warmup from 0 stepped per whole epoch). */
        ZERO_RATE_EPOCHS,
        /** The rate is 0 at the start of every epoch of the run: the layers never learn. */
        ZERO_RATE_RUN,
        /** The horizon matches the run with periods in the wrong unit (epochs meant as iterations, or back). */
        HORIZON_UNIT,
        /** An {@code ITERATION} schedule sized for one machine's iterations on Spark. */
        SPARK_SINGLE_MACHINE,
        /** The schedule stops changing long before the run ends. */
        HORIZON_SHORT,
        /** The run ends long before the schedule does. */
        HORIZON_LONG,
        /** Restarts cut part-way through a cycle, by the end of training or by a milestone. */
        RESTART_CUT,
        /** The schedule gives a non-finite value. */
        NON_FINITE,
        /** A jump between samples that is not a restart: a seam between composed parts, or a jump of the schedule. */
        SEAM_JUMP,
        /** A restart (a jump up after a fall): expected of restart schedules. */
        RESTART,
        /** A jump up after a constant stretch: a deliberate step. */
        STEP_UP,
        /** How many jumps were not listed. */
        MORE_JUMPS,
        /** An {@code EPOCH} schedule whose epoch counter has not moved after two epochs' worth of updates. */
        STALLED_EPOCH_COUNTER,
        /** A {@code PlateauSchedule}'s {@code minValue} is above its base's value at the end of the run. */
        PLATEAU_MIN_VALUE,
        /** A {@code PlateauSchedule}'s patience lets no reduction take effect within the run (a report per epoch). */
        PLATEAU_PATIENCE,
        /** A {@code PlateauSchedule}'s mode contradicts the metric's {@code ScoreCalculator.minimizeScore()}. */
        PLATEAU_MODE
    }

    /** One problem, with what to do about it. */
    public static final class Finding implements Serializable {
        private static final long serialVersionUID = 20261129L;

        private final Kind kind;
        private final Severity severity;
        private final String message;

        Finding(Kind kind, Severity severity, String message) {
            this.kind = kind;
            this.severity = severity;
            this.message = message;
        }

        /** What was found. */
        public Kind kind() {
            return kind;
        }

        /** How bad it is. */
        public Severity severity() {
            return severity;
        }

        /** What was found and what to do about it. */
        public String message() {
            return message;
        }

        /** The same finding with {@code prefix} in front of the message (the layer it was found in). */
        Finding prefixed(String prefix) {
            return new Finding(kind, severity, prefix + message);
        }

        @Override
        public String toString() {
            return severity + ": " + message;
        }
    }

    /** How a Spark run trains, for {@link #forSpark} and {@link #forSparkSharedTraining}. */
    private enum Spark { NONE, PARAMETER_AVERAGING, SHARED_TRAINING }

    private final int epochs;
    private final int iterationsPerEpoch;
    private final Spark spark;
    private final long examplesPerEpoch;
    private final int batchSizePerWorker;
    private final int workers;

    private ScheduleCheck(int epochs, int iterationsPerEpoch, Spark spark, long examplesPerEpoch,
                          int batchSizePerWorker, int workers) {
        if (epochs < 1 || epochs > SchedulePreview.MAX_SAMPLES) {   // the check samples every epoch
            throw new IllegalArgumentException("epochs (" + epochs + ") must be in [1, " + SchedulePreview.MAX_SAMPLES
                    + "]");
        }
        if (iterationsPerEpoch < 1) {
            throw new IllegalArgumentException("iterationsPerEpoch (" + iterationsPerEpoch + ") must be >= 1");
        }
        this.epochs = epochs;
        this.iterationsPerEpoch = iterationsPerEpoch;
        this.spark = spark;
        this.examplesPerEpoch = examplesPerEpoch;
        this.batchSizePerWorker = batchSizePerWorker;
        this.workers = workers;
    }

    /** A check for a run of {@code epochs} (1 to 1048576) epochs of {@code iterationsPerEpoch} (>= 1) updates each. */
    public static ScheduleCheck forTraining(int epochs, int iterationsPerEpoch) {
        return new ScheduleCheck(epochs, iterationsPerEpoch, Spark.NONE, 0, 0, 0);
    }

    /**
     * A check for Spark training with {@code ParameterAveragingTrainingMaster}: {@code epochs} calls of
     * {@code SparkDl4jMultiLayer.fit} (each advances the epoch counter once) over {@code examplesPerEpoch}
     * examples, {@code batchSizePerWorker} per worker per step on {@code workers} workers. The iteration
     * counter advances once per averaged parallel step, so an epoch has
     * {@code ceil(examplesPerEpoch / (batchSizePerWorker * workers))} iterations, not
     * {@code examplesPerEpoch / batchSizePerWorker}. Besides the checks of {@link #forTraining}, it reports
     * an {@code ITERATION} schedule, or a fractional-epoch {@code iterationsPerEpoch}, sized as if on one
     * machine. The library needs no Spark dependency for this.
     *
     * <pre>{@code
     * // 50,000 examples, batch 32 per worker, 4 workers: ceil(50000 / 128) = 391 iterations per epoch
     * ScheduleCheck.forSpark(90, 50_000, 32, 4).checkOrThrow(sparkNet.getNetwork());
     * }</pre>
     *
     * @throws IllegalArgumentException naming the parameter when a count is below 1, {@code epochs} is over
     *                                  1048576, or the iterations per epoch pass {@code Integer.MAX_VALUE}
     */
    public static ScheduleCheck forSpark(int epochs, long examplesPerEpoch, int batchSizePerWorker, int workers) {
        return spark(Spark.PARAMETER_AVERAGING, epochs, examplesPerEpoch, batchSizePerWorker, workers);
    }

    /**
     * As {@link #forSpark}, for {@code SharedTrainingMaster} (gradient sharing). Its iteration counter
     * follows one worker thread only, so on top of the checks of {@link #forSpark} every schedule that
     * counts iterations ({@code ITERATION}) is reported with the advice to use {@code EPOCH}, or fractional
     * epochs with {@code iterationsPerEpoch = ceil(examplesPerEpoch / (batchSizePerWorker * workers))}.
     *
     * @throws IllegalArgumentException as {@link #forSpark}
     */
    public static ScheduleCheck forSparkSharedTraining(int epochs, long examplesPerEpoch, int batchSizePerWorker,
                                                       int workers) {
        return spark(Spark.SHARED_TRAINING, epochs, examplesPerEpoch, batchSizePerWorker, workers);
    }

    private static ScheduleCheck spark(Spark spark, int epochs, long examples, int batchSizePerWorker, int workers) {
        return new ScheduleCheck(epochs, SparkPlan.iterationsPerEpoch(examples, batchSizePerWorker, workers), spark,
                examples, batchSizePerWorker, workers);
    }

    /** The planned number of epochs. */
    public int epochs() {
        return epochs;
    }

    /** The planned number of updates per epoch (for Spark, derived as described in {@link #forSpark}). */
    public int iterationsPerEpoch() {
        return iterationsPerEpoch;
    }

    /** Findings for every layer of a {@code MultiLayerNetwork} or {@code ComputationGraph}. */
    public List<Finding> check(Model model) {
        List<Finding> out = new ArrayList<>();
        List<UpdaterLayers.Entry> layers = UpdaterLayers.of(Objects.requireNonNull(model, "model"));
        List<ISchedule> schedules = new ArrayList<>();
        for (UpdaterLayers.Entry e : layers) {
            schedules.add(e.schedule());
        }
        boolean anySchedule = schedules.stream().anyMatch(Objects::nonNull);
        List<ISchedule> checked = new ArrayList<>();
        List<ISchedule> checkedMomentum = new ArrayList<>();
        List<List<ISchedule>> checkedCycles = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            UpdaterLayers.Entry e = layers.get(i);
            ISchedule s = schedules.get(i);
            LayerRate.check(e, s, anySchedule, out);
            if (s != null && !checked.contains(s)) {
                checked.add(s);
                for (Finding f : check(s)) {
                    out.add(f.prefixed("layer '" + e.name + "': "));
                }
            }
            ISchedule momentum = e.momentumSchedule();
            if (momentum != null && !checkedMomentum.contains(momentum)) {
                checkedMomentum.add(momentum);
                for (Finding f : checkMomentum(momentum)) {
                    out.add(f.prefixed("layer '" + e.name + "' momentum schedule: "));
                }
            }
            List<ISchedule> pair = Arrays.asList(s, momentum);
            if (s instanceof OneCycleSchedule && momentum instanceof OneCycleSchedule
                    && !checkedCycles.contains(pair)) {
                checkedCycles.add(pair);
                OneCyclePair.check(e.name, (OneCycleSchedule) s, (OneCycleSchedule) momentum, out);
            }
        }
        return out;
    }

    /** As {@link #check(Model)}, and a PlateauSchedule whose mode contradicts {@code calculator.minimizeScore()}. */
    public List<Finding> check(Model model, ScoreCalculator<?> calculator) {
        List<Finding> out = check(model);
        PlateauChecks.checkModes(model, Objects.requireNonNull(calculator, "calculator"), out);
        return out;
    }

    /** Findings for one learning-rate schedule. */
    public List<Finding> check(ISchedule schedule) {
        return check(schedule, false);
    }

    /**
     * Findings for one momentum schedule: those of {@link #check(ISchedule)} without the checks for a value of 0
     * and for seams; the horizon counts a dip below where it starts and ends (one-cycle momentum) as a shape.
     */
    List<Finding> checkMomentum(ISchedule schedule) {
        return check(schedule, true);
    }

    private List<Finding> check(ISchedule given, boolean momentum) {
        Objects.requireNonNull(given, "schedule");
        List<Finding> out = new ArrayList<>();
        long total = (long) epochs * iterationsPerEpoch;
        ScheduleType unit = ScheduleInfo.unitOf(given);
        String name = given.getClass().getSimpleName();
        PlateauChecks.check(this, given, total, out);
        ISchedule schedule = PlateauChecks.sampled(given);   // a plateau's reductions are not seams

        boolean mismatchedN = Counters.check(this, schedule, name, unit, out);
        WholeEpochs wholeEpochs = new WholeEpochs(schedule, epochs, iterationsPerEpoch);
        if (!momentum) {   // momentum 0 is plain SGD, not a layer that does not learn
            ZeroRate.check(this, schedule, name, total, wholeEpochs, out);
        }
        Horizon.check(this, schedule, name, unit, total, momentum, out);
        RestartCuts.check(schedule, epochs, iterationsPerEpoch, momentum ? "momentum" : "rate", out);

        // With a mismatched iterationsPerEpoch every epoch boundary is irregular: report that alone.
        if (!momentum && !mismatchedN) {
            Seams.check(this, schedule, name, total, wholeEpochs, out);
        }
        return out;
    }

    /** The value at update {@code iteration} of the planned run, as {@link #valueAtUpdate}. */
    double value(ISchedule schedule, long iteration) {
        return valueAtUpdate(schedule, iteration, iterationsPerEpoch);
    }

    /**
     * The value at update {@code update} (from 0) of a run of {@code iterationsPerEpoch} updates per epoch: epoch
     * {@code update / iterationsPerEpoch}, iteration {@code update}, held at {@code Integer.MAX_VALUE} past it (DL4J's
     * iteration counter is an {@code int}; the epoch counter of a long run keeps counting).
     */
    static double valueAtUpdate(ISchedule schedule, long update, int iterationsPerEpoch) {
        long i = Math.max(0, update);
        return schedule.valueAt((int) Math.min(Integer.MAX_VALUE, i), (int) Math.min(Integer.MAX_VALUE,
                i / iterationsPerEpoch));
    }

    /** Whether the plan is for {@code SharedTrainingMaster}. */
    boolean sharedTraining() {
        return spark == Spark.SHARED_TRAINING;
    }

    /** On Spark, the number of workers; 0 otherwise. */
    int sparkWorkers() {
        return spark == Spark.NONE ? 0 : workers;
    }

    long examplesPerEpoch() {
        return examplesPerEpoch;
    }

    int batchSizePerWorker() {
        return batchSizePerWorker;
    }

    /** The iterations per epoch the same data would take on one machine: {@code ceil(examples / batch)}. */
    long singleMachineIterationsPerEpoch() {
        return SparkPlan.ceilDiv(examplesPerEpoch, batchSizePerWorker);
    }

    /** How the Spark run gets its iterations per epoch, for messages. */
    String sparkIterationsText() {
        return SparkPlan.text(spark == Spark.SHARED_TRAINING, workers, examplesPerEpoch, batchSizePerWorker,
                iterationsPerEpoch);
    }

    /**
     * Runs {@link #check(Model)} and throws if anything worse than {@link Severity#INFO} was found.
     *
     * @throws IllegalStateException listing every error and warning
     */
    public void checkOrThrow(Model model) {
        throwIfProblems(check(model));
    }

    static void throwIfProblems(List<Finding> findings) {
        List<String> problems = new ArrayList<>();
        for (Finding f : findings) {
            if (f.severity != Severity.INFO) {
                problems.add(f.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("learning-rate schedule check failed:\n  " + String.join("\n  ", problems));
        }
    }

    @Override
    public String toString() {
        return "ScheduleCheck(epochs=" + epochs + ", iterationsPerEpoch=" + iterationsPerEpoch
                + (spark == Spark.NONE ? "" : ", " + spark + ", examplesPerEpoch=" + examplesPerEpoch
                + ", batchSizePerWorker=" + batchSizePerWorker + ", workers=" + workers) + ")";
    }
}
