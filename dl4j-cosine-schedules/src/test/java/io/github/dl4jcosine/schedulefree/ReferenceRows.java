package io.github.dl4jcosine.schedulefree;

import org.nd4j.linalg.learning.config.IUpdater;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows written by {@code src/test/resources/schedulefree/generate_schedulefree_reference.py}: the
 * {@code schedulefree} 1.4.1 package's own AdamWScheduleFree and SGDScheduleFree (foreach=False, float64,
 * PyTorch 1.13) on a quadratic with noise, every option. See the script for the columns.
 */
final class ReferenceRows {

    /** One configuration and its trajectory: {@code [step][i]}. */
    static final class Case {
        final String name;
        final IUpdater config;
        final double weightDecay;
        final int n;
        final int steps;
        final double[][] yBefore;
        final double[][] grad;
        final double[][] yAfter;
        final double[][] xAfter;

        Case(String name, IUpdater config, double weightDecay, int n, int steps) {
            this.name = name;
            this.config = config;
            this.weightDecay = weightDecay;
            this.n = n;
            this.steps = steps;
            yBefore = new double[steps][n];
            grad = new double[steps][n];
            yAfter = new double[steps][n];
            xAfter = new double[steps][n];
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private ReferenceRows() {
    }

    static List<Case> load() throws IOException {
        Map<String, Case> cases = new LinkedHashMap<>();
        for (String line : lines("schedulefree-1.4.1-cases.csv")) {
            String[] f = line.substring(0, line.indexOf(",\"")).split(",", -1);
            String kind = f[1];
            double lr = Double.parseDouble(f[2]);
            double beta1 = Double.parseDouble(f[3]);
            double wd = Double.parseDouble(f[6]);
            int warmup = Integer.parseInt(f[7]);
            double r = Double.parseDouble(f[8]);
            double power = Double.parseDouble(f[9]);
            IUpdater config = kind.equals("adamw")
                    ? ScheduleFreeAdamW.builder().learningRate(lr).beta1(beta1).beta2(Double.parseDouble(f[4]))
                        .epsilon(Double.parseDouble(f[5])).weightDecay(wd).warmupSteps(warmup).r(r).weightLrPower(power)
                        .build()
                    : ScheduleFreeSgd.builder().learningRate(lr).momentum(beta1).weightDecay(wd).warmupSteps(warmup)
                        .r(r).weightLrPower(power).build();
            cases.put(f[0], new Case(f[0], config, wd, Integer.parseInt(f[10]), Integer.parseInt(f[11])));
        }
        for (String line : lines("schedulefree-1.4.1-reference.csv")) {
            String[] f = line.split(",");
            Case c = cases.get(f[0]);
            int step = Integer.parseInt(f[1]);
            int i = Integer.parseInt(f[2]);
            c.yBefore[step][i] = Double.parseDouble(f[3]);
            c.grad[step][i] = Double.parseDouble(f[4]);
            c.yAfter[step][i] = Double.parseDouble(f[5]);
            c.xAfter[step][i] = Double.parseDouble(f[6]);
        }
        return new ArrayList<>(cases.values());
    }

    private static List<String> lines(String file) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = ReferenceRows.class.getResourceAsStream("/schedulefree/" + file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
        }
        return out;
    }
}
