/**
 * Snapshot ensembles (Huang et al., 2017): save the network at the end of each cosine cycle, then average the
 * snapshots' predictions.
 *
 * <p>Where to start: {@link io.github.dl4jcosine.snapshot.SnapshotListener} saves a kill-safe snapshot at the end
 * of each restart cycle of a {@code CosineWarmRestartsSchedule} (or a schedule wrapping one);
 * {@link io.github.dl4jcosine.snapshot.SnapshotEnsemble} loads the files and evaluates each snapshot and the
 * ensemble.
 */
package io.github.dl4jcosine.snapshot;
