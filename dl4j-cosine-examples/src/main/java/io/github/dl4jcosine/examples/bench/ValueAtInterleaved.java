package io.github.dl4jcosine.examples.bench;

import org.nd4j.linalg.schedule.ISchedule;

import java.io.File;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A leaf's {@code valueAt} beside its floor ({@link ValueAtBenchmark#floor}) timed in alternation, for a machine that
 * other jobs load: JMH measures one benchmark after another, so a load that comes and goes lands on the leaf or on
 * its floor and moves their ratio; here the two (and, with {@code --baseline}, a previous build of the same leaf)
 * take turns in slices of {@value #CALLS} calls within one JVM, and each is scored by its 10th-percentile slice.
 * Another process can only make a slice slower, never faster, so a low percentile of many alternating slices is
 * close to the unloaded time of each, measured under the same conditions.
 *
 * <p>Each leaf, unit and position runs in a JVM of its own (like JMH's forks: every {@code valueAt} call site sees
 * one class), over {@value #K} consecutive updates from the position in the unit of {@link LeafTimes.Unit},
 * the floor at the leaf's own cosine arguments. With {@code --baseline DIR}, the leaf of the build in
 * {@code DIR/dl4j-cosine-schedules/target/classes} (a previous version's checkout, compiled) is timed too, loaded
 * in a class loader of its own. Results: printed, and written to {@code --csv} (default
 * {@code output/bench-interleaved.csv}).
 *
 * <pre>{@code
 * bash bench/interleaved.sh [--leaves A,B] [--units iteration,epoch,fraction] [--positions 10,2147483629]
 *                           [--slices 300] [--baseline DIR] [--csv FILE]
 * }</pre>
 */
public final class ValueAtInterleaved {

    /** Consecutive updates per pass. */
    static final int K = 16;
    /** Calls per slice: {@code K} updates, 2,000 passes (about 20 to 30 ms). */
    static final int CALLS = K * 2000;

    private static final String[] LEAVES = {"CosineAnnealing", "CosineWarmRestarts_x1", "CosineWarmRestarts",
        "CosineWarmRestarts_x1.5", "CosineWarmRestarts_x1.001", "WarmupCosine", "Linear", "OneCycle", "OneCycle_3phase",
        "WSD", "WSD_1-sqrt"};

    private ValueAtInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        String leaves = option(a, "--leaves", String.join(",", LEAVES));
        String units = option(a, "--units", "iteration,epoch,fraction");
        String positions = option(a, "--positions", "10,2147483629");
        int slices = Integer.parseInt(option(a, "--slices", "300"));
        String baseline = option(a, "--baseline", "");
        Path csv = Path.of(option(a, "--csv", "output/bench-interleaved.csv"));
        if (a.contains("--one")) {
            System.out.println(measure(a.get(a.indexOf("--one") + 1), a.get(a.indexOf("--one") + 2),
                    Integer.parseInt(a.get(a.indexOf("--one") + 3)), slices, baseline));
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        List<String> rows = new ArrayList<>();
        String header = "leaf,unit,position,baseline_ns,leaf_ns,floor_ns,baseline_ratio,leaf_ratio";
        System.out.println(header + "    (ns per call: 10th percentile of " + slices + " alternating slices)");
        for (String unit : units.split(",")) {
            for (String position : positions.split(",")) {
                for (String leaf : leaves.split(",")) {
                    Process p = new ProcessBuilder(java, "-cp", classpath, ValueAtInterleaved.class.getName(),
                            "--slices", String.valueOf(slices), "--baseline", baseline, "--one", leaf, unit, position)
                            .redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes()).trim();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException(leaf + " " + unit + " " + position + ": " + out);
                    }
                    System.out.println(out);
                    rows.add(out);
                }
            }
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(csv.toAbsolutePath().getParent(), "bench-interleaved", ".tmp");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(tmp))) {
            w.println(header);
            rows.forEach(w::println);
        }
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("written to " + csv.toAbsolutePath());
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    /** One leaf, unit and position: a CSV row (times in ns per call, ratios to the floor). */
    static String measure(String leaf, String unit, int position, int slices, String baseline) throws Exception {
        LeafTimes.Unit u = new LeafTimes.Unit(unit);
        ISchedule s = ValueAtBenchmark.create(leaf, u.type, u.perEpoch);
        ISchedule old = baseline.isEmpty() ? null : baselineLeaf(baseline, leaf, u);
        int[] iterations = new int[K];
        int[] epochs = new int[K];
        int[] counters = new int[K];
        int[] inEpochs = new int[K];
        double[] periods = new double[K];
        int first = u.iteration(position);
        for (int i = 0; i < K; i++) {
            iterations[i] = first + i;
            epochs[i] = u.epoch(iterations[i], position + i);
            counters[i] = u.counter(iterations[i], epochs[i]);
            inEpochs[i] = u.inEpoch(iterations[i], epochs[i]);
            double t = u.time(iterations[i], epochs[i]);
            periods[i] = LeafTimes.floorPeriod(t, LeafTimes.cosineArgument(s, iterations[i], epochs[i], t));
            if (old != null && Double.doubleToRawLongBits(old.valueAt(iterations[i], epochs[i]))
                    != Double.doubleToRawLongBits(s.valueAt(iterations[i], epochs[i]))) {
                throw new IllegalStateException(leaf + ": the baseline's value differs at (" + iterations[i] + ", "
                        + epochs[i] + ")");
            }
        }
        boolean fraction = u.fraction();
        double perEpoch = LeafTimes.PER_EPOCH;
        int passes = CALLS / K;
        double[][] times = new double[3][slices];
        long sink = 0;
        for (int warm = 0; warm < 40; warm++) {
            sink ^= old == null ? 0 : baselineLoop(old, iterations, epochs, passes);
            sink ^= leafLoop(s, iterations, epochs, passes);
            sink ^= floorLoop(fraction, counters, epochs, inEpochs, perEpoch, periods, passes);
        }
        for (int slice = 0; slice < slices; slice++) {
            for (int turn = 0; turn < 3; turn++) {
                int which = (turn + slice) % 3;   // rotate who goes first
                if (which == 0 && old == null) {
                    continue;
                }
                long start = System.nanoTime();
                sink ^= which == 0 ? baselineLoop(old, iterations, epochs, passes)
                        : which == 1 ? leafLoop(s, iterations, epochs, passes)
                        : floorLoop(fraction, counters, epochs, inEpochs, perEpoch, periods, passes);
                times[which][slice] = (System.nanoTime() - start) / (double) CALLS;
            }
        }
        double baselineNs = old == null ? Double.NaN : p10(times[0]);
        double leafNs = p10(times[1]);
        double floorNs = p10(times[2]);
        return String.format("%s,%s,%d,%.2f,%.2f,%.2f,%.3f,%.3f%s", leaf, unit, position, baselineNs, leafNs, floorNs,
                baselineNs / floorNs, leafNs / floorNs, sink == 42 ? " " : "");
    }

    private static double p10(double[] times) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 10];
    }

    /** The same leaf built from a previous checkout, in a class loader that looks there first for our classes. */
    private static ISchedule baselineLeaf(String baseline, String leaf, LeafTimes.Unit u) throws Exception {
        URL[] urls = {new File(baseline, "dl4j-cosine-schedules/target/classes/").toURI().toURL()};
        ClassLoader loader = new OwnClassesFirst(urls, ValueAtInterleaved.class.getClassLoader());
        // this class's create(...) compiled against the baseline's schedule classes
        Class<?> bench = loader.loadClass(ValueAtBenchmark.class.getName());
        Method create = bench.getDeclaredMethod("create", String.class, org.nd4j.linalg.schedule.ScheduleType.class,
                int.class);
        create.setAccessible(true);
        ISchedule s = (ISchedule) create.invoke(null, leaf, u.type, u.perEpoch);
        if (s.getClass() == ValueAtBenchmark.create(leaf, u.type, u.perEpoch).getClass()) {
            throw new IllegalStateException("the baseline leaf was loaded from this build, not from " + baseline);
        }
        return s;
    }

    /**
     * Loads {@code io.github.dl4jcosine.*} from its own URLs (the baseline's schedules) and, for the benchmark classes,
     * from this build's class files, so that {@code create} binds to the baseline's schedules; everything else
     * (DL4J, ND4J, the JDK) from the parent.
     */
    private static final class OwnClassesFirst extends URLClassLoader {

        OwnClassesFirst(URL[] urls, ClassLoader parent) {
            super(withBenchmarks(urls), parent);
        }

        private static URL[] withBenchmarks(URL[] urls) {
            URL[] all = Arrays.copyOf(urls, urls.length + 1);
            all[urls.length] = ValueAtInterleaved.class.getProtectionDomain().getCodeSource().getLocation();
            return all;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.github.dl4jcosine.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    // Three copies of one loop, so that each call site sees one class (the baseline's leaf is another class).

    private static long baselineLoop(ISchedule s, int[] iterations, int[] epochs, int passes) {
        long acc = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < K; i++) {
                acc ^= Double.doubleToRawLongBits(s.valueAt(iterations[i], epochs[i]));
            }
        }
        return acc;
    }

    private static long leafLoop(ISchedule s, int[] iterations, int[] epochs, int passes) {
        long acc = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < K; i++) {
                acc ^= Double.doubleToRawLongBits(s.valueAt(iterations[i], epochs[i]));
            }
        }
        return acc;
    }

    private static long floorLoop(boolean fraction, int[] counters, int[] epochs, int[] inEpochs, double perEpoch,
                                  double[] periods, int passes) {
        long acc = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < K; i++) {
                acc ^= Double.doubleToRawLongBits(LeafTimes.floor(fraction, counters[i], epochs[i], inEpochs[i],
                        perEpoch, periods[i]));
            }
        }
        return acc;
    }
}
