/**
 * Runnable examples (not part of the library): {@link io.github.dl4jcosine.examples.TrainCifar10} trains a compact
 * CNN on CIFAR-10 or Fashion-MNIST under one schedule or compares several at the same budget;
 * {@link io.github.dl4jcosine.examples.PreviewSchedule} prints a schedule as training would see it, without
 * training. Run either with {@code --help} for the flags.
 */
package io.github.dl4jcosine.examples;
