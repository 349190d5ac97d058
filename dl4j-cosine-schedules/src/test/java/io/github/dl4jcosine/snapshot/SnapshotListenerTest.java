package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;
import static org.nd4j.linalg.schedule.ScheduleType.ITERATION;

class SnapshotListenerTest {

    private static DataSetIterator iterator() {
        return new ListDataSetIterator<>(TestNets.data().asList(), 4);   // 3 updates per epoch
    }

    private static List<String> names(List<File> files) {
        return files.stream().map(File::getName).collect(Collectors.toList());
    }

    /**
     * ITERATION restarts every 4 updates: cycles end after updates 4, 8, 12. Keep the last 2. The snapshot of
     * cycle 1 says 8 updates done, and training it 4 more updates gives bitwise the uninterrupted result.
     */
    @Test
    void iterationCyclesKeepLastAndResumeExactly(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 4, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 2);
        net.setListeners(snapshots);
        DataSet data = TestNets.data();
        for (int i = 0; i < 12; i++) {
            net.fit(data);
        }
        assertEquals(List.of("snapshot-cycle-1.zip", "snapshot-cycle-2.zip"), names(snapshots.snapshots()));
        assertFalse(new File(dir.toFile(), "snapshot-cycle-0.zip").exists(), "older snapshots deleted");
        assertEquals(12, net.getIterationCount(), "the listener leaves the counters alone");

        MultiLayerNetwork cycle1 = ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(0), true);
        assertEquals(8, cycle1.getIterationCount());
        assertEquals(0, cycle1.getEpochCount());
        for (int i = 0; i < 4; i++) {
            cycle1.fit(data);
        }
        assertArrayEquals(net.params().toDoubleVector(), cycle1.params().toDoubleVector(), 0.0);
        MultiLayerNetwork cycle2 = ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(1), true);
        assertArrayEquals(net.params().toDoubleVector(), cycle2.params().toDoubleVector(), 0.0);
    }

    /**
     * Whole-epoch restarts every 2 epochs, 4 epochs of 3 updates: snapshots at the ends of epochs 1 and 3, saying
     * 6 updates and 2 epochs done for cycle 0. Resumed with 2 more epochs: bitwise the uninterrupted run.
     */
    @Test
    void wholeEpochCyclesSaveAtTheEpochEnd(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 2, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        net.setListeners(snapshots);
        net.fit(iterator(), 4);
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip"), names(snapshots.snapshots()));

        MultiLayerNetwork cycle0 = ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(0), true);
        assertEquals(6, cycle0.getIterationCount());
        assertEquals(2, cycle0.getEpochCount());
        cycle0.fit(iterator(), 2);
        assertArrayEquals(net.params().toDoubleVector(), cycle0.params().toDoubleVector(), 0.0);
    }

    /**
     * Fractional epochs, cycles of 1 epoch: the cycle's last update is also the epoch's, so the snapshot is
     * saved at the epoch end and says the epoch is finished (3 updates, 1 epoch). Same for a graph.
     */
    @Test
    void fractionalCycleEndingWithTheEpoch(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 1, 1.0, 1.0, 0, 3);
        ComputationGraph graph = TestNets.graph(TestNets.graphConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        graph.setListeners(snapshots);
        graph.fit(iterator(), 3);
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip", "snapshot-cycle-2.zip"),
                names(snapshots.snapshots()));
        ComputationGraph cycle0 = ModelSerializer.restoreComputationGraph(snapshots.snapshots().get(0), true);
        assertEquals(3, cycle0.getIterationCount());
        assertEquals(1, cycle0.getEpochCount());
        cycle0.fit(iterator(), 2);
        assertArrayEquals(graph.params().toDoubleVector(), cycle0.params().toDoubleVector(), 0.0);
    }

    /**
     * The ensemble averages the snapshots' outputs; its accuracy is checked against the same average and argmax
     * computed here by hand from each model's output.
     */
    @Test
    void ensembleAveragesSnapshots(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.5, 0.0, 5, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 3);
        net.setListeners(snapshots);
        Nd4j.getRandom().setSeed(5);
        INDArray features = Nd4j.rand(40, 3);
        INDArray labels = Nd4j.zeros(40, 2);
        for (int i = 0; i < 40; i++) {
            labels.putScalar(i, features.getDouble(i, 0) + features.getDouble(i, 1) > 1 ? 1 : 0, 1.0);
        }
        DataSet data = new DataSet(features, labels);
        for (int i = 0; i < 15; i++) {
            net.fit(data);
        }
        assertEquals(3, snapshots.snapshots().size());

        SnapshotEnsemble ensemble = SnapshotEnsemble.load(snapshots.snapshots());
        SnapshotEnsemble.Result result = ensemble.evaluate(new ListDataSetIterator<>(data.asList(), 7));

        INDArray sum = Nd4j.zeros(40, 2);
        for (int s = 0; s < 3; s++) {
            MultiLayerNetwork m = restore(snapshots.snapshots().get(s));
            INDArray out = m.output(features);
            sum.addi(out);
            assertEquals(accuracy(out, labels), result.snapshotAccuracies().get(s), 1e-12, "snapshot " + s);
        }
        assertEquals(accuracy(sum, labels), result.ensembleAccuracy(), 1e-12);
        assertArrayEquals(sum.div(3).ravel().toDoubleVector(), ensemble.output(features).ravel().toDoubleVector(), 1e-12);
        assertTrue(result.toString().startsWith("snapshot 0: accuracy "));
    }

    private static MultiLayerNetwork restore(File f) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(f, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double accuracy(INDArray output, INDArray labels) {
        int correct = 0;
        for (int i = 0; i < labels.rows(); i++) {
            int predicted = output.getDouble(i, 1) > output.getDouble(i, 0) ? 1 : 0;
            int actual = labels.getDouble(i, 1) > labels.getDouble(i, 0) ? 1 : 0;
            correct += predicted == actual ? 1 : 0;
        }
        return (double) correct / labels.rows();
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 4, 1.0);
        assertEquals("keepLast (-1) must be >= 0 (0 keeps all)", assertThrows(IllegalArgumentException.class,
                () -> new SnapshotListener(dir.toFile(), sgdr, -1)).getMessage());
        assertEquals("directory (null) must not be null", assertThrows(IllegalArgumentException.class,
                () -> new SnapshotListener(null, sgdr, 1)).getMessage());
        assertEquals("schedule (null) must not be null", assertThrows(IllegalArgumentException.class,
                () -> new SnapshotListener(dir.toFile(), null, 1)).getMessage());
        for (String prefix : new String[] {"", ".hidden", "-x", "a/b", "a b", "..", "a\\b"}) {
            assertEquals("prefix (\"" + prefix
                    + "\") must be letters, digits, '_', '-' or '.', not starting with '.' or '-'",
                    assertThrows(IllegalArgumentException.class,
                            () -> new SnapshotListener(dir.toFile(), prefix, sgdr, 1)).getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SnapshotListener(dir.toFile(), null, sgdr, 1));
        assertThrows(IllegalArgumentException.class, () -> SnapshotEnsemble.load(List.of()));
    }

    /** A folder that is a file, or that cannot be created, is refused by the constructor, naming the path. */
    @Test
    void folderIsCheckedAtConstruction(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 4, 1.0);
        File file = Files.write(dir.resolve("file"), new byte[] {1}).toFile();
        assertEquals("directory (" + file + ") must be a folder, but it is a file", assertThrows(
                IllegalArgumentException.class, () -> new SnapshotListener(file, sgdr, 1)).getMessage());
        File below = new File(file, "snapshots");
        String message = assertThrows(IllegalArgumentException.class, () -> new SnapshotListener(below, sgdr, 1))
                .getMessage();
        assertTrue(message.startsWith("directory (" + below + ") cannot be created: "), message);
        File created = dir.resolve("a/b/c").toFile();
        new SnapshotListener(created, sgdr, 1);
        assertTrue(created.isDirectory(), "created by the constructor");
        assertEquals(0, created.list().length, "the write check leaves nothing behind");
    }

    /**
     * The folder is replaced by a file mid-run: the saves of cycles 2 and 3 fail. Training goes on with the
     * counters DL4J gives (8 updates: 8), each failure is reported on stderr at ERROR with the file's path, and
     * once the folder can be created again the next cycle is saved.
     */
    @Test
    void failedSaveIsReportedAndLeavesTheCountersAlone(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        File folder = dir.resolve("snapshots").toFile();
        SnapshotListener snapshots = new SnapshotListener(folder, sgdr, 0);
        net.setListeners(snapshots);
        DataSet data = TestNets.data();
        for (int i = 0; i < 4; i++) {
            net.fit(data);
        }
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip"), names(snapshots.snapshots()));
        for (File f : folder.listFiles()) {
            Files.delete(f.toPath());
        }
        Files.delete(folder.toPath());
        Files.write(folder.toPath(), new byte[] {1});
        String err = Printed.stderrOf(() -> {
            for (int i = 0; i < 4; i++) {
                net.fit(data);
            }
        });
        assertEquals(8, net.getIterationCount());
        assertEquals(0, net.getEpochCount());
        assertTrue(err.contains("ERROR"), err);
        assertTrue(err.contains("could not save the snapshot " + new File(folder, "snapshot-cycle-2.zip")), err);
        assertTrue(err.contains("could not save the snapshot " + new File(folder, "snapshot-cycle-3.zip")), err);
        Files.delete(folder.toPath());
        net.fit(data);
        net.fit(data);
        assertEquals(List.of("snapshot-cycle-4.zip"), names(snapshots.snapshots()));
        assertEquals(10, ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(0), false)
                .getIterationCount());
    }

    /**
     * Run 1 (restart every update, keepLast 3) stops after 6 updates: cycles 3, 4, 5 kept. Run 2 resumes from cycle 5
     * with a new listener: the files already there count, and the oldest cycle goes first whatever the files' times
     * say (cycle 3 is made the newest file, cycle 5 the oldest), so after cycles 6 and 7 the folder holds 5, 6, 7.
     */
    @Test
    void keepLastCountsTheSnapshotsOfAnEarlierRun(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 1, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        net.setListeners(new SnapshotListener(dir.toFile(), sgdr, 3));
        DataSet data = TestNets.data();
        for (int i = 0; i < 6; i++) {
            net.fit(data);
        }
        assertEquals(List.of("snapshot-cycle-3.zip", "snapshot-cycle-4.zip", "snapshot-cycle-5.zip"), sorted(dir));
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(dir.resolve("snapshot-cycle-3.zip"), FileTime.fromMillis(now + 3_600_000));
        Files.setLastModifiedTime(dir.resolve("snapshot-cycle-5.zip"), FileTime.fromMillis(now - 3_600_000));

        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(
                dir.resolve("snapshot-cycle-5.zip").toFile(), true);
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 3);
        assertEquals(List.of("snapshot-cycle-3.zip", "snapshot-cycle-4.zip", "snapshot-cycle-5.zip"),
                names(snapshots.snapshots()));
        resumed.setListeners(snapshots);
        resumed.fit(data);
        resumed.fit(data);
        assertEquals(List.of("snapshot-cycle-5.zip", "snapshot-cycle-6.zip", "snapshot-cycle-7.zip"), sorted(dir));
        assertEquals(List.of("snapshot-cycle-5.zip", "snapshot-cycle-6.zip", "snapshot-cycle-7.zip"),
                names(snapshots.snapshots()));
    }

    /**
     * A run started from scratch in a folder with cycles 3, 4, 5 of a longer earlier run: those are superseded and
     * go before the new run's own snapshots (keepLast 3): after cycle 0 the folder holds 4, 5, 0; after cycle 2, 0-2.
     */
    @Test
    void snapshotsOfALongerEarlierRunAreSupersededFirst(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 1, 1.0);
        DataSet data = TestNets.data();
        MultiLayerNetwork first = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        first.setListeners(new SnapshotListener(dir.toFile(), sgdr, 3));
        for (int i = 0; i < 6; i++) {
            first.fit(data);
        }
        MultiLayerNetwork again = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 3);
        again.setListeners(snapshots);
        String err = Printed.stderrOf(() -> again.fit(data));
        assertTrue(err.contains("WARN") && err.contains("snapshots of cycles [3, 4, 5] in " + dir.toFile()
                + " come from an earlier run that went further than cycle 0"), err);
        assertEquals(List.of("snapshot-cycle-4.zip", "snapshot-cycle-5.zip", "snapshot-cycle-0.zip"),
                names(snapshots.snapshots()));
        again.fit(data);
        again.fit(data);
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip", "snapshot-cycle-2.zip"),
                names(snapshots.snapshots()));
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip", "snapshot-cycle-2.zip"), sorted(dir));
    }

    /**
     * Leftovers of a killed write are deleted by the next listener; a damaged file under a snapshot name (an older
     * version killed mid-write) is reported and neither counted nor loaded; other files and other prefixes are left
     * alone, and a folder under a snapshot name is ignored.
     */
    @Test
    void leftoversAndForeignFiles(@TempDir Path dir) throws IOException {
        byte[] junk = "partial".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(".snapshot-cycle-3.zip.0f3a.tmp"), junk);
        Files.write(dir.resolve("snapshot-cycle-9.zip"), junk);
        Files.write(dir.resolve("notes.txt"), junk);
        Files.write(dir.resolve("other-cycle-1.zip"), junk);
        Files.write(dir.resolve(".other-cycle-1.zip.77.tmp"), junk);
        Files.write(dir.resolve("snapshot-cycle-01.zip"), junk);
        Files.createDirectory(dir.resolve("snapshot-cycle-8.zip"));
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 1, 1.0);
        SnapshotListener[] made = new SnapshotListener[1];
        String err = Printed.stderrOf(() -> made[0] = new SnapshotListener(dir.toFile(), sgdr, 1));
        assertTrue(err.contains(dir.resolve("snapshot-cycle-9.zip") + " is not a complete model zip"), err);
        assertEquals(List.of(), made[0].snapshots());
        assertEquals(List.of(".other-cycle-1.zip.77.tmp", "notes.txt", "other-cycle-1.zip", "snapshot-cycle-01.zip",
                "snapshot-cycle-8.zip", "snapshot-cycle-9.zip"), sorted(dir));

        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        net.setListeners(made[0]);
        DataSet data = TestNets.data();
        net.fit(data);
        net.fit(data);
        assertEquals(List.of("snapshot-cycle-1.zip"), names(made[0].snapshots()));
        assertEquals(List.of(".other-cycle-1.zip.77.tmp", "notes.txt", "other-cycle-1.zip", "snapshot-cycle-01.zip",
                "snapshot-cycle-1.zip", "snapshot-cycle-8.zip", "snapshot-cycle-9.zip"), sorted(dir));
    }

    /**
     * When the cycle's last update also ends the epoch, the snapshot is written once, at the epoch end, counting the
     * epoch: never first with the epoch not yet counted (a process killed between two versions would leave a file
     * one epoch behind, from which a fractional-epoch schedule resumes clamped and never restarts again).
     */
    @Test
    void cycleEndingWithTheEpochIsWrittenOnceWithTheEpochCounted(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 1, 1.0, 1.0, 0, 3);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        Path file = dir.resolve("snapshot-cycle-0.zip");
        boolean[] existedAfterUpdate = new boolean[1];
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        net.setListeners(snapshots, new BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                if (iteration == 2) {
                    existedAfterUpdate[0] = Files.exists(file);
                }
            }
        });
        net.fit(iterator(), 1);
        assertFalse(existedAfterUpdate[0], "not written before the epoch is known to end");
        assertEquals(1, snapshots.savedCount(), "written once");
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        assertEquals(3, saved.getIterationCount());
        assertEquals(1, saved.getEpochCount());
        assertEquals(List.of("snapshot-cycle-0.zip"), sorted(dir), "no temporary file left");
    }

    /**
     * Inside fit(DataSetIterator), a cycle that ends within an epoch is saved just before the next update, as the
     * cycle's last update left it. Restarts every 2 updates, 3 updates per epoch, 2 epochs: cycles end after updates
     * 2, 4, 6 (1-based): counters (2, 0), (4, 1), and (6, 2) for the last, which ends the second epoch. Each holds the
     * parameters of a second network fed the same batches one by one with fit(DataSet) (the schedule and Adam only
     * look at the iteration), bitwise.
     */
    @Test
    void cycleEndingInsideAnEpochIsSavedBeforeTheNextUpdate(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        net.setListeners(snapshots);
        net.fit(iterator(), 2);
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip", "snapshot-cycle-2.zip"),
                names(snapshots.snapshots()));
        int[][] counters = {{2, 0}, {4, 1}, {6, 2}};
        MultiLayerNetwork reference = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        List<DataSet> batches = TestNets.data().batchBy(4);
        for (int k = 0; k < 3; k++) {
            reference.fit(batches.get((2 * k) % 3));
            reference.fit(batches.get((2 * k + 1) % 3));
            MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(k), false);
            assertEquals(counters[k][0], saved.getIterationCount(), "cycle " + k);
            assertEquals(counters[k][1], saved.getEpochCount(), "cycle " + k);
            assertArrayEquals(reference.params().toDoubleVector(), saved.params().toDoubleVector(), 0.0, "cycle " + k);
        }
    }

    /**
     * Restarts every 2 updates, 3 updates per epoch; the iterator fails when asked for its third batch. Cycle 0 ends
     * with update 2 (iteration 1), inside the epoch: its snapshot waits for the next update or the epoch end, and
     * neither comes. Nothing is saved until flush, which saves it with counters (2, 0) (2 updates done, no epoch
     * finished) and the parameters of a network fed the same 2 batches with fit(DataSet), bitwise. A second flush,
     * or one with nothing held back, saves nothing.
     */
    @Test
    void flushSavesTheSnapshotAnInterruptedEpochHeldBack(@TempDir Path dir) throws IOException {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        net.setListeners(snapshots);
        DataSetIterator failing = new ListDataSetIterator<DataSet>(TestNets.data().asList(), 4) {
            private int served;

            @Override
            public DataSet next() {
                if (++served == 3) {
                    throw new IllegalStateException("the disk with the training data is gone");
                }
                return super.next();
            }
        };
        assertThrows(IllegalStateException.class, () -> net.fit(failing));
        assertEquals(2, net.getIterationCount());
        assertEquals(List.of(), snapshots.snapshots());
        snapshots.flush(net);
        assertEquals(List.of("snapshot-cycle-0.zip"), names(snapshots.snapshots()));
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(snapshots.snapshots().get(0), false);
        assertEquals(2, saved.getIterationCount());
        assertEquals(0, saved.getEpochCount());
        MultiLayerNetwork reference = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        List<DataSet> batches = TestNets.data().batchBy(4);
        reference.fit(batches.get(0));
        reference.fit(batches.get(1));
        assertArrayEquals(reference.params().toDoubleVector(), saved.params().toDoubleVector(), 0.0);
        snapshots.flush(net);
        snapshots.flush(reference);
        assertEquals(1, snapshots.savedCount());
    }

    /** Two runs in one folder with their own prefixes keep their own snapshots; keepLast counts per prefix. */
    @Test
    void prefixesSeparateRuns(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 1, 1.0);
        MultiLayerNetwork a = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        MultiLayerNetwork b = TestNets.mln(TestNets.mlnConf(new Sgd(sgdr)));
        a.setListeners(new SnapshotListener(dir.toFile(), "run-a", sgdr, 1));
        b.setListeners(new SnapshotListener(dir.toFile(), "run.b", sgdr, 2));
        DataSet data = TestNets.data();
        for (int i = 0; i < 3; i++) {
            a.fit(data);
            b.fit(data);
        }
        assertEquals(List.of("run-a-cycle-2.zip", "run.b-cycle-1.zip", "run.b-cycle-2.zip"), sorted(dir));
    }

    /** Two listeners writing the same names into one folder at once: the second writer is told, at ERROR. */
    @Test
    void twoWritersOfTheSameNamesAreReported(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 1, 1.0);
        MultiLayerNetwork a = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        MultiLayerNetwork b = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        a.setListeners(new SnapshotListener(dir.toFile(), sgdr, 0));
        b.setListeners(new SnapshotListener(dir.toFile(), sgdr, 0));
        DataSet data = TestNets.data();
        a.fit(data);
        String err = Printed.stderrOf(() -> b.fit(data));
        assertTrue(err.contains("ERROR") && err.contains(dir.resolve("snapshot-cycle-0.zip")
                + " was written by someone else while this listener runs"), err);
    }

    /**
     * Spark ships listeners to the executors by Java serialization: a configured listener survives it, checks its
     * folder again where it is read (re-created here after being deleted), and works: 8 updates, restarts every 2,
     * keep 2: cycles 2 and 3, with 6 and 8 updates done.
     */
    @Test
    void serializableListenerStillWorks(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        File folder = dir.resolve("out").toFile();
        byte[] bytes = serialize(new SnapshotListener(folder, "ser", sgdr, 2));
        Files.delete(folder.toPath());
        SnapshotListener copy = deserialize(bytes);
        assertTrue(folder.isDirectory());
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        net.setListeners(copy);
        DataSet data = TestNets.data();
        for (int i = 0; i < 8; i++) {
            net.fit(data);
        }
        assertEquals(List.of("ser-cycle-2.zip", "ser-cycle-3.zip"), names(copy.snapshots()));
        assertEquals(6, ModelSerializer.restoreMultiLayerNetwork(copy.snapshots().get(0), false).getIterationCount());
        assertEquals(8, ModelSerializer.restoreMultiLayerNetwork(copy.snapshots().get(1), false).getIterationCount());
    }

    private static byte[] serialize(SnapshotListener listener) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(listener);
        }
        return bytes.toByteArray();
    }

    private static SnapshotListener deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (SnapshotListener) in.readObject();
        }
    }

    /**
     * Copies of one listener in one JVM (Spark tasks of one executor, each training its own copy of the network in
     * step) act as one: each cycle is saved once, and no copy takes the other's files for another writer's.
     * Restarts every 2 updates, 4 updates each: cycles 0 and 1.
     */
    @Test
    void copiesInOneJvmSaveEachCycleOnce(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        byte[] bytes = serialize(new SnapshotListener(dir.toFile(), sgdr, 0));
        SnapshotListener a = deserialize(bytes);
        SnapshotListener b = deserialize(bytes);
        MultiLayerNetwork netA = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        MultiLayerNetwork netB = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        netA.setListeners(a);
        netB.setListeners(b);
        DataSet data = TestNets.data();
        String err = Printed.stderrOf(() -> {
            for (int i = 0; i < 4; i++) {
                netA.fit(data);
                netB.fit(data);
            }
        });
        assertFalse(err.contains("written by someone else"), err);
        assertEquals(2, a.savedCount());
        assertEquals(List.of("snapshot-cycle-0.zip", "snapshot-cycle-1.zip"), names(a.snapshots()));
        assertEquals(names(a.snapshots()), names(b.snapshots()));
    }

    /**
     * Kryo copies the fields without calling a constructor or readResolve (transient state is left null): such a
     * copy builds its state from the folder on first use (the snapshot of an earlier run counts: keep 2).
     */
    @Test
    void copyMadeWithoutTheConstructorWorks(@TempDir Path dir) throws Exception {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ITERATION, 0.05, 0.0, 2, 1.0);
        SnapshotListener original = new SnapshotListener(dir.toFile(), "kryo", sgdr, 2);
        MultiLayerNetwork first = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        first.setListeners(original);
        first.fit(TestNets.data());
        first.fit(TestNets.data());
        SnapshotListener copy = new org.objenesis.ObjenesisStd().newInstance(SnapshotListener.class);
        for (java.lang.reflect.Field f : SnapshotListener.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())
                    && !java.lang.reflect.Modifier.isTransient(f.getModifiers())) {
                f.setAccessible(true);
                f.set(copy, f.get(original));
            }
        }
        MultiLayerNetwork resumed = ModelSerializer.restoreMultiLayerNetwork(original.snapshots().get(0), true);
        resumed.setListeners(copy);
        for (int i = 0; i < 4; i++) {
            resumed.fit(TestNets.data());
        }
        assertEquals(List.of("kryo-cycle-1.zip", "kryo-cycle-2.zip"), names(copy.snapshots()));
        assertEquals(List.of("kryo-cycle-1.zip", "kryo-cycle-2.zip"), sorted(dir));
    }

    /**
     * A whole-epoch schedule snapshots in onEpochEnd: a fit(DataSet) loop that moves the epoch counter by hand never
     * calls it, so every snapshot is missed. That is reported at ERROR (once), not left silent.
     */
    @Test
    void wholeEpochsWithoutOnEpochEndAreReported(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 1, 1.0);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        net.setListeners(new SnapshotListener(dir.toFile(), sgdr, 0));
        DataSet data = TestNets.data();
        String err = Printed.stderrOf(() -> {
            for (int epoch = 0; epoch < 3; epoch++) {
                net.fit(data);
                net.fit(data);
                net.incrementEpochCount();
            }
        });
        assertTrue(err.contains("ERROR") && err.contains("the epoch counter moved from 0 to 1 without onEpochEnd"),
                err);
        assertEquals(1, err.split("without onEpochEnd", -1).length - 1, "reported once: " + err);
    }

    /** Fractional epochs whose epoch counter never moves: the schedule holds still; reported at ERROR, once. */
    @Test
    void fractionalEpochsThatStandStillAreReported(@TempDir Path dir) {
        CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(EPOCH, 0.05, 0.0, 1, 1.0, 1.0, 0, 3);
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Adam(sgdr)));
        SnapshotListener snapshots = new SnapshotListener(dir.toFile(), sgdr, 0);
        net.setListeners(snapshots);
        DataSet data = TestNets.data();
        String err = Printed.stderrOf(() -> {
            for (int i = 0; i < 12; i++) {
                net.fit(data);
            }
        });
        assertEquals(List.of("snapshot-cycle-0.zip"), names(snapshots.snapshots()), "only the first cycle ends");
        assertTrue(err.contains("ERROR") && err.contains("update 6 is 2 epochs of 3 iterations past the "
                + "epoch counter (0)"), err);
        assertEquals(1, err.split("past the epoch counter", -1).length - 1, "reported once: " + err);
    }

    private static List<String> sorted(Path dir) {
        return Arrays.stream(dir.toFile().list()).sorted().collect(Collectors.toList());
    }
}
