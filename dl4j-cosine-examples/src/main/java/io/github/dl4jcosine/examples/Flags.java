package io.github.dl4jcosine.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal {@code --name value} parser with {@code --help}; flags and defaults are declared by the caller. */
public final class Flags {

    private Flags() {
    }

    /**
     * @param args  the command line
     * @param flags name -> {default, help}
     * @return every flag's value (default unless given), or null after printing {@code --help}
     * @throws IllegalArgumentException on an unknown flag or a flag without a value
     */
    public static Map<String, String> parse(String[] args, Map<String, String[]> flags, String program, String summary) {
        Map<String, String> values = new LinkedHashMap<>();
        flags.forEach((name, spec) -> values.put(name, spec[0]));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("Usage: " + program + " [--flag value ...]\n" + summary + "\n");
                flags.forEach((name, spec) -> System.out.printf("  --%-22s %s (default: %s)%n", name, spec[1],
                        spec[0].isEmpty() ? "none" : spec[0]));
                return null;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (!flags.containsKey(name)) {
                throw new IllegalArgumentException("unknown flag " + arg + "; see --help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + arg + " needs a value; see --help");
            }
            values.put(name, args[++i]);
        }
        return values;
    }
}
