package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.util.List;

/**
 * The process that {@link SnapshotKillTest} kills: trains a small network (about 67,000 parameters, so a snapshot
 * zip is about 1.6 MB and writing it takes a while) with a {@link SnapshotListener} that saves at every cycle end,
 * forever. It resumes from the newest snapshot in the folder, as a user would after a crash, and prints
 * {@code READY} once it saved its first snapshot.
 *
 * <p>Modes: {@code iteration} (restart every update, {@code fit(DataSet)} loop), {@code parallel} (the same under
 * {@code ParallelWrapper}, 2 workers: the replicas count rounds), {@code fractional} (EPOCH,
 * 3 iterations per epoch, restart every epoch: each snapshot is saved after the update and replaced at the epoch
 * end), {@code whole} (whole epochs, restart every epoch, saved at the epoch end).
 */
public final class SnapshotKillChild {

    static final int KEEP_LAST = 3;
    static final int UPDATES_PER_EPOCH = 3;

    private SnapshotKillChild() {
    }

    static CosineWarmRestartsSchedule schedule(String mode) {
        switch (mode) {
            case "iteration":
            case "parallel":
                return new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.01, 0.0, 1, 1.0);
            case "fractional":
                return new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.01, 0.0, 1, 1.0, 1.0, 0, UPDATES_PER_EPOCH);
            case "whole":
                return new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.01, 0.0, 1, 1.0);
            default:
                throw new IllegalArgumentException("mode (" + mode
                        + ") must be iteration, parallel, fractional or whole");
        }
    }

    /** Two ParallelWrapper workers, averaging every round, 3 rounds per wrapper.fit, forever. */
    @SuppressWarnings("try") // ParallelWrapper.close() declares InterruptedException
    private static void trainParallel(MultiLayerNetwork net, SnapshotListener snapshots, DataSet data) {
        try (ParallelWrapper wrapper = new ParallelWrapper.Builder<>(net).workers(2).prefetchBuffer(2)
                .averagingFrequency(1).build()) {
            wrapper.setListeners(snapshots);
            boolean ready = false;
            while (true) {
                wrapper.fit(new ListDataSetIterator<>(data.asList(), 2));
                if (!ready && snapshots.savedCount() > 0) {
                    System.out.println("READY");
                    System.out.flush();
                    ready = true;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        File folder = new File(args[0]);
        String mode = args[1];
        CosineWarmRestartsSchedule sgdr = schedule(mode);
        SnapshotListener snapshots = new SnapshotListener(folder, sgdr, KEEP_LAST);
        List<File> existing = snapshots.snapshots();
        MultiLayerNetwork net;
        if (existing.isEmpty()) {
            net = TestNets.mln(TestNets.builder(new Adam(sgdr)).list()
                    .layer(new DenseLayer.Builder().nIn(3).nOut(256).activation(Activation.TANH).build())
                    .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(256).nOut(2)
                            .activation(Activation.IDENTITY).build())
                    .build());
        } else {
            net = ModelSerializer.restoreMultiLayerNetwork(existing.get(existing.size() - 1), true);
        }
        DataSet data = TestNets.data();
        if (mode.equals("parallel")) {
            trainParallel(net, snapshots, data);
        }
        net.setListeners(snapshots);
        boolean ready = false;
        while (true) {
            if (!ready && snapshots.savedCount() > 0) {
                System.out.println("READY");
                System.out.flush();
                ready = true;
            }
            if (mode.equals("iteration")) {
                net.fit(data);
            } else {
                net.fit(new ListDataSetIterator<>(data.asList(), TestNets.EXAMPLES / UPDATES_PER_EPOCH), 1);
            }
        }
    }
}
