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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

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
 * the model with its updater and the counters of the next update: iteration count = updates done, epoch count =
 * epochs finished. Restored, it continues training exactly where the run was (DL4J's {@code CheckpointListener}
 * saves one update, or one epoch, behind). Whole-epoch schedules ({@code EPOCH}, {@code iterationsPerEpoch = 0})
 * save at the end of the cycle's last epoch; the others right after the cycle's last update: at once in
 * {@code fit(DataSet)} loops and under {@code ParallelWrapper}; inside {@code fit(DataSetIterator)} just before the
 * next update (the model is still as that update left it), or at the epoch end with the epoch counted when that
 * update ended the epoch. Every snapshot is written once: never a first version with the epoch not yet counted.
 * If {@code fit(DataSetIterator)} can stop by an exception right after a cycle's last update (the iterator fails),
 * neither moment comes: call {@link #flush(Model)} in a {@code finally} block to save that snapshot then.
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
 * <p><b>ParallelWrapper.</b> Workers call the listener concurrently, each with its own replica (they train in
 * lockstep, one update each per round). The decision and the save are made under one lock: the first replica that
 * finishes the cycle's last update saves its model, the others skip that cycle. Whole-epoch schedules cannot work
 * there ({@code ParallelWrapper} never calls {@code onEpochEnd}): the listener refuses with an
 * {@code IllegalStateException} before the first update changes the model. Use an {@code ITERATION} schedule,
 * or fractional epochs with {@code net.incrementEpochCount()} after each {@code wrapper.fit(...)}.
 *
 * <p>Serializable (Spark ships listeners with the network): a deserialized listener is rebuilt through the
 * constructor, so it checks and scans its folder on the machine where it runs; copies of one listener in one JVM
 * (several tasks of an executor) share one state and lock, so each cycle is saved once there too.
 *
 * @see <a href="https://arxiv.org/abs/1704.00109">Huang et al., Snapshot Ensembles: Train 1, get M for free,
 *      ICLR 2017, arXiv:1704.00109</a>
 */
public final class SnapshotListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 20261129L;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotListener.class);
    private static final String DEFAULT_PREFIX = "snapshot";
    private static final Pattern PREFIX_RULE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final String PARALLEL_WRAPPER_PACKAGE = "org.deeplearning4j.parallelism.";

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
        /** Snapshot files of this prefix in the folder, cycle to file, oldest first (superseded ones first). */
        final LinkedHashMap<Integer, File> kept = new LinkedHashMap<>();
        /** Names found in the folder or written here: any other file under our names has another writer. */
        final Set<String> known = new HashSet<>();
        final ThreadLocal<Boolean> parallelWorker = new ThreadLocal<>();
        /** Recent saves by cycle, to tell another replica's save of the same update. */
        final TreeMap<Integer, Save> saved = new TreeMap<>();
        WeakReference<Model> openEpoch = new WeakReference<>(null);
        WeakReference<Model> pendingModel = new WeakReference<>(null);
        int pendingCycle;
        int pendingUpdate;
        int savedCount;
        boolean reportedCollision;
        boolean reportedSuperseded;
        volatile boolean reportedStalledEpoch;
        boolean reportedNoEpochEnd;
        WeakReference<Model> lastIterationModel = new WeakReference<>(null);
        int lastIterationEpoch = -1;
        boolean epochEndSinceIteration;

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

        Run(Map<Integer, File> found) {
            kept.putAll(found);
            for (File f : found.values()) {
                known.add(f.getName());
            }
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
        this.run = join(prepare(directory, prefix));
    }

    /** Scans the folder for this prefix's snapshots and removes the leftovers of killed writes. */
    private Run start(Path folder) {
        Run started = new Run(scan(folder));
        try {
            AtomicFiles.removeLeftovers(folder, prefix + "-cycle-");
        } catch (IOException e) {
            LOG.warn("could not list {} to remove unfinished snapshot files: {}", directory, e.toString());
        }
        return started;
    }

    /** This listener's run (built on first use by a copy made without a constructor, as Kryo makes them). */
    private Run run() {
        Run r = run;
        if (r == null) {
            r = join(prepare(directory, prefix));
            run = r;
        }
        return r;
    }

    /** The run of this listener's copies in this JVM if there is one, else a new one built from the folder. */
    private Run join(Path folder) {
        synchronized (RUNS) {
            WeakReference<Run> shared = RUNS.get(runId);
            Run r = shared == null ? null : shared.get();
            if (r == null) {
                r = start(folder);
                RUNS.values().removeIf(ref -> ref.get() == null);
                RUNS.put(runId, new WeakReference<>(r));
            }
            return r;
        }
    }

    /** Creates the folder and checks that a file can be created in it (with a temporary name the cleanup knows). */
    private static Path prepare(File directory, String prefix) {
        Path folder = directory.toPath();
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("directory (" + directory + ") must be a folder, but it is a file");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("directory (" + directory + ") cannot be created: " + e, e);
        }
        try {
            Files.deleteIfExists(Files.createTempFile(folder, AtomicFiles.tempPrefix(prefix + "-cycle-write-check"),
                    ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("directory (" + directory + ") must be writable: " + e, e);
        }
        return folder;
    }

    /** The complete snapshots of this prefix in the folder, by cycle; incomplete ones are reported and left alone. */
    private Map<Integer, File> scan(Path folder) {
        Pattern names = Pattern.compile(Pattern.quote(prefix) + "-cycle-(0|[1-9][0-9]{0,9})\\.zip");
        Map<Integer, File> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Matcher m = names.matcher(entry.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(entry)) {
                    continue;
                }
                long cycle = Long.parseLong(m.group(1));
                if (cycle > Integer.MAX_VALUE) {
                    continue;
                }
                if (isModelZip(entry.toFile())) {
                    found.put((int) cycle, entry.toFile());
                } else {
                    report("SnapshotListener: " + entry + " is not a complete model zip (written by an older version "
                            + "that was interrupted?): not counted toward keepLast, not loaded, not deleted", null);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("directory (" + directory + ") cannot be listed: " + e, e);
        }
        return found;
    }

    private static boolean isModelZip(File f) {
        try (ZipFile zip = new ZipFile(f)) {
            return zip.getEntry("configuration.json") != null && zip.getEntry("coefficients.bin") != null;
        } catch (IOException e) {
            return false;
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
            refuseParallelWrapper();
        } else {
            flushPending(model, ModelCounters.epochCount(model));
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (wholeEpochs()) {
            checkEpochEnds(model, epoch);
            return;
        }
        checkEpochMoves(iteration, epoch);
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
            synchronized (r) {
                r.epochEndSinceIteration = true;
            }
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
            File file = new File(directory, prefix + "-cycle-" + cycle + ".zip");
            if (!save(model, file, update + 1, epochCount)) {
                return;
            }
            r.saved.put(cycle, new Run.Save(update, model));
            if (r.saved.size() > 64) {
                r.saved.pollFirstEntry();
            }
            r.savedCount++;
            LOG.info("snapshot of cycle {} after {} updates, {} epochs: {}", cycle, update + 1, epochCount, file);
            keep(cycle, file);
        }
    }

    private boolean save(Model model, File file, int iterationCount, int epochCount) {
        Run r = run();
        if (file.exists() && !r.known.contains(file.getName()) && !r.reportedCollision) {
            r.reportedCollision = true;
            report("SnapshotListener: " + file + " was written by someone else while this listener runs: another "
                    + "listener writes the same names into this folder. Give each run its own folder or prefix "
                    + "(new SnapshotListener(folder, \"run2\", schedule, keepLast))", null);
        }
        int iteration = ModelCounters.iterationCount(model);
        int epoch = ModelCounters.epochCount(model);
        try {
            Files.createDirectories(directory.toPath());
            ModelCounters.set(model, iterationCount, epochCount);
            AtomicFiles.write(file.toPath(), out -> ModelSerializer.writeModel(model, out, true));
            r.known.add(file.getName());
            return true;
        } catch (IOException | RuntimeException e) {
            report("SnapshotListener: could not save the snapshot " + file + " (training continues without it): "
                    + e, e);
            return false;
        } finally {
            ModelCounters.set(model, iteration, epoch);
        }
    }

    /** Records the new snapshot, moves snapshots of later cycles (superseded) to the front, trims to keepLast. */
    private void keep(int cycle, File file) {
        Run r = run();
        r.kept.remove(cycle);
        r.kept.values().removeIf(f -> !f.isFile());   // deleted by someone else: no longer a snapshot to count
        List<Integer> superseded = new ArrayList<>();
        for (Integer k : r.kept.keySet()) {
            if (k > cycle) {
                superseded.add(k);
            }
        }
        if (!superseded.isEmpty()) {
            if (!r.reportedSuperseded) {
                r.reportedSuperseded = true;
                LOG.warn("snapshots of cycles {} in {} come from an earlier run that went further than cycle {}: "
                        + "they are deleted first when keepLast needs room", superseded, directory, cycle);
            }
            LinkedHashMap<Integer, File> reordered = new LinkedHashMap<>();
            for (Integer k : superseded) {
                reordered.put(k, r.kept.remove(k));
            }
            reordered.putAll(r.kept);
            r.kept.clear();
            r.kept.putAll(reordered);
        }
        r.kept.put(cycle, file);
        boolean deleted = false;
        while (keepLast > 0 && r.kept.size() > keepLast) {
            Integer oldest = r.kept.keySet().iterator().next();
            File old = r.kept.remove(oldest);
            try {
                deleted |= Files.deleteIfExists(old.toPath());
            } catch (IOException e) {
                report("SnapshotListener: could not delete the old snapshot " + old + " (keepLast " + keepLast
                        + "): " + e, null);
            }
        }
        if (deleted) {   // the new snapshot's rename was synced by AtomicFiles.write; a deletion needs its own sync
            AtomicFiles.syncFolder(directory.toPath());
        }
    }

    /** Whole-epoch schedules snapshot in {@code onEpochEnd}: refuse or report loudly where it is never called. */
    private void checkEpochEnds(Model model, int epoch) {
        Run r = run();
        synchronized (r) {
            refuseParallelWrapper();
            if (r.lastIterationModel.get() == model && epoch != r.lastIterationEpoch && !r.epochEndSinceIteration
                    && !r.reportedNoEpochEnd) {
                r.reportedNoEpochEnd = true;
                report("SnapshotListener: the epoch counter moved from " + r.lastIterationEpoch + " to " + epoch
                        + " without onEpochEnd: a whole-epoch schedule (EPOCH, iterationsPerEpoch = 0) snapshots at "
                        + "the end of an epoch, so cycles ending this way are missed. Train with fit(DataSetIterator, "
                        + "epochs), or use ITERATION or fractional epochs (iterationsPerEpoch = n)", null);
            }
            r.lastIterationModel = new WeakReference<>(model);
            r.lastIterationEpoch = epoch;
            r.epochEndSinceIteration = false;
        }
    }

    /** ParallelWrapper never calls onEpochEnd: a whole-epoch schedule would never snapshot there. */
    private void refuseParallelWrapper() {
        if (onParallelWrapperWorker()) {
            String message = "SnapshotListener: a whole-epoch schedule (EPOCH, iterationsPerEpoch = 0) never "
                    + "snapshots under ParallelWrapper, which never calls onEpochEnd. Use an ITERATION schedule, or "
                    + "EPOCH with iterationsPerEpoch = n (fractional epochs) and net.incrementEpochCount() after each "
                    + "wrapper.fit(...)";
            report(message, null);
            throw new IllegalStateException(message);
        }
    }

    /** A fractional-epoch schedule stands still when the epoch counter lags the iterations by more than an epoch. */
    private void checkEpochMoves(int iteration, int epoch) {
        Run r = run();
        int n = schedule.getIterationsPerEpoch();
        if (schedule.getScheduleType() == ScheduleType.EPOCH && n > 0 && iteration >= (epoch + 2L) * n
                && !r.reportedStalledEpoch) {
            synchronized (r) {
                if (r.reportedStalledEpoch) {
                    return;
                }
                r.reportedStalledEpoch = true;
            }
            report("SnapshotListener: update " + iteration + " is " + (iteration / n - epoch) + " epochs of " + n
                    + " iterations past the epoch counter (" + epoch + "): the schedule holds "
                    + "still and later cycles never end, so no snapshot will be taken. Let the epoch counter move "
                    + "(fit(DataSetIterator, epochs), or net.incrementEpochCount() after each ParallelWrapper.fit) "
                    + "or fix iterationsPerEpoch", null);
        }
    }

    /** Whether this thread is a ParallelWrapper worker (its trainer is on the stack); checked once per thread. */
    private boolean onParallelWrapperWorker() {
        Run r = run();
        Boolean worker = r.parallelWorker.get();
        if (worker == null) {
            worker = false;
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                if (frame.getClassName().startsWith(PARALLEL_WRAPPER_PACKAGE)) {
                    worker = true;
                    break;
                }
            }
            r.parallelWorker.set(worker);
        }
        return worker;
    }

    /** At ERROR level, and on System.err too when SLF4J would drop it (no binding, or ERROR disabled). */
    private static void report(String message, Throwable cause) {
        ErrorReports.error(LOG, message, cause, "ERROR ", System.err);
    }

    /** The snapshot files kept in the folder, oldest first (including those of an earlier run with this prefix). */
    public List<File> snapshots() {
        Run r = run();
        synchronized (r) {
            List<File> files = new ArrayList<>();
            for (File f : r.kept.values()) {
                if (f.isFile()) {
                    files.add(f);
                }
            }
            return Collections.unmodifiableList(files);
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
