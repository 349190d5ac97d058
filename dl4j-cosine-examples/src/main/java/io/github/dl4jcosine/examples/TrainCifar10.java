package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.examples.data.ImageData;
import io.github.dl4jcosine.finder.LearningRateFinder;
import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.schedule.LinearWarmupSchedule;
import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.PlateauSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a compact CNN on CIFAR-10 (or Fashion-MNIST) with a cosine schedule, or compares several
 * schedules at the same budget. Works offline: without the real CIFAR-10 it says so and uses a synthetic
 * CIFAR-shaped data set through the same DL4J loader. Run {@code --help} for the flags.
 */
public final class TrainCifar10 {

    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        flag("dataset", "cifar10", "cifar10 | fashion-mnist");
        flag("schedule", "warmup-cosine", "cosine | restarts | warmup-cosine | onecycle (PyTorch OneCycleLR: pct_start 0.3,"
                + " max_lr = lr; with nesterovs the momentum cycles 0.95-0.85-0.95) | wsd (warmup-epochs, stable,"
                + " cosine decay to min-lr over the last fifth) | plateau (warmup-epochs to lr, then x plateau-factor"
                + " when the test loss has not improved for plateau-patience epochs) | step | fixed | schedulefree (no"
                + " schedule: the schedule-free form of --optimizer, warmup over warmup-epochs, evaluated at the"
                + " averaged weights) | a JSON file of any ISchedule");
        flag("compare", "", "comma-separated schedules to train one after another at the same budget,"
                + " e.g. fixed,step,cosine,restarts,warmup-cosine,onecycle,wsd,plateau");
        flag("epochs", "3", "training epochs");
        flag("batch", "32", "minibatch size");
        flag("train-size", "2000", "training examples per epoch; CIFAR-10 rounds down to whole minibatches"
                + " (CIFAR-10 has 50000)");
        flag("test-size", "500", "test examples evaluated after each epoch; CIFAR-10 rounds down to whole"
                + " minibatches (CIFAR-10 has 10000)");
        flag("optimizer", "nesterovs", "nesterovs (momentum 0.9) | adam | schedulefree (schedule-free AdamW for every"
                + " run, schedules ignored; with --compare, name schedulefree among the schedules instead)");
        flag("lr", "0.05", "peak learning rate, or auto: run the range test first and use its STEEPEST suggestion");
        flag("min-lr", "0.0", "final learning rate of the cosine schedules");
        flag("warmup-epochs", "1", "warmup length for warmup-cosine, wsd and plateau");
        flag("plateau-patience", "2", "plateau: epochs without a better test loss before a reduction (PyTorch patience)");
        flag("plateau-factor", "0.5", "plateau: multiplier of each reduction, in (0, 1); min-lr is the floor");
        flag("restart-period", "1", "first cycle length in epochs for restarts");
        flag("restart-multiplier", "2", "cycle length multiplier for restarts");
        flag("seed", "42", "random seed (weights and data order)");
        flag("config", "", "a MultiLayerConfiguration JSON file to train instead of the built-in CNN"
                + " (its updater and schedule are used; e.g. dl4j-cosine-examples/src/main/resources/cifar10-cnn-warmup-cosine.json)");
        flag("data-dir", "", "DL4J resource directory holding data/cifar10 (without it: DL4J's, ~/.deeplearning4j)");
        flag("fashion-dir", ImageData.FASHION_MNIST_DIR.getPath(), "folder with the Fashion-MNIST IDX files");
        flag("find-lr", "false", "only run the learning-rate range test (--find-steps updates, rate 1e-7 -> 10) with"
                + " the chosen optimizer: print the suggested rates, write lr-finder.csv and lr-finder.png");
        flag("find-steps", "100", "most updates of the range test (--find-lr, --lr auto)");
        flag("out", "", "output folder (without it: output/<dataset>-<schedule>, output/<dataset>-compare, or"
                + " output/<config file name> for --config)");
        Flags.addOverwrite(FLAGS);
    }

    private TrainCifar10() {
    }

    private static void flag(String name, String defaultValue, String help) {
        FLAGS.put(name, new String[] {defaultValue, help});
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = Flags.parse(args, FLAGS, "TrainCifar10",
                "Train a CNN on CIFAR-10 with a cosine learning-rate schedule, or compare schedules.",
                TrainCifar10::helpNotes);
        if (opts != null) {
            run(opts, System.out);
        }
    }

    /** Runs what the flags say; returns the results (one, or one per compared schedule). */
    static List<Experiment.Result> run(Map<String, String> opts, PrintStream log) throws IOException {
        String dataset = opts.get("dataset");
        boolean compare = !opts.get("compare").isEmpty();
        File out = outputFolder(opts, dataset, compare);
        int epochs = Flags.positive(opts, "epochs");
        int batch = Flags.positive(opts, "batch");
        long seed = Long.parseLong(opts.get("seed"));

        ImageData data = load(opts, dataset, out, batch, seed, log);
        log.println("Data: " + data.description() + ": " + data.trainExamples() + " training examples per epoch ("
                + data.iterationsPerEpoch() + " iterations of " + batch + "), " + data.testExamples()
                + " test examples");

        List<Experiment.Result> results = new ArrayList<>();
        List<String> schedules = compare ? List.of(opts.get("compare").split(",")) : List.of(opts.get("schedule"));
        if (Boolean.parseBoolean(opts.get("find-lr")) || "auto".equals(opts.get("lr"))) {
            opts = rangeTest(opts, schedules.get(0).trim(), data, epochs, seed, out, log);
            if (opts == null) {
                log.println("Output in " + out.getPath() + ": " + String.join(", ", listing(out)));
                return List.of();
            }
        }
        Progress.Overall overall = new Progress.Overall(schedules.size() * epochs);
        for (int i = 0; i < schedules.size(); i++) {
            String trimmed = schedules.get(i).trim();
            MultiLayerConfiguration conf = configuration(opts, trimmed, data, epochs, seed);
            String name = opts.get("config").isEmpty() ? trimmed : baseName(opts.get("config"));
            File runOut = compare ? new File(out, trimmed) : out;
            log.println("Training " + name + (compare ? " (" + (i + 1) + " of " + schedules.size() + ")" : "")
                    + " for " + epochs + " epochs: " + updater(conf));
            results.add(Experiment.run(name, conf, data, epochs, runOut, log, overall));
        }
        if (compare) {
            log.println();
            log.print(Experiment.compare(results, out, data.title()));
        } else {
            Experiment.Result r = results.get(0);
            log.printf(Locale.ROOT, "Done in %s: final test accuracy %.4f, best %.4f%n",
                    Experiment.duration(r.seconds), r.finalAccuracy(), r.bestAccuracy());
        }
        log.println("Output in " + out.getPath() + ": " + String.join(", ", listing(out)));
        return results;
    }

    /**
     * {@code --find-lr} (returns null: nothing to train) or {@code --lr auto} (returns the flags with {@code lr} set to
     * the STEEPEST suggestion): the range test on the network the flags describe (its rate does not matter, the sweep
     * sets it).
     */
    private static Map<String, String> rangeTest(Map<String, String> opts, String schedule, ImageData data, int epochs,
                                                 long seed, File out, PrintStream log) throws IOException {
        boolean auto = "auto".equals(opts.get("lr"));
        if (auto && !opts.get("config").isEmpty()) {
            throw new IllegalArgumentException("lr (auto) sets the peak of a built-in schedule; with --config the"
                    + " file's own schedule is used: run --find-lr and put the rate into the file");
        }
        Map<String, String> probe = new LinkedHashMap<>(opts);
        probe.put("lr", "0.01");
        LearningRateFinder.Result r = RangeTest.run(configuration(probe, schedule, data, epochs, seed), data,
                Flags.positive(opts, "find-steps"), out, log);
        if (Boolean.parseBoolean(opts.get("find-lr"))) {
            return null;
        }
        Map<String, String> tuned = new LinkedHashMap<>(opts);
        tuned.put("lr", Double.toString(RangeTest.steepest(r)));
        log.println("--lr auto: peak learning rate " + tuned.get("lr") + " (STEEPEST)");
        return tuned;
    }

    private static ImageData load(Map<String, String> opts, String dataset, File out, int batch, long seed,
                                  PrintStream log) {
        int trainSize = Flags.positive(opts, "train-size");
        int testSize = Flags.positive(opts, "test-size");
        switch (dataset) {
            case "cifar10":
                return ImageData.cifar10(opts.get("data-dir").isEmpty() ? null : new File(opts.get("data-dir")),
                        new File(opts.getOrDefault("synthetic-dir", "output/synthetic-cifar10")), trainSize, testSize,
                        batch, seed, log);
            case "fashion-mnist":
                return ImageData.fashionMnist(new File(opts.get("fashion-dir")), trainSize, testSize, batch, seed);
            default:
                throw new IllegalArgumentException("dataset (" + dataset + ") must be cifar10 or fashion-mnist");
        }
    }

    /** The built-in CNN with the named schedule, or the --config file. */
    private static MultiLayerConfiguration configuration(Map<String, String> opts, String scheduleName, ImageData data,
                                                         int epochs, long seed) throws IOException {
        if (!opts.get("config").isEmpty()) {
            return MultiLayerConfiguration.fromJson(Files.readString(new File(opts.get("config")).toPath()));
        }
        if (Experiment.SCHEDULE_FREE.equals(scheduleName) || Experiment.SCHEDULE_FREE.equals(opts.get("optimizer"))) {
            return Experiment.cnn(data, Experiment.scheduleFree(opts.get("optimizer"), Double.parseDouble(opts.get("lr")),
                    Flags.positive(opts, "warmup-epochs") * data.iterationsPerEpoch()), seed);
        }
        ISchedule schedule = schedule(opts, scheduleName, epochs, data.iterationsPerEpoch());
        return Experiment.cnn(data, updater(opts.get("optimizer"), scheduleName, schedule), seed);
    }

    /**
     * The updater for a flag-built schedule: Nesterovs with momentum 0.9, or Adam; {@code onecycle} with Nesterovs
     * also cycles the momentum, 0.95 -> 0.85 -> 0.95 against the rate, as PyTorch's {@code OneCycleLR} does
     * ({@code cycle_momentum=True}), in the rate's unit over its updates.
     */
    static IUpdater updater(String optimizer, String scheduleName, ISchedule schedule) {
        if ("onecycle".equals(scheduleName) && "nesterovs".equals(optimizer)) {
            OneCycleSchedule rate = (OneCycleSchedule) schedule;
            return new Nesterovs(schedule, Schedules.oneCycleMomentum(rate.getScheduleType(), rate.getTotalPeriod()));
        }
        return Experiment.updater(optimizer, schedule, 0.9);
    }

    /**
     * A schedule in epochs built from the flags (moving every iteration when {@code iterationsPerEpoch > 0}),
     * or read from a JSON file; shared by training and {@link PreviewSchedule}.
     */
    static ISchedule schedule(Map<String, String> opts, String name, int epochs, int iterationsPerEpoch)
            throws IOException {
        double lr = Double.parseDouble(opts.get("lr"));
        double min = Double.parseDouble(opts.get("min-lr"));
        int n = iterationsPerEpoch;
        switch (name) {
            case "cosine":
                return new CosineAnnealingSchedule(ScheduleType.EPOCH, lr, min, epochs, n);
            case "restarts":
                return new CosineWarmRestartsSchedule(ScheduleType.EPOCH, lr, min, Flags.positive(opts, "restart-period"),
                        Double.parseDouble(opts.get("restart-multiplier")), 1.0, 0, n);
            case "warmup-cosine":
                return new WarmupCosineSchedule(ScheduleType.EPOCH, lr, 0.0, min, Flags.positive(opts, "warmup-epochs"), epochs, n);
            case "onecycle":
                return oneCycle(lr, epochs, n);
            case "wsd":
                return wsd(lr, min, Flags.positive(opts, "warmup-epochs"), epochs, n);
            case "plateau":
                // ReduceLROnPlateau after a linear warmup; Experiment.run reports the test loss at each epoch end
                return PlateauSchedule.builder(new LinearWarmupSchedule(ScheduleType.EPOCH,
                        Flags.positive(opts, "warmup-epochs"), 0.0, new FixedSchedule(lr), n))
                        .patience(Integer.parseInt(opts.get("plateau-patience")))
                        .factor(Double.parseDouble(opts.get("plateau-factor"))).minValue(min).build();
            case "step":
                // the classic multi-step decay: x0.1 at 50% and at 75% of the run (DL4J's own MapSchedule)
                return new MapSchedule.Builder(ScheduleType.EPOCH).add(0, lr).add(Math.max(1, epochs / 2), lr * 0.1)
                        .add(Math.max(2, epochs * 3 / 4), lr * 0.01).build();
            case "fixed":
                return new FixedSchedule(lr);
            default:
                File file = new File(name);
                if (!file.isFile()) {
                    throw new IllegalArgumentException("schedule (" + name + ") must be cosine, restarts, warmup-cosine,"
                            + " onecycle, wsd, plateau, step, fixed, or an existing JSON file");
                }
                return JsonMappers.getMapper().readValue(Files.readString(file.toPath()), ISchedule.class);
        }
    }

    /**
     * The first trainable layer's updater: its class, its schedule (or fixed rate), and the rate of the first update
     * as DL4J computes it ({@code getLearningRate(0, 0)}). Not the updater's {@code toString}: with a schedule it
     * prints {@code learningRate=NaN}.
     */
    static String updater(MultiLayerConfiguration conf) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            IUpdater u = layer instanceof BaseLayer ? ((BaseLayer) layer).getIUpdater() : null;
            if (u == null || !u.hasLearningRate()) {
                continue;
            }
            Object schedule = null;
            try {
                schedule = u.getClass().getMethod("getLearningRateSchedule").invoke(u);
            } catch (ReflectiveOperationException e) {
                // an updater without a schedule getter: its rate is all there is
            }
            boolean noSchedule = u.getClass().getPackage().getName().endsWith(".schedulefree");
            return String.format(Locale.ROOT, "%s, %s, lr %.4g at the first update", noSchedule ? u : u.getClass().getSimpleName(),
                    schedule != null ? schedule : noSchedule ? "no schedule (evaluated at the averaged weights)" : "fixed rate",
                    u.getLearningRate(0, 0));
        }
        return "no layer with a learning rate";
    }

    /**
     * {@code --out}, or {@code output/<config file name>} (without .json) for {@code --config}, or else
     * {@code output/<dataset>-<schedule>} ({@code compare} in compare mode). A folder that already holds files is
     * refused unless {@code --overwrite}.
     */
    static File outputFolder(Map<String, String> opts, String dataset, boolean compare) {
        String name = !opts.get("config").isEmpty() && !compare ? baseName(opts.get("config"))
                : dataset + "-" + (compare ? "compare" : baseName(opts.get("schedule")));
        return Flags.outputFolder(new File(opts.get("out").isEmpty() ? "output/" + name : opts.get("out")), opts);
    }

    private static String baseName(String path) {
        String name = new File(path).getName();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    /** After the flags in --help: what {@code step} does for the epochs given (default 3). */
    static String helpNotes(Map<String, String> opts) {
        try {
            int epochs = Flags.positive(opts, "epochs");
            ISchedule step = schedule(opts, "step", epochs, 0);
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "With --epochs %d --lr %s, step runs:",
                    epochs, opts.get("lr")));
            int from = 0;
            for (int e = 1; e <= epochs; e++) {
                if (e == epochs || Double.compare(step.valueAt(0, e), step.valueAt(0, from)) != 0) {
                    text.append(String.format(Locale.ROOT, " %s in epoch%s %s;", new BigDecimal(step.valueAt(0, from))
                                    .round(new MathContext(4)).stripTrailingZeros().toPlainString(),
                            e - from > 1 ? "s" : "", e - from > 1 ? (from + 1) + "-" + e : String.valueOf(e)));
                    from = e;
                }
            }
            return text.substring(0, text.length() - 1) + ".";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * PyTorch's {@code OneCycleLR(max_lr=lr, epochs, steps_per_epoch)} with its defaults ({@link Schedules#oneCycle}):
     * stepped per update ({@code ITERATION}, {@code epochs * iterationsPerEpoch} updates) as PyTorch does, or per
     * whole epoch when the value should move once per epoch ({@code iterationsPerEpoch = 0}).
     */
    private static ISchedule oneCycle(double lr, int epochs, int iterationsPerEpoch) {
        return iterationsPerEpoch > 0
                ? Schedules.oneCycle(ScheduleType.ITERATION, lr, Math.multiplyExact(epochs, iterationsPerEpoch))
                : Schedules.oneCycle(ScheduleType.EPOCH, lr, epochs);
    }

    /**
     * Warmup-stable-decay in epochs: linear warmup from 0 over {@code warmupEpochs}, the peak, then a cosine
     * decay to {@code min} over the last fifth of the run (at least one epoch), as Hugging Face's
     * {@code get_wsd_schedule} defaults.
     */
    private static ISchedule wsd(double lr, double min, int warmupEpochs, int epochs, int iterationsPerEpoch) {
        int decay = Math.max(1, epochs / 5);
        if (warmupEpochs + decay > epochs) {
            throw new IllegalArgumentException("epochs (" + epochs + ") must be >= warmup-epochs (" + warmupEpochs
                    + ") + the decay (" + decay + " epochs, a fifth of the run, at least 1) for wsd");
        }
        return new WarmupStableDecaySchedule(ScheduleType.EPOCH, lr, 0.0, min, warmupEpochs,
                epochs - warmupEpochs - decay, decay, WarmupStableDecaySchedule.Shape.LINEAR,
                WarmupStableDecaySchedule.Shape.COSINE, iterationsPerEpoch);
    }

    private static List<String> listing(File dir) {
        List<String> names = new ArrayList<>();
        File[] files = dir.listFiles();
        if (files != null) {
            for (File f : files) {
                names.add(f.getName() + (f.isDirectory() ? "/" : ""));
            }
        }
        names.sort(null);
        return names;
    }
}
