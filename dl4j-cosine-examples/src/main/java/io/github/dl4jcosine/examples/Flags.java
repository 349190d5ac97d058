package io.github.dl4jcosine.examples;

import java.io.File;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal {@code --name value} parser with {@code --help}; flags and defaults are declared by the caller. A flag
 * whose default is {@code false} is a switch: {@code --overwrite} alone means {@code true}.
 */
public final class Flags {

    private Flags() {
    }

    /** {@link #parse(String[], Map, String, String, Function)} without notes. */
    public static Map<String, String> parse(String[] args, Map<String, String[]> flags, String program,
                                            String summary) {
        return parse(args, flags, program, summary, values -> "");
    }

    /**
     * @param args  the command line
     * @param flags name -> {default, help}; an empty default is not shown (the help says what happens without the flag)
     * @param notes text printed after the flag list, computed from the other flags given with {@code --help}
     *              (so {@code --epochs 10 --help} can describe what 10 epochs mean)
     * @return every flag's value (default unless given), or null after printing {@code --help}
     * @throws IllegalArgumentException on an unknown flag or a flag without a value
     */
    static Map<String, String> parse(String[] args, Map<String, String[]> flags, String program, String summary,
                                     Function<Map<String, String>, String> notes) {
        Map<String, String> values = new LinkedHashMap<>();
        flags.forEach((name, spec) -> values.put(name, spec[0]));
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (!flags.containsKey(name)) {
                throw new IllegalArgumentException("unknown flag " + arg + "; see --help");
            }
            boolean isSwitch = flags.get(name)[0].equals("false");
            if (isSwitch && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                values.put(name, "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + arg + " needs a value; see --help");
            }
            values.put(name, args[++i]);
        }
        if (help) {
            System.out.println("Usage: " + program + " [--flag value ...]\n" + summary + "\n");
            flags.forEach((name, spec) -> System.out.printf("  --%-22s %s%s%n", name, spec[1],
                    spec[0].isEmpty() || spec[0].equals("false") ? "" : " (default: " + spec[0] + ")"));
            String text = notes.apply(values);
            if (!text.isEmpty()) {
                System.out.println("\n" + text);
            }
            return null;
        }
        return values;
    }

    /** The integer flag {@code name}, which must be at least 1. */
    public static int positive(Map<String, String> opts, String name) {
        int v = Integer.parseInt(opts.get(name));
        if (v < 1) {
            throw new IllegalArgumentException(name + " (" + v + ") must be >= 1");
        }
        return v;
    }

    /** Declares the {@code --overwrite} switch that {@link #outputFolder} reads, last in {@code flags}. */
    public static void addOverwrite(Map<String, String[]> flags) {
        flags.put("overwrite", new String[] {"false", "write into an output folder that already holds files (without"
                + " it such a run stops before training)"});
    }

    /**
     * {@code out}, unless it already holds files and the {@code --overwrite} switch is off: then an
     * IllegalArgumentException naming the folder, its first files and both ways out.
     */
    public static File outputFolder(File out, Map<String, String> opts) {
        String[] existing = out.list();
        if (existing != null && existing.length > 0 && !Boolean.parseBoolean(opts.get("overwrite"))) {
            Arrays.sort(existing);
            throw new IllegalArgumentException("output folder " + out + " already holds results ("
                    + String.join(", ", Arrays.asList(existing).subList(0, Math.min(5, existing.length)))
                    + (existing.length > 5 ? ", ..." : "") + "): pass --overwrite to replace them, or --out another"
                    + " folder");
        }
        return out;
    }
}
