package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

/**
 * Bad arguments to the check's public entry points are refused there, in the caller's words: the parameter the
 * caller passed, its value and the rule (not the name of a helper's parameter, and not an empty answer).
 */
class ScheduleCheckArgumentsTest {

    /** A null model was taken for a model without layers: an empty list of findings, as if all were well. */
    @Test
    void nullModelIsRefusedNamingIt() {
        ScheduleCheck check = ScheduleCheck.forTraining(10, 3);
        assertEquals("model", assertThrows(NullPointerException.class, () -> check.check((Model) null)).getMessage());
        assertEquals("model", assertThrows(NullPointerException.class, () -> check.checkOrThrow(null)).getMessage());
    }

    /**
     * The check samples every epoch of the plan, at most 1048576 (SchedulePreview.MAX_SAMPLES) of them. A longer plan
     * used to be accepted and then failed inside check() with the preview's "count (2147483647) must be in [1,
     * 1048576]", naming a parameter the caller never gave. Now the factory refuses it, naming epochs.
     */
    @Test
    void tooManyEpochsAreRefusedNamingEpochs() {
        assertEquals("epochs (2147483647) must be in [1, 1048576]", assertThrows(IllegalArgumentException.class,
                () -> ScheduleCheck.forTraining(Integer.MAX_VALUE, Integer.MAX_VALUE)).getMessage());
        assertEquals("epochs (1048577) must be in [1, 1048576]", assertThrows(IllegalArgumentException.class,
                () -> ScheduleCheck.forTraining(1_048_577, 2)).getMessage());
        assertEquals("epochs (2147483647) must be in [1, 1048576]", assertThrows(IllegalArgumentException.class,
                () -> ScheduleCheck.forSpark(Integer.MAX_VALUE, 100, 4, 2)).getMessage());
        assertEquals("epochs (2147483647) must be in [1, 1048576]", assertThrows(IllegalArgumentException.class,
                () -> ScheduleCheck.forSparkSharedTraining(Integer.MAX_VALUE, 100, 4, 2)).getMessage());
        assertEquals("epochs (2147483647) must be in [1, 1048576]", assertThrows(IllegalArgumentException.class,
                () -> new ScheduleCheckListener(Integer.MAX_VALUE, 390, false)).getMessage());
    }

    /**
     * The longest plan accepted is checked to the end: 1048576 epochs of 2 updates, and of Integer.MAX_VALUE updates
     * (DL4J's int iteration counter is then held at its largest value past it). A whole-epoch cosine over exactly the
     * planned epochs ends where the run ends, with no seam: nothing to report.
     */
    @Test
    void theLongestPlanIsCheckedToTheEnd() {
        CosineAnnealingSchedule cosine = new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 1 << 20);
        assertEquals(List.of(), ScheduleCheck.forTraining(1 << 20, 2).check(cosine));
        assertEquals(List.of(), ScheduleCheck.forTraining(1 << 20, Integer.MAX_VALUE).check(cosine));
    }
}
