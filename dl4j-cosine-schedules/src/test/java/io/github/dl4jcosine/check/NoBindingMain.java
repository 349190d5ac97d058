package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.Schedules;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Run by {@link ScheduleCheckLoggingTest} in a JVM without an SLF4J binding: the listener reports the README's old
 * whole-epoch warmup from 0 (an ERROR) and a restarts run cut mid-cycle, as it does at the first update.
 */
public final class NoBindingMain {

    private NoBindingMain() {
    }

    public static void main(String[] args) {
        ScheduleCheckListener listener = new ScheduleCheckListener(90, 390, false);
        listener.report(listener.check().check(Schedules.warmupCosine(ScheduleType.EPOCH, 1e-3, 5, 90)));
        listener.report(listener.check().check(Schedules.cosine(ScheduleType.EPOCH, 0.1, 30)));
        System.out.println("findings: " + listener.findings().size());
    }
}
