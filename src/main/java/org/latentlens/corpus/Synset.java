package org.latentlens.corpus;

import java.util.List;

/**
 * One line of a WordNet {@code data.*} file: a set of synonymous words with a gloss.
 *
 * @param pos       the synset type from the data line ({@code n v a s r})
 * @param offset    the byte offset that identifies the synset within its data file
 * @param lexFile   the lexicographer file number (used in sense keys)
 * @param words     the words, in file order (underscores kept, adjective markers removed)
 * @param pointers  the relations to other synsets, in file order
 * @param definition the gloss text before the first usage example, without trailing separators
 * @param examples  the quoted usage examples of the gloss, in order, without quotes
 */
public record Synset(PartOfSpeech pos, int offset, int lexFile, List<Word> words, List<Pointer> pointers,
                     String definition, List<String> examples) {

    /**
     * One word of a synset.
     *
     * @param lemma the word as written in the data file (case kept, underscores for spaces)
     * @param lexId the lexical id that tells apart same-spelled words of one lexicographer file
     */
    public record Word(String lemma, int lexId) {
        /**
         * The word as text: underscores become spaces.
         *
         * @return the display form
         */
        public String text() {
            return lemma.replace('_', ' ');
        }
    }

    /**
     * A relation to another synset, or between two words when {@code sourceWord} is not 0.
     *
     * @param symbol     WordNet's pointer symbol ({@code @} hypernym, {@code ~} hyponym, {@code !} antonym, ...)
     * @param targetPos  the target's part of speech
     * @param target     the target's offset
     * @param sourceWord 1-based index of the source word for a lexical pointer, 0 for a semantic one
     * @param targetWord 1-based index of the target word for a lexical pointer, 0 for a semantic one
     */
    public record Pointer(String symbol, PartOfSpeech targetPos, int target, int sourceWord, int targetWord) {
    }

    /**
     * Synsets are identified by their data file and offset; comparing words, pointers and glosses would only
     * cost time.
     *
     * @param o another object
     * @return whether it is the synset at the same offset of the same data file
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Synset s && s.offset == offset && s.pos.base() == pos.base();
    }

    /**
     * A hash of the data file and offset, consistent with {@link #equals(Object)}.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return offset * 31 + pos.base().ordinal();
    }

    /**
     * The conventional identifier {@code 02084071-n} (offset, then the synset type).
     *
     * @return the identifier
     */
    public String id() {
        return String.format("%08d-%c", offset, pos.code());
    }
}
