package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.internal.AtomicFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kill safety: a child JVM ({@link SnapshotKillChild}) trains and snapshots without pause; it is killed with
 * SIGKILL ({@code Process.destroyForcibly()}) at a random moment, then restarted from its newest snapshot, over and
 * over, in each of the save paths (a {@code fit(DataSet)} loop, {@code fit(DataSetIterator)} with fractional and
 * whole epochs, {@code ParallelWrapper} with 2 workers). After every kill, every file under a snapshot name must
 * load with {@code ModelSerializer} and {@code SnapshotEnsemble.load}, with the counters its cycle implies, no other
 * file may carry a final name, the newest cycle never goes back, and keepLast holds (plus at most one file when the
 * kill fell between a save and the deletion of the oldest snapshot; the next run deletes it).
 *
 * <p>6 trials by default (15-40 s, depending on the machine's load). The longer harness:
 * {@code -Dsnapshot.killTrials=60} (and optionally {@code -Dsnapshot.killSeed=...}); it prints the figures: trials,
 * kills that interrupted a write (a temporary file was left behind), snapshots checked, corrupt files.
 * <pre>
 * mvn -B -o -pl dl4j-cosine-schedules test -Dtest=SnapshotKillTest -Dsnapshot.killTrials=60
 * </pre>
 */
class SnapshotKillTest {

    private static final String[] MODES = {"iteration", "fractional", "whole", "parallel"};
    private static final Pattern FINAL = Pattern.compile("snapshot-cycle-(\\d+)\\.zip");

    @Test
    void everySnapshotSurvivesSigkill(@TempDir Path dir) throws Exception {
        int trials = Integer.getInteger("snapshot.killTrials", 6);
        long seed = Long.getLong("snapshot.killSeed", System.nanoTime());
        Random random = new Random(seed);
        Map<String, Integer> newest = new HashMap<>();
        int midWrite = 0;
        int checked = 0;
        for (int trial = 0; trial < trials; trial++) {
            String mode = MODES[trial % MODES.length];
            Path folder = dir.resolve(mode);
            long delayMillis = random.nextInt(1000);
            runAndKill(folder, mode, delayMillis, dir.resolve("child-" + trial + ".log"));

            String context = "trial " + trial + " (" + mode + ", killed " + delayMillis + " ms after READY, seed "
                    + seed + ")";
            List<File> finals = new ArrayList<>();
            int maxCycle = -1;
            for (File f : folder.toFile().listFiles()) {
                String name = f.getName();
                if (AtomicFiles.isTemp(name)) {
                    midWrite++;
                    continue;
                }
                Matcher m = FINAL.matcher(name);
                assertTrue(m.matches(), context + ": unexpected file " + name);
                int cycle = Integer.parseInt(m.group(1));
                checkSnapshot(f, mode, cycle, context);
                finals.add(f);
                maxCycle = Math.max(maxCycle, cycle);
                checked++;
            }
            assertTrue(finals.size() <= SnapshotKillChild.KEEP_LAST + 1, context + ": " + finals.size() + " files");
            if (!finals.isEmpty()) {
                assertEquals(finals.size(), SnapshotEnsemble.load(finals).evaluate(
                        new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                                io.github.dl4jcosine.testing.TestNets.data().asList(), 4))
                        .snapshotAccuracies().size(), context);
            }
            int before = newest.getOrDefault(mode, -1);
            assertTrue(maxCycle >= before, context + ": newest cycle went back from " + before + " to " + maxCycle);
            newest.put(mode, maxCycle);
        }
        // A new listener on each folder removes the leftovers of interrupted writes.
        for (String mode : MODES) {
            Path folder = dir.resolve(mode);
            if (Files.isDirectory(folder)) {
                new SnapshotListener(folder.toFile(), SnapshotKillChild.schedule(mode), SnapshotKillChild.KEEP_LAST);
                for (File f : folder.toFile().listFiles()) {
                    assertTrue(FINAL.matcher(f.getName()).matches(), "left over: " + f);
                }
            }
        }
        System.out.printf("SnapshotKillTest: %d trials (seed %d), %d kills interrupted a write (temporary file left), "
                + "%d snapshots checked, 0 corrupt, newest cycles %s%n", trials, seed, midWrite, checked, newest);
    }

    /** Starts the child on the test's classpath, waits for READY, lets it train {@code delayMillis}, kills it. */
    private static void runAndKill(Path folder, String mode, long delayMillis, Path log) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), SnapshotKillChild.class.getName(),
                folder.toString(), mode);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process child = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!read(log).contains("READY")) {
                if (!child.isAlive()) {
                    fail("child exited with " + child.exitValue() + " before READY:\n" + read(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("child (" + mode + ") not READY after 120 s:\n" + read(log));
                }
                Thread.sleep(20);
            }
            Thread.sleep(delayMillis);
            if (!child.isAlive()) {
                fail("child died on its own:\n" + read(log));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    /**
     * Loads the snapshot and checks its counters. Cycle k (one update, or one epoch of 3 updates, per cycle) ends
     * after update k + 1, or 3(k + 1): that many updates done; and k + 1 epochs done in the two epoch modes.
     */
    private static void checkSnapshot(File f, String mode, int cycle, String context) {
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(f, true);
        } catch (Exception | Error e) {
            throw new AssertionError(context + ": " + f.getName() + " does not load (" + f.length() + " bytes)", e);
        }
        boolean perUpdate = mode.equals("iteration") || mode.equals("parallel");
        int updates = perUpdate ? cycle + 1 : SnapshotKillChild.UPDATES_PER_EPOCH * (cycle + 1);
        assertEquals(updates, net.getIterationCount(), context + ": " + f.getName());
        if (!perUpdate) {
            assertEquals(cycle + 1, net.getEpochCount(), context + ": " + f.getName());
        }
    }
}
