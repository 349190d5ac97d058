package io.github.dl4jcosine.listener;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact row storage of {@link LearningRateListener}: per recorded update of a model, its distinct values
 * once, with a shared {@link Layout} of which layer has which value (a 60-layer network whose layers share one
 * schedule stores one number per update). {@link #records()} expands them per layer on demand; the CSV is written
 * from the rows. Not thread-safe: the listener synchronizes.
 */
final class RateRows implements Serializable {

    private static final long serialVersionUID = 20261129L;

    /** The CSV header line. */
    static final String HEADER = "iteration,epoch,layer,learningRate,model\n";

    /** Which layer has which of a row's values; shared by every row of a model with the same pattern. */
    static final class Layout implements Serializable {
        private static final long serialVersionUID = 20261129L;

        final String[] names;
        final int[] slot;

        Layout(String[] names, int[] slot) {
            this.names = names;
            this.slot = slot;
        }
    }

    /** One recorded update of one model: its distinct values, and the layout that maps layers to them. */
    static final class Row implements Serializable {
        private static final long serialVersionUID = 20261129L;

        final int iteration;
        final int epoch;
        final int model;
        final Layout layout;
        final double[] values;

        Row(int iteration, int epoch, int model, Layout layout, double[] values) {
            this.iteration = iteration;
            this.epoch = epoch;
            this.model = model;
            this.layout = layout;
            this.values = values;
        }

        /** This row's CSV lines, one per layer. */
        void appendCsv(StringBuilder out) {
            for (int i = 0; i < layout.slot.length; i++) {
                out.append(iteration).append(',').append(epoch).append(',').append(csvField(layout.names[i]))
                        .append(',').append(values[layout.slot[i]]).append(',').append(model).append('\n');
            }
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private long storedValues;

    void add(Row row) {
        rows.add(row);
        storedValues += row.values.length;
    }

    /** How many rows are held. */
    int size() {
        return rows.size();
    }

    /** How many values are held: one per distinct value of each row. */
    long storedValues() {
        return storedValues;
    }

    /** A view of every record, one per layer per row, fixed at the time of the call. */
    List<LearningRateListener.Record> records() {
        final Row[] snapshot = rows.toArray(new Row[0]);
        final long[] offsets = new long[snapshot.length + 1];
        for (int i = 0; i < snapshot.length; i++) {
            offsets[i + 1] = offsets[i] + snapshot[i].layout.slot.length;
        }
        final int size = (int) Math.min(Integer.MAX_VALUE, offsets[snapshot.length]);
        return new AbstractList<LearningRateListener.Record>() {
            @Override
            public LearningRateListener.Record get(int index) {
                if (index < 0 || index >= size) {
                    throw new IndexOutOfBoundsException("index (" + index + ") must be in [0, " + size + ")");
                }
                int r = Arrays.binarySearch(offsets, index);   // offsets strictly increase: every row has layers
                r = r >= 0 ? r : -r - 2;
                Row row = snapshot[r];
                int layer = (int) (index - offsets[r]);
                return new LearningRateListener.Record(row.iteration, row.epoch, row.layout.names[layer],
                        row.values[row.layout.slot[layer]], row.model);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The rows held now, for writing the CSV outside the listener's lock. */
    Row[] snapshot() {
        return rows.toArray(new Row[0]);
    }

    /** The header and every row of {@code snapshot} to {@code out}. */
    static void writeCsv(Row[] snapshot, Appendable out) {
        try {
            out.append(HEADER);
            StringBuilder line = new StringBuilder();
            for (Row r : snapshot) {
                line.setLength(0);
                r.appendCsv(line);
                out.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
