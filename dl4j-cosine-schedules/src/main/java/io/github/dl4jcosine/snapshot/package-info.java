/**
 * Snapshot ensembles (Huang et al., 2017): save the network at the end of each cosine cycle, then average the
 * snapshots' predictions.
 *
 * <p>Where to start: {@link io.github.dl4jcosine.snapshot.SnapshotListener} saves a kill-safe snapshot at the end
 * of each restart cycle of a {@code CosineWarmRestartsSchedule} (or a schedule wrapping one);
 * {@link io.github.dl4jcosine.snapshot.SnapshotEnsemble} loads the files and evaluates each snapshot and the
 * ensemble. The guide page {@code docs/snapshots.md} covers counters, kill safety, {@code ParallelWrapper} and Spark.
 *
 * <p>For maintainers: {@code SnapshotListener} decides when to save; {@code SnapshotFolder} owns the file names,
 * the scan, the collision check and {@code keepLast} pruning; {@code MisuseGuards} refuses or reports the setups
 * that would miss snapshots. Files are written by {@code io.github.dl4jcosine.internal.AtomicFiles}.
 */
package io.github.dl4jcosine.snapshot;
