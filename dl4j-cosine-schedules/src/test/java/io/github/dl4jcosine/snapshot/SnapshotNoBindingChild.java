package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Run by {@link SnapshotNoBindingTest} without any SLF4J binding: makes the listener find a damaged snapshot, an
 * ERROR finding that must still reach the user.
 */
public final class SnapshotNoBindingChild {

    private SnapshotNoBindingChild() {
    }

    public static void main(String[] args) throws Exception {
        File folder = new File(args[0]);
        Files.createDirectories(folder.toPath());
        Files.write(new File(folder, "snapshot-cycle-0.zip").toPath(), "partial".getBytes(StandardCharsets.UTF_8));
        new SnapshotListener(folder, new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.1, 0.0, 10, 1.0), 1);
    }
}
