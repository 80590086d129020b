package org.latentlens.notebook;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates one notebook cell: line magics and Java code, in order, with errors that name the cell and line.
 *
 * <p>A line is a magic when it starts with {@code %} (after blanks) <em>and</em> the Java code before it in
 * the cell is complete; so {@code a\n  % b} inside an unfinished expression stays Java's remainder operator.
 * The code between magics is cut into JShell snippets with {@link SourceCodeAnalysis#analyzeCompletion};
 * each snippet's first cell line is remembered under its JShell id, so a stack frame {@code (#12:3)} from any
 * earlier cell can be shown as "cell [4] line 7".
 *
 * <p>The cell's value is the value of its last snippet when that is an expression written <em>without</em> a
 * trailing semicolon (as in IPython, a semicolon hides the result).
 */
final class CellEvaluator {
    /** Runs a line magic; returns what the magic returns (shown when it ends the cell). */
    interface MagicRunner {
        /**
         * @param name the magic's name, without {@code %}
         * @param args its arguments, split like a shell does
         * @return the magic's result, or null
         * @throws Exception whatever the magic throws; shown as the cell's error
         */
        Object run(String name, List<String> args) throws Exception;
    }

    private static final Pattern MAGIC_LINE = Pattern.compile("^\\s*%(\\w[\\w-]*)(.*)$");
    private static final Pattern SNIPPET_FILE = Pattern.compile("#(\\d+)");
    private static final String RED = "\u001B[1;31m";
    private static final String BOLD = "\u001B[1m";
    private static final String RESET = "\u001B[0m";

    /** Where a snippet came from: cell execution count, its first line (0-based) in that cell, the cell's lines. */
    private record Origin(int cell, int firstLine, String[] cellLines) {
    }

    private final JShell shell;
    private final SnippetRunner runner;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    CellEvaluator(JShell shell, SnippetRunner runner) {
        this.shell = shell;
        this.runner = runner;
        this.analysis = shell.sourceCodeAnalysis();
    }

    /**
     * Evaluates a cell.
     *
     * @param cell the cell's source
     * @param cellNumber its execution count, used in error messages
     * @param magics runs line magics
     * @return the value to display, or null
     * @throws Exception a {@link CompilationError}, an {@link EvaluationError}, or what a magic threw
     */
    Object eval(String cell, int cellNumber, MagicRunner magics) throws Exception {
        String[] lines = cell.split("\n", -1);
        StringBuilder pending = new StringBuilder();
        int pendingStart = 0;
        Result last = Result.NONE;
        try {
            for (int i = 0; i < lines.length; i++) {
                Matcher m = MAGIC_LINE.matcher(lines[i]);
                if (m.matches() && isClosed(pending)) {
                    last = evalCode(pending.toString(), pendingStart, cellNumber, lines, last);
                    pending.setLength(0);
                    Object value = magics.run(m.group(1), MagicArgs.split(m.group(2)));
                    last = new Result(value, value != null);
                    pendingStart = i + 1;
                } else {
                    if (pending.length() == 0) {
                        pendingStart = i;
                    }
                    pending.append(lines[i]).append('\n');
                }
            }
            last = evalCode(pending.toString(), pendingStart, cellNumber, lines, last);
        } finally {
            runner.clearResults();
        }
        return last.shown ? last.value : null;
    }

    /** A value and whether the cell should display it. */
    private record Result(Object value, boolean shown) {
        static final Result NONE = new Result(null, false);
    }

    private boolean isClosed(CharSequence code) {
        if (code.toString().isBlank()) {
            return true;
        }
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code.toString());
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return info.completeness() == SourceCodeAnalysis.Completeness.EMPTY;
    }

    private Result evalCode(String chunk, int startLine, int cellNumber, String[] cellLines, Result previous) {
        if (chunk.isBlank()) {
            return previous;
        }
        Result last = previous;
        String rest = chunk;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int begin = chunk.length() - rest.length() + firstCodeOffset(rest, info.source());
            int line = startLine + countNewlines(chunk, begin);
            if (!info.completeness().isComplete()) {
                if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
                    String where = "cell [" + cellNumber + "] line " + (line + 1);
                    throw new CompilationError(where + ": incomplete code (a missing ';', ')' or '}'?)",
                            List.of(RED + where + ": incomplete code" + RESET, "    " + info.remaining().strip()));
                }
                return last;
            }
            int end = chunk.length() - info.remaining().length();
            boolean endsWithSemicolon = chunk.substring(Math.max(begin, 0), end).strip().endsWith(";");
            Object[] value = new Object[1];
            boolean expression = evalSnippet(info.source(), new Origin(cellNumber, line, cellLines), value);
            last = new Result(value[0], expression && !endsWithSemicolon);
            rest = info.remaining();
        }
    }

    /** Offset of the snippet's first code character in {@code rest} (after blanks and comments). */
    private static int firstCodeOffset(String rest, String source) {
        if (source != null && !source.isBlank()) {
            String head = source.strip().split("\n", 2)[0];
            head = head.substring(0, Math.min(head.length(), 40));
            int idx = rest.indexOf(head);
            if (idx >= 0) {
                return idx;
            }
        }
        int i = 0;
        while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int countNewlines(String s, int end) {
        int n = 0;
        for (int i = 0; i < Math.min(end, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** @return whether the snippet was an expression (its value is then in {@code value[0]}) */
    private boolean evalSnippet(String source, Origin origin, Object[] value) {
        List<SnippetEvent> events = shell.eval(source);
        boolean expression = false;
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() != null) {
                continue; // a dependent snippet re-evaluated as a side effect: not this cell's result
            }
            origins.put(ev.snippet().id(), origin);
            JShellException ex = ev.exception();
            if (ex != null) {
                throw evaluationError(ex);
            }
            if (ev.status() == Snippet.Status.REJECTED) {
                throw compilationError(ev.snippet(), origin);
            }
            switch (ev.snippet().subKind()) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND -> {
                    value[0] = runner.takeResult(ev.value());
                    expression = true;
                }
                default -> {
                    // declarations and statements show nothing
                }
            }
        }
        return expression;
    }

    private CompilationError compilationError(Snippet snippet, Origin origin) {
        List<String> tb = new ArrayList<>();
        String first = null;
        String src = snippet.source();
        for (Diag d : shell.diagnostics(snippet).toList()) {
            if (!d.isError()) {
                continue;
            }
            String msg = d.getMessage(Locale.ROOT).lines()
                    .filter(l -> !l.strip().startsWith("location:")).reduce((a, b) -> a + " " + b.strip()).orElse("");
            int pos = (int) Math.max(0, d.getStartPosition());
            int endPos = (int) Math.max(pos + 1, d.getEndPosition());
            // The snippet's source keeps the blank lines before it; the origin's first line is its first code line.
            int lineInSnippet = countNewlines(src, pos) - countNewlines(src, firstCodeOffset(src, null));
            int lineStart = src.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
            if (pos == 0) {
                lineStart = 0;
            }
            int lineEnd = src.indexOf('\n', pos);
            if (lineEnd < 0) {
                lineEnd = src.length();
            }
            String where = "cell [" + origin.cell + "] line " + (origin.firstLine + lineInSnippet + 1);
            if (first == null) {
                first = where + ": " + msg;
            }
            tb.add(RED + where + ": " + msg + RESET);
            String text = src.substring(lineStart, lineEnd);
            tb.add("    " + text);
            int col = pos - lineStart;
            int width = Math.max(1, Math.min(endPos, lineEnd) - pos);
            tb.add("    " + " ".repeat(Math.max(0, col)) + RED + "^".repeat(width) + RESET);
        }
        if (first == null) {
            first = "cell [" + origin.cell + "] line " + (origin.firstLine + 1) + ": the snippet was rejected";
            tb.add(first);
        }
        return new CompilationError(first, tb);
    }

    private EvaluationError evaluationError(JShellException ex) {
        List<String> tb = new ArrayList<>();
        Throwable t = ex;
        String className = null;
        String message = null;
        boolean firstLevel = true;
        while (t != null) {
            String cls = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            if (t instanceof UnresolvedReferenceException ure) {
                cls = "unresolved reference";
                String deps = String.join(", ", shell.unresolvedDependencies(ure.getSnippet()).toList());
                tb.add(RED + "cannot run '" + ure.getSnippet().source().strip().split("\n")[0] + "': it uses "
                        + deps + ", which is not defined yet" + RESET);
                className = cls;
                message = "uses " + deps + ", which is not defined yet";
                break;
            }
            if (firstLevel) {
                className = cls;
                message = t.getMessage();
            }
            tb.add((firstLevel ? RED : RED + "Caused by: ") + cls
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()) + RESET);
            for (StackTraceElement e : t.getStackTrace()) {
                String c = e.getClassName();
                if (c.startsWith("jdk.internal.reflect.") || c.equals("java.lang.reflect.Method")
                        || c.startsWith("org.latentlens.notebook.SnippetRunner") || c.equals("java.lang.Thread")) {
                    break; // the kernel's own frames: below the user's code
                }
                tb.add("    " + frame(e));
            }
            t = t.getCause();
            firstLevel = false;
        }
        return new EvaluationError(className, message, tb);
    }

    /** A stack frame; JShell snippet frames ({@code #id:line}) become the cell and line, with the source. */
    private String frame(StackTraceElement e) {
        String file = e.getFileName();
        if (file != null) {
            Matcher m = SNIPPET_FILE.matcher(file);
            Origin o = m.matches() ? origins.get(m.group(1)) : null;
            if (o != null) {
                int cellLine = o.firstLine + Math.max(1, e.getLineNumber());
                String text = cellLine - 1 < o.cellLines.length ? o.cellLines[cellLine - 1].strip() : "";
                String method = e.getMethodName().isEmpty() || e.getMethodName().startsWith("do_it$") ? "" : " in " + e.getMethodName() + "()";
                return BOLD + "at cell [" + o.cell + "] line " + cellLine + method + ": " + RESET + text;
            }
        }
        return "at " + e;
    }
}
