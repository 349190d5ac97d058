package io.github.dl4jcosine.snapshot;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Averages the predicted class probabilities of several snapshots of one network (snapshot ensembles,
 * Huang et al., 2017) and reports the accuracy of each snapshot and of the ensemble.
 *
 * <pre>{@code
 * SnapshotEnsemble.Result r = SnapshotEnsemble.load(snapshotListener.snapshots()).evaluate(testIter);
 * System.out.println(r);   // accuracy per snapshot, then the ensemble's
 * }</pre>
 */
public final class SnapshotEnsemble {

    /** Accuracies on one evaluation set. */
    public static final class Result {
        private final List<Double> snapshotAccuracies;
        private final double ensembleAccuracy;

        Result(List<Double> snapshotAccuracies, double ensembleAccuracy) {
            this.snapshotAccuracies = Collections.unmodifiableList(snapshotAccuracies);
            this.ensembleAccuracy = ensembleAccuracy;
        }

        /** Accuracy of each snapshot alone, in the order given. */
        public List<Double> snapshotAccuracies() {
            return snapshotAccuracies;
        }

        /** Accuracy of the averaged probabilities. */
        public double ensembleAccuracy() {
            return ensembleAccuracy;
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < snapshotAccuracies.size(); i++) {
                out.append(String.format(Locale.ROOT, "snapshot %d: accuracy %.4f%n", i, snapshotAccuracies.get(i)));
            }
            return out.append(String.format(Locale.ROOT, "ensemble of %d: accuracy %.4f%n", snapshotAccuracies.size(),
                    ensembleAccuracy)).toString();
        }
    }

    private final List<Model> models;

    private SnapshotEnsemble(List<Model> models) {
        this.models = models;
    }

    /**
     * An ensemble of networks already in memory.
     *
     * @throws IllegalArgumentException for a null or empty list, a null entry, or a model that is neither a
     *                                  {@code MultiLayerNetwork} nor a single-output {@code ComputationGraph}
     */
    public static SnapshotEnsemble of(List<? extends Model> models) {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models (" + models + ") must not be null or empty");
        }
        List<Model> checked = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            checked.add(check(models.get(i), "models[" + i + "]"));
        }
        return new SnapshotEnsemble(checked);
    }

    /** An ensemble of networks already in memory; see {@link #of(List)}. */
    public static SnapshotEnsemble of(Model... models) {
        return of(models == null ? null : Arrays.asList(models));
    }

    private static Model check(Model m, String name) {
        if (m == null) {
            throw new IllegalArgumentException(name + " (null) must not be null");
        }
        if (m instanceof ComputationGraph) {
            List<String> outputs = ((ComputationGraph) m).getConfiguration().getNetworkOutputs();
            if (outputs.size() != 1) {
                throw new IllegalArgumentException(name + " is a ComputationGraph with " + outputs.size()
                        + " outputs " + outputs + ": an ensemble averages the class probabilities of single-output "
                        + "models (a MultiLayerNetwork or a ComputationGraph with one output)");
            }
        } else if (!(m instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException(name + " (" + m.getClass().getName() + ") must be a MultiLayerNetwork "
                    + "or a single-output ComputationGraph");
        }
        return m;
    }

    /**
     * Loads saved {@code MultiLayerNetwork} or single-output {@code ComputationGraph} zips (as
     * {@link SnapshotListener} writes them, or {@code ModelSerializer}).
     *
     * @throws IllegalArgumentException for a null or empty list, a null entry, a missing file or one that is not a
     *                                  DL4J model zip, or a multi-output graph, naming the entry
     * @throws UncheckedIOException     when a file cannot be read
     */
    public static SnapshotEnsemble load(List<File> files) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("files (" + files + ") must not be null or empty");
        }
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            File f = files.get(i);
            String name = "files[" + i + "]";
            if (f == null) {
                throw new IllegalArgumentException(name + " (null) must not be null");
            }
            if (!f.isFile()) {
                throw new IllegalArgumentException(name + " (" + f + ") must be an existing file");
            }
            try {
                Model m = isGraph(f, name) ? ModelSerializer.restoreComputationGraph(f, false)
                        : ModelSerializer.restoreMultiLayerNetwork(f, false);
                models.add(check(m, name + " (" + f + ")"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not load snapshot " + name + " (" + f + ")", e);
            }
        }
        return new SnapshotEnsemble(models);
    }

    /** Loads saved model zips; see {@link #load(List)}. */
    public static SnapshotEnsemble load(File... files) {
        return load(files == null ? null : Arrays.asList(files));
    }

    /**
     * Whether the zip holds a {@code ComputationGraph}: the top level of its configuration JSON has
     * {@code "vertices"} (a graph) or {@code "confs"} (a {@code MultiLayerNetwork}). Only the top-level keys count,
     * so a layer named "vertices" changes nothing.
     */
    private static boolean isGraph(File f, String name) throws IOException {
        try (ZipFile zip = new ZipFile(f)) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null) {
                throw new IllegalArgumentException(name + " (" + f + ") is not a DL4J model zip: no "
                        + "configuration.json");
            }
            JsonNode root;
            try (InputStream in = zip.getInputStream(entry)) {
                root = new ObjectMapper().readTree(in);
            }
            if (root != null && root.isObject() && root.has("vertices") && !root.has("confs")) {
                return true;
            }
            if (root != null && root.isObject() && root.has("confs") && !root.has("vertices")) {
                return false;
            }
            throw new IllegalArgumentException(name + " (" + f + ") holds neither a MultiLayerNetwork (\"confs\") nor "
                    + "a ComputationGraph (\"vertices\") configuration");
        } catch (ZipException e) {
            throw new IllegalArgumentException(name + " (" + f + ") is not a DL4J model zip: " + e.getMessage(), e);
        }
    }

    /** The average of the snapshots' outputs for {@code features}. */
    public INDArray output(INDArray features) {
        INDArray sum = null;
        for (int i = 0; i < models.size(); i++) {
            sum = add(sum, outputOf(models.get(i), features), i);
        }
        return sum.divi(models.size());
    }

    /** {@code sum + out} (in place), refusing outputs of another shape: snapshots of another network. */
    private static INDArray add(INDArray sum, INDArray out, int index) {
        if (sum == null) {
            return out.dup();
        }
        if (!Arrays.equals(sum.shape(), out.shape())) {
            throw new IllegalArgumentException("model " + index + " gives outputs of shape "
                    + Arrays.toString(out.shape())
                    + " but model 0 gives " + Arrays.toString(sum.shape()) + ": the snapshots must be of one network");
        }
        return sum.addi(out);
    }

    private static INDArray outputOf(Model m, INDArray features) {
        return m instanceof MultiLayerNetwork ? ((MultiLayerNetwork) m).output(features, false)
                : ((ComputationGraph) m).outputSingle(false, features);
    }

    /** Accuracy of each snapshot and of the ensemble over {@code data} (reset first when it can be). */
    public Result evaluate(DataSetIterator data) {
        if (data.resetSupported()) {
            data.reset();
        }
        List<Evaluation> single = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            single.add(new Evaluation());
        }
        Evaluation ensemble = new Evaluation();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray sum = null;
            for (int i = 0; i < models.size(); i++) {
                INDArray out = outputOf(models.get(i), batch.getFeatures());
                single.get(i).eval(batch.getLabels(), out);
                sum = add(sum, out, i);
            }
            ensemble.eval(batch.getLabels(), sum.divi(models.size()));
        }
        List<Double> accuracies = new ArrayList<>();
        for (Evaluation e : single) {
            accuracies.add(e.accuracy());
        }
        return new Result(accuracies, ensemble.accuracy());
    }
}
