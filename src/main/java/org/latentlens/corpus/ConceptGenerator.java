package org.latentlens.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.latentlens.io.AtomicFiles;


/**
 * Builds {@code concepts.txt}, LatentLens's bundled corpus, deterministically from WordNet 3.0.
 *
 * <p><b>Concepts</b> are the WordNet lemmas that occur in SemCor, the sense-tagged part of the Brown Corpus:
 * those with a count above zero in {@code cntlist.rev} (keys that WordNet 3.0 no longer defines are skipped).
 * Multi-word lemmas keep their words, separated by spaces. Concepts are processed in the order of their lemma.
 *
 * <p><b>Sentences</b>: up to {@value #MAX_SENTENCES} per concept, each containing the concept or one of its
 * {@linkplain Inflections inflections}. A concept's senses are ranked by SemCor count (then noun, verb, adjective,
 * adverb, then WordNet's sense number). Sentences are taken, in this order:
 * <ol>
 *   <li>{@code example}: the usage examples of the concept's own synsets that contain it;</li>
 *   <li>{@code gloss}: a definition sentence per synset, from a template per part of speech
 *       ("A dog is ...", "To run is to ...", "Strong means ...");</li>
 * </ol>
 * and, only where these give fewer than {@value #MAX_SENTENCES}, from what else WordNet says about the word:
 * <ol start="3">
 *   <li>{@code mention-example} / {@code mention-gloss}: usage examples and definition sentences of other synsets
 *       that use the word, those the concept's synsets point to first, then in database order;</li>
 *   <li>{@code frame}: the verb's example frames from {@code sents.vrb} ("The horses run across the field.");</li>
 *   <li>relation sentences: {@code synonyms}, {@code hypernym}, {@code antonym}, {@code similar},
 *       {@code hyponym}, {@code derivation}.</li>
 * </ol>
 * A sentence appears once in the whole file. The first two sources of every concept are reserved before any
 * concept takes from the others, so one concept's fill never takes another concept's own example or definition.
 *
 * <pre>{@code
 * ConceptGenerator.Result r = new ConceptGenerator(WordNet.load(WordNet.DEBIAN_DIR)).generate();
 * r.write(Path.of("concepts.txt"));        // and concepts.tsv beside it
 * System.out.println(r.statistics().format());
 * }</pre>
 */
public final class ConceptGenerator {

    /** The most sentences a concept gets. */
    public static final int MAX_SENTENCES = 5;
    /** The fewest sentences a concept should get where WordNet has enough material. */
    public static final int MIN_SENTENCES = 3;
    /** Longer candidate sentences are passed over: they cost index-building time and say little more. */
    public static final int MAX_CHARS = 400;
    /** How many mention sentences are kept as fill candidates of one concept. */
    static final int FILL_CANDIDATES = 12;
    /** The header row of {@code concepts.tsv}. */
    public static final String TSV_HEADER = "line\tconcept\tpos\tsynset\tsource";

    /** Where a sentence came from (the {@code source} column of {@code concepts.tsv}). */
    public enum Source {
        /** A usage example of one of the concept's own synsets. */
        EXAMPLE,
        /** A definition sentence built from the gloss of one of the concept's synsets. */
        GLOSS,
        /** A usage example of another synset that uses the concept. */
        MENTION_EXAMPLE,
        /** The definition sentence of another synset whose gloss uses the concept. */
        MENTION_GLOSS,
        /** A verb frame from {@code sents.vrb}. */
        FRAME,
        /** "Other words for X are ...". */
        SYNONYMS,
        /** "A dog is a kind of canine." */
        HYPERNYM,
        /** "The opposite of X is Y." */
        ANTONYM,
        /** "X is similar in meaning to Y." (adjectives) */
        SIMILAR,
        /** "A wheel is part of a car.", "A dog is a member of the genus Canis." */
        PART,
        /** "Paper contains cellulose." */
        SUBSTANCE,
        /** "A puppy is a kind of dog." */
        HYPONYM,
        /** "If you snore, you sleep.", "To kill is to cause to die." */
        ENTAILMENT,
        /** "X is related to the noun Y." */
        DERIVATION,
        /** "The noun X means ...": a second wording of the concept's definition, the last resort. */
        GLOSS_VARIANT;

        /**
         * The label written to {@code concepts.tsv}.
         *
         * @return e.g. {@code mention-example}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One line of {@code concepts.txt} with its provenance.
     *
     * @param sentence the sentence
     * @param concept  the concept it was chosen for (spaces between words, case of its most frequent sense)
     * @param pos      the part of speech of {@code synset}
     * @param synset   the synset whose text or relation gave the sentence, as {@code 02084071-n}
     * @param source   the kind of source
     */
    public record Line(String sentence, String concept, PartOfSpeech pos, String synset, Source source) {
    }

    /**
     * A concept with its senses.
     *
     * @param lemma   the lemma as in sense keys (lower case, underscores)
     * @param display the concept as written in its most frequent sense, underscores as spaces
     * @param senses  the senses, most frequent first
     * @param parts   the parts of speech it has in WordNet (satellites as adjectives)
     */
    public record Concept(String lemma, String display, List<WordNet.Sense> senses, Set<PartOfSpeech> parts) {
    }

    private record Candidate(String sentence, Synset synset, Source source) {
    }

    private final WordNet wn;
    private final Inflections inflections;

    // Every definition and usage example of the database, for finding mentions of a word.
    private final List<Synset> textSynset = new ArrayList<>();
    private final List<String> textString = new ArrayList<>();
    private final List<Boolean> textIsExample = new ArrayList<>();
    private final Map<String, int[]> postings = new HashMap<>();
    private final Map<Synset, int[]> textRange = new HashMap<>();

    /**
     * Creates a generator over a database.
     *
     * @param wordNet the WordNet 3.0 database
     */
    public ConceptGenerator(WordNet wordNet) {
        this.wn = wordNet;
        this.inflections = new Inflections(wordNet);
    }

    /**
     * The concepts: lemmas with a SemCor count above zero, sorted by lemma.
     *
     * @return the concepts
     */
    public List<Concept> concepts() {
        List<Concept> out = new ArrayList<>();
        for (String lemma : countedLemmas()) {
            Concept c = concept(lemma);
            if (!c.senses().isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Every lemma of {@code cntlist.rev} with a count above zero, sorted. Some of its keys name senses that
     * WordNet 3.0 renumbered or dropped (e.g. {@code accent%2:30:00::}); their lemma still occurs in SemCor, so it
     * counts when WordNet 3.0 has it at all.
     */
    private TreeSet<String> countedLemmas() {
        TreeSet<String> lemmas = new TreeSet<>();
        for (Map.Entry<String, Integer> e : wn.tagCounts().entrySet()) {
            if (e.getValue() > 0) {
                lemmas.add(e.getKey().substring(0, e.getKey().indexOf('%')));
            }
        }
        return lemmas;
    }

    /**
     * Runs the generator.
     *
     * @return the lines and their statistics
     */
    public Result generate() {
        buildMentionIndex();
        List<Concept> concepts = concepts();

        Set<String> used = new HashSet<>();
        List<List<Line>> perConcept = new ArrayList<>(concepts.size());
        List<Pattern> patterns = new ArrayList<>(concepts.size());
        for (Concept c : concepts) {
            patterns.add(inflections.pattern(c.lemma(), c.parts()));
        }
        // Pass 1: the concept's own examples and definitions, reserved for it before any fill is chosen.
        for (int i = 0; i < concepts.size(); i++) {
            Concept c = concepts.get(i);
            Pattern p = patterns.get(i);
            List<Line> lines = new ArrayList<>();
            for (Candidate cand : ownCandidates(c)) {
                if (lines.size() == MAX_SENTENCES) {
                    break;
                }
                offer(c, p, cand, lines, used);
            }
            perConcept.add(lines);
        }
        // Pass 2: fill up to MAX_SENTENCES from mentions, frames and relations. Two concepts can want the same
        // sentence ("A puppy is a kind of dog." is a hypernym sentence of puppy and a hyponym sentence of dog), so
        // the fill goes in rounds of one sentence per concept, concepts with the fewest candidates first: a
        // concept with much material never takes the last sentence of one with little.
        List<Integer> needy = new ArrayList<>();
        for (int i = 0; i < concepts.size(); i++) {
            if (perConcept.get(i).size() < MAX_SENTENCES) {
                needy.add(i);
            }
        }
        // Candidates depend only on the database and on the sentences reserved in pass 1, so they can be
        // computed in parallel; the allocation below is sequential and deterministic.
        List<List<Candidate>> candidates = new ArrayList<>(java.util.Collections.nCopies(concepts.size(),
                List.<Candidate>of()));
        List<List<Candidate>> computed = needy.parallelStream()
                .map(i -> fillCandidates(concepts.get(i), patterns.get(i), used)).toList();
        for (int k = 0; k < needy.size(); k++) {
            candidates.set(needy.get(k), computed.get(k));
        }
        needy.sort(Comparator.comparingInt((Integer i) -> candidates.get(i).size() + perConcept.get(i).size())
                .thenComparingInt(i -> i));
        int[] next = new int[concepts.size()];
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i : needy) {
                List<Line> lines = perConcept.get(i);
                List<Candidate> cands = candidates.get(i);
                while (lines.size() < MAX_SENTENCES && next[i] < cands.size()) {
                    Candidate cand = cands.get(next[i]++);
                    if (offer(concepts.get(i), patterns.get(i), cand, lines, used)) {
                        progress = true;
                        break;
                    }
                }
            }
        }
        List<Line> all = new ArrayList<>();
        perConcept.forEach(all::addAll);
        int staleKeys = 0;
        for (Map.Entry<String, Integer> e : wn.tagCounts().entrySet()) {
            if (e.getValue() > 0 && wn.sense(e.getKey()) == null) {
                staleKeys++;
            }
        }
        int lemmas = countedLemmas().size();
        return new Result(List.copyOf(all), Statistics.of(wn.directory(), concepts, perConcept,
                wn.tagCounts().size(), staleKeys, lemmas, lemmas - concepts.size()));
    }

    private Concept concept(String lemma) {
        record Ranked(WordNet.Sense sense, int count, int posOrder, int senseNumber) {
        }
        List<Ranked> ranked = new ArrayList<>();
        Set<PartOfSpeech> parts = EnumSet.noneOf(PartOfSpeech.class);
        for (int pi = 0; pi < WordNet.FILE_POS.size(); pi++) {
            PartOfSpeech pos = WordNet.FILE_POS.get(pi);
            List<Integer> offsets = wn.senseOffsets(lemma, pos);
            for (int k = 0; k < offsets.size(); k++) {
                Synset s = wn.synset(pos, offsets.get(k));
                int wi = wordIndex(s, lemma);
                if (wi < 0) {
                    continue;
                }
                parts.add(pos);
                ranked.add(new Ranked(new WordNet.Sense(s, wi), wn.tagCount(wn.senseKey(s, wi)), pi, k));
            }
        }
        ranked.sort(Comparator.comparingInt((Ranked r) -> -r.count()).thenComparingInt(Ranked::posOrder)
                .thenComparingInt(Ranked::senseNumber));
        List<WordNet.Sense> senses = ranked.stream().map(Ranked::sense).toList();
        String display = senses.isEmpty() ? lemma.replace('_', ' ') : senses.get(0).word().text();
        return new Concept(lemma, display, senses, parts);
    }

    private static int wordIndex(Synset s, String lemma) {
        for (int i = 0; i < s.words().size(); i++) {
            if (s.words().get(i).lemma().toLowerCase(Locale.ROOT).equals(lemma)) {
                return i;
            }
        }
        return -1;
    }

    private List<Candidate> ownCandidates(Concept c) {
        List<Candidate> out = new ArrayList<>();
        for (WordNet.Sense s : c.senses()) {
            for (String ex : s.synset().examples()) {
                out.add(new Candidate(Templates.example(ex), s.synset(), Source.EXAMPLE));
            }
        }
        for (WordNet.Sense s : c.senses()) {
            String def = Templates.definition(s.synset(), s.word().text());
            if (def != null) {
                out.add(new Candidate(def, s.synset(), Source.GLOSS));
            }
        }
        return out;
    }

    /** Adds the candidate if it is new, short enough and contains the concept; says whether it was added. */
    private static boolean offer(Concept c, Pattern p, Candidate cand, List<Line> lines, Set<String> used) {
        String s = cand.sentence();
        if (s == null || s.isEmpty() || s.length() > MAX_CHARS || used.contains(s) || !p.matcher(s).find()) {
            return false;
        }
        used.add(s);
        lines.add(new Line(s, c.display(), cand.synset().pos(), cand.synset().id(), cand.source()));
        return true;
    }

    /**
     * The fill candidates of a concept, best first: mentions (in the synsets its senses point to, then anywhere),
     * then frames and relation sentences. Each contains the concept, is short enough and is not yet used; at most
     * {@link #FILL_CANDIDATES} are kept.
     */
    private List<Candidate> fillCandidates(Concept c, Pattern p, Set<String> used) {
        List<Candidate> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<Synset> own = new HashSet<>();
        for (WordNet.Sense s : c.senses()) {
            own.add(s.synset());
        }
        LinkedHashSet<Synset> related = new LinkedHashSet<>();
        for (WordNet.Sense s : c.senses()) {
            for (Synset.Pointer ptr : s.synset().pointers()) {
                Synset t = wn.synset(ptr.targetPos(), ptr.target());
                if (!own.contains(t)) {
                    related.add(t);
                }
            }
        }
        for (Synset t : related) {
            int[] range = textRange.get(t);
            for (int id = range[0]; id < range[1] && out.size() < FILL_CANDIDATES; id++) {
                addIfValid(p, mention(p, id, true), used, seen, out);
            }
        }
        // When every form is one word, the posting lists already prove a whole-word match in the raw text.
        boolean exact = true;
        for (String form : inflections.forms(c.lemma(), c.parts())) {
            String[] toks = tokens(form);
            exact &= toks.length == 1 && toks[0].equals(form);
        }
        if (out.size() < FILL_CANDIDATES) {
            for (int id : candidateTexts(c)) {
                Synset t = textSynset.get(id);
                if (own.contains(t) || related.contains(t)) {
                    continue;
                }
                addIfValid(p, mention(p, id, !exact), used, seen, out);
                if (out.size() == FILL_CANDIDATES) {
                    break;
                }
            }
        }
        // Frames and relations are few per concept; all are kept, so that a concept whose mentions were all
        // taken still has them.
        for (Candidate cand : relationCandidates(c)) {
            addIfValid(p, cand, used, seen, out);
        }
        return out;
    }

    private static void addIfValid(Pattern p, Candidate cand, Set<String> used, Set<String> seen,
                                   List<Candidate> out) {
        if (cand == null) {
            return;
        }
        String s = cand.sentence();
        if (s == null || s.isEmpty() || s.length() > MAX_CHARS || used.contains(s) || !seen.add(s)
                || !p.matcher(s).find()) {
            return;
        }
        out.add(cand);
    }

    /** The sentence made from one text of the mention index, or null if the text does not contain the concept. */
    private Candidate mention(Pattern p, int id, boolean check) {
        String text = textString.get(id);
        if (check && !p.matcher(text).find()) {
            return null; // cheap test on the raw text before building the sentence
        }
        Synset t = textSynset.get(id);
        return textIsExample.get(id)
                ? new Candidate(Templates.example(text), t, Source.MENTION_EXAMPLE)
                : new Candidate(Templates.definition(t, t.words().get(0).text()), t, Source.MENTION_GLOSS);
    }

    /**
     * Texts that may contain a form of the concept, in database order: for each form, the texts that hold all
     * of its words (a text holding the whole form holds each of them).
     */
    private int[] candidateTexts(Concept c) {
        List<int[]> lists = new ArrayList<>();
        int total = 0;
        for (String form : inflections.forms(c.lemma(), c.parts())) {
            String[] toks = tokens(form);
            if (toks.length == 0) {
                continue;
            }
            int[][] ps = new int[toks.length][];
            for (int k = 0; k < toks.length; k++) {
                ps[k] = postings.getOrDefault(toks[k], new int[0]);
            }
            Arrays.sort(ps, Comparator.comparingInt(a -> a.length));
            int[] acc = ps[0];
            for (int k = 1; k < ps.length && acc.length > 0; k++) {
                acc = intersect(acc, ps[k]);
            }
            lists.add(acc);
            total += acc.length;
        }
        int[] all = new int[total];
        int k = 0;
        for (int[] l : lists) {
            System.arraycopy(l, 0, all, k, l.length);
            k += l.length;
        }
        Arrays.sort(all);
        return Arrays.stream(all).distinct().toArray();
    }

    /** The common elements of two ascending arrays. */
    private static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                out[n++] = a[i];
                i++;
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private List<Candidate> relationCandidates(Concept c) {
        List<Candidate> frames = new ArrayList<>();
        List<Candidate> syn = new ArrayList<>();
        List<Candidate> hyper = new ArrayList<>();
        List<Candidate> ant = new ArrayList<>();
        List<Candidate> sim = new ArrayList<>();
        List<Candidate> hypo = new ArrayList<>();
        List<Candidate> part = new ArrayList<>();
        List<Candidate> substance = new ArrayList<>();
        List<Candidate> entail = new ArrayList<>();
        List<Candidate> deriv = new ArrayList<>();
        List<Candidate> variants = new ArrayList<>();
        for (WordNet.Sense sense : c.senses()) {
            Synset s = sense.synset();
            String w = sense.word().text();
            if (s.pos() == PartOfSpeech.VERB) {
                for (String t : wn.verbFrames(wn.senseKey(s, sense.wordIndex()))) {
                    frames.add(new Candidate(Templates.frame(t, w), s, Source.FRAME));
                }
            }
            String variant = Templates.namedDefinition(s, w);
            if (variant != null) {
                variants.add(new Candidate(variant, s, Source.GLOSS_VARIANT));
            }
            List<String> others = new ArrayList<>();
            for (Synset.Word o : s.words()) {
                if (!o.text().equalsIgnoreCase(w) && others.size() < 3) {
                    others.add(o.text());
                }
            }
            if (!others.isEmpty()) {
                syn.add(new Candidate(Templates.synonyms(w, others), s, Source.SYNONYMS));
            }
            for (Synset.Pointer ptr : s.pointers()) {
                boolean lexicalFromWord = ptr.sourceWord() == sense.wordIndex() + 1;
                boolean semantic = ptr.sourceWord() == 0;
                Synset t = wn.synset(ptr.targetPos(), ptr.target());
                String tw = t.words().get(ptr.targetWord() > 0 ? ptr.targetWord() - 1 : 0).text();
                switch (ptr.symbol()) {
                    case "@", "@i" -> {
                        if (semantic) {
                            hyper.add(new Candidate(Templates.hypernym(s, w, t, tw, ptr.symbol().equals("@i")),
                                    s, Source.HYPERNYM));
                        }
                    }
                    case "~", "~i" -> {
                        if (semantic) {
                            hypo.add(new Candidate(Templates.hypernym(t, tw, s, w, ptr.symbol().equals("~i")),
                                    t, Source.HYPONYM));
                        }
                    }
                    case "!" -> {
                        if (lexicalFromWord) {
                            ant.add(new Candidate(Templates.antonym(w, tw), s, Source.ANTONYM));
                        }
                    }
                    case "#p" -> part.add(new Candidate(Templates.partOf(s, w, t, tw), s, Source.PART));
                    case "%p" -> part.add(new Candidate(Templates.partOf(t, tw, s, w), s, Source.PART));
                    case "#m" -> part.add(new Candidate(Templates.memberOf(s, w, t, tw), s, Source.PART));
                    case "%m" -> part.add(new Candidate(Templates.memberOf(t, tw, s, w), s, Source.PART));
                    case "#s" -> substance.add(new Candidate(Templates.contains(tw, w), s, Source.SUBSTANCE));
                    case "%s" -> substance.add(new Candidate(Templates.contains(w, tw), s, Source.SUBSTANCE));
                    case "*" -> entail.add(new Candidate(Templates.entailment(w, tw), s, Source.ENTAILMENT));
                    case ">" -> entail.add(new Candidate(Templates.cause(w, tw), s, Source.ENTAILMENT));
                    case "^" -> {
                        if (semantic || lexicalFromWord) {
                            sim.add(new Candidate(Templates.similar(w, tw), s, Source.SIMILAR));
                        }
                    }
                    case "\\" -> {
                        if (lexicalFromWord) {
                            deriv.add(new Candidate(Templates.derivation(w, t.pos(), tw), s, Source.DERIVATION));
                        }
                    }
                    case "&" -> {
                        if (semantic && s.pos() != PartOfSpeech.VERB) {
                            sim.add(new Candidate(Templates.similar(w, tw), s, Source.SIMILAR));
                        }
                    }
                    case "+" -> {
                        if (lexicalFromWord) {
                            deriv.add(new Candidate(Templates.derivation(w, t.pos(), tw), s, Source.DERIVATION));
                        }
                    }
                    default -> {
                        // other relations (meronyms, domains, ...) do not make sentences that use the word
                    }
                }
            }
        }
        List<Candidate> out = new ArrayList<>(frames);
        out.addAll(syn);
        out.addAll(hyper);
        out.addAll(ant);
        out.addAll(sim);
        out.addAll(part);
        out.addAll(substance);
        out.addAll(hypo);
        out.addAll(entail);
        out.addAll(deriv);
        out.addAll(variants);
        return out;
    }

    private void buildMentionIndex() {
        if (!textSynset.isEmpty()) {
            return;
        }
        Map<String, IntList> lists = new HashMap<>();
        for (PartOfSpeech pos : WordNet.FILE_POS) {
            for (Synset s : wn.synsets(pos)) {
                int start = textSynset.size();
                if (!s.definition().isEmpty()) {
                    addText(s, s.definition(), false, lists);
                }
                for (String ex : s.examples()) {
                    addText(s, ex, true, lists);
                }
                textRange.put(s, new int[] {start, textSynset.size()});
            }
        }
        lists.forEach((k, v) -> postings.put(k, v.toArray()));
    }

    private void addText(Synset s, String text, boolean example, Map<String, IntList> lists) {
        int id = textSynset.size();
        textSynset.add(s);
        textString.add(text);
        textIsExample.add(example);
        for (String tok : tokens(text)) {
            lists.computeIfAbsent(tok, x -> new IntList()).addOnce(id);
        }
    }

    /** A growable list of ascending ints (text ids), without boxing. */
    private static final class IntList {
        private int[] a = new int[4];
        private int n;

        /** Appends an id unless it is already the last one (ids arrive in ascending order). */
        void addOnce(int v) {
            if (n > 0 && a[n - 1] == v) {
                return;
            }
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** Lower-case runs of letters and digits: the words a whole-word match can start or end on. */
    static String[] tokens(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * The generated corpus.
     *
     * @param lines      the lines of {@code concepts.txt}, in order
     * @param statistics figures about them
     */
    public record Result(List<Line> lines, Statistics statistics) {

        /**
         * The text of {@code concepts.txt}: one sentence per line, each ending in a newline.
         *
         * @return the text
         */
        public String text() {
            StringBuilder sb = new StringBuilder(lines.size() * 90);
            for (Line l : lines) {
                sb.append(l.sentence()).append('\n');
            }
            return sb.toString();
        }

        /**
         * The text of {@code concepts.tsv}: the header, then line number (1-based), concept, pos, synset and
         * source of each line.
         *
         * @return the text
         */
        public String tsv() {
            StringBuilder sb = new StringBuilder(lines.size() * 50);
            sb.append(TSV_HEADER).append('\n');
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                sb.append(i + 1).append('\t').append(l.concept()).append('\t').append(l.pos().code()).append('\t')
                        .append(l.synset()).append('\t').append(l.source().label()).append('\n');
            }
            return sb.toString();
        }

        /**
         * Writes {@code concepts.txt} and its {@code .tsv} sidecar atomically: both are written to temporary
         * files first and renamed into place only when both are complete.
         *
         * @param txt the text file; the sidecar is written beside it with the suffix {@code .tsv}
         * @return the path of the sidecar
         * @throws IOException if writing fails (no partial file is left behind)
         */
        public Path write(Path txt) throws IOException {
            Path tsvPath = sidecar(txt);
            AtomicFiles.writeAll(new Path[] {txt, tsvPath},
                    new byte[][] {text().getBytes(StandardCharsets.UTF_8), tsv().getBytes(StandardCharsets.UTF_8)});
            return tsvPath;
        }

        /**
         * The sidecar path of a text file: {@code x.txt} becomes {@code x.tsv}, any other name gets {@code .tsv}
         * appended.
         *
         * @param txt the text file
         * @return the sidecar path
         */
        public static Path sidecar(Path txt) {
            String name = txt.getFileName().toString();
            String base = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
            return txt.resolveSibling(base + ".tsv");
        }
    }

    /**
     * Figures about a generated corpus, printed by the generator.
     *
     * @param wordNetDir       the database directory
     * @param countedSenses    entries of {@code cntlist.rev}
     * @param staleSenses      entries with a count whose key WordNet 3.0 does not define
     * @param countedLemmas    distinct lemmas with a count
     * @param missingLemmas    counted lemmas that WordNet 3.0 does not have at all (skipped)
     * @param concepts         concepts
     * @param sentences        sentences
     * @param perConcept       histogram: index k = number of concepts with k sentences
     * @param bySource         sentences per source
     * @param conceptsByPos    concepts per part of speech of their most frequent sense
     * @param belowMinimum     concepts with fewer than {@value #MIN_SENTENCES} sentences
     * @param minWords         fewest words in a sentence
     * @param medianWords      median words per sentence
     * @param meanWords        mean words per sentence
     * @param maxWords         most words in a sentence
     */
    public record Statistics(Path wordNetDir, int countedSenses, int staleSenses, int countedLemmas,
                             int missingLemmas, int concepts, int sentences,
                             int[] perConcept, Map<Source, Integer> bySource, Map<PartOfSpeech, Integer> conceptsByPos,
                             int belowMinimum, int minWords, int medianWords, double meanWords, int maxWords) {

        static Statistics of(Path dir, List<Concept> concepts, List<List<Line>> perConcept, int counted, int stale,
                             int lemmas, int missing) {
            int[] hist = new int[MAX_SENTENCES + 1];
            Map<Source, Integer> bySource = new EnumMap<>(Source.class);
            Map<PartOfSpeech, Integer> byPos = new EnumMap<>(PartOfSpeech.class);
            List<Integer> words = new ArrayList<>();
            int below = 0;
            for (int i = 0; i < concepts.size(); i++) {
                List<Line> lines = perConcept.get(i);
                hist[lines.size()]++;
                if (lines.size() < MIN_SENTENCES) {
                    below++;
                }
                Concept c = concepts.get(i);
                if (!c.senses().isEmpty()) {
                    byPos.merge(c.senses().get(0).synset().pos().base(), 1, Integer::sum);
                }
                for (Line l : lines) {
                    bySource.merge(l.source(), 1, Integer::sum);
                    words.add(l.sentence().split(" ").length);
                }
            }
            words.sort(null);
            double mean = words.stream().mapToInt(Integer::intValue).average().orElse(0);
            return new Statistics(dir, counted, stale, lemmas, missing, concepts.size(), words.size(), hist, bySource, byPos, below,
                    words.isEmpty() ? 0 : words.get(0), words.isEmpty() ? 0 : words.get(words.size() / 2), mean,
                    words.isEmpty() ? 0 : words.get(words.size() - 1));
        }

        /**
         * A readable report, one figure per line.
         *
         * @return the report
         */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "WordNet 3.0 from %s%n", wordNetDir));
            sb.append(String.format(Locale.ROOT, "  cntlist.rev senses:        %,d (%,d keys not defined by WordNet 3.0)%n",
                    countedSenses, staleSenses));
            sb.append(String.format(Locale.ROOT, "  cntlist.rev lemmas:        %,d (%,d not in WordNet 3.0, skipped)%n",
                    countedLemmas, missingLemmas));
            sb.append(String.format(Locale.ROOT, "  concepts:                  %,d (target >= 20,000: %s)%n", concepts,
                    concepts >= 20_000 ? "met" : "NOT MET"));
            sb.append(String.format(Locale.ROOT, "    by most frequent sense:  noun %,d, verb %,d, adjective %,d, adverb %,d%n",
                    conceptsByPos.getOrDefault(PartOfSpeech.NOUN, 0), conceptsByPos.getOrDefault(PartOfSpeech.VERB, 0),
                    conceptsByPos.getOrDefault(PartOfSpeech.ADJECTIVE, 0),
                    conceptsByPos.getOrDefault(PartOfSpeech.ADVERB, 0)));
            sb.append(String.format(Locale.ROOT, "  sentences:                 %,d (target >= 100,000: %s), %.2f per concept%n",
                    sentences, sentences >= 100_000 ? "met" : "NOT MET", concepts == 0 ? 0.0 : (double) sentences / concepts));
            sb.append("  concepts with k sentences: ");
            for (int k = MAX_SENTENCES; k >= 0; k--) {
                sb.append(String.format(Locale.ROOT, "%d: %,d%s", k, perConcept[k], k > 0 ? ", " : "%n".formatted()));
            }
            sb.append(String.format(Locale.ROOT, "  concepts with < %d:         %,d (WordNet has no further distinct sentence for them)%n",
                    MIN_SENTENCES, belowMinimum));
            sb.append("  sentences by source:       ");
            boolean first = true;
            for (Map.Entry<Source, Integer> e : bySource.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey().label()).append(' ')
                        .append(String.format(Locale.ROOT, "%,d", e.getValue()));
                first = false;
            }
            sb.append(String.format("%n"));
            sb.append(String.format(Locale.ROOT, "  words per sentence:        min %d, median %d, mean %.1f, max %d%n",
                    minWords, medianWords, meanWords, maxWords));
            return sb.toString();
        }
    }
}
