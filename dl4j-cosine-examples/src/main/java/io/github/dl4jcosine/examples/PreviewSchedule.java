package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.preview.SchedulePreview;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a learning-rate schedule as training would see it, without training: a table, a text chart and
 * a seam check, and writes {@code schedule.json}, {@code preview.csv} and {@code preview.png} to the
 * output folder. The defaults are {@link TrainCifar10}'s, iterations per epoch included (its default run:
 * 2000 CIFAR-10 examples in minibatches of 32, 62 updates per epoch), so that without flags it previews the
 * schedule that example trains with; the first line says how many iterations per epoch it assumed.
 * Run {@code --help} for the flags.
 */
public final class PreviewSchedule {

    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    /** TrainCifar10's default run: its training examples per epoch and minibatch size. */
    private static final int TRAIN_SIZE = Integer.parseInt(TrainCifar10.FLAGS.get("train-size")[0]);
    private static final int BATCH = Integer.parseInt(TrainCifar10.FLAGS.get("batch")[0]);
    /** Its updates per epoch: CIFAR-10 (its default data set) rounds down to whole minibatches, as ImageData does. */
    static final int TRAINING_ITERATIONS_PER_EPOCH = Math.max(1, TRAIN_SIZE / BATCH);

    static {
        flag("schedule", training("schedule"), "cosine | restarts | warmup-cosine | onecycle (PyTorch OneCycleLR"
                + " defaults, max_lr = lr) | wsd (warmup-epochs, stable, cosine decay to min-lr over the last fifth)"
                + " | step (x0.1 at 50% and 75%) | fixed");
        flag("json", "", "read the schedule from this JSON file instead (any ISchedule, as DL4J saves it)");
        flag("lr", training("lr"), "initial / peak learning rate");
        flag("min-lr", training("min-lr"), "final learning rate (cosine, restarts, warmup-cosine)");
        flag("epochs", training("epochs"), "epochs to preview; also the cosine's length");
        flag("iterations-per-epoch", String.valueOf(TRAINING_ITERATIONS_PER_EPOCH), "updates per epoch: training"
                + " examples / minibatch size, rounded down if the iterator drops the last partial batch (the default"
                + " is TrainCifar10's default run, " + TRAIN_SIZE + " CIFAR-10 examples in minibatches of " + BATCH
                + "; all 50000 in minibatches of 128: 390)");
        flag("warmup-epochs", training("warmup-epochs"), "warmup length for warmup-cosine");
        flag("restart-period", training("restart-period"), "first cycle length in epochs for restarts");
        flag("restart-multiplier", training("restart-multiplier"), "cycle length multiplier for restarts");
        flag("per-iteration", "true", "move the value every iteration (fractional epochs) instead of once per epoch");
        flag("rows", "12", "table rows");
        flag("out", "output/preview", "output folder");
    }

    private PreviewSchedule() {
    }

    private static void flag(String name, String defaultValue, String help) {
        FLAGS.put(name, new String[] {defaultValue, help});
    }

    /** TrainCifar10's default for its flag {@code name}: the preview starts from the schedule that example trains. */
    private static String training(String name) {
        return TrainCifar10.FLAGS.get(name)[0];
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = Flags.parse(args, FLAGS, "PreviewSchedule", "Preview a learning-rate schedule.");
        if (opts == null) {
            return;
        }
        int epochs = Integer.parseInt(opts.get("epochs"));
        int perEpoch = Integer.parseInt(opts.get("iterations-per-epoch"));
        int n = Boolean.parseBoolean(opts.get("per-iteration")) ? perEpoch : 0;
        // The same schedules, from the same flags, as TrainCifar10 trains with.
        ISchedule schedule = opts.get("json").isEmpty() ? TrainCifar10.schedule(opts, opts.get("schedule"), epochs, n)
                : JsonMappers.getMapper().readValue(Files.readString(Path.of(opts.get("json"))), ISchedule.class);
        if ((long) epochs * perEpoch > SchedulePreview.MAX_SAMPLES) {
            throw new IllegalArgumentException("epochs (" + epochs + ") * iterations-per-epoch (" + perEpoch
                    + ") must be at most " + SchedulePreview.MAX_SAMPLES + " updates");
        }
        SchedulePreview preview = SchedulePreview.iterations(schedule, epochs * perEpoch, perEpoch);

        System.out.printf(Locale.ROOT, "Preview of %d epochs x %d iterations per epoch = %d updates%s%n", epochs, perEpoch,
                (long) epochs * perEpoch, perEpoch == TRAINING_ITERATIONS_PER_EPOCH ? " (TrainCifar10's default run: "
                        + TRAIN_SIZE + " examples in minibatches of " + BATCH + "; --iterations-per-epoch for yours)" : "");
        System.out.println(schedule);
        System.out.println();
        System.out.println(preview.toTable(Integer.parseInt(opts.get("rows"))));
        System.out.println(preview.toChart(72, 16));
        System.out.println("Seam check: " + preview.checkSeams());

        Path out = Path.of(opts.get("out"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("schedule.json"), JsonMappers.getMapper().writeValueAsString(schedule),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("preview.csv"), preview.toCsv(), StandardCharsets.UTF_8);
        double[] epochAxis = new double[preview.size()];
        for (int i = 0; i < epochAxis.length; i++) {
            epochAxis[i] = (double) preview.iteration(i) / perEpoch;
        }
        // time in epochs (iteration / iterations per epoch): the first epoch runs from 0 to 1
        Charts.line(out.resolve("preview.png").toFile(), schedule.getClass().getSimpleName(), "epochs completed",
                "value", "value", epochAxis, preview.values());
        System.out.println("Wrote schedule.json, preview.csv and preview.png to " + out);
    }
}
