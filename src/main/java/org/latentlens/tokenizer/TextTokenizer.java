package org.latentlens.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.latentlens.model.TokenBatch;

/**
 * Turns text into token ids and back, with the special-token policy of one checkpoint (whether BOS is
 * added, which ids are BOS, EOS and padding). Never truncates silently.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * Encodes a text with the checkpoint's default special tokens (BOS, CLS/SEP, ...).
     *
     * @param text the text
     * @return its encoding
     */
    Encoding encode(String text);

    /**
     * @param text the text
     * @param addSpecialTokens whether to add the checkpoint's special tokens
     * @return its encoding
     */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * Decodes ids to text, skipping nothing.
     *
     * @param ids token ids
     * @return the text
     */
    String decode(long... ids);

    /**
     * @param id a token id
     * @return the display string of that single token, as {@code decode(id)} gives it
     */
    default String tokenString(long id) {
        return decode(id);
    }

    /** @return the number of ids the tokenizer knows, special tokens included */
    int vocabSize();

    /** @return the BOS id, if the checkpoint has one */
    OptionalLong bosTokenId();

    /** @return the EOS id, if the checkpoint has one */
    OptionalLong eosTokenId();

    /** @return the padding id: the pad token, else EOS, else 0 (always masked out, so any id is safe) */
    long padTokenId();

    /**
     * @param id a token id
     * @return whether the id is a special token (BOS, EOS, PAD, CLS, SEP, or marked special)
     */
    boolean isSpecial(long id);

    /**
     * Encodes several texts into one right-padded batch.
     *
     * @param texts the texts
     * @return ids and attention mask
     */
    default TokenBatch batch(List<String> texts) {
        List<long[]> seqs = new ArrayList<>(texts.size());
        for (String t : texts) {
            seqs.add(encode(t).ids());
        }
        return TokenBatch.of(seqs, padTokenId());
    }

    @Override
    void close();
}
