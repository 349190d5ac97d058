/**
 * The Spark example (not part of the library): {@link io.github.dl4jcosine.spark.SparkFashionMnist} trains a small
 * CNN on Fashion-MNIST with parameter averaging and a schedule sized in Spark's units (iterations per epoch =
 * examples / (batch per worker x workers)). Run it with {@code --help} for the flags.
 */
package io.github.dl4jcosine.spark;
