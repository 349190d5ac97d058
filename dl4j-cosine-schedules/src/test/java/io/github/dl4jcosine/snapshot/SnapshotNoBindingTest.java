package io.github.dl4jcosine.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J ships no SLF4J binding: in a JVM without one, SLF4J drops every log call, so the listener's ERROR findings
 * must go to System.err as well. Runs {@link SnapshotNoBindingChild} on the test classpath minus slf4j-simple.
 */
class SnapshotNoBindingTest {

    @Test
    void errorsReachStderrWithoutAnSlf4jBinding(@TempDir Path dir) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (String entry : testClasspath()) {
            if (!new File(entry).getName().startsWith("slf4j-simple")) {
                classpath.add(entry);
            }
        }
        assertTrue(classpath.stream().anyMatch(e -> new File(e).getName().startsWith("slf4j-api")), "" + classpath);
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classpath), SnapshotNoBindingChild.class.getName(),
                dir.resolve("snapshots").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("ERROR SnapshotListener: " + dir.resolve("snapshots").resolve("snapshot-cycle-0.zip")
                + " is not a complete model zip"), output);
    }

    /** The test classpath: surefire may hand it over in a manifest-only jar. */
    private static List<String> testClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(entry);
            Manifest manifest = null;
            if (f.isFile() && f.getName().endsWith(".jar")) {
                try (JarFile jar = new JarFile(f)) {
                    manifest = jar.getManifest();
                }
            }
            String inner = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (inner != null && f.getName().startsWith("surefire")) {
                for (String url : inner.trim().split("\\s+")) {
                    entries.add(new File(f.getParentFile().toURI().resolve(URI.create(url))).getPath());
                }
            } else {
                entries.add(entry);
            }
        }
        return entries;
    }
}
