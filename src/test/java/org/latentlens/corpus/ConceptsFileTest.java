package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code concepts.txt}/{@code concepts.tsv} against a fresh run of the generator on Debian's
 * {@code wordnet-base} (installed by {@code bin/setup-test-deps}; the test skips only where it is missing, and
 * never on CI).
 */
class ConceptsFileTest {

    static final Path TXT = Path.of("concepts.txt");
    static final Path TSV = Path.of("concepts.tsv");

    static WordNet wordNet;
    static ConceptGenerator.Result result;

    @BeforeAll
    static void generate() throws IOException {
        wordNet = DebianWordNet.get();
        result = new ConceptGenerator(wordNet).generate();
    }

    @Test
    void regenerationReproducesTheCommittedFilesByteForByte() throws IOException {
        byte[] committedTxt = Files.readAllBytes(TXT);
        byte[] committedTsv = Files.readAllBytes(TSV);
        String txt = result.text();
        String tsv = result.tsv();
        if (!txt.equals(new String(committedTxt, StandardCharsets.UTF_8))) {
            fail("concepts.txt differs from a fresh generation at " + firstDifference(committedTxt, txt)
                    + "; regenerate it with: bin/latentlens make-concepts --wordnet /usr/share/wordnet --out concepts.txt");
        }
        assertArrayEquals(committedTxt, txt.getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(committedTsv, tsv.getBytes(StandardCharsets.UTF_8), "concepts.tsv differs from a fresh "
                + "generation; regenerate with bin/latentlens make-concepts");
        assertTrue(committedTsv.length < 20_000_000, "concepts.tsv must stay under 20 MB");
        assertTrue(committedTxt.length < 20_000_000, "concepts.txt must stay under 20 MB");
    }

    @Test
    void theJarResourceIsTheCommittedFile() throws IOException {
        try (InputStream in = Corpus.class.getResourceAsStream(Corpus.BUNDLED_RESOURCE)) {
            assertTrue(in != null, "concepts.txt is not packaged at " + Corpus.BUNDLED_RESOURCE);
            assertArrayEquals(Files.readAllBytes(TXT), in.readAllBytes());
        }
        Corpus bundled = Corpus.bundled();
        assertEquals(result.lines().size(), bundled.size());
        assertEquals(Corpus.fromText(TXT).sha256(), bundled.sha256());
    }

    @Test
    void statisticsMeetTheTargets() {
        ConceptGenerator.Statistics st = result.statistics();
        assertTrue(st.concepts() >= 20_000, "concepts: " + st.concepts());
        assertTrue(st.sentences() >= 100_000, "sentences: " + st.sentences());
        assertEquals(result.lines().size(), st.sentences());
        assertEquals(0, st.perConcept()[0], "a concept with no sentence");
        int sum = 0;
        for (int k = 0; k <= ConceptGenerator.MAX_SENTENCES; k++) {
            sum += st.perConcept()[k];
        }
        assertEquals(st.concepts(), sum);
        // Concepts below 3 are those WordNet says almost nothing about (see belowMinimumHaveNoMoreMaterial).
        assertTrue(st.belowMinimum() < 100, "concepts with < 3 sentences: " + st.belowMinimum());
        String report = st.format();
        assertTrue(report.contains("target >= 20,000: met") && report.contains("target >= 100,000: met"), report);
    }

    @Test
    void belowMinimumHaveNoMoreMaterial() {
        // A concept with fewer than 3 sentences has one sense, and every gloss or example in the database that
        // uses it is already in the file (its own, or taken by the concept whose own example or definition it is).
        Map<String, Integer> counts = new HashMap<>();
        Set<String> inFile = new HashSet<>();
        for (ConceptGenerator.Line l : result.lines()) {
            counts.merge(l.concept(), 1, Integer::sum);
            inFile.add(l.sentence());
        }
        Inflections inf = new Inflections(wordNet);
        List<ConceptGenerator.Concept> poor = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        Set<String> allForms = new HashSet<>();
        for (ConceptGenerator.Concept c : new ConceptGenerator(wordNet).concepts()) {
            if (counts.getOrDefault(c.display(), 0) < ConceptGenerator.MIN_SENTENCES) {
                assertEquals(1, c.senses().size(), c.lemma() + " has several senses but few sentences");
                poor.add(c);
                patterns.add(inf.pattern(c.lemma(), c.parts()));
                allForms.addAll(inf.forms(c.lemma(), c.parts()));
            }
        }
        assertEquals(result.statistics().belowMinimum(), poor.size());
        Pattern any = Inflections.pattern(allForms); // one scan of the database for all of them
        for (PartOfSpeech pos : WordNet.FILE_POS) {
            for (Synset s : wordNet.synsets(pos)) {
                List<String> texts = new ArrayList<>(s.examples());
                texts.add(s.definition());
                for (String text : texts) {
                    if (!any.matcher(text).find()) {
                        continue;
                    }
                    String sentence = text.equals(s.definition())
                            ? Templates.definition(s, s.words().get(0).text()) : Templates.example(text);
                    for (int k = 0; k < poor.size(); k++) {
                        boolean ownDefinition = text.equals(s.definition())
                                && poor.get(k).senses().get(0).synset().equals(s);
                        if (patterns.get(k).matcher(text).find() && !ownDefinition) {
                            assertTrue(inFile.contains(sentence) || sentence.length() > ConceptGenerator.MAX_CHARS,
                                    poor.get(k).lemma() + " could have used: " + sentence);
                        }
                    }
                }
            }
        }
    }

    @Test
    void everySentenceContainsItsConceptOrAnInflection() throws IOException {
        List<String> sentences = Files.readAllLines(TXT, StandardCharsets.UTF_8);
        List<String> rows = Files.readAllLines(TSV, StandardCharsets.UTF_8);
        assertEquals(ConceptGenerator.TSV_HEADER, rows.get(0));
        assertEquals(sentences.size() + 1, rows.size(), "concepts.tsv needs one row per line of concepts.txt");
        Inflections inf = new Inflections(wordNet);
        Map<String, Pattern> patterns = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Set<String> sources = new HashSet<>();
        for (ConceptGenerator.Source s : ConceptGenerator.Source.values()) {
            sources.add(s.label());
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            String[] row = rows.get(i + 1).split("\t", -1);
            assertEquals(5, row.length, "concepts.tsv row " + (i + 2));
            assertEquals(String.valueOf(i + 1), row[0]);
            assertTrue(sources.contains(row[4]), "unknown source " + row[4]);
            assertTrue(row[3].matches("\\d{8}-[nvasr]") && row[3].charAt(9) == row[2].charAt(0), row[3]);
            assertTrue(seen.add(sentence), "duplicate line " + (i + 1) + ": " + sentence);
            assertFalse(sentence.isBlank() || !sentence.equals(sentence.strip()), "line " + (i + 1));
            String lemma = row[1].toLowerCase(Locale.ROOT).replace(' ', '_');
            Pattern p = patterns.computeIfAbsent(lemma, l -> inf.pattern(l, partsOf(l)));
            if (!p.matcher(sentence).find()) {
                failures.add((i + 1) + " [" + row[1] + "]: " + sentence);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " sentences lack their concept, e.g. "
                + failures.subList(0, Math.min(5, failures.size())));
    }

    /** The parts of speech of a lemma, straight from the index files (independent of the generator). */
    static Set<PartOfSpeech> partsOf(String lemma) {
        Set<PartOfSpeech> parts = EnumSet.noneOf(PartOfSpeech.class);
        for (PartOfSpeech pos : WordNet.FILE_POS) {
            if (!wordNet.senseOffsets(lemma, pos).isEmpty()) {
                parts.add(pos);
            }
        }
        assertFalse(parts.isEmpty(), "concept " + lemma + " is not a WordNet 3.0 lemma");
        return parts;
    }

    private static String firstDifference(byte[] committed, String generated) {
        String[] a = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "line " + (i + 1) + ": committed \"" + a[i] + "\", generated \"" + b[i] + "\"";
            }
        }
        return "line " + (Math.min(a.length, b.length) + 1) + " (lengths " + a.length + " vs " + b.length + ")";
    }
}
