package io.github.dl4jcosine.check;

import io.github.dl4jcosine.internal.ErrorReports;
import io.github.dl4jcosine.internal.UpdaterLayers;
import io.github.dl4jcosine.schedule.ScheduleInfo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@link ScheduleCheck} on the first update, and watches the epoch counter during training: an
 * {@code EPOCH} schedule (learning rate or {@code Nesterovs} momentum) whose counter has not moved after two
 * epochs' worth of updates is stuck (training with {@code fit(DataSet)} loops or {@code ParallelWrapper}, which
 * never increment it); that is reported as an ERROR.
 *
 * <pre>{@code
 * net.setListeners(new ScheduleCheckListener(90, 390, true), new ScoreIterationListener(100));
 * }</pre>
 *
 * <p><b>Where findings go.</b> Each finding is logged once through SLF4J at its level (ERROR at error,
 * WARNING at warn, INFO at info), logger {@code io.github.dl4jcosine.check.ScheduleCheckListener}.
 * DL4J ships no SLF4J binding, and without one SLF4J drops everything: so when the logger cannot log at
 * error level, each ERROR finding is also printed once to {@code System.err}, with a one-time note on how
 * to see the rest (add {@code org.slf4j:slf4j-simple}). With {@code throwOnProblem} an error or a warning
 * also stops training: an {@link IllegalStateException} listing them is thrown from the update where
 * they were found (the first update for the configuration check).
 *
 * <p><b>Threads and Spark.</b> Safe when several {@code ParallelWrapper} workers call it at once (the
 * configuration is checked once, from whichever replica comes first). It is {@link Serializable}: Spark
 * ships a copy to each executor with the network. Each copy checks its executor's network and logs (and
 * prints, and throws) on that executor, where {@link #findings()} of the copy holds them; the driver's
 * instance sees nothing of it. Check on the driver before training with
 * {@code ScheduleCheck.forSpark(...).checkOrThrow(sparkNet.getNetwork())}.
 */
public final class ScheduleCheckListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261129L;

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleCheckListener.class);
    /** The note about the missing SLF4J binding is printed once per JVM. */
    private static final AtomicBoolean NOTED_NO_BINDING = new AtomicBoolean();

    private final ScheduleCheck check;
    private final boolean throwOnProblem;
    private final List<ScheduleCheck.Finding> findings = new ArrayList<>();
    private boolean checked;
    private boolean epochSchedule;
    private boolean warnedStuckEpoch;

    /**
     * @param epochs             planned number of epochs
     * @param iterationsPerEpoch planned number of updates per epoch
     * @param throwOnProblem     {@code true}: throw an {@link IllegalStateException} on any error or warning
     *                           (after logging it), stopping training; {@code false}: only report (log, and
     *                           print errors to {@code System.err} when SLF4J has no binding) and train on
     * @throws IllegalArgumentException if {@code epochs} or {@code iterationsPerEpoch} is below 1
     */
    public ScheduleCheckListener(int epochs, int iterationsPerEpoch, boolean throwOnProblem) {
        this(ScheduleCheck.forTraining(epochs, iterationsPerEpoch), throwOnProblem);
    }

    /**
     * A listener for any planned run, e.g. {@link ScheduleCheck#forSpark}.
     *
     * @param check          the plan to check against, not null
     * @param throwOnProblem as in {@link #ScheduleCheckListener(int, int, boolean)}
     */
    public ScheduleCheckListener(ScheduleCheck check, boolean throwOnProblem) {
        this.check = Objects.requireNonNull(check, "check");
        this.throwOnProblem = throwOnProblem;
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int epoch) {
        if (!checked) {
            checked = true;
            List<ScheduleCheck.Finding> found = check.check(model);
            for (UpdaterLayers.Entry e : UpdaterLayers.of(model)) {
                epochSchedule |= isEpoch(e.schedule()) || isEpoch(e.momentumSchedule());
            }
            report(found);
        }
        if (epochSchedule && !warnedStuckEpoch && epoch == 0 && iteration + 1 >= 2L * check.iterationsPerEpoch()) {
            warnedStuckEpoch = true;
            report(Collections.singletonList(new ScheduleCheck.Finding(ScheduleCheck.Severity.ERROR,
                    "an EPOCH schedule is in use but the epoch counter is still 0 after " + (iteration + 1)
                            + " updates (" + check.iterationsPerEpoch() + " per epoch planned): fit(DataSet) loops and"
                            + " ParallelWrapper never increment it. Call model.incrementEpochCount() after each epoch,"
                            + " train with fit(DataSetIterator, epochs), or use an ITERATION schedule")));
        }
    }

    private static boolean isEpoch(ISchedule s) {
        return s != null && ScheduleInfo.unitOf(s) == ScheduleType.EPOCH;
    }

    /** Records, logs and (in strict mode) throws. */
    void report(List<ScheduleCheck.Finding> found) {
        findings.addAll(found);
        log(LOG, found, System.err);
        if (throwOnProblem) {
            ScheduleCheck.throwIfProblems(found);
        }
    }

    /**
     * Logs each finding at its level; when {@code log} cannot log errors (no SLF4J binding: SLF4J's NOP
     * logger), prints each ERROR finding to {@code err}, and once per JVM a note on how to see the log.
     */
    static void log(Logger log, List<ScheduleCheck.Finding> found, PrintStream err) {
        int problems = 0;
        for (ScheduleCheck.Finding f : found) {
            switch (f.severity()) {
                case ERROR:
                    problems++;
                    ErrorReports.error(log, f.toString(), null, "[dl4j-cosine] ", err);
                    break;
                case WARNING:
                    problems++;
                    log.warn("{}", f);
                    break;
                default:
                    log.info("{}", f);
            }
        }
        if (problems > 0 && ErrorReports.dropsErrors(log) && NOTED_NO_BINDING.compareAndSet(false, true)) {
            err.println("[dl4j-cosine] the learning-rate schedule check found " + problems + " problem(s); SLF4J"
                    + " has no binding, so only errors are printed here. Add org.slf4j:slf4j-simple:1.7.36 (or another"
                    + " SLF4J 1.7 binding) to see every warning, or read ScheduleCheckListener.findings()");
        }
    }

    /** Everything found so far by this instance (on Spark: by this copy). */
    public synchronized List<ScheduleCheck.Finding> findings() {
        return Collections.unmodifiableList(new ArrayList<>(findings));
    }

    /** The plan this listener checks against. */
    public ScheduleCheck check() {
        return check;
    }
}
