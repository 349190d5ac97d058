package io.github.dl4jcosine.examples;

import io.github.dl4jcosine.check.ScheduleCheck;
import io.github.dl4jcosine.schedule.Schedules;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

/**
 * What ships must pass the schedule check: the configuration JSON and the README's warmup-cosine line. Their old
 * forms (a warmup from 0 stepped per whole epoch: all of epoch 0 at rate 0) are flagged as ERROR.
 */
class ShippedScheduleCheckTest {

    private static final String CONFIG = "src/main/resources/cifar10-cnn-warmup-cosine.json";

    private static List<ScheduleCheck.Finding> problems(List<ScheduleCheck.Finding> findings) {
        return findings.stream().filter(f -> f.severity() != ScheduleCheck.Severity.INFO).collect(Collectors.toList());
    }

    private static List<ScheduleCheck.Finding> check(String json, int iterationsPerEpoch) {
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        net.init();
        // the configuration's schedule is 3 epochs long (the example's default --epochs)
        return ScheduleCheck.forTraining(3, iterationsPerEpoch).check(net);
    }

    /**
     * The shipped JSON starts its one-epoch warmup at 2e-4 (a tenth of the 2e-3 peak) instead of 0; any data size
     * (the default 2,000 examples in batches of 32: 62 updates per epoch; all of CIFAR-10: 1,562) passes.
     */
    @Test
    void shippedConfigurationPassesAndItsOldFormIsFlagged() throws IOException {
        String shipped = new String(Files.readAllBytes(Paths.get(CONFIG)), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(shipped.contains("\"warmupStartValue\" : 2.0E-4"));
        assertEquals(List.of(), problems(check(shipped, 62)));
        assertEquals(List.of(), problems(check(shipped, 1562)));

        String old = shipped.replace("\"warmupStartValue\" : 2.0E-4", "\"warmupStartValue\" : 0.0");
        List<ScheduleCheck.Finding> found = problems(check(old, 62));
        assertEquals(ScheduleCheck.Severity.ERROR, found.get(0).severity());
        assertTrue(found.get(0).message().startsWith("layer 'layer0': WarmupCosineSchedule trains all of epoch 0 at"
                + " learning rate 0 (the first 62 updates)"), found.get(0).message());
    }

    /** README: the old line warmupCosine(EPOCH, 1e-3, 5, 90) is flagged; the new one moves every iteration. */
    @Test
    void readmeWarmupCosineLine() {
        ScheduleCheck cifar = ScheduleCheck.forTraining(90, 390);
        List<ScheduleCheck.Finding> old = problems(cifar.check(Schedules.warmupCosine(EPOCH, 1e-3, 5, 90)));
        assertEquals(1, old.size(), old.toString());
        assertEquals(ScheduleCheck.Severity.ERROR, old.get(0).severity());
        assertEquals(List.of(), cifar.check(Schedules.warmupCosine(EPOCH).peakValue(1e-3).warmupPeriod(5).totalPeriod(90)
                .iterationsPerEpoch(390).build()));
    }
}
