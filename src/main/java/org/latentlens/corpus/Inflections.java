package org.latentlens.corpus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The inflected forms of a WordNet lemma, and a word-boundary aware matcher for them.
 *
 * <p>Forms come from two sources: WordNet's exception lists ({@code noun.exc}: "geese goose", {@code verb.exc}:
 * "ran run", ...) read backwards, and regular English morphology, i.e. the inverse of the suffix rules WordNet's
 * own {@code morphy} uses to undo inflection (nouns: -s, -es after s/x/z/ch/sh, -y to -ies, -man to -men; verbs:
 * -s/-es, -ed/-d, -ing with a dropped final e, -y to -ies/-ied; adjectives: -er/-est, -r/-st after e). Which word
 * of a multi-word lemma inflects depends on its part of speech: the last for nouns ("living things"), the first
 * for verbs ("took off"), the whole for the rest. The lemma itself is always one of its forms.
 *
 * <p>The concept generator uses this class to pick usage examples, and the tests use it to check every sentence;
 * sharing it keeps the two in agreement.
 *
 * <pre>{@code
 * Inflections inf = new Inflections(wordNet);
 * Pattern p = inf.pattern("run", Set.of(PartOfSpeech.VERB));  // matches "ran", "Running", "runs"
 * }</pre>
 */
public final class Inflections {

    private final WordNet wordNet;

    /**
     * Creates the helper over a database's exception lists.
     *
     * @param wordNet the database
     */
    public Inflections(WordNet wordNet) {
        this.wordNet = wordNet;
    }

    /**
     * All forms of a lemma in the given parts of speech, lower case, spaces between words.
     *
     * @param lemma a lemma with spaces or underscores, any case
     * @param parts the parts of speech to inflect it as (satellites count as adjectives)
     * @return the sorted forms, the lemma included
     */
    public Set<String> forms(String lemma, Collection<PartOfSpeech> parts) {
        String base = lemma.toLowerCase(Locale.ROOT).replace('_', ' ').strip();
        Set<String> out = new TreeSet<>();
        out.add(base);
        for (PartOfSpeech pos : parts) {
            PartOfSpeech p = pos.base();
            for (String exc : wordNet.exceptionForms(base.replace(' ', '_'), p)) {
                out.add(exc.replace('_', ' '));
            }
            String[] words = base.split(" ");
            int head = switch (p) {
                case NOUN -> words.length - 1;
                case VERB -> 0;
                default -> words.length == 1 ? 0 : -1;
            };
            if (head < 0) {
                continue;
            }
            List<String> headForms = new ArrayList<>(wordNet.exceptionForms(words[head], p));
            headForms.addAll(regular(words[head], p));
            for (String hf : headForms) {
                String[] copy = words.clone();
                copy[head] = hf.replace('_', ' ');
                out.add(String.join(" ", copy));
            }
        }
        return out;
    }

    /**
     * Regular inflections of one word: the inverse of WordNet's {@code morphy} detachment rules, plus -ied.
     *
     * @param w   the word, lower case
     * @param pos the part of speech
     * @return the inflected forms (not including {@code w} itself)
     */
    static List<String> regular(String w, PartOfSpeech pos) {
        List<String> out = new ArrayList<>();
        if (w.isEmpty() || !Character.isLetter(w.charAt(w.length() - 1))) {
            return out;
        }
        boolean sibilant = w.endsWith("s") || w.endsWith("x") || w.endsWith("z") || w.endsWith("ch")
                || w.endsWith("sh");
        boolean consonantY = w.length() > 1 && w.endsWith("y") && !isVowel(w.charAt(w.length() - 2));
        switch (pos.base()) {
            case NOUN -> {
                out.add(w + "s");
                if (sibilant || w.endsWith("o")) {
                    out.add(w + "es");
                }
                if (consonantY) {
                    out.add(w.substring(0, w.length() - 1) + "ies");
                }
                if (w.endsWith("man")) {
                    out.add(w.substring(0, w.length() - 3) + "men");
                }
            }
            case VERB -> {
                out.add(w + "s");
                if (sibilant || w.endsWith("o")) {
                    out.add(w + "es");
                }
                if (consonantY) {
                    String stem = w.substring(0, w.length() - 1);
                    out.add(stem + "ies");
                    out.add(stem + "ied");
                }
                if (w.endsWith("e")) {
                    out.add(w + "d");
                    if (!w.endsWith("ee") && w.length() > 2) {
                        out.add(w.substring(0, w.length() - 1) + "ing");
                    }
                } else {
                    out.add(w + "ed");
                }
                out.add(w + "ing");
            }
            case ADJECTIVE -> {
                if (w.endsWith("e")) {
                    out.add(w + "r");
                    out.add(w + "st");
                } else {
                    out.add(w + "er");
                    out.add(w + "est");
                }
            }
            default -> {
                // adverbs inflect only through adv.exc ("better well")
            }
        }
        return out;
    }

    private static boolean isVowel(char c) {
        return "aeiou".indexOf(c) >= 0;
    }

    /**
     * A case-insensitive pattern that finds any of the forms as a whole word: the characters either side of a
     * match are not letters or digits (so "dog" matches "dog's" and "hot-dog", but not "dogma"). Within a form,
     * a space and a hyphen match each other ("scot free" matches "scot-free").
     *
     * @param forms the forms to look for
     * @return the pattern; longer forms are tried first
     */
    public static Pattern pattern(Collection<String> forms) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(forms));
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        StringBuilder sb = new StringBuilder("(?<![\\p{L}\\p{N}])(?:");
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            // WordNet writes compounds with spaces where its examples often use hyphens ("scot free" in
            // "he went scot-free"), and the other way round: either separator matches.
            String[] parts = sorted.get(i).split("[ -]", -1);
            for (int k = 0; k < parts.length; k++) {
                if (k > 0) {
                    sb.append("[ -]");
                }
                if (!parts[k].isEmpty()) {
                    sb.append(Pattern.quote(parts[k]));
                }
            }
        }
        sb.append(")(?![\\p{L}\\p{N}])");
        return Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * A pattern for all forms of a lemma (see {@link #forms} and {@link #pattern(Collection)}).
     *
     * @param lemma the lemma
     * @param parts its parts of speech
     * @return the pattern
     */
    public Pattern pattern(String lemma, Collection<PartOfSpeech> parts) {
        return pattern(forms(lemma, parts));
    }
}
