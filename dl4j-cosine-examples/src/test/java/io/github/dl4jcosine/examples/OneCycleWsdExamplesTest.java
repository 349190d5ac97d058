package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.schedule.OneCycleSchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule;
import io.github.dl4jcosine.schedule.WarmupStableDecaySchedule.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --schedule onecycle} and {@code --schedule wsd}: the factory, compare mode and the preview CLI. */
class OneCycleWsdExamplesTest {

    private static Map<String, String> options(String... args) {
        return new HashMap<>(Flags.parse(args, TrainCifar10.FLAGS, "TrainCifar10", ""));
    }

    /**
     * onecycle: PyTorch's OneCycleLR(max_lr=0.05, epochs=4, steps_per_epoch=10) defaults, stepped per update
     * (initial 0.05 / 25 = 0.002, final 0.002 / 1e4 = 2e-7, 40 updates); once per epoch without iterations.
     * wsd: 10 epochs, warmup 1, decay the last fifth (2), stable the 7 between; fractional epochs of 5.
     */
    @Test
    void factoryBuildsBothFamilies() throws IOException {
        Map<String, String> opts = options();
        assertEquals(new OneCycleSchedule(ScheduleType.ITERATION, 0.002, 0.05, 2e-7, 40, 0.3, false),
                TrainCifar10.schedule(opts, "onecycle", 4, 10));
        assertEquals(new OneCycleSchedule(ScheduleType.EPOCH, 0.002, 0.05, 2e-7, 10, 0.3, false),
                TrainCifar10.schedule(opts, "onecycle", 10, 0));
        assertEquals(new WarmupStableDecaySchedule(ScheduleType.EPOCH, 0.05, 0.0, 0.0, 1, 7, 2, Shape.LINEAR,
                Shape.COSINE, 5), TrainCifar10.schedule(opts, "wsd", 10, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainCifar10.schedule(options("--warmup-epochs", "3"), "wsd", 3, 5));
        assertTrue(e.getMessage().contains("epochs (3) must be >= warmup-epochs (3) + the decay (1 epochs"),
                e.getMessage());
    }

    /**
     * onecycle with nesterovs cycles the momentum against the rate, as PyTorch's OneCycleLR(cycle_momentum=True,
     * base_momentum=0.85, max_momentum=0.95, pct_start=0.3) does over the same 4 x 10 = 40 updates: momentum starts at
     * max_momentum 0.95, reaches base_momentum 0.85 where the rate peaks and returns to 0.95. Other schedules keep 0.9.
     */
    @Test
    void oneCycleCyclesTheMomentumToo() throws IOException {
        ISchedule rate = TrainCifar10.schedule(options(), "onecycle", 4, 10);
        Nesterovs paired = (Nesterovs) TrainCifar10.updater("nesterovs", "onecycle", rate);
        assertEquals(rate, paired.getLearningRateSchedule());
        assertEquals(new OneCycleSchedule(ScheduleType.ITERATION, 0.95, 0.85, 0.95, 40, 0.3, false),
                paired.getMomentumISchedule());
        Nesterovs plain = (Nesterovs) TrainCifar10.updater("nesterovs", "cosine", rate);
        assertNull(plain.getMomentumISchedule());
        assertEquals(0.9, plain.getMomentum());
        assertTrue(TrainCifar10.updater("adam", "onecycle", rate) instanceof Adam);
    }

    /** Compare mode trains both; the applied rates start where each schedule starts. */
    @Test
    void compareOneCycleAndWsd(@TempDir Path dir) throws IOException {
        ExamplesTest.writeIdx(dir.toFile(), "train", 40);
        ExamplesTest.writeIdx(dir.toFile(), "t10k", 10);
        File out = new File(dir.toFile(), "cmp");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<Experiment.Result> results = TrainCifar10.run(options("--dataset", "fashion-mnist", "--fashion-dir",
                dir.toString(), "--epochs", "2", "--train-size", "40", "--test-size", "10", "--batch", "4",
                "--compare", "onecycle,wsd", "--out", out.getPath()), new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\nonecycle "), text);
        assertTrue(text.contains("\nwsd "), text);
        assertEquals(2, results.size());
        // one-cycle over 20 updates: PyTorch's first rate, 0.05 + (0.002 - 0.05); the peak at 0.3 * 20 - 1 = 5
        assertEquals(0.002, results.get(0).learningRates[0], 1e-15);
        assertEquals(0.05, results.get(0).learningRates[5], 0.0);
        // WSD: warmup from 0 over epoch 0; no stable phase; the decay starts at the peak at epoch 1
        assertEquals(0.0, results.get(1).learningRates[0], 0.0);
        assertEquals(0.05, results.get(1).learningRates[10], 0.0);
    }

    @Test
    void previewCli(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"onecycle", "wsd"}) {
            PrintStream saved = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Path out = dir.resolve(name);
            try {
                PreviewSchedule.main(new String[] {"--schedule", name, "--epochs", "10", "--iterations-per-epoch",
                    "10", "--warmup-epochs", "2", "--out", out.toString()});
            } finally {
                System.setOut(saved);
            }
            String text = captured.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("Seam check: no jumps"), text);
            assertEquals(101, Files.readAllLines(out.resolve("preview.csv")).size());
            assertTrue(Files.readString(out.resolve("schedule.json")).contains(name.equals("wsd")
                    ? "WarmupStableDecaySchedule" : "OneCycleSchedule"));
        }
    }
}
