package io.github.dl4jcosine.docs;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every {@code ```java} block of the README and of every guide page under {@code docs/} with
 * {@code javax.tools.JavaCompiler} against this module's test classpath (the library, DL4J/ND4J, ParallelWrapper),
 * so every snippet compiles as shown, imports included.
 *
 * <p>The rule, also stated at the top of the README:
 * <ol>
 *   <li>Every fenced block that opens with {@code ```java} (indented or not, e.g. inside a list item) is a
 *       snippet. Other languages ({@code ```bash}, {@code ```json}, {@code ```xml}, ...) are not compiled.</li>
 *   <li>A snippet that declares a top-level type (a line that starts, without indentation, with
 *       {@code class}, {@code interface}, {@code enum} or {@code record}, possibly after modifiers such as
 *       {@code public final}), or has a {@code package} line, is a complete compilation unit and is compiled as
 *       is (in a package of its own unless it names one).</li>
 *   <li>Otherwise its leading {@code import} lines stay at the top, and the rest (statements, comments) becomes the
 *       body of a method {@code void snippet() throws Exception} in a class of its own. Nothing is imported for
 *       it: a snippet names every type it uses through its own imports.</li>
 *   <li>The objects a reader already has are fields of that class, with fully qualified types (so they import
 *       nothing), and a snippet may declare its own variable of the same name: {@link #CONTEXT}.</li>
 * </ol>
 * A failure names the snippet by its file and line and gives each compiler error at the line it points to.
 */
class ReadmeSnippetsTest {

    /** The README and the guide pages, relative to the module directory (Maven runs tests there). */
    static final Path README = Paths.get("../README.md");
    static final Path DOCS = Paths.get("../docs");

    /** "Your objects": what a statement snippet may use without declaring it (name -> fully qualified type). */
    static final Map<String, String> CONTEXT = new LinkedHashMap<>();

    static {
        CONTEXT.put("net", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork");
        CONTEXT.put("graph", "org.deeplearning4j.nn.graph.ComputationGraph");
        CONTEXT.put("pretrained", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork");
        CONTEXT.put("conf", "org.deeplearning4j.nn.conf.MultiLayerConfiguration");
        CONTEXT.put("trainIter", "org.nd4j.linalg.dataset.api.iterator.DataSetIterator");
        CONTEXT.put("testIter", "org.nd4j.linalg.dataset.api.iterator.DataSetIterator");
        CONTEXT.put("schedule", "org.nd4j.linalg.schedule.ISchedule");
        CONTEXT.put("epochs", "int");
        CONTEXT.put("iterationsPerEpoch", "int");
    }

    private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```java\\s*$");
    private static final Pattern FENCE_ANY = Pattern.compile("^\\s*```.*$");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*(//.*)?$");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile("^(package\\s.*|((public|abstract|final|sealed"
            + "|non-sealed|strictfp)\\s+)*(class|interface|enum|record|@interface)\\s+\\w+.*)");

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+((abstract|final|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)"
            + "\\s+(?<name>\\w+).*");

    /** One ```java block: its file, its lines (fence indentation removed) and the file line of its first line. */
    static final class Snippet {
        final String file;
        final int firstLine;
        final List<String> lines;

        Snippet(String file, int firstLine, List<String> lines) {
            this.file = file;
            this.firstLine = firstLine;
            this.lines = lines;
        }

        /** The file line of the fence that opens this snippet. */
        int fenceLine() {
            return firstLine - 1;
        }
    }

    /** A snippet as a compilation unit, with the map from unit lines back to README lines. */
    static final class Unit {
        final Snippet snippet;
        final String packageName;
        final String className;
        final String source;
        final int[] readmeLine;      // unit line (1-based) -> README line, 0 for lines the wrapper added

        Unit(Snippet snippet, String packageName, String className, String source, int[] readmeLine) {
            this.snippet = snippet;
            this.packageName = packageName;
            this.className = className;
            this.source = source;
            this.readmeLine = readmeLine;
        }

        int readmeLineOf(long unitLine) {
            return unitLine >= 1 && unitLine < readmeLine.length ? readmeLine[(int) unitLine] : 0;
        }
    }

    /** Every ```java block of {@code markdown}, in order, as a block of README.md. */
    static List<Snippet> extract(List<String> markdown) {
        return extract("README.md", markdown);
    }

    /** Every ```java block of {@code markdown}, the text of {@code file} (as named in messages), in order. */
    static List<Snippet> extract(String file, List<String> markdown) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            Matcher open = FENCE_OPEN.matcher(markdown.get(i));
            if (!open.matches()) {
                if (FENCE_ANY.matcher(markdown.get(i)).matches()) {
                    i = closingFence(markdown, i);    // skip other languages' blocks whole
                }
                continue;
            }
            int indent = open.group(1).length();
            int close = closingFence(markdown, i);
            if (close == markdown.size()) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": ```java block is never closed");
            }
            List<String> lines = new ArrayList<>();
            for (int j = i + 1; j < close; j++) {
                String line = markdown.get(j);
                int strip = Math.min(indent, line.length() - line.stripLeading().length());
                lines.add(line.substring(strip));
            }
            snippets.add(new Snippet(file, i + 2, lines));
            i = close;
        }
        return snippets;
    }

    private static int closingFence(List<String> markdown, int open) {
        int j = open + 1;
        while (j < markdown.size() && !markdown.get(j).strip().equals("```")) {
            j++;
        }
        return j;
    }

    /** The snippet as a compilation unit, by the rule in the class comment. */
    static Unit wrap(Snippet s) {
        String className = "SnippetAtLine" + s.fenceLine();
        String pkg = "snippet." + s.file.replaceAll("\\.md$", "").replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT)
                + ".line" + s.fenceLine();
        List<String> out = new ArrayList<>();
        List<Integer> map = new ArrayList<>();
        map.add(0);                                      // unit lines are 1-based
        boolean complete = s.lines.stream().anyMatch(l -> TOP_LEVEL_TYPE.matcher(l).matches());
        if (complete) {
            for (String line : s.lines) {
                Matcher named = PUBLIC_TYPE.matcher(line);
                if (line.startsWith("package ")) {
                    pkg = line.substring("package ".length()).replace(";", "").strip();
                } else if (named.matches()) {
                    className = named.group("name");         // javac wants a public class in a file of its name
                }
            }
            if (s.lines.stream().noneMatch(l -> l.startsWith("package "))) {
                add(out, map, "package " + pkg + ";", 0);    // its own package: class names may repeat
            }
            for (int i = 0; i < s.lines.size(); i++) {
                add(out, map, s.lines.get(i), s.firstLine + i);
            }
            return new Unit(s, pkg, className, String.join("\n", out) + "\n", toArray(map));
        }
        int body = 0;
        while (body < s.lines.size() && (s.lines.get(body).isBlank() || IMPORT.matcher(s.lines.get(body)).matches())) {
            body++;
        }
        add(out, map, "package " + pkg + ";", 0);
        for (int i = 0; i < body; i++) {
            add(out, map, s.lines.get(i), s.firstLine + i);
        }
        add(out, map, "@SuppressWarnings(\"all\")", 0);
        add(out, map, "class " + className + " {", 0);
        CONTEXT.forEach((name, type) -> add(out, map, "    " + type + " " + name + ";", 0));
        add(out, map, "    void snippet() throws Exception {", 0);
        for (int i = body; i < s.lines.size(); i++) {
            add(out, map, s.lines.get(i), s.firstLine + i);
        }
        add(out, map, "    }", 0);
        add(out, map, "}", 0);
        return new Unit(s, pkg, className, String.join("\n", out) + "\n", toArray(map));
    }

    private static void add(List<String> out, List<Integer> map, String line, int readmeLine) {
        out.add(line);
        map.add(readmeLine);
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Compiler errors of {@code unit} as "FILE line N: message", empty when it compiles. */
    static List<String> compile(Unit unit, Path classesDir) throws IOException {
        return compileAll(List.of(unit), classesDir).get(unit);
    }

    /**
     * Compiles the units in one javac run (each is in a package of its own, so they cannot clash) and returns each
     * unit's errors as "FILE line N: message".
     */
    static Map<Unit, List<String>> compileAll(List<Unit> units, Path classesDir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<JavaFileObject, Unit> sources = new LinkedHashMap<>();
        for (Unit unit : units) {
            sources.put(new SimpleJavaFileObject(URI.create("string:///" + unit.packageName.replace('.', '/') + "/"
                    + unit.className + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return unit.source;
                }
            }, unit);
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", testClasspath(), "-d", classesDir.toString(), "-proc:none",
                    "-nowarn", "-Xlint:none", "-Xmaxerrs", "10000");
            javac.getTask(null, files, diagnostics, options, null, sources.keySet()).call();
        }
        Map<Unit, List<String>> errors = new LinkedHashMap<>();
        units.forEach(u -> errors.put(u, new ArrayList<>()));
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Unit unit = sources.get(d.getSource());
                if (unit == null) {
                    throw new IllegalStateException("javac: " + d.getMessage(Locale.ROOT));
                }
                int line = unit.readmeLineOf(d.getLineNumber());
                errors.get(unit).add((line > 0 ? unit.snippet.file + " line " + line : "(wrapper line " + d.getLineNumber() + ")")
                        + ": " + d.getMessage(Locale.ROOT).replace('\n', ' '));
            }
        }
        return errors;
    }

    /** Surefire hands the test classpath over in a property (java.class.path may be a manifest-only jar). */
    private static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    /** README.md and every {@code .md} file under docs/, as named in messages ("docs/units.md"), in a fixed order. */
    static Map<String, Path> markdownFiles() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("README.md", README);
        if (Files.isDirectory(DOCS)) {
            try (Stream<Path> walk = Files.walk(DOCS)) {
                walk.filter(p -> p.toString().endsWith(".md")).sorted()
                        .forEach(p -> files.put("docs/" + DOCS.relativize(p).toString().replace(File.separatorChar, '/'), p));
            }
        }
        return files;
    }

    /** One test per ```java block of the README and the guide pages, named by the file and line of its fence. */
    @TestFactory
    Stream<DynamicTest> everyJavaBlockOfTheDocsCompiles() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Map.Entry<String, Path> f : markdownFiles().entrySet()) {
            snippets.addAll(extract(f.getKey(), Files.readAllLines(f.getValue(), StandardCharsets.UTF_8)));
        }
        assertFalse(snippets.isEmpty(), "no ```java block found in " + README.toAbsolutePath() + " or " + DOCS);
        List<Unit> units = new ArrayList<>();
        snippets.forEach(s -> units.add(wrap(s)));
        Path classes = Files.createTempDirectory("readme-snippets");
        Map<Unit, List<String>> errors;
        try {
            errors = compileAll(units, classes);
        } finally {
            deleteTree(classes);
        }
        return units.stream().map(u -> DynamicTest.dynamicTest(u.snippet.file + " line " + u.snippet.fenceLine(), () -> {
            if (!errors.get(u).isEmpty()) {
                boolean missingPackage = errors.get(u).stream()
                        .anyMatch(e -> e.matches(".*: package \\S+ does not exist"));
                fail("the ```java block at " + u.snippet.file + " line " + u.snippet.fenceLine() + " does not compile:\n  "
                        + String.join("\n  ", errors.get(u)) + (missingPackage ? "\n(a package that is not on the"
                        + " dl4j-cosine-schedules test classpath: add a missing import, or see the comment at the top"
                        + " of README.md for code that needs another module)" : ""));
            }
        }));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** The checker itself: a missing import fails, at the README line of the offending code. */
    @Test
    void aSnippetWithoutItsImportFailsAtItsReadmeLine() throws IOException {
        List<String> markdown = List.of("# t", "", "```java", "ISchedule s = new FixedSchedule(0.1);", "```");
        List<Snippet> snippets = extract(markdown);
        assertEquals(1, snippets.size());
        Path classes = Files.createTempDirectory("readme-snippets");
        try {
            List<String> errors = compile(wrap(snippets.get(0)), classes);
            assertFalse(errors.isEmpty());
            assertTrue(errors.get(0).startsWith("README.md line 4: cannot find symbol"), errors.toString());

            List<String> fixed = List.of("```java", "import org.nd4j.linalg.schedule.FixedSchedule;",
                    "import org.nd4j.linalg.schedule.ISchedule;", "", "ISchedule s = new FixedSchedule(0.1);",
                    "net.setLearningRate(s);                     // net: one of the reader's objects", "```");
            assertEquals(List.of(), compile(wrap(extract(fixed).get(0)), classes));
        } finally {
            deleteTree(classes);
        }
    }

    /** Indented blocks (inside list items) count; other languages do not; a whole class compiles as is. */
    @Test
    void extractionRules() throws IOException {
        List<String> markdown = List.of("- item:", "", "  ```java", "  int x = 1;", "    int y = x;", "  ```", "",
                "```bash", "```java is not a fence here", "```", "```java", "public final class Whole {",
                "    static int twice(int x) {", "        return 2 * x;", "    }", "}", "```");
        List<Snippet> snippets = extract(markdown);
        assertEquals(2, snippets.size());
        assertEquals(List.of("int x = 1;", "  int y = x;"), snippets.get(0).lines);
        assertEquals(4, snippets.get(0).firstLine);
        assertEquals(12, snippets.get(1).firstLine);
        Path classes = Files.createTempDirectory("readme-snippets");
        try {
            Unit whole = wrap(snippets.get(1));
            assertFalse(whole.source.contains("void snippet()"), whole.source);
            assertEquals(List.of(), compile(whole, classes));
            assertEquals(List.of(), compile(wrap(snippets.get(0)), classes));
        } finally {
            deleteTree(classes);
        }
    }
}
