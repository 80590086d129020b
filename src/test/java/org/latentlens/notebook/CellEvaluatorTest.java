package org.latentlens.notebook;

import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's cell evaluation, in process (no Jupyter): values, magics, errors with cell lines, interrupt. */
class CellEvaluatorTest {
    private static JShell shell;
    private static SnippetRunner runner;
    private static CellEvaluator evaluator;
    private static final List<String> magicCalls = new ArrayList<>();
    private static final CellEvaluator.MagicRunner MAGICS = (name, args) -> {
        magicCalls.add(name + args);
        return null;
    };

    @BeforeAll
    static void start() {
        SnippetRunnerProvider provider = new SnippetRunnerProvider();
        shell = JShell.builder().executionEngine(provider, Map.of()).build();
        shell.addToClasspath(TestClasspath.get());
        runner = provider.runner();
        evaluator = new CellEvaluator(shell, runner);
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    @Test
    void lastExpressionIsTheCellValueAsALiveObject() throws Exception {
        Object v = evaluator.eval("int a = 6 * 7;\njava.util.List.of(a, a + 1)", 1, MAGICS);
        assertEquals(List.of(42, 43), v);
    }

    @Test
    void trailingSemicolonHidesTheValue() throws Exception {
        assertNull(evaluator.eval("int b = 5;\nb + 1;", 2, MAGICS));
        assertNull(evaluator.eval("int c = 5;", 3, MAGICS));
    }

    @Test
    void runtimeErrorNamesTheUserExceptionAndTheCellLine() {
        EvaluationError e = assertThrows(EvaluationError.class,
                () -> evaluator.eval("int ok = 1;\n\nint bad = Integer.parseInt(\"x\");", 7, MAGICS));
        assertEquals("java.lang.NumberFormatException", e.exceptionClass());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("cell [7] line 3"), tb);
        assertTrue(tb.contains("Integer.parseInt(\"x\")"), tb);
        assertFalse(tb.contains("SnippetRunner"), "kernel frames must be cut: " + tb);
    }

    @Test
    void errorInAMethodFromAnEarlierCellPointsAtBothCells() throws Exception {
        evaluator.eval("// helpers\nvoid boom() {\n  throw new IllegalStateException(\"boom\");\n}", 10, MAGICS);
        EvaluationError e = assertThrows(EvaluationError.class, () -> evaluator.eval("int z = 0;\nboom()", 11, MAGICS));
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("cell [10] line 3 in boom()"), tb);
        assertTrue(tb.contains("cell [11] line 2"), tb);
    }

    @Test
    void compileErrorUnderlinesTheSpanOnTheRightLine() {
        CompilationError e = assertThrows(CompilationError.class,
                () -> evaluator.eval("int fine = 1;\nint wrong = \"text\";", 4, MAGICS));
        assertTrue(e.getMessage().startsWith("cell [4] line 2: incompatible types"), e.getMessage());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("int wrong = \"text\";"), tb);
        assertTrue(tb.contains("^^^^^^"), tb);
    }

    @Test
    void incompleteCodeIsACompilationError() {
        CompilationError e = assertThrows(CompilationError.class, () -> evaluator.eval("int q = (1 + ", 5, MAGICS));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void magicLinesRunInOrderWithShellLikeArguments() throws Exception {
        magicCalls.clear();
        Object v = evaluator.eval("int before = 1;\n%jars a.jar \"b c.jar\"\nbefore + 1", 6, MAGICS);
        assertEquals(List.of("jars[a.jar, b c.jar]"), magicCalls);
        assertEquals(2, v);
    }

    @Test
    void percentInsideUnfinishedCodeIsTheRemainderOperator() throws Exception {
        magicCalls.clear();
        Object v = evaluator.eval("int m = 10\n  % 4;\nm", 8, MAGICS);
        assertTrue(magicCalls.isEmpty(), magicCalls.toString());
        assertEquals(2, v);
    }

    @Test
    void interruptStopsARunawayCell() throws Exception {
        CompletableFuture<Throwable> result = CompletableFuture.supplyAsync(() -> {
            try {
                evaluator.eval("long n = 0;\nwhile (true) { n++; }", 9, MAGICS);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Throwable t = null;
        while (System.nanoTime() < deadline && t == null) {
            runner.interrupt();
            try {
                t = result.get(200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not stopped yet (or not started yet): interrupt again
            }
        }
        assertTrue(t instanceof EvaluationError, "expected an EvaluationError, got " + t);
        assertEquals(CellInterruptedException.class.getName(), ((EvaluationError) t).exceptionClass());
        assertEquals(3, evaluator.eval("1 + 2", 12, MAGICS), "the kernel keeps working after an interrupt");
    }

    @Test
    void magicArgumentsRejectAnUnclosedQuote() {
        assertThrows(IllegalArgumentException.class, () -> MagicArgs.split(" a \"b"));
        assertEquals(List.of("a", "b c", "d"), MagicArgs.split(" a 'b c'  d "));
    }
}
