package org.latentlens.tokenizer;

/**
 * The tokenisation of one text.
 *
 * @param ids token ids, including any special tokens the tokenizer adds (BOS, CLS, SEP, ...)
 * @param tokens the tokens' vocabulary strings (for example {@code "Ġbank"})
 * @param special for each token, whether it is a special token added by the tokenizer or listed as
 *                special in its vocabulary
 * @param charStart for each token, the index of its first UTF-16 char in the text, or -1 for tokens
 *                  that cover no text
 * @param charEnd for each token, one past its last UTF-16 char, or -1
 */
public record Encoding(long[] ids, String[] tokens, boolean[] special, int[] charStart, int[] charEnd) {

    /** @return the number of tokens */
    public int length() {
        return ids.length;
    }
}
