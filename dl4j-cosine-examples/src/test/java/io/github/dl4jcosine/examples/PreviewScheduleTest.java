package io.github.dl4jcosine.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PreviewSchedule without flags previews the schedule TrainCifar10 trains without flags, and says what it assumed. */
class PreviewScheduleTest {

    @Test
    void defaultsAreTheTrainingExamplesDefaults() {
        for (String name : List.of("schedule", "lr", "min-lr", "epochs", "warmup-epochs", "restart-period",
                "restart-multiplier")) {
            assertEquals(TrainCifar10.FLAGS.get(name)[0], PreviewSchedule.FLAGS.get(name)[0], name);
        }
        // TrainCifar10's default run: --train-size 2000 of CIFAR-10 in minibatches of --batch 32; CIFAR-10 keeps whole
        // minibatches only (ImageData.cifar10), so 2000 / 32 = 62.5 -> 62 updates per epoch
        assertEquals("2000", TrainCifar10.FLAGS.get("train-size")[0]);
        assertEquals("32", TrainCifar10.FLAGS.get("batch")[0]);
        assertEquals("62", PreviewSchedule.FLAGS.get("iterations-per-epoch")[0]);
    }

    @Test
    void firstLineSaysHowManyIterationsPerEpochItAssumed(@TempDir Path dir) throws Exception {
        String[] lines = run("--out", dir.toString());
        assertEquals("Preview of 3 epochs x 62 iterations per epoch = 186 updates (TrainCifar10's default run: 2000"
                + " examples in minibatches of 32; --iterations-per-epoch for yours)", lines[0]);
        assertEquals("WarmupCosineSchedule(peakValue=0.05, warmupStartValue=0.0, minValue=0.0, warmupPeriod=1,"
                + " totalPeriod=3, scheduleType=EPOCH, iterationsPerEpoch=62)", lines[1]);

        lines = run("--out", dir.toString(), "--epochs", "90", "--iterations-per-epoch", "390");
        assertEquals("Preview of 90 epochs x 390 iterations per epoch = 35100 updates", lines[0]);
        assertTrue(lines[1].endsWith("totalPeriod=90, scheduleType=EPOCH, iterationsPerEpoch=390)"), lines[1]);
    }

    private static String[] run(String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PreviewSchedule.main(args);
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.UTF_8).split("\n");
    }
}
