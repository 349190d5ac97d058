package io.github.dl4jcosine.snapshot;

import io.github.dl4jcosine.internal.AtomicFiles;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * The snapshot files of one prefix in one folder, as this process knows them: the file-name format
 * ({@code <prefix>-cycle-<k>.zip}, the only place it is written down), the scan for existing snapshots and the
 * removal of killed writes' leftovers, the check that nobody else writes under our names, and {@code keepLast}
 * pruning. Not thread-safe: {@link SnapshotListener} calls it under its run's lock.
 */
final class SnapshotFolder {

    private final File directory;
    private final String prefix;
    private final int keepLast;
    /** Snapshot files of this prefix in the folder, cycle to file, oldest first (superseded ones first). */
    private final LinkedHashMap<Integer, File> kept = new LinkedHashMap<>();
    /** Names found in the folder or written here: any other file under our names has another writer. */
    private final Set<String> known = new HashSet<>();
    private boolean reportedCollision;
    private boolean reportedSuperseded;

    /** Scans {@code directory} (already {@link #prepare prepared}) and removes the leftovers of killed writes. */
    SnapshotFolder(File directory, String prefix, int keepLast) {
        this.directory = directory;
        this.prefix = prefix;
        this.keepLast = keepLast;
        Path folder = directory.toPath();
        for (Map.Entry<Integer, File> e : scan(folder).entrySet()) {
            kept.put(e.getKey(), e.getValue());
            known.add(e.getValue().getName());
        }
        try {
            AtomicFiles.removeLeftovers(folder, namePrefix());
        } catch (IOException e) {
            SnapshotListener.LOG.warn("could not list {} to remove unfinished snapshot files: {}", directory,
                    e.toString());
        }
    }

    /** What every snapshot file name of {@code prefix} starts with. */
    private String namePrefix() {
        return prefix + "-cycle-";
    }

    /** The file of cycle {@code cycle}'s snapshot. */
    File fileOf(int cycle) {
        return new File(directory, namePrefix() + cycle + ".zip");
    }

    /**
     * Creates the folder and checks that a file can be created in it (with a temporary name the cleanup knows).
     *
     * @throws IllegalArgumentException naming the folder, when it is a file or cannot be created or written
     */
    static Path prepare(File directory, String prefix) {
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
        Pattern names = Pattern.compile(Pattern.quote(namePrefix()) + "(0|[1-9][0-9]{0,9})\\.zip");
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
                    SnapshotListener.report("SnapshotListener: " + entry + " is not a complete model zip (written by an"
                            + " older version that was interrupted?): not counted toward keepLast, not loaded, not"
                            + " deleted", null);
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

    /** Reports, once, a file under one of our names that this listener neither found nor wrote. */
    void checkCollision(File file) {
        if (file.exists() && !known.contains(file.getName()) && !reportedCollision) {
            reportedCollision = true;
            SnapshotListener.report("SnapshotListener: " + file + " was written by someone else while this listener"
                    + " runs: another listener writes the same names into this folder. Give each run its own folder or"
                    + " prefix (new SnapshotListener(folder, \"run2\", schedule, keepLast))", null);
        }
    }

    /** Records the new snapshot, moves snapshots of later cycles (superseded) to the front, trims to keepLast. */
    void keep(int cycle, File file) {
        known.add(file.getName());
        kept.remove(cycle);
        kept.values().removeIf(f -> !f.isFile());   // deleted by someone else: no longer a snapshot to count
        List<Integer> superseded = new ArrayList<>();
        for (Integer k : kept.keySet()) {
            if (k > cycle) {
                superseded.add(k);
            }
        }
        if (!superseded.isEmpty()) {
            if (!reportedSuperseded) {
                reportedSuperseded = true;
                SnapshotListener.LOG.warn("snapshots of cycles {} in {} come from an earlier run that went further than"
                        + " cycle {}: they are deleted first when keepLast needs room", superseded, directory, cycle);
            }
            LinkedHashMap<Integer, File> reordered = new LinkedHashMap<>();
            for (Integer k : superseded) {
                reordered.put(k, kept.remove(k));
            }
            reordered.putAll(kept);
            kept.clear();
            kept.putAll(reordered);
        }
        kept.put(cycle, file);
        boolean deleted = false;
        while (keepLast > 0 && kept.size() > keepLast) {
            Integer oldest = kept.keySet().iterator().next();
            File old = kept.remove(oldest);
            try {
                deleted |= Files.deleteIfExists(old.toPath());
            } catch (IOException e) {
                SnapshotListener.report("SnapshotListener: could not delete the old snapshot " + old + " (keepLast "
                        + keepLast + "): " + e, null);
            }
        }
        if (deleted) {   // the new snapshot's rename was synced by AtomicFiles.write; a deletion needs its own sync
            AtomicFiles.syncFolder(directory.toPath());
        }
    }

    /** The snapshot files kept in the folder that still exist, oldest first. */
    List<File> snapshots() {
        List<File> files = new ArrayList<>();
        for (File f : kept.values()) {
            if (f.isFile()) {
                files.add(f);
            }
        }
        return Collections.unmodifiableList(files);
    }
}
