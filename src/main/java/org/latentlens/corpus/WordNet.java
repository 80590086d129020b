package org.latentlens.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only WordNet 3.0 database in the layout of its distribution (as Debian's {@code wordnet-base} installs it
 * in {@code /usr/share/wordnet}): {@code data.*}, {@code index.*}, {@code *.exc}, {@code cntlist.rev} and the verb
 * example frames {@code sents.vrb}/{@code sentidx.vrb}.
 *
 * <p>The file formats are those of the {@code wndb(5)}, {@code senseidx(5)} and {@code cntlist(5)} manual pages.
 * Sense keys are computed from the data files (Debian's package has no {@code index.sense}), so counts in
 * {@code cntlist.rev} are tied to synsets without any other file.
 *
 * <pre>{@code
 * WordNet wn = WordNet.load(Path.of("/usr/share/wordnet"));
 * Synset s = wn.sense("dog%1:05:00::").synset();   // the domestic dog
 * }</pre>
 */
public final class WordNet {

    /** The directory Debian's {@code wordnet-base} installs the database into. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/wordnet");

    /** Parts of speech that have their own files, in WordNet's customary order. */
    static final List<PartOfSpeech> FILE_POS = List.of(
            PartOfSpeech.NOUN, PartOfSpeech.VERB, PartOfSpeech.ADJECTIVE, PartOfSpeech.ADVERB);

    /**
     * A word of a synset, i.e. one sense of a lemma.
     *
     * @param synset    the synset
     * @param wordIndex the 0-based index of the word in the synset
     */
    public record Sense(Synset synset, int wordIndex) {
        /**
         * The word of this sense.
         *
         * @return the word
         */
        public Synset.Word word() {
            return synset.words().get(wordIndex);
        }
    }

    private final Path dir;
    private final Map<PartOfSpeech, Map<Integer, Synset>> synsets = new EnumMap<>(PartOfSpeech.class);
    private final Map<PartOfSpeech, Map<String, List<Integer>>> index = new EnumMap<>(PartOfSpeech.class);
    private final Map<PartOfSpeech, Map<String, List<String>>> exceptionsByBase = new EnumMap<>(PartOfSpeech.class);
    private final Map<String, Sense> senses = new HashMap<>();
    private final Map<String, Integer> tagCounts = new TreeMap<>();
    private final Map<Integer, String> frameSentences = new TreeMap<>();
    private final Map<String, List<Integer>> framesBySenseKey = new HashMap<>();

    private WordNet(Path dir) {
        this.dir = dir;
    }

    /**
     * Reads a WordNet 3.0 database directory.
     *
     * @param dir the directory holding {@code data.noun}, {@code index.noun}, {@code cntlist.rev}, ...
     * @return the database
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException if a file is not in WordNet's format (the message names file and line)
     */
    public static WordNet load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "not a WordNet directory (expected data.noun, index.noun, cntlist.rev, ...; "
                            + "on Debian: apt-get install wordnet-base, files in " + DEBIAN_DIR + ")");
        }
        WordNet wn = new WordNet(dir);
        for (PartOfSpeech pos : FILE_POS) {
            wn.readData(pos);
            wn.readIndex(pos);
            wn.readExceptions(pos);
        }
        wn.computeSenseKeys();
        wn.readCounts();
        wn.readVerbFrames();
        return wn;
    }

    /**
     * The directory this database was read from.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * A synset by part of speech and offset.
     *
     * @param pos    the part of speech (satellites are looked up in the adjective file)
     * @param offset the offset
     * @return the synset
     * @throws IllegalArgumentException if there is none
     */
    public Synset synset(PartOfSpeech pos, int offset) {
        Synset s = synsets.get(pos.base()).get(offset);
        if (s == null) {
            throw new IllegalArgumentException(String.format("no synset at offset %08d in data.%s", offset,
                    pos.fileSuffix()));
        }
        return s;
    }

    /**
     * All synsets of one data file, in file order.
     *
     * @param filePos a part of speech that has its own file (not the satellite)
     * @return the synsets
     */
    public Iterable<Synset> synsets(PartOfSpeech filePos) {
        return Collections.unmodifiableCollection(synsets.get(filePos.base()).values());
    }

    /**
     * The synset offsets of a lemma in one part of speech, in WordNet's sense-number order.
     *
     * @param lemma   the lemma, lower case, underscores for spaces
     * @param filePos the part of speech (satellites: use {@link PartOfSpeech#ADJECTIVE})
     * @return the offsets, empty if the lemma has no sense in that part of speech
     */
    public List<Integer> senseOffsets(String lemma, PartOfSpeech filePos) {
        return index.get(filePos.base()).getOrDefault(lemma, List.of());
    }

    /**
     * The sense that a sense key names.
     *
     * @param senseKey a key such as {@code dog%1:05:00::}
     * @return the sense, or {@code null} if WordNet 3.0 has no such sense
     */
    public Sense sense(String senseKey) {
        return senses.get(senseKey);
    }

    /**
     * The sense key of one word of a synset, as {@code senseidx(5)} defines it.
     *
     * @param synset    the synset
     * @param wordIndex 0-based index of the word
     * @return the key, e.g. {@code dog%1:05:00::}
     */
    public String senseKey(Synset synset, int wordIndex) {
        Synset.Word w = synset.words().get(wordIndex);
        String head = "";
        String headId = "";
        if (synset.pos() == PartOfSpeech.ADJECTIVE_SATELLITE) {
            Synset headSynset = headOf(synset);
            Synset.Word hw = headSynset.words().get(0);
            head = hw.lemma().toLowerCase(java.util.Locale.ROOT);
            headId = String.format("%02d", hw.lexId());
        }
        StringBuilder sb = new StringBuilder(w.lemma().length() + 24);
        sb.append(w.lemma().toLowerCase(java.util.Locale.ROOT)).append('%').append(synset.pos().senseKeyType())
                .append(':');
        twoDigits(sb, synset.lexFile()).append(':');
        twoDigits(sb, w.lexId()).append(':').append(head).append(':').append(headId);
        return sb.toString();
    }

    private static StringBuilder twoDigits(StringBuilder sb, int n) {
        return (n < 10 ? sb.append('0') : sb).append(n);
    }

    /**
     * The tag counts of {@code cntlist.rev}: how often each sense occurs in the semantic concordance (SemCor).
     *
     * @return sense key to count, sorted by key
     */
    public Map<String, Integer> tagCounts() {
        return Collections.unmodifiableMap(tagCounts);
    }

    /**
     * The tag count of one sense, 0 when {@code cntlist.rev} does not list it.
     *
     * @param senseKey the sense key
     * @return the count
     */
    public int tagCount(String senseKey) {
        return tagCounts.getOrDefault(senseKey, 0);
    }

    /**
     * The inflected forms that an exception list ({@code noun.exc}, {@code verb.exc}, ...) gives for a base form.
     *
     * @param base    the base form, lower case, underscores for spaces
     * @param filePos the part of speech (satellites use the adjective list)
     * @return the inflected forms, sorted
     */
    public List<String> exceptionForms(String base, PartOfSpeech filePos) {
        return exceptionsByBase.get(filePos.base()).getOrDefault(base, List.of());
    }

    /**
     * The example sentence templates ({@code sents.vrb}) of a verb sense, each with {@code %s} for the verb.
     *
     * @param senseKey a verb sense key
     * @return the templates, in {@code sentidx.vrb} order
     */
    public List<String> verbFrames(String senseKey) {
        List<Integer> ids = framesBySenseKey.getOrDefault(senseKey, List.of());
        List<String> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            String t = frameSentences.get(id);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private Synset headOf(Synset satellite) {
        for (Synset.Pointer p : satellite.pointers()) {
            if (p.symbol().equals("&") && p.targetPos() == PartOfSpeech.ADJECTIVE) {
                return synset(PartOfSpeech.ADJECTIVE, p.target());
            }
        }
        throw new IllegalArgumentException("adjective satellite " + satellite.id() + " in data.adj has no '&' "
                + "pointer to a head adjective");
    }

    private List<String> lines(String name) throws IOException {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "WordNet file missing from " + dir);
        }
        // WordNet 3.0 files are plain ASCII; ISO-8859-1 reads any byte without failing.
        return Files.readAllLines(f, StandardCharsets.ISO_8859_1);
    }

    private void readData(PartOfSpeech filePos) throws IOException {
        String name = "data." + filePos.fileSuffix();
        Map<Integer, Synset> map = new TreeMap<>();
        int lineNo = 0;
        for (String line : lines(name)) {
            lineNo++;
            if (line.startsWith("  ")) {
                continue; // licence header
            }
            try {
                Synset s = parseDataLine(line);
                map.put(s.offset(), s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": not a WordNet data line ("
                        + e.getMessage() + "): " + abbreviate(line), e);
            }
        }
        synsets.put(filePos, map);
    }

    static Synset parseDataLine(String line) {
        int bar = line.indexOf(" | ");
        String head = bar < 0 ? line : line.substring(0, bar);
        String gloss = bar < 0 ? "" : line.substring(bar + 3).strip();
        String[] f = fields(head);
        int i = 0;
        int offset = Integer.parseInt(f[i++]);
        int lexFile = Integer.parseInt(f[i++]);
        PartOfSpeech pos = PartOfSpeech.fromCode(f[i++].charAt(0));
        int wCnt = Integer.parseInt(f[i++], 16);
        List<Synset.Word> words = new ArrayList<>(wCnt);
        for (int w = 0; w < wCnt; w++) {
            String lemma = f[i++];
            int paren = lemma.indexOf('(');
            if (paren > 0 && lemma.endsWith(")")) {
                lemma = lemma.substring(0, paren); // adjective position marker: (a), (p), (ip)
            }
            int lexId = Integer.parseInt(f[i++], 16);
            words.add(new Synset.Word(lemma, lexId));
        }
        int pCnt = Integer.parseInt(f[i++]);
        List<Synset.Pointer> pointers = new ArrayList<>(pCnt);
        for (int p = 0; p < pCnt; p++) {
            String symbol = f[i++];
            int target = Integer.parseInt(f[i++]);
            PartOfSpeech tPos = PartOfSpeech.fromCode(f[i++].charAt(0));
            String st = f[i++];
            pointers.add(new Synset.Pointer(symbol, tPos, target, Integer.parseInt(st.substring(0, 2), 16),
                    Integer.parseInt(st.substring(2, 4), 16)));
        }
        // Verb frame numbers (f_cnt + f_num w_num ...) may follow; the generator uses sents.vrb instead.
        return new Synset(pos, offset, lexFile, List.copyOf(words), List.copyOf(pointers), definitionOf(gloss),
                examplesOf(gloss));
    }

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    /**
     * The definition part of a gloss: everything before the first usage example (a quote that opens the gloss or
     * follows "; "), without trailing separators. Quotes inside a definition (rare) are kept.
     */
    static String definitionOf(String gloss) {
        int cut = gloss.startsWith("\"") ? 0 : gloss.indexOf("; \"");
        String def = cut < 0 ? gloss : gloss.substring(0, cut);
        return stripTrailing(def);
    }

    /** The quoted usage examples after the definition, in order. */
    static List<String> examplesOf(String gloss) {
        int cut = gloss.startsWith("\"") ? 0 : gloss.indexOf("; \"");
        if (cut < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(gloss.substring(cut));
        while (m.find()) {
            String ex = m.group(1).strip();
            if (!ex.isEmpty()) {
                out.add(ex);
            }
        }
        return List.copyOf(out);
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ';' || Character.isWhitespace(s.charAt(end - 1)))) {
            end--;
        }
        return s.substring(0, end).strip();
    }

    private void readIndex(PartOfSpeech filePos) throws IOException {
        String name = "index." + filePos.fileSuffix();
        Map<String, List<Integer>> map = new HashMap<>();
        int lineNo = 0;
        for (String line : lines(name)) {
            lineNo++;
            if (line.startsWith("  ")) {
                continue;
            }
            String[] f = fields(line);
            try {
                int synsetCnt = Integer.parseInt(f[2]);
                int pCnt = Integer.parseInt(f[3]);
                int first = 4 + pCnt + 2; // pointer symbols, then sense_cnt and tagsense_cnt
                List<Integer> offs = new ArrayList<>(synsetCnt);
                for (int k = 0; k < synsetCnt; k++) {
                    offs.add(Integer.parseInt(f[first + k]));
                }
                map.put(f[0], List.copyOf(offs));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": not a WordNet index line: "
                        + abbreviate(line), e);
            }
        }
        index.put(filePos, map);
    }

    private void readExceptions(PartOfSpeech filePos) throws IOException {
        String name = filePos.fileSuffix() + ".exc";
        Map<String, List<String>> byBase = new HashMap<>();
        for (String line : lines(name)) {
            String[] f = line.trim().split(" +");
            if (f.length < 2) {
                continue;
            }
            for (int k = 1; k < f.length; k++) {
                byBase.computeIfAbsent(f[k], x -> new ArrayList<>()).add(f[0]);
            }
        }
        byBase.replaceAll((k, v) -> v.stream().sorted().distinct().toList());
        exceptionsByBase.put(filePos, byBase);
    }

    private void computeSenseKeys() {
        for (PartOfSpeech filePos : FILE_POS) {
            for (Synset s : synsets.get(filePos).values()) {
                for (int w = 0; w < s.words().size(); w++) {
                    senses.put(senseKey(s, w), new Sense(s, w));
                }
            }
        }
    }

    private void readCounts() throws IOException {
        int lineNo = 0;
        for (String line : lines("cntlist.rev")) {
            lineNo++;
            String[] f = line.trim().split(" +");
            if (f.length != 3) {
                throw new IllegalArgumentException("cntlist.rev line " + lineNo
                        + ": expected 'sense_key sense_number tag_cnt', got: " + abbreviate(line));
            }
            tagCounts.merge(f[0], Integer.parseInt(f[2]), Integer::sum);
        }
    }

    private void readVerbFrames() throws IOException {
        for (String line : lines("sents.vrb")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                frameSentences.put(Integer.parseInt(line.substring(0, sp)), line.substring(sp + 1).strip());
            }
        }
        for (String line : lines("sentidx.vrb")) {
            String[] f = line.trim().split(" +");
            if (f.length == 2) {
                List<Integer> ids = new ArrayList<>();
                for (String n : f[1].split(",")) {
                    ids.add(Integer.parseInt(n));
                }
                framesBySenseKey.put(f[0], List.copyOf(ids));
            }
        }
    }

    /** Space-separated fields, ignoring repeated, leading and trailing spaces (faster than a regex split). */
    static String[] fields(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

}
