package org.latentlens.vision.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.WeightSource;
import org.latentlens.model.Blueprint;
import org.latentlens.model.BlockStack;

/**
 * A plain ViT image encoder (CLIP vision, SigLIP vision, DINOv2) reproducing HuggingFace's
 * {@code CLIPVisionModel}, {@code SiglipVisionModel} and {@code Dinov2Model}: the patch convolution as a
 * matrix product over unfolded patches, CLS and learned positions, then the shared transformer blocks
 * ({@link BlockStack}), then the family's final norm and pooling.
 *
 * <pre>{@code
 * try (VitTower t = VitTower.load(Path.of("clip-vision"), "config.json")) {
 *     VisionOutput out = t.encode(pixelValues, 2, 224, 224);
 * }
 * }</pre>
 */
public final class VitTower implements AutoCloseable {
    /** Where towers live inside the checkpoints this runtime reads, most specific first. */
    static final List<String> STANDALONE_PREFIXES = List.of("vision_model.", "model.vision_model.", "");

    private final VitKind kind;
    private final Blueprint bp;
    private final NDManager manager;
    private final WeightSource owned;
    private final BlockStack blocks;
    private final int patch;
    private final int imageSize;
    private final NDArray patchW;
    private final NDArray patchB;
    private final float[] cls;
    private final float[] positions;
    private final int positionRows;
    private final UnaryOperator<NDArray> preNorm;
    private final UnaryOperator<NDArray> postNorm;
    private final SiglipHead head;

    private VitTower(VitKind kind, HfConfig config, WeightSource weights, WeightSource owned, Device device) {
        this.kind = kind;
        this.owned = owned;
        this.bp = kind.describe(config);
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            int d = bp.hiddenSize();
            patch = config.requireInt("patch_size");
            imageSize = config.requireInt("image_size");
            int k = 3 * patch * patch;
            blocks = BlockStack.load(bp, weights, manager, kind == VitKind.DINOV2 ? "encoder.layer.{i}.layer_scale1.lambda1" : null,
                    kind == VitKind.DINOV2 ? "encoder.layer.{i}.layer_scale2.lambda1" : null);
            long[] kernel = {d, 3, patch, patch};
            int grid = imageSize / patch;
            if (kind == VitKind.DINOV2) {
                patchW = Weights.loadAs(weights, manager, "embeddings.patch_embeddings.projection.weight", kernel, d, k);
                patchB = Weights.load(weights, manager, "embeddings.patch_embeddings.projection.bias", d);
                cls = Weights.floats(weights, "embeddings.cls_token", 1, 1, d);
                positionRows = 1 + grid * grid;
                positions = Weights.floats(weights, "embeddings.position_embeddings", 1, positionRows, d);
            } else {
                patchW = Weights.loadAs(weights, manager, "embeddings.patch_embedding.weight", kernel, d, k);
                patchB = kind == VitKind.SIGLIP ? Weights.load(weights, manager, "embeddings.patch_embedding.bias", d) : null;
                cls = kind == VitKind.CLIP ? Weights.floats(weights, "embeddings.class_embedding", d) : null;
                positionRows = (kind == VitKind.CLIP ? 1 : 0) + grid * grid;
                positions = Weights.floats(weights, "embeddings.position_embedding.weight", positionRows, d);
            }
            preNorm = kind == VitKind.CLIP ? blocks.norm("pre_layrnorm", d) : null;
            postNorm = switch (kind) {
                case CLIP, SIGLIP -> blocks.norm("post_layernorm", d);
                case DINOV2 -> blocks.norm("layernorm", d);
            };
            head = kind == VitKind.SIGLIP && weights.has("head.probe")
                    ? new SiglipHead(bp, weights, manager, blocks.norm("head.layernorm", d)) : null;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a stand-alone tower folder ({@code config.json} of a vision model, {@code model.safetensors}).
     *
     * @param folder model folder
     * @param configFile config file name in it
     * @return the tower
     */
    public static VitTower load(Path folder, String configFile) {
        return load(folder, configFile, Device.cpu());
    }

    /**
     * @param folder model folder
     * @param configFile config file name in it
     * @param device where to compute
     * @return the tower
     */
    public static VitTower load(Path folder, String configFile, Device device) {
        HfConfig c = HfConfig.read(folder.resolve(configFile));
        VitKind kind = VitKind.of(c);
        SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.openFolder(folder);
        try {
            WeightSource view = PrefixedWeights.find(ckpt, kind.marker(), STANDALONE_PREFIXES);
            return new VitTower(kind, c, view, ckpt, device);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /**
     * A tower inside a bigger checkpoint (a VLM's vision_config); the caller keeps the checkpoint open.
     *
     * @param visionConfig the vision config
     * @param weights the checkpoint
     * @param prefixes where the tower may live in it
     * @param device where to compute
     * @return the tower
     */
    public static VitTower within(HfConfig visionConfig, WeightSource weights, List<String> prefixes, Device device) {
        VitKind kind = VitKind.of(visionConfig);
        return new VitTower(kind, visionConfig, PrefixedWeights.find(weights, kind.marker(), prefixes), null, device);
    }

    /** @return the family */
    public VitKind kind() {
        return kind;
    }

    /** @return the blueprint of the blocks */
    public Blueprint blueprint() {
        return bp;
    }

    /** @return the configured (trained) image size in pixels */
    public int imageSize() {
        return imageSize;
    }

    /** @return the patch size in pixels */
    public int patchSize() {
        return patch;
    }

    /**
     * Pixels past the last whole patch (when a side is not a multiple of the patch size) are ignored, as
     * HF's convolution does.
     *
     * @param pixelValues [batch, 3, height, width] NCHW float32 (the processor's output)
     * @param batch images
     * @param height pixels
     * @param width pixels
     * @return every hidden state, last_hidden_state and pooler_output
     * @throws IllegalArgumentException naming {@code pixel_values} when its size or shape does not fit the model
     */
    public VisionOutput encode(float[] pixelValues, int batch, int height, int width) {
        if (batch <= 0 || (long) batch * 3 * height * width != pixelValues.length) {
            throw new IllegalArgumentException("pixel_values has " + pixelValues.length + " values, but [" + batch + ", 3, "
                    + height + ", " + width + "] needs " + (long) batch * 3 * height * width);
        }
        // HF's patch embedding is a stride-patch convolution without padding: trailing pixel rows and columns
        // that do not fill a patch are dropped (google/siglip-so400m-patch14-384: 384 px -> 27 patches, 6 px unused)
        if (height < patch || width < patch) {
            throw new IllegalArgumentException("pixel_values is " + height + "x" + width + " pixels, smaller than one "
                    + patch + "x" + patch + " patch");
        }
        if (kind != VitKind.DINOV2 && (height != imageSize || width != imageSize)) {
            throw new IllegalArgumentException("pixel_values is " + height + "x" + width + " but this " + bp.modelType()
                    + " tower has learned positions for " + imageSize + "x" + imageSize + " only");
        }
        int gh = height / patch;
        int gw = width / patch;
        int d = bp.hiddenSize();
        int p = gh * gw;
        int n = (kind.hasCls() ? 1 : 0) + p;
        int layers = bp.numLayers();
        float[][] states = new float[layers + 1][];
        float[] last;
        float[] pooled = null;
        try (NDManager fwd = manager.newSubManager()) {
            float[] unfolded = PatchUnfold.unfold(pixelValues, batch, 3, height, width, patch, 1);
            NDArray pe = Linear.linear(fwd.create(unfolded, new Shape((long) batch * p, 3L * patch * patch)), patchW, patchB)
                    .singletonOrThrow();
            float[] patches = pe.toFloatArray();
            float[] pos = positionTable(gh, gw);
            float[] emb = new float[batch * n * d];
            for (int b = 0; b < batch; b++) {
                int base = b * n * d;
                if (kind.hasCls()) {
                    System.arraycopy(cls, 0, emb, base, d);
                }
                System.arraycopy(patches, b * p * d, emb, base + (n - p) * d, p * d);
                for (int j = 0; j < n * d; j++) {
                    emb[base + j] += pos[j];
                }
            }
            NDArray x = fwd.create(emb, new Shape((long) batch * n, d));
            if (preNorm != null) {
                x = preNorm.apply(x);
            }
            states[0] = x.toFloatArray();
            int[] lengths = new int[batch];
            java.util.Arrays.fill(lengths, n);
            BlockStack.Segments seg = BlockStack.Segments.of(lengths, fwd);
            for (int i = 0; i < layers; i++) {
                NDArray out;
                try (NDManager scope = fwd.newSubManager()) {
                    x.tempAttach(scope);
                    out = blocks.forward(i, x, seg, null, null);
                    out.attach(fwd);
                }
                x = out;
                states[i + 1] = x.toFloatArray();
            }
            switch (kind) {
                case CLIP -> {
                    last = states[layers];
                    NDArray first = x.reshape(batch, n, d).get(":, 0, :");
                    pooled = postNorm.apply(first).toFloatArray();
                }
                case SIGLIP -> {
                    NDArray normed = postNorm.apply(x);
                    last = normed.toFloatArray();
                    if (head != null) {
                        pooled = head.apply(normed.reshape(batch, n, d)).toFloatArray();
                    }
                }
                default -> {
                    NDArray normed = postNorm.apply(x);
                    last = normed.toFloatArray();
                    pooled = normed.reshape(batch, n, d).get(":, 0, :").toFloatArray();
                }
            }
        }
        return new VisionOutput(batch, n, d, states, last, pooled);
    }

    /**
     * The position rows added for a gh x gw patch grid: the learned table when the grid is the trained
     * one (and square), else (DINOv2) its patch part resized bicubically, as HF's interpolate_pos_encoding.
     *
     * @param gh patch rows
     * @param gw patch columns
     * @return [(cls?) + gh*gw, D]
     */
    public float[] positionTable(int gh, int gw) {
        int d = bp.hiddenSize();
        int clsRows = kind.hasCls() ? 1 : 0;
        int trained = positionRows - clsRows;
        if (gh * gw == trained && gh == gw) {
            return positions;
        }
        int side = (int) Math.round(Math.sqrt(trained));
        if (side * side != trained) {
            throw new ConfigException("the position table of " + bp.modelType() + " has " + trained
                    + " patch rows, not a square grid, so it cannot be interpolated");
        }
        float[] patchPart = java.util.Arrays.copyOfRange(positions, clsRows * d, positions.length);
        float[] resized = Bicubic.resize(patchPart, side, side, d, gh, gw);
        float[] out = new float[(clsRows + gh * gw) * d];
        System.arraycopy(positions, 0, out, 0, clsRows * d);
        System.arraycopy(resized, 0, out, clsRows * d, resized.length);
        return out;
    }

    @Override
    public void close() {
        manager.close();
        if (owned != null) {
            owned.close();
        }
    }
}
