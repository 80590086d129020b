package org.latentlens.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caption cut to a window around one token, with that token's characters marked.
 *
 * <p>A neighbour carries only its caption, its token string and its <em>token</em> position; the tokenizer
 * is not at hand, so the characters of the token are found this way:
 * <ol>
 *   <li>The expected place: the caption is cut into word pieces (runs of letters/digits, or single other
 *       non-blank characters, a rough stand-in for subword tokens); the expected character offset is the
 *       start of piece number {@code position - 1} (position 0 is usually a BOS token), clamped to the last
 *       piece.</li>
 *   <li>The token's text, stripped of blanks and of the {@code Ġ}/{@code ▁}/{@code ##} markers some
 *       vocabularies use, is searched in the caption, case-sensitively and, when absent, ignoring case.</li>
 *   <li>Of all its occurrences, the one starting nearest the expected offset is marked (ties: the earlier).
 *       When it does not occur at all (a byte token, a normalised form), nothing is marked and the window is
 *       centred on the expected offset.</li>
 * </ol>
 * The window holds at most {@code maxChars} characters, centred on the mark, widened to word boundaries
 * where that costs little, with "…" where text was cut.
 *
 * @param before text before the mark (with a leading "…" when cut)
 * @param mark the marked token text ("" when not found)
 * @param after text after the mark (with a trailing "…" when cut)
 */
public record CaptionSnippet(String before, String mark, String after) {
    private static final Pattern PIECES = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");

    /**
     * @param caption the full sentence
     * @param position the token's index in the sentence's token sequence (may be -1: unknown)
     * @param token the token's decoded text
     * @param maxChars the longest window to show (at least 10)
     * @return the snippet
     */
    public static CaptionSnippet of(String caption, int position, String token, int maxChars) {
        String text = caption == null ? "" : caption.replace('\n', ' ');
        int window = Math.max(10, maxChars);
        int expected = expectedOffset(text, position);
        String needle = cleanToken(token);
        int start = -1;
        if (!needle.isEmpty()) {
            start = nearest(occurrences(text, needle, false), expected);
            if (start < 0) {
                start = nearest(occurrences(text, needle, true), expected);
            }
        }
        int markStart = start >= 0 ? start : Math.min(expected, text.length());
        int markEnd = start >= 0 ? start + needle.length() : markStart;
        int room = Math.max(0, window - (markEnd - markStart));
        int from = Math.max(0, markStart - room / 2);
        int to = Math.min(text.length(), markEnd + (room - (markStart - from)));
        from = Math.max(0, Math.min(from, to - window));
        from = snapLeft(text, from, markStart);
        to = snapRight(text, to, markEnd);
        String before = (from > 0 ? "\u2026" : "") + text.substring(from, markStart);
        String after = text.substring(markEnd, to) + (to < text.length() ? "\u2026" : "");
        return new CaptionSnippet(before, text.substring(markStart, markEnd), after);
    }

    /** @return the snippet as HTML with the token in {@code <mark>} */
    public String toHtml() {
        return Html.escape(before) + (mark.isEmpty() ? "" : "<mark>" + Html.escape(mark) + "</mark>")
                + Html.escape(after);
    }

    /** @return the snippet as text with the token in [[double brackets]] */
    public String toText() {
        return before + (mark.isEmpty() ? "" : "[[" + mark + "]]") + after;
    }

    static int expectedOffset(String text, int position) {
        List<Integer> starts = new ArrayList<>();
        Matcher m = PIECES.matcher(text);
        while (m.find()) {
            starts.add(m.start());
        }
        if (starts.isEmpty() || position < 0) {
            return 0;
        }
        int piece = Math.min(Math.max(0, position - 1), starts.size() - 1);
        return starts.get(piece);
    }

    static String cleanToken(String token) {
        if (token == null) {
            return "";
        }
        String t = token.strip();
        if (t.startsWith("##")) {
            t = t.substring(2);
        }
        while (!t.isEmpty() && (t.charAt(0) == '\u0120' || t.charAt(0) == '\u2581')) {
            t = t.substring(1);
        }
        return t.strip();
    }

    private static List<Integer> occurrences(String text, String needle, boolean ignoreCase) {
        List<Integer> out = new ArrayList<>();
        String h = ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
        String n = ignoreCase ? needle.toLowerCase(Locale.ROOT) : needle;
        if (h.length() != text.length()) {
            return out; // lower-casing changed lengths (rare scripts): offsets would be wrong
        }
        for (int i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
            out.add(i);
        }
        return out;
    }

    private static int nearest(List<Integer> starts, int expected) {
        int best = -1;
        for (int s : starts) {
            if (best < 0 || Math.abs(s - expected) < Math.abs(best - expected)) {
                best = s;
            }
        }
        return best;
    }

    /** Moves a left cut forward to the next word start, if one is within 12 characters and before the mark. */
    private static int snapLeft(String text, int from, int markStart) {
        if (from == 0 || Character.isWhitespace(text.charAt(from - 1))) {
            return from;
        }
        for (int i = from; i < Math.min(markStart, from + 12); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i + 1;
            }
        }
        return from;
    }

    /** Moves a right cut back to the previous word end, if one is within 12 characters and after the mark. */
    private static int snapRight(String text, int to, int markEnd) {
        if (to >= text.length() || Character.isWhitespace(text.charAt(to))) {
            return to;
        }
        for (int i = to; i > Math.max(markEnd, to - 12); i--) {
            if (Character.isWhitespace(text.charAt(i - 1))) {
                return i - 1;
            }
        }
        return to;
    }
}
