package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.WarmupCosineSchedule;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

class ScheduleCheckListenerTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /**
     * The listener survives Java serialization (what Spark does to ship it to executors) configured and with its
     * findings, and works afterwards.
     */
    @Test
    void serializableListener() throws Exception {
        ScheduleCheckListener check = roundTrip(new ScheduleCheckListener(ScheduleCheck.forSpark(10, 100, 4, 2), false));
        assertEquals(13, check.check().iterationsPerEpoch(), "ceil(100 / (4 x 2))");
        MultiLayerNetwork epochs = TestNets.mln(TestNets.mlnConf(new Sgd(new WarmupCosineSchedule(EPOCH, 0.1, 0.0, 0.0, 2, 10))));
        epochs.setListeners(check);
        String err = Printed.stderrOf(() -> epochs.fit(TestNets.data()));
        assertEquals(ScheduleCheck.Severity.ERROR, check.findings().get(0).severity());
        assertTrue(err.contains("ERROR") && err.contains("WarmupCosineSchedule trains all of epoch 0 at learning rate 0"
                + " (the first 13 updates)"), "the deserialized copy logs: " + err);
        ScheduleCheckListener again = roundTrip(check);
        assertEquals(check.findings().size(), again.findings().size());
    }
}
