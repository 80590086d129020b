package org.latentlens.corpus;

import java.util.List;
import java.util.Locale;

/**
 * The grammatical templates that turn WordNet glosses and relations into sentences.
 *
 * <p>Glosses are phrases whose shape depends on the part of speech: noun glosses are noun phrases ("a member of
 * the genus Canis"), verb glosses verb phrases ("move fast by using one's feet"), adjective and adverb glosses
 * predicates or adverbials. Each part of speech therefore gets its own frame: "A dog is a member of ...",
 * "To run is to move fast ...", "Strong means having ...". A leading usage label such as "(of liquids)" or
 * "(biology)" moves behind the headword, where it reads as an aside.
 */
final class Templates {

    private Templates() {
    }

    /** How a noun's gloss begins, which decides the noun's article in a definition sentence. */
    enum Determiner { INDEFINITE, DEFINITE, NONE }

    /**
     * The sentence that defines {@code word} by the gloss of {@code synset}.
     *
     * @param synset the synset whose definition is used
     * @param word   the headword, as displayed (spaces, original case)
     * @return the finished sentence, or {@code null} when the synset has no definition
     */
    static String definition(Synset synset, String word) {
        String def = synset.definition();
        if (def.isEmpty()) {
            return null;
        }
        String label = "";
        if (def.startsWith("(")) {
            int close = matchingParen(def);
            if (close > 0 && close + 1 < def.length()) {
                label = " " + def.substring(0, close + 1);
                def = def.substring(close + 1).strip();
            }
        }
        String s = switch (synset.pos()) {
            case NOUN -> nounSubject(synset, word) + label + " is " + def;
            case VERB -> "To " + word + label + " is to " + stripPrefix(def, "to ");
            default -> word + label + " means " + def;
        };
        return finish(s);
    }

    /**
     * A second wording of a definition, naming the part of speech: "The noun conclave means a secret meeting.",
     * "The verb reactivate means to activate anew." Used only to fill concepts WordNet says little about.
     *
     * @param synset the synset whose definition is used
     * @param word   the headword
     * @return the sentence, or {@code null} when the synset has no definition
     */
    static String namedDefinition(Synset synset, String word) {
        String def = synset.definition();
        if (def.isEmpty()) {
            return null;
        }
        return finish(switch (synset.pos()) {
            case NOUN -> "The noun " + word + " means " + def;
            case VERB -> "The verb " + word + " means to " + stripPrefix(def, "to ");
            case ADVERB -> "The adverb " + word + " means " + def;
            default -> "The adjective " + word + " means " + def;
        });
    }

    /** "A wheel is part of a car." */
    static String partOf(Synset part, String partWord, Synset whole, String wholeWord) {
        return finish(nounSubject(part, partWord) + " is part of " + nounSubject(whole, wholeWord));
    }

    /** "A dog is a member of the genus Canis." */
    static String memberOf(Synset member, String memberWord, Synset group, String groupWord) {
        return finish(nounSubject(member, memberWord) + " is a member of " + nounSubject(group, groupWord));
    }

    /** "Paper contains cellulose." Substances are mass nouns: no articles. */
    static String contains(String wholeWord, String substanceWord) {
        return finish(wholeWord + " contains " + substanceWord);
    }

    /** "If you snore, you sleep."; null for "be" and "have", which do not fit the frame. */
    static String entailment(String verb, String entailed) {
        if (entailed.equals("be") || entailed.equals("have")) {
            return null;
        }
        return finish("If you " + verb + ", you " + entailed);
    }

    /** "To kill is to cause to die." */
    static String cause(String verb, String effect) {
        return finish("To " + verb + " is to cause to " + effect);
    }

    /** A noun as the subject of a sentence: "a dog", "an owl", "the sun", "water", "Paris". */
    static String nounSubject(Synset synset, String word) {
        return switch (determiner(synset, word)) {
            case INDEFINITE -> indefiniteArticle(word) + " " + word;
            case DEFINITE -> "the " + word;
            case NONE -> word;
        };
    }

    /**
     * Proper nouns (capitalised) take no article; otherwise the gloss shows the noun's kind: "a/an/any/one ..."
     * glosses describe countable things, "the ..." unique ones, and bare glosses mass nouns and plurals.
     */
    static Determiner determiner(Synset synset, String word) {
        if (!word.isEmpty() && Character.isUpperCase(word.charAt(0))) {
            return Determiner.NONE;
        }
        String def = synset.definition();
        if (def.startsWith("(")) {
            int close = matchingParen(def);
            def = close > 0 ? def.substring(close + 1).strip() : def;
        }
        String d = def.toLowerCase(Locale.ROOT);
        String head = headWord(word.toLowerCase(Locale.ROOT));
        if (MASS_SUFFIX.matcher(head).find()) {
            return Determiner.NONE; // "Diabetes is a disease.", "Pluralism is a ...": never "a pluralism"
        }
        if (d.startsWith("a ") || d.startsWith("an ") || d.startsWith("any ") || d.startsWith("one ")
                || d.startsWith("someone ") || d.startsWith("somebody ") || d.startsWith("something ")
                || d.startsWith("anyone ") || d.startsWith("anything ") || d.startsWith("person ")) {
            return Determiner.INDEFINITE;
        }
        if (d.startsWith("the ")) {
            // "the act of digging", "the quality of being restless": abstract and mass nouns read best bare
            // ("Excavation is the act of digging."); "the top of a roof" names a unique thing ("The rooftop is").
            return ABSTRACT_GLOSS.matcher(d).lookingAt() || ABSTRACT_SUFFIX.matcher(head).find()
                    ? Determiner.NONE : Determiner.DEFINITE;
        }
        return Determiner.NONE;
    }

    private static final java.util.regex.Pattern ABSTRACT_GLOSS = java.util.regex.Pattern.compile(
            "the (act|acts|action|activity|practice|process|state|condition|quality|property|trait|ability|capacity"
                    + "|power|fact|amount|degree|extent|sum|total|ratio|rate|use|manner|feeling|sense|science|study"
                    + "|art|branch|field|theory|doctrine|belief|time|period)\\b");
    /** Suffixes of nouns that are (almost) always mass or abstract: diseases, doctrines, fields, qualities. */
    private static final java.util.regex.Pattern MASS_SUFFIX = java.util.regex.Pattern.compile(
            "(ism|osis|itis|iasis|emia|aemia|ness|ics|logy|graphy|sophy|nomy|metry|betes)$");

    /** The head of a noun compound: the word before "of" ("law of returns"), else the last word. */
    static String headWord(String noun) {
        String[] w = noun.split(" ");
        for (int i = 1; i < w.length; i++) {
            if (w[i].equals("of")) {
                return w[i - 1];
            }
        }
        return w[w.length - 1];
    }

    private static final java.util.regex.Pattern ABSTRACT_SUFFIX = java.util.regex.Pattern.compile(
            "(ness|ity|tion|sion|ment|ance|ence|ism|ing|cy|dom|hood|ship|ure|ics|logy)$");

    /** "a" or "an" by the sound of the first letters (a spelling heuristic with the common exceptions). */
    static String indefiniteArticle(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.isEmpty()) {
            return "a";
        }
        if (w.startsWith("hour") || w.startsWith("honest") || w.startsWith("honor") || w.startsWith("honour")
                || w.startsWith("heir")) {
            return "an";
        }
        if (w.startsWith("uni") || w.startsWith("use") || w.startsWith("usu") || w.startsWith("eu")
                || w.startsWith("one") || w.startsWith("once") || w.startsWith("ur") || w.startsWith("uti")) {
            return "a";
        }
        return "aeiou".indexOf(w.charAt(0)) >= 0 ? "an" : "a";
    }

    /** "Another word for w is x." / "Other words for w are x, y and z." */
    static String synonyms(String word, List<String> others) {
        if (others.size() == 1) {
            return finish("Another word for " + word + " is " + others.get(0));
        }
        return finish("Other words for " + word + " are " + list(others));
    }

    /** "A dog is a kind of canine." / "To run is a way to travel rapidly." / "Paris is a national capital." */
    static String hypernym(Synset synset, String word, Synset hyper, String hyperWord, boolean instance) {
        if (synset.pos() == PartOfSpeech.VERB) {
            return finish("To " + word + " is a way to " + hyperWord);
        }
        if (instance) {
            return finish(nounSubject(synset, word) + " is " + indefiniteArticle(hyperWord) + " " + hyperWord);
        }
        return finish(nounSubject(synset, word) + " is a kind of " + hyperWord);
    }

    /** "The opposite of w is x." */
    static String antonym(String word, String antonym) {
        return finish("The opposite of " + word + " is " + antonym);
    }

    /** "w is similar in meaning to x." */
    static String similar(String word, String other) {
        return finish(word + " is similar in meaning to " + other);
    }

    /** "w is related to the noun x." */
    static String derivation(String word, PartOfSpeech otherPos, String other) {
        String name = switch (otherPos.base()) {
            case NOUN -> "noun";
            case VERB -> "verb";
            case ADVERB -> "adverb";
            default -> "adjective";
        };
        return finish(word + " is related to the " + name + " " + other);
    }

    /** A {@code sents.vrb} frame with the verb put in: "The horses run across the field." */
    static String frame(String template, String verb) {
        return finish(template.replace("%s", verb));
    }

    /** A usage example as a sentence. */
    static String example(String text) {
        return finish(text);
    }

    /**
     * Normalises whitespace, capitalises the first character and ends the sentence with a full stop unless it
     * already ends with . ! or ?.
     */
    static String finish(String s) {
        String t = s.strip();
        if (t.contains("  ") || t.indexOf('\t') >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
            t = t.replaceAll("\\s+", " ");
        }
        if (t.isEmpty()) {
            return t;
        }
        int first = t.codePointAt(0);
        if (Character.isLowerCase(first)) {
            t = new StringBuilder().appendCodePoint(Character.toUpperCase(first))
                    .append(t.substring(Character.charCount(first))).toString();
        }
        char last = t.charAt(t.length() - 1);
        if (last != '.' && last != '!' && last != '?') {
            t = t + ".";
        }
        return t;
    }

    private static String list(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String stripPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    private static int matchingParen(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
