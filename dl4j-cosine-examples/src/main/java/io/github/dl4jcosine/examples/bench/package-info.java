/**
 * Benchmarks: the cost of one {@code valueAt} call per schedule
 * ({@link io.github.dl4jcosine.examples.bench.ValueAtBenchmark}) and the training overhead of a schedule against
 * DL4J's {@code FixedSchedule} ({@link io.github.dl4jcosine.examples.bench.TrainingOverhead}). Run with
 * {@code bench/jmh.sh} (JMH) and {@code bench/training-overhead.sh}; the figures are in docs/BENCHMARKS.md.
 */
package io.github.dl4jcosine.examples.bench;
