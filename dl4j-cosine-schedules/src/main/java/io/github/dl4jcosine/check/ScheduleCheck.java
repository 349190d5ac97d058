package io.github.dl4jcosine.check;

import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.preview.SchedulePreview;
import io.github.dl4jcosine.preview.SeamReport;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.ProductSchedule;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import io.github.dl4jcosine.schedule.SequentialSchedule;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

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
 * A fractional-epoch {@code iterationsPerEpoch} that differs from the run's is an ERROR when it is off by
 * more than half (or less than two thirds), a WARNING when it is near (a partial last batch).
 * and as {@link Severity#WARNING}: a decay that ends far before the run ends (the rest runs at the final
 * value) or far after it (the rate never gets low), an {@code AdaGrad}
 * layer without the schedule the other layers have, and the Spark pitfalls of {@link #forSpark} and
 * {@link #forSparkSharedTraining}. Restarts and a jump up after a constant stretch are {@link Severity#INFO}.
 * Everything but the restart cuts works on sampled values and on {@link ScheduleInfo}, so it covers any
 * {@code ISchedule}.
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

    /** One problem, with what to do about it. */
    public static final class Finding implements Serializable {
        private static final long serialVersionUID = 20261129L;

        private final Severity severity;
        private final String message;

        Finding(Severity severity, String message) {
            this.severity = severity;
            this.message = message;
        }

        /** How bad it is. */
        public Severity severity() {
            return severity;
        }

        /** What was found and what to do about it. */
        public String message() {
            return message;
        }

        @Override
        public String toString() {
            return severity + ": " + message;
        }
    }

    /** How a Spark run trains, for {@link #forSpark} and {@link #forSparkSharedTraining}. */
    private enum Spark { NONE, PARAMETER_AVERAGING, SHARED_TRAINING }

    /** A horizon shorter than this fraction of the run is reported. */
    static final double SHORT = 0.5;
    /** A horizon longer than this multiple of the run is reported. */
    static final double LONG = 1.5;
    /** A horizon within this relative distance of a wrongly sized one is taken to be sized that way. */
    static final double MATCH = 0.1;

    /** Jumps listed per schedule; the rest are counted. */
    static final int MAX_JUMPS = 5;

    private final int epochs;
    private final int iterationsPerEpoch;
    private final Spark spark;
    private final long examplesPerEpoch;
    private final int batchSizePerWorker;
    private final int workers;

    private ScheduleCheck(int epochs, int iterationsPerEpoch, Spark spark, long examplesPerEpoch,
                          int batchSizePerWorker, int workers) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs (" + epochs + ") must be >= 1");
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

    /** A check for a run of {@code epochs} epochs of {@code iterationsPerEpoch} updates each. */
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
     * @throws IllegalArgumentException naming the parameter when a count is below 1, or when the
     *                                  iterations per epoch pass {@code Integer.MAX_VALUE}
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
        if (examples < 1) {
            throw new IllegalArgumentException("examplesPerEpoch (" + examples + ") must be >= 1");
        }
        if (batchSizePerWorker < 1) {
            throw new IllegalArgumentException("batchSizePerWorker (" + batchSizePerWorker + ") must be >= 1");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers (" + workers + ") must be >= 1");
        }
        long perEpoch = ceilDiv(examples, (long) batchSizePerWorker * workers);
        if (perEpoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("examplesPerEpoch (" + examples + ") / (batchSizePerWorker ("
                    + batchSizePerWorker + ") x workers (" + workers + ")) must be <= " + Integer.MAX_VALUE);
        }
        return new ScheduleCheck(epochs, (int) perEpoch, spark, examples, batchSizePerWorker, workers);
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
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
        List<UpdaterLayers.Entry> layers = UpdaterLayers.of(model);
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
            String updater = e.updater.getClass().getSimpleName();
            if (Double.isNaN(e.updater.getLearningRate(0, 0))) {
                out.add(new Finding(Severity.ERROR, "layer '" + e.name + "' (" + updater + ") has learning rate NaN"
                        + (e.updater instanceof AdaGrad ? adaGradHint() : ": give its updater a rate or a schedule")));
            } else if (s == null && anySchedule && e.updater instanceof AdaGrad) {
                out.add(new Finding(Severity.WARNING, "layer '" + e.name + "' (AdaGrad) has a fixed learning rate "
                        + e.updater.getLearningRate(0, 0) + " while other layers use schedules" + adaGradHint()));
            }
            if (s != null && !checked.contains(s)) {
                checked.add(s);
                for (Finding f : check(s)) {
                    out.add(new Finding(f.severity, "layer '" + e.name + "': " + f.message));
                }
            }
            ISchedule momentum = e.momentumSchedule();
            if (momentum != null && !checkedMomentum.contains(momentum)) {
                checkedMomentum.add(momentum);
                for (Finding f : checkMomentum(momentum)) {
                    out.add(new Finding(f.severity, "layer '" + e.name + "' momentum schedule: " + f.message));
                }
            }
            List<ISchedule> pair = Arrays.asList(s, momentum);
            if (s instanceof OneCycleSchedule && momentum instanceof OneCycleSchedule
                    && !checkedCycles.contains(pair)) {
                checkedCycles.add(pair);
                checkOneCycles(e.name, (OneCycleSchedule) s, (OneCycleSchedule) momentum, out);
            }
        }
        return out;
    }

    /** A WARNING when a layer's rate and momentum one-cycles do not cycle over the same steps and phases. */
    private static void checkOneCycles(String layer, OneCycleSchedule rate, OneCycleSchedule momentum,
                                       List<Finding> out) {
        String r = cycleText(rate);
        String m = cycleText(momentum);
        if (r.equals(m)) {
            return;
        }
        out.add(new Finding(Severity.WARNING, "layer '" + layer + "': its learning-rate and momentum OneCycleSchedules"
                + " cycle over different steps: " + r + " for the rate, " + m + " for the momentum. PyTorch's"
                + " OneCycleLR cycles both over the same steps and phases: give both the same scheduleType, totalPeriod,"
                + " iterationsPerEpoch, peakFraction and threePhase"));
    }

    /** What decides where a one-cycle's phases fall: its horizon, unit, peak fraction and number of phases. */
    private static String cycleText(OneCycleSchedule o) {
        return "totalPeriod=" + o.getTotalPeriod() + " (" + o.getScheduleType()
                + (o.getIterationsPerEpoch() > 0 ? ", iterationsPerEpoch=" + o.getIterationsPerEpoch() : "")
                + "), peakFraction=" + o.getPeakFraction() + (o.isThreePhase() ? ", three phases" : "");
    }

    private static String adaGradHint() {
        return ": AdaGrad.clone() in DL4J 1.0.0-M2.1 drops the schedule of .updater(new AdaGrad(schedule)) on the"
                + " global builder; set .updater(new AdaGrad(schedule)) on each layer instead";
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

    private List<Finding> check(ISchedule schedule, boolean momentum) {
        Objects.requireNonNull(schedule, "schedule");
        List<Finding> out = new ArrayList<>();
        long total = (long) epochs * iterationsPerEpoch;
        ScheduleType unit = ScheduleInfo.unitOf(schedule);
        String name = schedule.getClass().getSimpleName();

        int scheduleN = ScheduleInfo.iterationsPerEpochOf(schedule);
        boolean mismatchedN = scheduleN > 0 && scheduleN != iterationsPerEpoch;
        if (mismatchedN) {
            // a partial last batch is off by one and nearly harmless; examples instead of batches, or one machine's
            // count on Spark, leaves the schedule stuck at each epoch's start for most of the epoch
            boolean far = scheduleN > LONG * iterationsPerEpoch || scheduleN * LONG < iterationsPerEpoch;
            out.add(new Finding(far ? Severity.ERROR : Severity.WARNING, name + " has iterationsPerEpoch=" + scheduleN
                    + " but training runs "
                    + iterationsPerEpoch + " iterations per epoch: set iterationsPerEpoch=" + iterationsPerEpoch
                    + (spark != Spark.NONE && workers > 1 && scheduleN == singleMachineIterationsPerEpoch()
                    ? " (" + scheduleN + " is ceil(examplesPerEpoch / batchSizePerWorker), the count on one machine;"
                    + " " + sparkIterationsText() + ")" : "")));
        }
        if (spark == Spark.SHARED_TRAINING && unit == ScheduleType.ITERATION) {
            out.add(new Finding(Severity.WARNING, name + " counts iterations, but SharedTrainingMaster's iteration"
                    + " counter follows one worker thread only: use ScheduleType.EPOCH, or fractional epochs with"
                    + " iterationsPerEpoch=" + iterationsPerEpoch + " (" + sparkIterationsText() + ")"));
        }
        WholeEpochs wholeEpochs = new WholeEpochs(schedule);
        if (!momentum) {   // momentum 0 is plain SGD, not a layer that does not learn
            checkZeroRate(schedule, name, total, wholeEpochs, out);
        }
        checkHorizon(schedule, name, unit, total, momentum, out);
        RestartCuts.check(schedule, epochs, iterationsPerEpoch, momentum ? "momentum" : "rate", out);

        // With a mismatched iterationsPerEpoch every epoch boundary is irregular: report that alone.
        if (!momentum && !mismatchedN) {
            checkSeams(schedule, name, total, wholeEpochs, out);
        }
        return out;
    }

    /** More than the first update at rate 0: a whole first epoch, a few updates, or the whole run. */
    private void checkZeroRate(ISchedule schedule, String name, long total, WholeEpochs wholeEpochs,
                               List<Finding> out) {
        int n = iterationsPerEpoch;
        long scan = Math.min(total, n + 1L);
        int zeros = 0;
        while (zeros < scan && !(value(schedule, zeros) > 0)) {
            zeros++;
        }
        if (zeros < 2) {
            return;
        }
        if (zeros < n) {
            out.add(new Finding(Severity.ERROR, String.format(Locale.ROOT, "%s trains the first %d updates at"
                    + " learning rate 0 (updates 0 to %d): start the warmup above 0 (to freeze layers,"
                    + " use FrozenLayer)", name, zeros, zeros - 1)));
            return;
        }
        int epoch = 1;
        while (epoch < epochs && !(value(schedule, (long) epoch * n) > 0)) {
            epoch++;
        }
        boolean wholeEpoch = wholeEpochs.get();
        if (epoch == epochs) {
            out.add(new Finding(Severity.ERROR, name + " gives learning rate 0 at the start of every epoch of the"
                    + " run: the layers never learn" + (wholeEpoch ? " (a warmup from 0 stepped once per whole epoch"
                    + " longer than the run?)" : "") + "; freeze layers with FrozenLayer or NoOp if that is intended"));
            return;
        }
        out.add(new Finding(Severity.ERROR, String.format(Locale.ROOT, "%s trains %s at learning rate 0 (the first"
                + " %d updates)%s", name, epoch == 1 ? "all of epoch 0" : "epochs 0 to " + (epoch - 1), (long) epoch * n,
                wholeEpoch ? ": a warmup from 0 stepped once per whole epoch is at t = 0 for every update of epoch 0."
                        + " Use fractional epochs (iterationsPerEpoch=" + n + ") so that it moves every iteration, or"
                        + " start the warmup above 0" : ": start the warmup above 0 (to freeze layers, use FrozenLayer)")));
    }

    private void checkHorizon(ISchedule schedule, String name, ScheduleType unit, long total, boolean momentum,
                              List<Finding> out) {
        OptionalDouble horizon = ScheduleInfo.horizonInIterations(schedule, iterationsPerEpoch);
        if (!horizon.isPresent() || !(horizon.getAsDouble() > 0)) {   // 0: a constant schedule
            return;
        }
        double h = horizon.getAsDouble();
        int n = iterationsPerEpoch;
        double endValue = value(schedule, (long) Math.ceil(h));
        double unitsH = unit == ScheduleType.EPOCH ? h / n : h;    // the horizon in the schedule's own unit
        double[] range = range(schedule, h);
        // not a warmup that ends at a constant rate; for momentum also a dip and back (one-cycle: 0.95 -> 0.85 -> 0.95)
        boolean decayed = endValue < range[1]
                || momentum && range[0] < Math.min(value(schedule, 0), endValue);
        if (unit == ScheduleType.ITERATION && decayed && total > n
                && (h <= n || n > 1 && h < SHORT * total && near(h, epochs))) {
            out.add(new Finding(Severity.ERROR, String.format(Locale.ROOT, "%s (ITERATION) ends at iteration %.0f,"
                    + " %s, and then holds %.3g for the rest of the %d epochs. Periods meant in epochs? Use"
                    + " ScheduleType.EPOCH (with iterationsPerEpoch=%d to move every iteration), or multiply the"
                    + " periods by %d", name, h, h <= n ? "within the first epoch of " + n + " iterations"
                            : "the number of epochs, " + epochs + ", not of iterations, " + total,
                    endValue, epochs, n, n)));
        } else if (unit == ScheduleType.EPOCH && n > 1 && h > LONG * total && near(unitsH, total)) {
            out.add(new Finding(Severity.ERROR, String.format(Locale.ROOT, "%s (EPOCH) ends at epoch %.0f, about"
                    + " the number of iterations of the run (%d), not of its epochs (%d). Periods meant in iterations?"
                    + " Use ScheduleType.ITERATION, or divide the periods by %d", name, unitsH, total, epochs, n)));
        } else if (spark != Spark.NONE && workers > 1 && unit == ScheduleType.ITERATION
                && near(h, (double) epochs * singleMachineIterationsPerEpoch())) {
            out.add(new Finding(Severity.WARNING, String.format(Locale.ROOT, "%s (ITERATION) ends at iteration %.0f,"
                    + " sized as if on one machine (%d epochs x ceil(%d / %d) = %d): on Spark with %d workers %s,"
                    + " %d in %d epochs. Set the periods for %d iterations, or use ScheduleType.EPOCH", name, h,
                    epochs, examplesPerEpoch, batchSizePerWorker, (long) epochs * singleMachineIterationsPerEpoch(),
                    workers, sparkIterationsText(), total, epochs, total)));
        } else if (decayed && h < SHORT * total) {
            out.add(new Finding(Severity.WARNING, String.format(Locale.ROOT, "%s ends at epoch %.1f of %d: the last"
                    + " %.1f epochs run at %.3g. Lengthen the schedule to the run (or shorten the run)", name,
                    h / n, epochs, epochs - h / n, endValue)));
        } else if (h > LONG * total) {
            double last = value(schedule, total - 1);
            out.add(new Finding(Severity.WARNING, String.format(Locale.ROOT, "training stops at %.0f%% of %s"
                    + " (which ends at epoch %.1f): " + (momentum ? "the momentum is %.3g at the last update instead"
                    + " of %.3g" : "the rate only falls to %.3g, not to %.3g") + ". Shorten the schedule to the run",
                    100.0 * total / h, name, h / n, last, endValue)));
        }
    }

    private static boolean near(double value, double target) {
        return Math.abs(value - target) <= MATCH * target;
    }

    /** The smallest and largest value over {@code [0, h]} iterations, from at most 4,097 evenly spaced samples. */
    private double[] range(ISchedule schedule, double h) {
        long last = (long) Math.ceil(h);
        long step = Math.max(1, last / 4096);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i <= last; i += step) {
            double v = value(schedule, i);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new double[] {min, max};
    }

    /** Jumps between samples: per update, and per epoch when the schedule steps once per epoch. */
    private void checkSeams(ISchedule schedule, String name, long total, WholeEpochs wholeEpochs,
                            List<Finding> out) {
        List<Finding> jumps = new ArrayList<>();
        int[] counted = new int[1];
        // a seam is a mistake in what the user composed; a single schedule's own jump (DL4J's CycleSchedule drops
        // 10x where its annealing starts) is by its design: a warning
        Severity seam = schedule instanceof SequentialSchedule || schedule instanceof LinearWarmupSchedule
                || schedule instanceof ProductSchedule ? Severity.ERROR : Severity.WARNING;
        if (total <= SchedulePreview.MAX_SAMPLES) {
            SchedulePreview p = SchedulePreview.iterations(schedule, (int) total, iterationsPerEpoch);
            SeamReport seams = p.checkSeams();
            classify(p, seams, name, "", seam, jumps, counted);
            if (!seams.nonFiniteSamples().isEmpty()) {
                int i = seams.nonFiniteSamples().get(0);
                out.add(new Finding(Severity.ERROR, name + " gives a non-finite value at update " + i + " (iteration "
                        + p.iteration(i) + ", epoch " + p.epoch(i) + ")"));
            }
        }
        if (iterationsPerEpoch > 1 && epochs > 2 && wholeEpochs.get()) {
            SchedulePreview p = SchedulePreview.epochs(schedule, epochs,
                    Math.min(iterationsPerEpoch, Integer.MAX_VALUE / Math.max(1, epochs - 1)));
            classify(p, p.checkSeams(), name, " between whole epochs", seam, jumps, counted);
        }
        out.addAll(jumps.subList(0, Math.min(MAX_JUMPS, jumps.size())));
        if (counted[0] > MAX_JUMPS) {
            out.add(new Finding(Severity.INFO, name + ": " + (counted[0] - MAX_JUMPS) + " more jumps not listed"));
        }
    }

    /**
     * A jump up after a fall is a restart (INFO), after a constant stretch a deliberate step up (INFO); a jump
     * up after a rise, or any jump down, is a seam between composed parts ({@code seam}: ERROR for our
     * compositions).
     */
    private static void classify(SchedulePreview p, SeamReport seams, String name, String where, Severity seam,
                                 List<Finding> jumps, int[] counted) {
        for (SeamReport.Jump j : seams.jumps()) {
            counted[0]++;
            int before = directionBefore(p, j.index());
            if (j.after() > j.before() && before < 0) {
                jumps.add(new Finding(Severity.INFO, name + " restarts: " + j));
            } else if (j.after() > j.before() && before == 0) {
                jumps.add(new Finding(Severity.INFO, name + " steps up after a constant stretch: " + j));
            } else {
                jumps.add(new Finding(seam, name + " has a " + j + where + ": the next phase does not start where"
                        + " the previous one " + (before > 0 ? "rose to" : "ended") + (seam == Severity.ERROR
                        ? " (check the seam between the composed parts: warmup and decay, or a milestone)"
                        : " (a jump in the schedule itself)")));
            }
        }
    }

    /** The sign of the last change before sample {@code index}, 0 if there is none. */
    private static int directionBefore(SchedulePreview p, int index) {
        for (int i = index - 1; i >= 1; i--) {
            double d = p.value(i) - p.value(i - 1);
            if (d != 0) {
                return d > 0 ? 1 : -1;
            }
        }
        return 0;
    }

    /**
     * Whether the value stays the same within every epoch of the run (a schedule stepped per whole epoch): sampled
     * on first use, once per checked schedule.
     */
    private final class WholeEpochs {
        private final ISchedule schedule;
        private Boolean constant;

        WholeEpochs(ISchedule schedule) {
            this.schedule = schedule;
        }

        boolean get() {
            if (constant == null) {
                constant = sample();
            }
            return constant;
        }

        private boolean sample() {
            long n = iterationsPerEpoch;
            for (int e = 0; e < epochs; e++) {
                long first = e * n;
                if (first + n - 1 > Integer.MAX_VALUE) {
                    break;
                }
                double v = schedule.valueAt((int) first, e);
                if (Double.compare(v, schedule.valueAt((int) (first + n / 2), e)) != 0
                        || Double.compare(v, schedule.valueAt((int) (first + n - 1), e)) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The value at update {@code iteration} of the planned run, as {@link #valueAtUpdate}. */
    private double value(ISchedule schedule, long iteration) {
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

    private long singleMachineIterationsPerEpoch() {
        return ceilDiv(examplesPerEpoch, batchSizePerWorker);
    }

    private String sparkIterationsText() {
        return String.format(Locale.ROOT, "%s with %d workers runs ceil(%d / (%d x %d)) = %d iterations per epoch",
                spark == Spark.SHARED_TRAINING ? "SharedTrainingMaster" : "ParameterAveragingTrainingMaster", workers,
                examplesPerEpoch, batchSizePerWorker, workers, iterationsPerEpoch);
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
