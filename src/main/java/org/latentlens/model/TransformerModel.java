package org.latentlens.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;
import org.latentlens.io.WeightSource;
import org.latentlens.tokenizer.TextTokenizer;

/**
 * The one forward pass of every supported family, driven by a {@link Blueprint}.
 *
 * <p>Weights are held once, in float32, as tensors of the PyTorch engine (float32 safetensors are
 * wrapped without copying; q|k|v and gate|up are fused once at load). A forward packs the batch's real
 * tokens, runs the blocks, and copies the requested states out to Java arrays; every temporary lives in
 * a per-layer native scope that is closed right away.
 */
public final class TransformerModel implements Model {
    /** Rows per chunk when a float32 tensor would not fit one 2 GiB buffer. */
    private static final long MAX_CHUNK_BYTES = 1L << 30;

    private final String id;
    private final Blueprint bp;
    private final WeightSource weights;
    private final TextTokenizer tokenizer;
    private final String tokenizerMissingReason;
    private final NDManager manager;
    private final List<FloatBuffer> embedChunks = new ArrayList<>();
    private final int embedRowsPerChunk;
    private final FloatBuffer positionTable;
    private final FloatBuffer tokenTypeTable;
    private final Norm embedNorm;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final Norm finalNorm;
    private final NDArray lmHead;
    private final NDArray poolerW;
    private final NDArray poolerB;
    private final NDArray embedMatrix;
    private final WeightLoader loader;

    /**
     * Builds the model from resolved parts; use {@code LatentLens.loadModel} or {@link ModelLoader}.
     *
     * @param id a name for the model
     * @param bp its blueprint
     * @param weights its weights (closed with the model)
     * @param tokenizer its tokenizer, or null
     * @param tokenizerMissingReason why there is no tokenizer (for the error message), or null
     * @param device where to compute
     */
    public TransformerModel(String id, Blueprint bp, WeightSource weights, TextTokenizer tokenizer,
                            String tokenizerMissingReason, Device device) {
        this.id = id;
        this.bp = bp;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.tokenizerMissingReason = tokenizerMissingReason;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            loader = new WeightLoader(bp, weights, manager);
            WeightResolver r = loader.resolver();
            WeightNames n = bp.names();
            int d = bp.hiddenSize();
            String embName = r.require(n.embed() + ".weight");
            checkShape(embName, bp.vocabSize(), d);
            long rowBytes = 4L * d;
            embedRowsPerChunk = (int) Math.max(1, Math.min(bp.vocabSize(), MAX_CHUNK_BYTES / rowBytes));
            List<NDArray> embParts = new ArrayList<>();
            for (long row = 0; row < bp.vocabSize(); row += embedRowsPerChunk) {
                long rows = Math.min(embedRowsPerChunk, bp.vocabSize() - row);
                ByteBuffer buf = weights.loadFloat32Rows(embName, row, rows);
                embedChunks.add(buf.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
                embParts.add(manager.create(buf, new Shape(rows, d), DataType.FLOAT32));
            }
            embedMatrix = embParts.size() == 1 ? embParts.get(0) : NDArrays.concat(new NDList(embParts), 0);
            positionTable = n.positionEmbed() == null ? null
                    : table(r, n.positionEmbed() + ".weight", bp.maxPositions(), d);
            tokenTypeTable = n.tokenTypeEmbed() == null ? null
                    : table(r, n.tokenTypeEmbed() + ".weight", bp.typeVocabSize(), d);
            embedNorm = n.embedNormPrefix() == null ? null : norm(r, n.embedNormPrefix(), d);
            blocks.addAll(loader.loadBlocks());
            finalNorm = n.finalNorm() == null ? null : norm(r, n.finalNorm(), d);
            if (!bp.hasLmHead()) {
                lmHead = null;
            } else {
                String head = r.find(n.lmHead() + ".weight");
                if (head != null) {
                    lmHead = matrix(head, bp.vocabSize(), d);
                } else if (bp.tieWordEmbeddings()) {
                    lmHead = embedMatrix;
                } else {
                    throw new MissingTensorException("tensor '" + n.lmHead() + ".weight' is missing from " + weights
                            + ", and the config says tie_word_embeddings is false, so the embedding cannot stand in");
                }
            }
            if (n.pooler() != null && r.find(n.pooler() + ".weight") != null) {
                poolerW = matrix(r.require(n.pooler() + ".weight"), d, d);
                poolerB = vector(r.require(n.pooler() + ".bias"), d);
            } else {
                poolerW = null;
                poolerB = null;
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private Norm norm(WeightResolver r, String prefix, int dim) {
        return loader.norm(prefix, dim);
    }

    private void checkShape(String name, long... expected) {
        loader.checkShape(name, expected);
    }

    private NDArray vector(String name, long len) {
        return loader.vector(name, len);
    }

    private NDArray matrix(String name, long rows, long cols) {
        return loader.matrix(name, rows, cols);
    }

    private FloatBuffer table(WeightResolver r, String canonical, int rows, int d) {
        String name = r.require(canonical);
        TensorInfo info = weights.info(name);
        if (info.shape().length != 2 || info.shape()[1] != d || info.shape()[0] < rows) {
            throw new TensorFormatException("tensor '" + name + "' in " + info.source() + " has shape "
                    + java.util.Arrays.toString(info.shape()) + " but the config needs [" + rows + ", " + d + "]");
        }
        return weights.loadFloat32(name).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String modelType() {
        return bp.modelType();
    }

    /** @return the resolved blueprint */
    public Blueprint blueprint() {
        return bp;
    }

    @Override
    public int numLayers() {
        return bp.numLayers();
    }

    @Override
    public int hiddenSize() {
        return bp.hiddenSize();
    }

    @Override
    public int vocabSize() {
        return bp.vocabSize();
    }

    @Override
    public boolean isCausal() {
        return bp.causal();
    }

    @Override
    public boolean hasLmHead() {
        return lmHead != null;
    }

    @Override
    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    @Override
    public TextTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("model " + id + " has no tokenizer: " + tokenizerMissingReason
                    + ". Token ids still work: pass a TokenBatch instead of text");
        }
        return tokenizer;
    }

    @Override
    public HiddenStates hiddenStates(TokenBatch input, ForwardOptions options) {
        return hiddenStates(input, options, null);
    }

    /**
     * A forward with explicit position ids, as HuggingFace's {@code position_ids}: [1][B][L] for ordinary
     * rotary positions, or [3][B][L] (temporal, height, width) for a multimodal rope (Qwen2-VL's mRoPE,
     * whose {@code mrope_section} picks the axis of each frequency). Padding positions are ignored.
     *
     * @param input ids and mask
     * @param options what to return
     * @param positionIds [axes][B][L], or null for each token's column (the default)
     * @return the states
     * @throws IllegalArgumentException naming {@code position_ids} when its shape does not fit
     */
    public HiddenStates hiddenStates(TokenBatch input, ForwardOptions options, long[][][] positionIds) {
        validate(input);
        if (positionIds != null) {
            validatePositions(input, positionIds);
        }
        int d = bp.hiddenSize();
        int n = bp.numLayers();
        int b = input.batchSize();
        int len = input.seqLen();
        float[][] states = new float[n + 1][];
        float[] logits = null;
        float[] pooled = null;
        try (NDManager fwd = manager.newSubManager()) {
            PackedBatch batch = new PackedBatch(input, fwd);
            float[] embedded = embed(input, batch);
            if (options.embeddingOverride() != null) {
                override(embedded, batch, options.embeddingOverride());
            }
            NDArray x = fwd.create(embedded, new Shape(batch.tokens, d));
            if (embedNorm != null) {
                NDArray normed = embedNorm.apply(x);
                x.close();
                x = normed;
            }
            if (options.wantsState(0)) {
                states[0] = unpack(x.toFloatArray(), batch, d, len);
            }
            Map<RopeSpec, NDArray[]> ropes = ropeTables(batch, fwd, positionIds);
            boolean needLast = options.logits() || poolerW != null;
            for (int i = 0; i < n; i++) {
                NDArray out;
                try (NDManager scope = fwd.newSubManager()) {
                    x.tempAttach(scope);
                    RopeSpec spec = bp.ropePerLayer() == null ? null : bp.ropePerLayer().get(i);
                    out = blocks.get(i).forward(x, batch, spec == null ? null : ropes.get(spec));
                    out.attach(fwd);
                }
                x.close();
                x = out;
                boolean last = i == n - 1;
                if (last && finalNorm != null) {
                    try (NDManager scope = fwd.newSubManager()) {
                        x.tempAttach(scope);
                        out = finalNorm.apply(x);
                        out.attach(fwd);
                    }
                    x.close();
                    x = out;
                }
                if (options.wantsState(i + 1)) {
                    states[i + 1] = unpack(x.toFloatArray(), batch, d, len);
                }
            }
            if (options.logits()) {
                if (lmHead == null) {
                    throw new UnsupportedOperationException(noLmHead());
                }
                NDArray lg = applyHead(x);
                logits = unpack(lg.toFloatArray(), batch, bp.vocabSize(), len);
            }
            if (poolerW != null && needLast) {
                pooled = pool(x, batch);
            }
        }
        return new HiddenStates(b, len, d, input.attentionMask(), states, logits,
                logits == null ? 0 : bp.vocabSize(), pooled);
    }

    private String noLmHead() {
        return "model " + id + " (" + bp.modelType() + ") has no LM head: it is "
                + (bp.causal() ? "a decoder without lm_head weights" : "an encoder") + ", so logits (and the Logit Lens) do not apply";
    }

    private NDArray applyHead(NDArray x) {
        NDArray lg = Linear.linear(x, lmHead, null).singletonOrThrow();
        if (bp.finalSoftcap() > 0) {
            float cap = (float) bp.finalSoftcap();
            lg = lg.div(cap).tanh().mul(cap);
        }
        return lg;
    }

    private float[] pool(NDArray x, PackedBatch batch) {
        long[] firstRows = new long[batch.batch];
        for (int b = 0; b < batch.batch; b++) {
            firstRows[b] = batch.packedOfSlot[b * batch.maxLen];
        }
        NDArray first = x.get(x.getManager().create(firstRows));
        return Linear.linear(first, poolerW, poolerB).singletonOrThrow().tanh().toFloatArray();
    }

    private void validate(TokenBatch input) {
        long[][] ids = input.inputIds();
        long[][] mask = input.attentionMask();
        for (int b = 0; b < ids.length; b++) {
            for (int c = 0; c < ids[b].length; c++) {
                if (mask[b][c] == 0) {
                    continue; // padding is never looked up, so its id does not matter
                }
                long id = ids[b][c];
                if (id < 0 || id >= bp.vocabSize()) {
                    throw new IllegalArgumentException("input_ids[" + b + "][" + c + "] = " + id
                            + " is outside the vocabulary of " + this.id + " (size " + bp.vocabSize() + ")");
                }
                if (positionTable != null && c >= bp.maxPositions()) {
                    throw new IllegalArgumentException("input_ids row " + b + " has a token at position " + c + " but "
                            + this.id + " has learned positions for only " + bp.maxPositions() + " tokens");
                }
            }
        }
        long[][] types = input.tokenTypeIds();
        if (types != null && tokenTypeTable != null) {
            for (int b = 0; b < types.length; b++) {
                for (int c = 0; c < types[b].length; c++) {
                    if (mask[b][c] == 1 && (types[b][c] < 0 || types[b][c] >= bp.typeVocabSize())) {
                        throw new IllegalArgumentException("token_type_ids[" + b + "][" + c + "] = " + types[b][c]
                                + " is outside 0.." + (bp.typeVocabSize() - 1));
                    }
                }
            }
        }
    }

    /** Embedding lookup in Java (a row copy per token), with the family's scale and learned positions. */
    private float[] embed(TokenBatch input, PackedBatch batch) {
        int d = bp.hiddenSize();
        float[] out = new float[batch.tokens * d];
        float[] row = new float[d];
        float scale = bp.embedScale();
        long[][] types = input.tokenTypeIds();
        for (int t = 0; t < batch.tokens; t++) {
            int b = batch.rowOf[t];
            int c = batch.colOf[t];
            long id = input.inputIds()[b][c];
            FloatBuffer chunk = embedChunks.get((int) (id / embedRowsPerChunk));
            chunk.get((int) (id % embedRowsPerChunk) * d, out, t * d, d);
            if (scale != 1f) {
                for (int j = 0; j < d; j++) {
                    out[t * d + j] *= scale;
                }
            }
            if (tokenTypeTable != null) {
                int type = types == null ? 0 : (int) types[b][c];
                tokenTypeTable.get(type * d, row, 0, d);
                for (int j = 0; j < d; j++) {
                    out[t * d + j] += row[j];
                }
            }
            if (positionTable != null) {
                positionTable.get(c * d, row, 0, d);
                for (int j = 0; j < d; j++) {
                    out[t * d + j] += row[j];
                }
            }
        }
        return out;
    }

    private void override(float[] embedded, PackedBatch batch, ForwardOptions.EmbeddingOverride o) {
        int d = bp.hiddenSize();
        for (int t = 0; t < batch.tokens; t++) {
            float[] v = o.vectorFor(batch.rowOf[t], batch.colOf[t]);
            if (v != null) {
                if (v.length != d) {
                    throw new IllegalArgumentException("embedding override for row " + batch.rowOf[t] + ", column "
                            + batch.colOf[t] + " has " + v.length + " values; the model's hidden size is " + d);
                }
                System.arraycopy(v, 0, embedded, t * d, d);
            }
        }
    }

    /** cos and sin [T, 1, rotaryDim] per distinct rope of the model, for the tokens' positions (their columns). */
    private void validatePositions(TokenBatch input, long[][][] pos) {
        boolean mrope = bp.ropePerLayer() != null && bp.ropePerLayer().stream().anyMatch(r -> r.mropeSection() != null);
        if (bp.ropePerLayer() == null) {
            throw new IllegalArgumentException("position_ids given, but " + id + " (" + bp.modelType()
                    + ") has no rotary positions to apply them to");
        }
        if (pos.length != 1 && pos.length != 3 || (mrope && pos.length != 3)) {
            throw new IllegalArgumentException("position_ids has " + pos.length + " axes; " + id + " needs "
                    + (mrope ? "3 (temporal, height, width: mRoPE)" : "1 (or 3 equal ones)"));
        }
        for (long[][] axis : pos) {
            if (axis.length != input.batchSize() || axis[0].length != input.seqLen()) {
                throw new IllegalArgumentException("position_ids has shape [" + pos.length + ", " + axis.length + ", "
                        + axis[0].length + "] but input_ids is [" + input.batchSize() + ", " + input.seqLen() + "]");
            }
        }
    }

    private Map<RopeSpec, NDArray[]> ropeTables(PackedBatch batch, NDManager fwd, long[][][] positionIds) {
        Map<RopeSpec, NDArray[]> out = new IdentityHashMap<>();
        if (bp.ropePerLayer() == null) {
            return out;
        }
        int rot = bp.rotaryDim();
        int half = rot / 2;
        for (RopeSpec spec : bp.ropePerLayer()) {
            if (out.containsKey(spec)) {
                continue;
            }
            float[] cos = new float[batch.tokens * rot];
            float[] sin = new float[batch.tokens * rot];
            int[] axisOf = new int[half]; // mRoPE: which position axis each frequency reads
            if (spec.mropeSection() != null) {
                int i = 0;
                for (int a = 0; a < 3; a++) {
                    for (int k = 0; k < spec.mropeSection()[a]; k++) {
                        axisOf[i++] = a;
                    }
                }
            }
            for (int t = 0; t < batch.tokens; t++) {
                int row = batch.rowOf[t];
                int col = batch.colOf[t];
                for (int i = 0; i < half; i++) {
                    float pos = positionIds == null ? col
                            : positionIds[positionIds.length == 1 ? 0 : axisOf[i]][row][col];
                    float freq = pos * spec.invFreq()[i]; // float32 product, as HF's float32 matmul
                    float c = (float) Math.cos(freq) * spec.attentionScaling();
                    float s = (float) Math.sin(freq) * spec.attentionScaling();
                    cos[t * rot + i] = c;
                    cos[t * rot + i + half] = c;
                    sin[t * rot + i] = s;
                    sin[t * rot + i + half] = s;
                }
            }
            out.put(spec, new NDArray[] {fwd.create(cos, new Shape(batch.tokens, 1, rot)),
                    fwd.create(sin, new Shape(batch.tokens, 1, rot))});
        }
        return out;
    }

    /** Scatters packed rows [T, w] into a zero-filled [B, L, w] array at each token's (row, column). */
    private static float[] unpack(float[] packed, PackedBatch batch, int width, int len) {
        float[] out = new float[batch.batch * len * width];
        for (int t = 0; t < batch.tokens; t++) {
            System.arraycopy(packed, t * width, out, (batch.rowOf[t] * len + batch.colOf[t]) * width, width);
        }
        return out;
    }

    @Override
    public float[] logitsOf(float[] vectors, int rows, boolean applyFinalNorm) {
        if (lmHead == null) {
            throw new UnsupportedOperationException(noLmHead());
        }
        int d = bp.hiddenSize();
        if (vectors.length != rows * d) {
            throw new IllegalArgumentException("expected " + rows + " x " + d + " = " + rows * d + " values, got " + vectors.length);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(vectors, new Shape(rows, d));
            if (applyFinalNorm && finalNorm != null) {
                x = finalNorm.apply(x);
            }
            return applyHead(x).toFloatArray();
        }
    }

    @Override
    public float[] inputEmbeddings() {
        int d = bp.hiddenSize();
        float[] out = new float[Math.multiplyExact(bp.vocabSize(), d)];
        int pos = 0;
        for (FloatBuffer chunk : embedChunks) {
            int n = chunk.capacity();
            chunk.get(0, out, pos, n);
            pos += n;
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
        weights.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "TransformerModel(" + id + ", " + bp.modelType() + ", " + bp.numLayers() + " layers, hidden "
                + bp.hiddenSize() + ", vocab " + bp.vocabSize() + ")";
    }
}
