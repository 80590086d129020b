package org.latentlens.corpus;

/**
 * WordNet's syntactic categories, with the codes its files use.
 *
 * <p>Adjective satellites ({@code s}) live in {@code data.adj} beside head adjectives and share their index
 * entries and morphology, but their sense keys use their own synset-type number (5).
 */
public enum PartOfSpeech {
    /** Nouns: {@code data.noun}, {@code index.noun}, {@code noun.exc}. */
    NOUN('n', 1, "noun"),
    /** Verbs: {@code data.verb}, {@code index.verb}, {@code verb.exc}. */
    VERB('v', 2, "verb"),
    /** Head adjectives: {@code data.adj}, {@code index.adj}, {@code adj.exc}. */
    ADJECTIVE('a', 3, "adj"),
    /** Adjective satellites: stored with adjectives, sense-key type 5. */
    ADJECTIVE_SATELLITE('s', 5, "adj"),
    /** Adverbs: {@code data.adv}, {@code index.adv}, {@code adv.exc}. */
    ADVERB('r', 4, "adv");

    private final char code;
    private final int senseKeyType;
    private final String fileSuffix;

    PartOfSpeech(char code, int senseKeyType, String fileSuffix) {
        this.code = code;
        this.senseKeyType = senseKeyType;
        this.fileSuffix = fileSuffix;
    }

    /**
     * The one-letter code of WordNet's data files ({@code n v a s r}).
     *
     * @return the code
     */
    public char code() {
        return code;
    }

    /**
     * The synset-type number used in sense keys (1 noun, 2 verb, 3 adjective, 4 adverb, 5 satellite).
     *
     * @return the number
     */
    public int senseKeyType() {
        return senseKeyType;
    }

    /**
     * The file-name suffix of this category's files ({@code noun}, {@code verb}, {@code adj}, {@code adv}).
     *
     * @return the suffix
     */
    public String fileSuffix() {
        return fileSuffix;
    }

    /**
     * The category whose morphology and index this one uses: satellites behave as adjectives.
     *
     * @return {@link #ADJECTIVE} for satellites, otherwise this
     */
    public PartOfSpeech base() {
        return this == ADJECTIVE_SATELLITE ? ADJECTIVE : this;
    }

    /**
     * Looks up a data-file code.
     *
     * @param code one of {@code n v a s r}
     * @return the category
     * @throws IllegalArgumentException for any other character
     */
    public static PartOfSpeech fromCode(char code) {
        for (PartOfSpeech p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown WordNet part-of-speech code '" + code + "' (expected n, v, a, s or r)");
    }

    /**
     * Looks up a sense-key synset-type number.
     *
     * @param type 1 to 5
     * @return the category
     * @throws IllegalArgumentException for any other number
     */
    public static PartOfSpeech fromSenseKeyType(int type) {
        for (PartOfSpeech p : values()) {
            if (p.senseKeyType == type) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown WordNet sense-key synset type " + type + " (expected 1 to 5)");
    }
}
