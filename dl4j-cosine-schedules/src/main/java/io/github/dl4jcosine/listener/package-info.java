/**
 * Training listeners that record the learning rate each layer applied.
 *
 * <p>Where to start: {@link io.github.dl4jcosine.listener.LearningRateListener} for a
 * {@code MultiLayerNetwork} or {@code ComputationGraph} (in memory, or streamed to a CSV file or {@code Writer}
 * without keeping rows), {@link io.github.dl4jcosine.listener.SameDiffLearningRateListener} for SameDiff training.
 * The misconfiguration check lives in {@code io.github.dl4jcosine.check}, snapshot ensembles in
 * {@code io.github.dl4jcosine.snapshot}.
 */
package io.github.dl4jcosine.listener;
