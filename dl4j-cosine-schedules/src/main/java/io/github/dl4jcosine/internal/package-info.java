/**
 * Not API: helpers that two or more capabilities of this library share, public only because Java 8 has no
 * module-private visibility. Nothing here is covered by compatibility promises; classes may change or go in any
 * release without notice. Do not use them from your code.
 *
 * <p>What lives here: {@link io.github.dl4jcosine.internal.AtomicFiles} (kill-safe file writes: temporary name,
 * sync, atomic rename), {@link io.github.dl4jcosine.internal.CsvStream} (a CSV log streamed to a file or
 * {@code Writer}, published atomically on close), {@link io.github.dl4jcosine.internal.ErrorReports} (an ERROR that
 * reaches the user without an SLF4J binding), {@link io.github.dl4jcosine.internal.UpdaterLayers} (the layers of a
 * network with a learning-rate updater), {@link io.github.dl4jcosine.internal.ModelCounters} (a network's iteration
 * and epoch counters) and {@link io.github.dl4jcosine.internal.IdentityWeakMap} (per-network state that does not
 * keep networks alive).
 */
package io.github.dl4jcosine.internal;
