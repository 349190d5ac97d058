package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.preview.SchedulePreview;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.linalg.schedule.ISchedule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a learning-rate schedule as training would see it, without training: a table, a text chart and
 * a seam check, and writes {@code schedule.json}, {@code preview.csv} and {@code preview.png} to the
 * output folder.
 * Run {@code --help} for the flags.
 */
public final class PreviewSchedule {

    private static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        flag("schedule", "warmup-cosine", "cosine | restarts | warmup-cosine | onecycle (PyTorch OneCycleLR"
                + " defaults, max_lr = lr) | wsd (warmup-epochs, stable, cosine decay to min-lr over the last fifth)"
                + " | step (x0.1 at 50% and 75%) | fixed");
        flag("json", "", "read the schedule from this JSON file instead (any ISchedule, as DL4J saves it)");
        flag("lr", "0.1", "initial / peak learning rate");
        flag("min-lr", "0.0", "final learning rate (cosine, restarts, warmup-cosine)");
        flag("epochs", "90", "epochs to preview; also the cosine's length");
        flag("iterations-per-epoch", "390", "updates per epoch (CIFAR-10, batch 128: 390)");
        flag("warmup-epochs", "5", "warmup length for warmup-cosine");
        flag("restart-period", "10", "first cycle length in epochs for restarts");
        flag("restart-multiplier", "2", "cycle length multiplier for restarts");
        flag("per-iteration", "true", "move the value every iteration (fractional epochs) instead of once per epoch");
        flag("rows", "12", "table rows");
        flag("out", "output/preview", "output folder");
    }

    private PreviewSchedule() {
    }

    private static void flag(String name, String defaultValue, String help) {
        FLAGS.put(name, new String[] {defaultValue, help});
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
        Charts.line(out.resolve("preview.png").toFile(), schedule.getClass().getSimpleName(), "epoch", "value",
                "value", epochAxis, preview.values());
        System.out.println("Wrote schedule.json, preview.csv and preview.png to " + out);
    }
}
