/**
 * The misconfiguration check: finds, before or during training, a schedule that would waste the run (a rate of 0
 * for a whole epoch, periods in the wrong unit, a jump at a seam between composed parts, restarts cut part-way, an
 * epoch counter that never moves).
 *
 * <p>Where to start: {@link io.github.dl4jcosine.check.ScheduleCheck} ({@code forTraining(epochs,
 * iterationsPerEpoch).check(net)}, {@code checkOrThrow}, and {@code forSpark} for Spark's per-worker counters);
 * each {@link io.github.dl4jcosine.check.ScheduleCheck.Finding} has a
 * {@link io.github.dl4jcosine.check.ScheduleCheck.Severity}. To check during training, attach
 * {@link io.github.dl4jcosine.check.ScheduleCheckListener}.
 */
package io.github.dl4jcosine.check;
