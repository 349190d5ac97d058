/**
 * Data for the examples: CIFAR-10 through DL4J's own iterator (or a synthetic CIFAR-shaped stand-in when offline)
 * and Fashion-MNIST from IDX files. Start at {@link io.github.dl4jcosine.examples.data.ImageData}.
 */
package io.github.dl4jcosine.examples.data;
