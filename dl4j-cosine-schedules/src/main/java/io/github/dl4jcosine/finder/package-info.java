/**
 * The learning-rate range test: which peak rate to give a one-cycle, warmup-cosine or restart schedule. Start with
 * {@link io.github.dl4jcosine.finder.LearningRateFinder}: {@code LearningRateFinder.builder().build().find(net,
 * trainIter)} trains a copy of the network for at most 100 updates while the rate grows from 1e-7 to 10, and its
 * {@link io.github.dl4jcosine.finder.LearningRateFinder.Result} holds the recorded curve (rates, losses, smoothed
 * losses, CSV) and the three {@link io.github.dl4jcosine.finder.LearningRateFinder.Suggestion}s. The caller's
 * network is never changed. Guide: docs/range-test.md.
 */
package io.github.dl4jcosine.finder;
