package io.github.dl4jcosine.examples.data;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.datasets.iterator.impl.Cifar10DataSetIterator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.common.primitives.Pair;
import org.deeplearning4j.datasets.fetchers.DataSetType;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Training and test iterators for the examples: CIFAR-10 through DL4J's {@code Cifar10DataSetIterator}
 * (real data from DL4J's cache or download; offline, a synthetic stand-in read through the same
 * iterator), or Fashion-MNIST from IDX files. Pixels are scaled to [0, 1].
 */
public final class ImageData {

    /** Default location of Debian's {@code dataset-fashion-mnist} package. */
    public static final File FASHION_MNIST_DIR = new File("/usr/share/datasets/fashion-mnist");

    private final DataSetIterator train;
    private final DataSetIterator test;
    private final int height;
    private final int width;
    private final int channels;
    private final int trainExamples;
    private final int testExamples;
    private final int batch;
    private final String description;
    private final String title;

    private ImageData(DataSetIterator train, DataSetIterator test, int height, int width, int channels,
                      int trainExamples, int testExamples, int batch, String description, String title) {
        this.train = train;
        this.test = test;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.trainExamples = trainExamples;
        this.testExamples = testExamples;
        this.batch = batch;
        this.description = description;
        this.title = title;
    }

    /**
     * CIFAR-10 through {@code Cifar10DataSetIterator}, {@code trainSize} / {@code testSize} random
     * examples (rounded down to whole minibatches). {@code dataDir}, if not null, becomes DL4J's resource
     * directory (CIFAR-10 then lives in {@code dataDir/data/cifar10}). If the real data can be neither
     * found nor downloaded, says so in one line on {@code log}, writes a synthetic data set under
     * {@code syntheticDir} and reads that instead.
     */
    public static ImageData cifar10(File dataDir, File syntheticDir, int trainSize, int testSize, int batch, long seed,
                                    java.io.PrintStream log) {
        if (dataDir != null) {
            if (!dataDir.isDirectory() && !dataDir.mkdirs()) {
                throw new UncheckedIOException(new IOException("cannot create the data directory " + dataDir));
            }
            DL4JResources.setBaseDirectory(dataDir);
        }
        String description = "CIFAR-10 from " + new File(DL4JResources.getBaseDirectory(), "data/cifar10");
        String title = "CIFAR-10";
        Pair<DataSetIterator, DataSetIterator> its;
        try {
            its = cifarIterators(batch, seed);
        } catch (RuntimeException e) {
            log.println("CIFAR-10 is not cached and could not be downloaded (" + rootMessage(e)
                    + "); using a synthetic CIFAR-shaped data set in " + syntheticDir + " instead.");
            File cache = new File(syntheticDir, "data/cifar10");
            int trainPerClass = Math.max(1, (trainSize + 9) / 10);
            int testPerClass = Math.max(1, (testSize + 9) / 10);
            try {
                if (count(new File(cache, "train/0")) < trainPerClass || count(new File(cache, "test/0")) < testPerClass) {
                    SyntheticCifar10.write(cache, trainPerClass, testPerClass, seed);
                }
            } catch (IOException io) {
                throw new UncheckedIOException("could not write the synthetic data set to " + cache, io);
            }
            DL4JResources.setBaseDirectory(syntheticDir);
            its = cifarIterators(batch, seed);
            description = "synthetic CIFAR-shaped data (offline stand-in) from " + cache;
            title = "synthetic CIFAR-10 stand-in (offline)";
        }
        return new ImageData(limit(its.getFirst(), trainSize, batch), limit(its.getSecond(), testSize, batch),
                32, 32, 3, Math.max(1, trainSize / batch) * batch, Math.max(1, testSize / batch) * batch, batch,
                description, title);
    }

    private static int count(File dir) {
        String[] names = dir.list();
        return names == null ? 0 : names.length;
    }

    private static Pair<DataSetIterator, DataSetIterator> cifarIterators(int batch, long seed) {
        DataSetIterator train = new Cifar10DataSetIterator(batch, null, DataSetType.TRAIN, null, seed);
        DataSetIterator test = new Cifar10DataSetIterator(batch, null, DataSetType.TEST, null, seed);
        DataSetPreProcessor scale = new ImagePreProcessingScaler(0, 1);
        train.setPreProcessor(scale);
        test.setPreProcessor(scale);
        return new Pair<>(train, test);
    }

    private static DataSetIterator limit(DataSetIterator it, int examples, int batch) {
        return new EarlyTerminationDataSetIterator(it, Math.max(1, examples / batch));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Fashion-MNIST from the four IDX files (gzip) in {@code dir}, first {@code trainSize}/{@code testSize} examples. */
    public static ImageData fashionMnist(File dir, int trainSize, int testSize, int batch, long seed) {
        try {
            DataSet train = IdxReader.read(new File(dir, "train-images-idx3-ubyte.gz"),
                    new File(dir, "train-labels-idx1-ubyte.gz"), trainSize, 10);
            DataSet test = IdxReader.read(new File(dir, "t10k-images-idx3-ubyte.gz"),
                    new File(dir, "t10k-labels-idx1-ubyte.gz"), testSize, 10);
            train.shuffle(seed);
            List<DataSet> trainList = train.asList();
            return new ImageData(new ListDataSetIterator<>(trainList, batch), new ListDataSetIterator<>(test.asList(), batch),
                    28, 28, 1, trainList.size(), test.numExamples(), batch, "Fashion-MNIST from " + dir,
                    "Fashion-MNIST");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read Fashion-MNIST from " + dir
                    + " (on Debian: apt-get install dataset-fashion-mnist)", e);
        }
    }

    public DataSetIterator train() {
        return train;
    }

    public DataSetIterator test() {
        return test;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Training examples per epoch. */
    public int trainExamples() {
        return trainExamples;
    }

    /** Test examples evaluated after each epoch. */
    public int testExamples() {
        return testExamples;
    }

    /** Minibatches per training epoch. */
    public int iterationsPerEpoch() {
        return (trainExamples + batch - 1) / batch;
    }

    public String description() {
        return description;
    }

    /** The data set's name for chart titles, saying whether it is the synthetic stand-in. */
    public String title() {
        return title;
    }
}
