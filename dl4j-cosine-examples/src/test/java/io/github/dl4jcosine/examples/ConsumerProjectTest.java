package io.github.dl4jcosine.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone consumer project ({@code dl4j-cosine-examples/consumer}, not a module of this build, run by users with
 * {@code mvn compile exec:java} against the installed library) stays in step with the build: its POM names this
 * build's versions, and its class compiles at Java 8 against this build's library and DL4J and trains as its README
 * shows. So an API change that would break the copy a user makes breaks the build instead.
 */
class ConsumerProjectTest {

    /** Relative to the module directory (Maven runs tests there). */
    private static final Path CONSUMER = Paths.get("consumer");

    @Test
    void pomNamesThisBuildsVersionsAndOnePlatformsBackend() throws Exception {
        Element root = xml(Paths.get("../pom.xml"));
        Element consumer = xml(CONSUMER.resolve("pom.xml"));
        assertEquals(child(root, "version"), property(consumer, "dl4j-cosine.version"), "library version");
        assertEquals(property(root, "dl4j.version"), property(consumer, "dl4j.version"));
        assertEquals(property(root, "slf4j.version"), property(consumer, "slf4j.version"));

        List<String> dependencies = new ArrayList<>();
        NodeList nodes = consumer.getElementsByTagName("dependency");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element d = (Element) nodes.item(i);
            String classifier = child(d, "classifier");
            dependencies.add(child(d, "groupId") + ":" + child(d, "artifactId") + (classifier.isEmpty() ? "" : ":" + classifier));
        }
        // nd4j-native without a classifier: the natives of one platform (javacpp.platform, else the machine's);
        // nd4j-native-platform would bring every platform's
        assertEquals(List.of("io.github.dl4jcosine:dl4j-cosine-schedules", "org.deeplearning4j:deeplearning4j-nn",
                "org.nd4j:nd4j-native", "org.slf4j:slf4j-simple"), dependencies);
        assertEquals("com.example.TrainWithWarmupCosine", consumer.getElementsByTagName("mainClass").item(0)
                .getTextContent().trim());

        // not a module of this build; its own .mvn folder stops Maven from reading this repository's .mvn/maven.config
        NodeList modules = root.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            assertFalse(modules.item(i).getTextContent().contains("consumer"), modules.item(i).getTextContent());
        }
        assertEquals(0, Files.size(CONSUMER.resolve(".mvn/maven.config")));
    }

    @Test
    void classCompilesAtJava8AndTrainsAsItsReadmeShows(@TempDir Path classes) throws Exception {
        List<File> sources;
        try (Stream<Path> files = Files.walk(CONSUMER.resolve("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
        }
        assertEquals(1, sources.size(), sources::toString);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            // the consumer POM's maven.compiler.release
            List<String> options = List.of("--release", "8", "-classpath", testClasspath(), "-d", classes.toString(),
                    "-proc:none", "-Xlint:all", "-Werror");
            boolean ok = compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources))
                    .call();
            assertTrue(ok, () -> diagnostics.getDiagnostics().stream().map(Diagnostic::toString)
                    .collect(Collectors.joining("\n")));
        }

        String out;
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("com.example.TrainWithWarmupCosine").getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(saved);
            }
            out = captured.toString(StandardCharsets.UTF_8);
        }

        List<String> lines = out.lines().collect(Collectors.toList());
        assertEquals(11, lines.size(), out);
        assertEquals("WarmupCosineSchedule(peakValue=0.01, warmupStartValue=0.0, minValue=0.0, warmupPeriod=2,"
                + " totalPeriod=10, scheduleType=EPOCH, iterationsPerEpoch=32)", lines.get(0));
        // 32 updates per epoch; epoch e (from 1) starts at update 32 (e - 1), t = e - 1 epochs into the schedule:
        // warmup 0.01 t / 2 for t < 2, then 0.005 (1 + cos(pi (t - 2) / 8)); its last update is at t = e - 1/32.
        // So the first updates of epochs 1, 2, 3, 4, 7: 0, 0.005, 0.01, 0.005 (1 + cos(pi/8)) = 0.009619, 0.005;
        // the last update of epoch 1 (t = 31/32): 0.01 x 31/64 = 0.004844; of epoch 10 (t = 319/32): 3.8e-7.
        for (int e = 1; e <= 10; e++) {
            double first = e - 1 < 2 ? 0.01 * (e - 1) / 2 : 0.005 * (1 + Math.cos(Math.PI * (e - 3) / 8));
            double t = e - 1.0 / 32;
            double last = t < 2 ? 0.01 * t / 2 : 0.005 * (1 + Math.cos(Math.PI * (t - 2) / 8));
            String expected = String.format(Locale.ROOT, "epoch %2d: learning rate %.6f -> %.6f (updates %d-%d), test"
                    + " accuracy ", e, first, last, 32 * (e - 1), 32 * e - 1);
            assertTrue(lines.get(e).startsWith(expected), () -> expected + "\n" + out);
        }
        assertTrue(lines.get(2).startsWith("epoch  2: learning rate 0.005000 -> 0.009844"), out);
        assertTrue(lines.get(4).startsWith("epoch  4: learning rate 0.009619"), out);
        // the circle is learnt (0.990 here; a seeded run, with room for other CPUs' arithmetic)
        double accuracy = Double.parseDouble(lines.get(10).substring(lines.get(10).lastIndexOf(' ') + 1));
        assertTrue(accuracy >= 0.9, out);

        // the output the consumer README shows is this output, up to the accuracies
        List<String> readme = Files.readAllLines(CONSUMER.resolve("README.md"));
        int command = readme.indexOf("mvn -B -q compile exec:java");
        assertTrue(command >= 0, "the README's run command");
        int start = command + 1 + readme.subList(command + 1, readme.size()).indexOf("```text") + 1;
        assertEquals(lines.size(), readme.subList(start, readme.size()).indexOf("```"), "README output block length");
        for (int i = 0; i < lines.size(); i++) {
            String shown = readme.get(start + i);
            String got = lines.get(i);
            int cut = got.indexOf("test accuracy");
            assertEquals(cut < 0 ? got : got.substring(0, cut), cut < 0 ? shown : shown.substring(0, Math.min(cut,
                    shown.length())), "README output line " + (i + 1));
        }
    }

    /** Surefire hands the test classpath over in a property (java.class.path may be a manifest-only jar). */
    private static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    private static Element xml(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    /** The text of the project's {@code <properties>} entry {@code name}. */
    private static String property(Element project, String name) {
        return child((Element) project.getElementsByTagName("properties").item(0), name);
    }

    /** The text of {@code parent}'s direct child element {@code name}, or "" when it has none. */
    private static String child(Element parent, String name) {
        return child(parent.getChildNodes(), name);
    }

    private static String child(NodeList nodes, String name) {
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element && n.getNodeName().equals(name)) {
                return n.getTextContent().trim();
            }
        }
        return "";
    }
}
