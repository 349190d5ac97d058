/**
 * Looking at a schedule before training with it, without a plotting dependency: the values DL4J would ask for, as a
 * table, CSV or a text chart, and the seam check (jumps between the parts of a composed schedule).
 *
 * <p>Where to start: {@link io.github.dl4jcosine.preview.SchedulePreview} ({@code iterations(schedule, updates,
 * iterationsPerEpoch)}, then {@code toChart}, {@code toCsv}, {@code checkSeams});
 * {@link io.github.dl4jcosine.preview.SeamReport} is what {@code checkSeams} returns.
 */
package io.github.dl4jcosine.preview;
