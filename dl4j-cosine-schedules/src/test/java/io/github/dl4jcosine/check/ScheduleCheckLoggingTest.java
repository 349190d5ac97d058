package io.github.dl4jcosine.check;

import io.github.dl4jcosine.schedule.CosineAnnealingSchedule;
import io.github.dl4jcosine.schedule.Schedules;
import io.github.dl4jcosine.testing.Printed;
import io.github.dl4jcosine.testing.TestNets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.schedule.ScheduleType.EPOCH;

/** ERROR findings reach the user: at error level through SLF4J, and on System.err when SLF4J has no binding. */
class ScheduleCheckLoggingTest {

    private static final ScheduleCheck CIFAR = ScheduleCheck.forTraining(90, 390);

    private static long count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1L;
    }

    /** SLF4J's NOP logger (what a missing binding gives): errors are printed, warnings are not, each once. */
    @Test
    void errorsPrintedWhenSlf4jIsSilent() {
        List<ScheduleCheck.Finding> found = new ArrayList<>(CIFAR.check(Schedules.warmupCosine(EPOCH, 1e-3, 5, 90)));
        found.addAll(CIFAR.check(new CosineAnnealingSchedule(EPOCH, 0.1, 0.0, 30)));
        assertEquals(Arrays.asList(ScheduleCheck.Severity.ERROR, ScheduleCheck.Severity.WARNING),
                found.stream().map(ScheduleCheck.Finding::severity).collect(Collectors.toList()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true);
        ScheduleCheckListener.log(NOPLogger.NOP_LOGGER, found, err);
        ScheduleCheckListener.log(NOPLogger.NOP_LOGGER, found.subList(0, 1), err);
        String text = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        assertEquals(2, count(text, "[dl4j-cosine] ERROR: WarmupCosineSchedule trains all of epoch 0 at learning rate 0"),
                text);
        assertFalse(text.contains("WARNING: CosineAnnealingSchedule ends at epoch 30.0"), text);
        assertTrue(count(text, "SLF4J has no binding") <= 1, text);
    }

    /** With a binding (slf4j-simple is on the test classpath) the error is logged at error level, not printed again. */
    @Test
    void errorsLoggedAtErrorLevelWithABinding() {
        assertTrue(LoggerFactory.getLogger(ScheduleCheckListener.class).isErrorEnabled(), "slf4j-simple is bound");
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(Schedules.warmupCosine(EPOCH, 0.1, 2, 10))));
        ScheduleCheckListener listener = new ScheduleCheckListener(10, 3, false);
        net.setListeners(listener);
        String text = Printed.stderrOf(() -> net.fit(TestNets.data()));
        assertEquals(ScheduleCheck.Severity.ERROR, listener.findings().get(0).severity());
        // slf4j-simple writes "[thread] ERROR logger - message" to System.err (the logger's short or full name,
        // as simplelogger.properties says)
        assertEquals(1, count(text, "ERROR " + (text.contains("ERROR io.github") ? "io.github.dl4jcosine.check." : "")
                + "ScheduleCheckListener - ERROR: layer 'layer0':"
                + " WarmupCosineSchedule trains all of epoch 0 at learning rate 0"), text);
        assertFalse(text.contains("[dl4j-cosine]"), text);
    }

    /** Strict mode: the error stops training at the first update, after it was logged. */
    @Test
    void strictModeThrows() {
        MultiLayerNetwork net = TestNets.mln(TestNets.mlnConf(new Sgd(Schedules.warmupCosine(EPOCH, 0.1, 2, 10))));
        net.setListeners(new ScheduleCheckListener(10, 3, true));
        IllegalStateException[] thrown = new IllegalStateException[1];
        String err = Printed.stderrOf(() -> thrown[0] = assertThrows(IllegalStateException.class,
                () -> net.fit(TestNets.data())));
        IllegalStateException e = thrown[0];
        assertTrue(e.getMessage().startsWith("learning-rate schedule check failed:\n  ERROR: layer 'layer0':"
                + " WarmupCosineSchedule trains all of epoch 0 at learning rate 0"), e.getMessage());
        assertEquals(1, count(err, "ERROR: layer 'layer0': WarmupCosineSchedule trains all of epoch 0 at learning"
                + " rate 0"), "logged once before the throw: " + err);
    }

    /**
     * A real JVM without an SLF4J binding (the test classpath minus slf4j-simple), as a new DL4J user has: the ERROR
     * finding is on its standard error, the warning is not, and the note says how to see the log.
     */
    @Test
    void visibleWithoutAnyBinding() throws IOException, InterruptedException {
        // surefire names the real test classpath here (java.class.path may be its manifest-only jar)
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classpath = Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", classpath, NoBindingMain.class.getName()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("findings: 2", out.trim());
        assertEquals(1, count(err, "[dl4j-cosine] ERROR: WarmupCosineSchedule trains all of epoch 0 at learning rate 0"),
                err);
        assertFalse(err.contains("CosineAnnealingSchedule ends at epoch 30.0"), err);
        assertEquals(1, count(err, "SLF4J has no binding, so only errors are printed here. Add"
                + " org.slf4j:slf4j-simple:1.7.36"), err);
    }
}
