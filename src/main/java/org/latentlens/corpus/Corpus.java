package org.latentlens.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The sentences an index is built from, with their provenance: where they came from, the SHA-256 and the size of
 * the bytes they were read from.
 *
 * <p>Sources, as in the original's {@code load_corpus}:
 * <ul>
 *   <li>a {@code .txt} (or any non-CSV) file: one sentence per line; lines end at {@code \n}, {@code \r\n} or
 *       {@code \r}; each is stripped; empty lines are dropped;</li>
 *   <li>a {@code .csv} file: the first column of each row, stripped, empty cells dropped. The first row is a
 *       header, and dropped, iff its first cell, stripped and lower-cased, starts with {@code text},
 *       {@code sentence}, {@code caption}, {@code id} or {@code index}; otherwise it is data. Quoting follows
 *       Python's {@code csv} module (excel dialect): quoted fields may hold commas, doubled quotes and line
 *       breaks;</li>
 *   <li>a {@code List<String>}, taken as it is (no stripping or filtering, as in the original);</li>
 *   <li>{@link #bundled()}: the {@code concepts.txt} shipped in the jar (see {@link ConceptGenerator}).</li>
 * </ul>
 * Files are read as UTF-8 and invalid bytes are an error naming the file. Where the original misbehaves we
 * differ, on purpose: a UTF-8 byte-order mark is removed (Python keeps it in the first sentence); an empty first
 * CSV cell that is not a header is dropped like any other empty cell (the original keeps it as an empty
 * sentence); empty CSV rows are skipped (the original fails on them with an IndexError); a {@code null} list
 * element is an error.
 *
 * <pre>{@code
 * Corpus c = Corpus.load(Path.of("captions.csv"));
 * System.out.println(c.size() + " sentences, sha256 " + c.sha256());
 * }</pre>
 */
public final class Corpus {

    /** The classpath location of the bundled corpus. */
    public static final String BUNDLED_RESOURCE = "/org/latentlens/corpus/concepts.txt";
    /** The file name that, when no such file exists, means the bundled corpus (as in the original). */
    public static final String BUNDLED_NAME = "concepts.txt";

    /** What kind of source a corpus was read from. */
    public enum Kind {
        /** A text file, one sentence per line. */
        TEXT,
        /** A CSV file, first column. */
        CSV,
        /** An in-memory list. */
        LIST,
        /** The bundled {@code concepts.txt}. */
        BUNDLED
    }

    private static final List<String> HEADER_PREFIXES = List.of("text", "sentence", "caption", "id", "index");

    private final List<String> sentences;
    private final String source;
    private final Kind kind;
    private final String sha256;
    private final long sizeBytes;

    private Corpus(List<String> sentences, String source, Kind kind, String sha256, long sizeBytes) {
        this.sentences = List.copyOf(sentences);
        this.source = source;
        this.kind = kind;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
    }

    /**
     * Reads a corpus file: CSV when its name ends in {@code .csv} (any case), text otherwise. A missing file named
     * just {@code concepts.txt} means the bundled corpus, as in the original.
     *
     * @param path the file
     * @return the corpus
     * @throws IOException if the file is missing or unreadable, or not valid UTF-8
     */
    public static Corpus load(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (!Files.exists(path) && path.getNameCount() == 1 && path.toString().equals(BUNDLED_NAME)) {
            return bundled();
        }
        if (path.getFileName() != null
                && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return fromCsv(path);
        }
        return fromText(path);
    }

    /**
     * Reads a text file: one sentence per line, stripped, empty lines dropped.
     *
     * @param path the file
     * @return the corpus
     * @throws IOException if the file is missing or unreadable, or not valid UTF-8
     */
    public static Corpus fromText(Path path) throws IOException {
        byte[] bytes = readFile(path);
        return new Corpus(parseText(decode(bytes, path.toString())), path.toString(), Kind.TEXT, sha256(bytes),
                bytes.length);
    }

    /**
     * Reads the first column of a CSV file, with the original's header rule.
     *
     * @param path the file
     * @return the corpus
     * @throws IOException if the file is missing or unreadable, or not valid UTF-8
     */
    public static Corpus fromCsv(Path path) throws IOException {
        byte[] bytes = readFile(path);
        return new Corpus(parseCsvFirstColumn(decode(bytes, path.toString())), path.toString(), Kind.CSV,
                sha256(bytes), bytes.length);
    }

    /**
     * Takes sentences as they are. The hash and size are those of the UTF-8 text with a newline after each
     * sentence, i.e. of the equivalent text file when no sentence holds a line break.
     *
     * @param sentences the sentences
     * @return the corpus, named {@code list}
     * @throws IllegalArgumentException if an element is null
     */
    public static Corpus of(List<String> sentences) {
        return of("list", sentences);
    }

    /**
     * Takes sentences as they are, under a name of the caller's choosing.
     *
     * @param name      the source name to record
     * @param sentences the sentences
     * @return the corpus
     * @throws IllegalArgumentException if an element is null
     */
    public static Corpus of(String name, List<String> sentences) {
        Objects.requireNonNull(sentences, "sentences");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            if (s == null) {
                throw new IllegalArgumentException("corpus list element " + i + " is null");
            }
            sb.append(s).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        return new Corpus(sentences, name, Kind.LIST, sha256(bytes), bytes.length);
    }

    /**
     * The bundled corpus: {@code concepts.txt}, made from WordNet 3.0 by {@link ConceptGenerator}.
     *
     * @return the corpus
     * @throws IllegalStateException if the resource is missing from the classpath (a broken build)
     */
    public static Corpus bundled() {
        try (InputStream in = Corpus.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled corpus " + BUNDLED_RESOURCE + " is not on the classpath; "
                        + "the jar was built without concepts.txt (see pom.xml <resources>)");
            }
            byte[] bytes = in.readAllBytes();
            return new Corpus(parseText(decode(bytes, "classpath:" + BUNDLED_RESOURCE)), "bundled:" + BUNDLED_NAME,
                    Kind.BUNDLED, sha256(bytes), bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled corpus " + BUNDLED_RESOURCE, e);
        }
    }

    /**
     * The sentences, in order.
     *
     * @return an unmodifiable list
     */
    public List<String> sentences() {
        return sentences;
    }

    /**
     * The number of sentences.
     *
     * @return the count
     */
    public int size() {
        return sentences.size();
    }

    /**
     * Where the sentences came from: the file path, {@code bundled:concepts.txt}, or the list's name.
     *
     * @return the source name
     */
    public String source() {
        return source;
    }

    /**
     * The kind of source.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The SHA-256 of the bytes read (for a list: of its sentences, each followed by a newline, in UTF-8).
     *
     * @return 64 lower-case hex digits
     */
    public String sha256() {
        return sha256;
    }

    /**
     * The number of bytes read (for a list: of the UTF-8 text hashed by {@link #sha256()}).
     *
     * @return the size
     */
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public String toString() {
        return "Corpus[" + source + ", " + kind + ", " + sentences.size() + " sentences, " + sizeBytes
                + " bytes, sha256 " + sha256 + "]";
    }

    // ---- parsing ------------------------------------------------------------------------------------------

    /** Lines split at \n, \r\n or \r (Python's universal newlines), stripped, empty ones dropped. */
    static List<String> parseText(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            boolean end = i == n;
            char c = end ? 0 : text.charAt(i);
            if (end || c == '\n' || c == '\r') {
                String line = pythonStrip(text.substring(start, i));
                if (!line.isEmpty()) {
                    out.add(line);
                }
                if (!end && c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The first column of a CSV text, with the header rule (see the class comment). */
    static List<String> parseCsvFirstColumn(String text) {
        List<List<String>> rows = parseCsv(text);
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.isEmpty()) {
                continue;
            }
            String cell = pythonStrip(row.get(0));
            if (r == 0 && isHeader(cell)) {
                continue;
            }
            if (!cell.isEmpty()) {
                out.add(cell);
            }
        }
        return out;
    }

    /**
     * Whether a stripped first cell marks a header row: lower-cased, it starts with text, sentence, caption, id
     * or index (so "Text", "sentences" and "identifier" do too, as in the original).
     *
     * @param strippedCell the first cell of the first row, stripped
     * @return whether the row is a header
     */
    static boolean isHeader(String strippedCell) {
        String lower = strippedCell.toLowerCase(Locale.ROOT);
        for (String p : HEADER_PREFIXES) {
            if (lower.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits CSV text into rows of cells like Python's {@code csv.reader} with the default (excel) dialect and
     * {@code newline=""}: comma-separated; a field that starts with a quote is quoted, ends at the next lone
     * quote, and {@code ""} inside stands for one quote; text after a closing quote up to the next comma is
     * appended; a quote inside an unquoted field is literal; a blank line is an empty row.
     */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int n = text.length();
        int i = 0;
        boolean atRowStart = true;
        while (i < n) {
            char c = text.charAt(i);
            if (atRowStart && (c == '\n' || c == '\r')) {
                rows.add(List.of()); // blank line
                i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
                continue;
            }
            atRowStart = false;
            if (c == '"' && field.length() == 0) {
                // quoted field
                i++;
                while (i < n) {
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(q);
                    i++;
                }
                continue; // the rest up to the delimiter is appended by the unquoted path below
            }
            if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\n' || c == '\r') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                atRowStart = true;
                i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
            } else {
                field.append(c);
                i++;
            }
        }
        if (!atRowStart) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    /** Python's {@code str.strip()}: removes Unicode whitespace (including no-break space) at both ends. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static byte[] readFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "corpus file not found (expected a .txt file with "
                    + "one sentence per line or a .csv file whose first column holds the sentences)");
        }
        return Files.readAllBytes(path);
    }

    private static String decode(byte[] bytes, String name) throws IOException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new IOException("corpus " + name + " is not valid UTF-8 (" + e.getMessage() + "); save it as UTF-8",
                    e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
