package org.latentlens.index;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.Model;
import org.latentlens.model.TokenBatch;
import org.latentlens.tokenizer.Encoding;
import org.latentlens.tokenizer.TextTokenizer;

/**
 * A deterministic test double: whitespace tokens with a BOS, and hidden states that are a fixed function
 * of the token ids a position can see (its prefix for a causal model, the whole sentence for an encoder),
 * of the position and of the layer. Padding never changes real positions.
 */
final class FakeModel implements Model {
    static final long BOS = 1;
    static final long EOS = 2;
    static final long PAD = 0;

    private final boolean causal;
    private final int layers;
    private final int dim;
    final AtomicInteger forwardCalls = new AtomicInteger();
    final AtomicInteger sequencesRun = new AtomicInteger();

    FakeModel(boolean causal, int layers, int dim) {
        this.causal = causal;
        this.layers = layers;
        this.dim = dim;
    }

    static long wordId(String w) {
        return 10 + Math.floorMod(w.hashCode(), 5000);
    }

    /** The state this model gives position p of a sentence with these ids at this layer (before normalising). */
    float[] state(long[] ids, int p, int layer) {
        long h = 1469598103934665603L;
        int end = causal ? p + 1 : ids.length;
        for (int i = 0; i < end; i++) {
            h = (h ^ ids[i]) * 1099511628211L;
        }
        h = h * 31 + p;
        SplittableRandom r = new SplittableRandom(h * 131 + layer);
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Override
    public String id() {
        return causal ? "fake-causal" : "fake-encoder";
    }

    @Override
    public String modelType() {
        return "fake";
    }

    @Override
    public int numLayers() {
        return layers;
    }

    @Override
    public int hiddenSize() {
        return dim;
    }

    @Override
    public int vocabSize() {
        return 5010;
    }

    @Override
    public boolean isCausal() {
        return causal;
    }

    @Override
    public boolean hasLmHead() {
        return false;
    }

    @Override
    public boolean hasTokenizer() {
        return true;
    }

    @Override
    public TextTokenizer tokenizer() {
        return TOKENIZER;
    }

    @Override
    public HiddenStates hiddenStates(TokenBatch batch, ForwardOptions options) {
        forwardCalls.incrementAndGet();
        int b = batch.batchSize();
        int l = batch.seqLen();
        sequencesRun.addAndGet(b);
        float[][] states = new float[layers + 1][];
        for (int s = 0; s <= layers; s++) {
            if (!options.wantsState(s)) {
                continue;
            }
            float[] st = new float[b * l * dim];
            for (int i = 0; i < b; i++) {
                List<Long> real = new ArrayList<>();
                for (int j = 0; j < l; j++) {
                    if (batch.attentionMask()[i][j] == 1) {
                        real.add(batch.inputIds()[i][j]);
                    }
                }
                long[] ids = real.stream().mapToLong(Long::longValue).toArray();
                int k = 0;
                for (int j = 0; j < l; j++) {
                    if (batch.attentionMask()[i][j] == 1) {
                        System.arraycopy(state(ids, k++, s), 0, st, (i * l + j) * dim, dim);
                    }
                }
            }
            states[s] = st;
        }
        return new HiddenStates(b, l, dim, batch.attentionMask(), states, null, 0, null);
    }

    @Override
    public float[] logitsOf(float[] vectors, int rows, boolean applyFinalNorm) {
        throw new UnsupportedOperationException("the fake model has no LM head");
    }

    @Override
    public float[] inputEmbeddings() {
        throw new UnsupportedOperationException("the fake model has no embeddings");
    }

    @Override
    public void close() {
    }

    static final TextTokenizer TOKENIZER = new TextTokenizer() {
        @Override
        public Encoding encode(String text) {
            return encode(text, true);
        }

        @Override
        public Encoding encode(String text, boolean addSpecialTokens) {
            List<Long> ids = new ArrayList<>();
            if (addSpecialTokens) {
                ids.add(BOS);
            }
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    ids.add(wordId(w));
                }
            }
            long[] a = ids.stream().mapToLong(Long::longValue).toArray();
            String[] toks = new String[a.length];
            for (int i = 0; i < a.length; i++) {
                toks[i] = tokenString(a[i]);
            }
            int[] none = new int[a.length];
            java.util.Arrays.fill(none, -1);
            boolean[] special = new boolean[a.length];
            for (int i = 0; i < a.length; i++) {
                special[i] = isSpecial(a[i]);
            }
            return new Encoding(a, toks, special, none, none.clone());
        }

        @Override
        public String decode(long... ids) {
            StringBuilder sb = new StringBuilder();
            for (long id : ids) {
                sb.append(id == BOS ? "<s>" : id == EOS ? "</s>" : id == PAD ? "<pad>" : " w" + id);
            }
            return sb.toString();
        }

        @Override
        public int vocabSize() {
            return 5010;
        }

        @Override
        public OptionalLong bosTokenId() {
            return OptionalLong.of(BOS);
        }

        @Override
        public OptionalLong eosTokenId() {
            return OptionalLong.of(EOS);
        }

        @Override
        public long padTokenId() {
            return PAD;
        }

        @Override
        public boolean isSpecial(long id) {
            return id < 10;
        }

        @Override
        public void close() {
        }
    };
}
