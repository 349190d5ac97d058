package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.internal.AtomicFiles;
import io.github.dl4jcosine.internal.ErrorReports;
import io.github.dl4jcosine.internal.ModelCounters;
import io.github.dl4jcosine.schedule.CosineWarmRestartsSchedule;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Snapshot ensembles (Huang et al., 2017; SGDR section 5): saves the model at the last update of every restart
 * cycle of a {@link CosineWarmRestartsSchedule}, where the rate is lowest, keeping the last {@code keepLast}
 * snapshots. Average them with {@link SnapshotEnsemble}.
 *
 * <pre>{@code
 * CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 0.0, 10, 1.0);
 * // ... network with new Nesterovs(sgdr, 0.9) ...
 * SnapshotListener snapshots = new SnapshotListener(new File("snapshots"), sgdr, 5);
 * net.setListeners(snapshots);
 * net.fit(trainIter, 50);                       // snapshots after epochs 10, 20, 30, 40, 50
 * SnapshotEnsemble.load(snapshots.snapshots()).evaluate(testIter);
 * }</pre>
 *
 * <p><b>Counters.</b> Each file {@code <prefix>-cycle-<k>.zip} ({@code snapshot-cycle-<k>.zip} by default) holds
 * the model with its updater and the counters of the next update (iteration count = updates done, epoch count =
 * epochs finished): restored, it continues training exactly where the run was. Whole-epoch schedules
 * ({@code EPOCH}, {@code iterationsPerEpoch = 0}) save at the end of the cycle's last epoch; the others right after
 * the cycle's last update (inside {@code fit(DataSetIterator)}: just before the next update, or at the epoch end
 * with the epoch counted when that update ended it). Training that can stop by an exception right after a cycle's
 * last update: call {@link #flush(Model)} in a {@code finally} block.
 *
 * <p><b>Nothing lost.</b> A snapshot is written to a hidden temporary file in the folder ({@code .<name>.*.tmp}),
 * synced, then renamed atomically: a process killed at any instant leaves every earlier snapshot loadable and no
 * partial file under a snapshot name; leftovers are deleted by the next listener on that folder. The folder is
 * created and checked for writing by the constructor. A save that fails (disk full, folder gone) is reported at
 * ERROR level (and on {@code System.err} when SLF4J has no binding) and training continues with the network's
 * counters intact.
 *
 * <p><b>Resumed runs.</b> Snapshots of the same prefix already in the folder count toward {@code keepLast}, oldest
 * cycle first. Snapshots of cycles beyond the one just saved come from an earlier run that went further (a restart
 * from scratch, or from an earlier snapshot): they are superseded, and deleted before any other when
 * {@code keepLast} needs room.
 *
 * <p><b>Threads, ParallelWrapper, Spark.</b> Safe when {@code ParallelWrapper} workers call it at once: each cycle
 * is saved once, by the first replica that finishes its last update. A whole-epoch schedule never snapshots there
 * ({@code ParallelWrapper} never calls {@code onEpochEnd}) and is refused with an {@link IllegalStateException}
 * before the first update changes the model. {@link Serializable}: a copy checks its folder where it is read, and
 * copies of one listener in one JVM share one state. The guide page {@code docs/snapshots.md} shows both setups.
 *
 * @see <a href="https://arxiv.org/abs/1704.00109">Huang et al., Snapshot Ensembles: Train 1, get M for free,
 *      ICLR 2017, arXiv:1704.00109</a>
 */
public final class SnapshotListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261129L;
    static final Logger LOG = LoggerFactory.getLogger(SnapshotListener.class);
    private static final String DEFAULT_PREFIX = "snapshot";
    private static final Pattern PREFIX_RULE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    private final File directory;
    private final String prefix;
    private final CosineWarmRestartsSchedule schedule;
    private final int keepLast;
    /** Identifies this listener and its serialized copies: copies in one JVM share one {@link Run}. */
    private final String runId;

    /** What this process knows of the run: built from the folder by the constructor, or on first use. */
    private transient volatile Run run;

    /** The runs of this JVM by listener id, so that copies (Spark tasks in one executor) save each cycle once. */
    private static final Map<String, WeakReference<Run>> RUNS = new HashMap<>();

    /** The per-process state (Java serialization does not keep it; Kryo, which skips constructors, neither). */
    private static final class Run {
        final SnapshotFolder folder;
        final MisuseGuards guards;
        /** Recent saves by cycle, to tell another replica's save of the same update. */
        final TreeMap<Integer, Save> saved = new TreeMap<>();
        WeakReference<Model> openEpoch = new WeakReference<>(null);
        WeakReference<Model> pendingModel = new WeakReference<>(null);
        int pendingCycle;
        int pendingUpdate;
        int savedCount;

        /** A save: after which update, from which model. */
        static final class Save {
            final int update;
            final WeakReference<Model> by;

            Save(int update, Model by) {
                this.update = update;
                this.by = new WeakReference<>(by);
            }

            /** Whether another model (a ParallelWrapper replica) saved after the same update. */
            boolean isDuplicate(int update, Model model) {
                Model saver = by.get();
                return this.update == update && saver != null && saver != model;
            }
        }

        Run(SnapshotFolder folder, MisuseGuards guards) {
            this.folder = folder;
            this.guards = guards;
        }
    }

    /**
     * Snapshots named {@code snapshot-cycle-<k>.zip}.
     *
     * @param directory where to write, created if missing
     * @param schedule  the restarts schedule that drives the training
     * @param keepLast  how many of the newest snapshots to keep; 0 keeps all
     * @throws IllegalArgumentException for a null argument, {@code keepLast < 0}, or a folder that is a file or
     *                                  cannot be created or written
     */
    public SnapshotListener(File directory, CosineWarmRestartsSchedule schedule, int keepLast) {
        this(directory, DEFAULT_PREFIX, schedule, keepLast);
    }

    /**
     * Snapshots named {@code <prefix>-cycle-<k>.zip}: give two runs that share a folder different prefixes.
     *
     * @param directory where to write, created if missing
     * @param prefix    start of the file names: letters, digits, {@code _ - .}, not starting with {@code .} or
     *                  {@code -}
     * @param schedule  the restarts schedule that drives the training
     * @param keepLast  how many of the newest snapshots to keep (counting those of this prefix already in the
     *                  folder); 0 keeps all
     * @throws IllegalArgumentException for a null argument, a bad prefix, {@code keepLast < 0}, or a folder that is
     *                                  a file or cannot be created or written
     */
    public SnapshotListener(File directory, String prefix, CosineWarmRestartsSchedule schedule, int keepLast) {
        this(directory, prefix, schedule, keepLast, UUID.randomUUID().toString());
    }

    private SnapshotListener(File directory, String prefix, CosineWarmRestartsSchedule schedule, int keepLast,
                             String runId) {
        if (directory == null) {
            throw new IllegalArgumentException("directory (null) must not be null");
        }
        if (prefix == null || !PREFIX_RULE.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix (" + (prefix == null ? "null" : "\"" + prefix + "\"")
                    + ") must be letters, digits, '_', '-' or '.', not starting with '.' or '-'");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule (null) must not be null");
        }
        if (keepLast < 0) {
            throw new IllegalArgumentException("keepLast (" + keepLast + ") must be >= 0 (0 keeps all)");
        }
        this.directory = directory;
        this.prefix = prefix;
        this.schedule = schedule;
        this.keepLast = keepLast;
        this.runId = runId;
        this.run = join();
    }

    /** This listener's run (built on first use by a copy made without a constructor, as Kryo makes them). */
    private Run run() {
        Run r = run;
        if (r == null) {
            r = join();
            run = r;
        }
        return r;
    }

    /**
     * The run of this listener's copies in this JVM if there is one, else a new one: the folder is created, checked
     * and scanned, and the leftovers of killed writes removed.
     */
    private Run join() {
        SnapshotFolder.prepare(directory, prefix);
        synchronized (RUNS) {
            WeakReference<Run> shared = RUNS.get(runId);
            Run r = shared == null ? null : shared.get();
            if (r == null) {
                r = new Run(new SnapshotFolder(directory, prefix, keepLast), new MisuseGuards(schedule));
                RUNS.values().removeIf(ref -> ref.get() == null);
                RUNS.put(runId, new WeakReference<>(r));
            }
            return r;
        }
    }

    private boolean wholeEpochs() {
        return schedule.getScheduleType() == ScheduleType.EPOCH && schedule.getIterationsPerEpoch() == 0;
    }

    @Override
    public void onEpochStart(Model model) {
        Run r = run();
        flushPending(model, ModelCounters.epochCount(model));
        synchronized (r) {
            r.openEpoch = new WeakReference<>(model);
        }
    }

    /**
     * Called before the next update is applied: a snapshot deferred to here (the cycle ended inside an epoch) is
     * saved now, with the model still as that update left it; a setup that cannot work is refused before it changes
     * the model.
     */
    @Override
    public void onGradientCalculation(Model model) {
        if (wholeEpochs()) {
            run().guards.refuseParallelWrapper();
        } else {
            flushPending(model, ModelCounters.epochCount(model));
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (wholeEpochs()) {
            run().guards.checkEpochEnds(model, epoch);
            return;
        }
        run().guards.checkEpochMoves(iteration, epoch);
        if (schedule.isLastUpdateOfCycle(iteration, epoch)) {
            int cycle = schedule.cycleIndex(iteration, epoch);
            Run r = run();
            synchronized (r) {
                if (r.openEpoch.get() == model) {
                    // Inside fit(DataSetIterator): if this update ends the epoch, the snapshot must count it.
                    // Saved before the next update, or in onEpochEnd with the epoch counted.
                    r.pendingModel = new WeakReference<>(model);
                    r.pendingCycle = cycle;
                    r.pendingUpdate = iteration;
                    return;
                }
            }
            snapshot(model, cycle, iteration, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        Run r = run();
        int done = ModelCounters.iterationCount(model);
        int epoch = ModelCounters.epochCount(model);
        synchronized (r) {
            if (r.openEpoch.get() == model) {
                r.openEpoch = new WeakReference<>(null);
            }
        }
        if (wholeEpochs()) {
            r.guards.epochEnded();
            if (done > 0 && schedule.isLastUpdateOfCycle(done - 1, epoch)) {
                snapshot(model, schedule.cycleIndex(done - 1, epoch), done - 1, epoch + 1);
            }
        } else {
            flushPending(model, epoch + 1);
        }
    }

    /**
     * Saves now, with the model's current counters, a snapshot this listener holds back for {@code model}: that of a
     * cycle whose last update came inside {@code fit(DataSetIterator)}, which waits for the next update or the end of
     * the epoch so that it counts an epoch that update finished. When training stops by an exception before
     * either, nothing else would save it: call this in a {@code finally} block around {@code fit}. Does nothing when
     * no snapshot is held back (the usual case after {@code fit} returns).
     *
     * <pre>{@code
     * try {
     *     net.fit(trainIter, 50);
     * } finally {
     *     snapshots.flush(net);
     * }
     * }</pre>
     */
    public void flush(Model model) {
        flushPending(model, ModelCounters.epochCount(model));
    }

    /** Saves the snapshot deferred for {@code model}, if any, with the given epoch count. */
    private void flushPending(Model model, int epochCount) {
        Run r = run();
        synchronized (r) {
            if (r.pendingModel.get() == model && model != null) {
                r.pendingModel = new WeakReference<>(null);
                snapshot(model, r.pendingCycle, r.pendingUpdate, epochCount);
            }
        }
    }

    /**
     * Saves {@code model} as the snapshot of {@code cycle}, taken right after update {@code update}, with counters
     * {@code update + 1} and {@code epochCount}, unless another replica of a ParallelWrapper already saved it.
     */
    private void snapshot(Model model, int cycle, int update, int epochCount) {
        Run r = run();
        synchronized (r) {
            Run.Save before = r.saved.get(cycle);
            if (before != null && before.isDuplicate(update, model)) {
                return;   // another ParallelWrapper replica already saved this cycle, after the same update
            }
            File file = r.folder.fileOf(cycle);
            if (!save(model, file, update + 1, epochCount)) {
                return;
            }
            r.saved.put(cycle, new Run.Save(update, model));
            if (r.saved.size() > 64) {
                r.saved.pollFirstEntry();
            }
            r.savedCount++;
            LOG.info("snapshot of cycle {} after {} updates, {} epochs: {}", cycle, update + 1, epochCount, file);
            r.folder.keep(cycle, file);
        }
    }

    private boolean save(Model model, File file, int iterationCount, int epochCount) {
        run().folder.checkCollision(file);
        int iteration = ModelCounters.iterationCount(model);
        int epoch = ModelCounters.epochCount(model);
        try {
            Files.createDirectories(directory.toPath());
            ModelCounters.set(model, iterationCount, epochCount);
            AtomicFiles.write(file.toPath(), out -> ModelSerializer.writeModel(model, out, true));
            return true;
        } catch (IOException | RuntimeException e) {
            report("SnapshotListener: could not save the snapshot " + file + " (training continues without it): "
                    + e, e);
            return false;
        } finally {
            ModelCounters.set(model, iteration, epoch);
        }
    }

    /** At ERROR level, and on System.err too when SLF4J would drop it (no binding, or ERROR disabled). */
    static void report(String message, Throwable cause) {
        ErrorReports.error(LOG, message, cause, "ERROR ", System.err);
    }

    /** The snapshot files kept in the folder, oldest first (including those of an earlier run with this prefix). */
    public List<File> snapshots() {
        Run r = run();
        synchronized (r) {
            return r.folder.snapshots();
        }
    }

    /** How many snapshots this listener saved. */
    int savedCount() {
        Run r = run();
        synchronized (r) {
            return r.savedCount;
        }
    }

    /**
     * Java serialization keeps the configuration and the listener's id; the folder is checked again where it is
     * read, and the copy joins the original's run when it is read in the same JVM (scans the folder otherwise).
     */
    private Object readResolve() {
        return new SnapshotListener(directory, prefix, schedule, keepLast, runId);
    }
}
