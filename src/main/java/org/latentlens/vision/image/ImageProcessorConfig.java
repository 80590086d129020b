package org.latentlens.vision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The settings of an image processor, read from {@code preprocessor_config.json} with HF's class
 * defaults for every key the file leaves out, and validated in one place.
 *
 * <p>Recognised classes ({@code image_processor_type}, or the older {@code feature_extractor_type};
 * a {@code Fast} or {@code Pil} suffix names the same processor with another backend):
 * <table>
 *   <caption>Processor classes and their defaults</caption>
 *   <tr><th>type</th><th>kind</th><th>size default</th><th>crop</th><th>mean / std default</th></tr>
 *   <tr><td>CLIPImageProcessor (CLIPFeatureExtractor)</td><td>{@link Kind#RESIZE_CROP_NORMALIZE}</td>
 *       <td>shortest_edge 224</td><td>224x224</td><td>OpenAI CLIP</td></tr>
 *   <tr><td>BitImageProcessor (DINOv2)</td><td>{@link Kind#RESIZE_CROP_NORMALIZE}</td>
 *       <td>shortest_edge 224</td><td>224x224</td><td>OpenAI CLIP</td></tr>
 *   <tr><td>SiglipImageProcessor</td><td>{@link Kind#RESIZE_CROP_NORMALIZE}</td>
 *       <td>224x224</td><td>none</td><td>0.5 / 0.5</td></tr>
 *   <tr><td>Qwen2VLImageProcessor</td><td>{@link Kind#QWEN2_VL}</td>
 *       <td>min_pixels 3136, max_pixels 1003520</td><td>none</td><td>OpenAI CLIP</td></tr>
 * </table>
 * All default to BICUBIC resampling and {@code rescale_factor = 1/255}. An integer {@code size}
 * means {@code shortest_edge} for CLIP and Bit (HF's {@code default_to_square=False}) and a square
 * for SigLIP; an integer {@code crop_size} is a square. For Qwen2-VL, {@code size.shortest_edge} /
 * {@code size.longest_edge} are the pixel limits, and top-level {@code min_pixels} /
 * {@code max_pixels} override them (as HF does).
 *
 * <pre>{@code
 * ImageProcessorConfig cfg = ImageProcessorConfig.load(modelDir.resolve("preprocessor_config.json"));
 * ImageProcessor p = ImageProcessors.create(cfg, ResizeBackend.PIL);
 * }</pre>
 */
public final class ImageProcessorConfig {
    /** OpenAI CLIP's per-channel mean, HF's {@code OPENAI_CLIP_MEAN}. */
    public static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    /** OpenAI CLIP's per-channel standard deviation, HF's {@code OPENAI_CLIP_STD}. */
    public static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    /** The two processing pipelines. */
    public enum Kind {
        /** Resize, optional centre crop, rescale, normalise: CLIP, SigLIP, Bit (DINOv2). */
        RESIZE_CROP_NORMALIZE,
        /** {@code smart_resize} to multiples of patch x merge, normalise, patchify: Qwen2-VL, Qwen2.5-VL. */
        QWEN2_VL
    }

    /** The processor class name, without a Fast/Pil suffix (e.g. {@code CLIPImageProcessor}). */
    public final String type;
    /** Which pipeline {@link #type} uses. */
    public final Kind kind;
    /** Where the settings came from, for error messages. */
    public final String source;
    /** Whether to resize. */
    public final boolean doResize;
    /** Resize target: the shorter side (0 when a fixed size is used). */
    public final int shortestEdge;
    /** Resize target height for a fixed size (0 when {@link #shortestEdge} is used). */
    public final int height;
    /** Resize target width for a fixed size (0 when {@link #shortestEdge} is used). */
    public final int width;
    /** The resampling filter. */
    public final Resampling resample;
    /** Whether to crop the centre. */
    public final boolean doCenterCrop;
    /** Centre crop height. */
    public final int cropHeight;
    /** Centre crop width. */
    public final int cropWidth;
    /** Whether to multiply by {@link #rescaleFactor}. */
    public final boolean doRescale;
    /** Usually 1/255. */
    public final double rescaleFactor;
    /** Whether to normalise with {@link #imageMean} and {@link #imageStd}. */
    public final boolean doNormalize;
    /** Per-channel mean, 3 values (package-private: arrays are mutable; see {@link #imageMean()}). */
    final double[] imageMean;
    /** Per-channel standard deviation, 3 values (see {@link #imageStd()}). */
    final double[] imageStd;
    /** Qwen2-VL: the least number of pixels after resizing. */
    public final long minPixels;
    /** Qwen2-VL: the most pixels after resizing. */
    public final long maxPixels;
    /** Qwen2-VL: side of a vision patch in pixels. */
    public final int patchSize;
    /** Qwen2-VL: frames per temporal patch (a still image is repeated this many times). */
    public final int temporalPatchSize;
    /** Qwen2-VL: side of a merge group in patches. */
    public final int mergeSize;

    private ImageProcessorConfig(String type, Kind kind, String source, JsonNode j) {
        this.type = type;
        this.kind = kind;
        this.source = source;
        boolean squareDefault = type.equals("SiglipImageProcessor");
        this.doResize = bool(j, "do_resize", true);
        this.resample = j.has("resample") && !j.get("resample").isNull()
                ? resampling(j.get("resample")) : Resampling.BICUBIC;
        this.doRescale = bool(j, "do_rescale", true);
        this.rescaleFactor = number(j, "rescale_factor", 1.0 / 255);
        this.doNormalize = bool(j, "do_normalize", true);
        double[] defMean = squareDefault ? new double[] {0.5, 0.5, 0.5} : OPENAI_CLIP_MEAN;
        double[] defStd = squareDefault ? new double[] {0.5, 0.5, 0.5} : OPENAI_CLIP_STD;
        this.imageMean = triple(j, "image_mean", defMean);
        this.imageStd = triple(j, "image_std", defStd);
        for (int c = 0; c < 3; c++) {
            if (!(imageStd[c] != 0.0 && Double.isFinite(imageStd[c]))) {
                throw invalid("image_std", "must be finite and non-zero, got " + Arrays.toString(imageStd));
            }
        }
        if (kind == Kind.QWEN2_VL) {
            JsonNode size = j.get("size");
            long min = 56 * 56;
            long max = 28L * 28 * 1280;
            if (size != null && size.isObject()) {
                min = size.has("shortest_edge") ? size.get("shortest_edge").asLong() : min;
                max = size.has("longest_edge") ? size.get("longest_edge").asLong() : max;
                min = size.has("min_pixels") ? size.get("min_pixels").asLong() : min;
                max = size.has("max_pixels") ? size.get("max_pixels").asLong() : max;
            }
            min = j.has("min_pixels") && !j.get("min_pixels").isNull() ? j.get("min_pixels").asLong() : min;
            max = j.has("max_pixels") && !j.get("max_pixels").isNull() ? j.get("max_pixels").asLong() : max;
            if (min < 1 || max < min) {
                throw invalid("min_pixels/max_pixels", "need 1 <= min_pixels <= max_pixels, got " + min + " and " + max);
            }
            this.minPixels = min;
            this.maxPixels = max;
            this.patchSize = positive(j, "patch_size", 14);
            this.temporalPatchSize = positive(j, "temporal_patch_size", 2);
            this.mergeSize = positive(j, "merge_size", 2);
            this.shortestEdge = 0;
            this.height = 0;
            this.width = 0;
            this.doCenterCrop = false;
            this.cropHeight = 0;
            this.cropWidth = 0;
        } else {
            this.minPixels = 0;
            this.maxPixels = 0;
            this.patchSize = 0;
            this.temporalPatchSize = 0;
            this.mergeSize = 0;
            int[] size = size(j.get("size"), "size", squareDefault, squareDefault ? new int[] {0, 224, 224}
                    : new int[] {224, 0, 0});
            this.shortestEdge = size[0];
            this.height = size[1];
            this.width = size[2];
            boolean hasCrop = !squareDefault;
            this.doCenterCrop = bool(j, "do_center_crop", hasCrop);
            int[] crop = size(j.get("crop_size"), "crop_size", true, new int[] {0, 224, 224});
            if (doCenterCrop && crop[0] != 0) {
                throw invalid("crop_size", "must give height and width, got " + j.get("crop_size"));
            }
            this.cropHeight = crop[1];
            this.cropWidth = crop[2];
        }
    }

    /**
     * Reads a {@code preprocessor_config.json}.
     *
     * @param file the JSON file
     * @return the validated settings
     * @throws IOException if the file cannot be read or parsed
     * @throws IllegalArgumentException if the type is not supported or a field is invalid (naming
     *     the file and the field)
     */
    public static ImageProcessorConfig load(Path file) throws IOException {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "preprocessor_config.json not found");
        }
        return fromJson(json, file.toString());
    }

    /**
     * Builds settings from parsed JSON.
     *
     * @param json the object of a {@code preprocessor_config.json}
     * @param source how to name it in error messages
     * @return the validated settings
     * @throws IllegalArgumentException if the type is not supported or a field is invalid
     */
    public static ImageProcessorConfig fromJson(JsonNode json, String source) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        String declared = text(json, "image_processor_type");
        if (declared == null) {
            declared = text(json, "feature_extractor_type");
        }
        if (declared == null) {
            throw new IllegalArgumentException(source + ": neither image_processor_type nor feature_extractor_type"
                    + " is set, so the image processor class is unknown");
        }
        String type = canonicalType(declared);
        Kind kind;
        switch (type) {
            case "CLIPImageProcessor":
            case "BitImageProcessor":
            case "SiglipImageProcessor":
                kind = Kind.RESIZE_CROP_NORMALIZE;
                break;
            case "Qwen2VLImageProcessor":
                kind = Kind.QWEN2_VL;
                break;
            default:
                throw new IllegalArgumentException(source + ": unsupported image processor type \"" + declared
                        + "\" (supported: CLIPImageProcessor, SiglipImageProcessor, BitImageProcessor,"
                        + " Qwen2VLImageProcessor, with or without a Fast/Pil suffix)");
        }
        return new ImageProcessorConfig(type, kind, source, json);
    }

    /** Strips backend suffixes and maps old feature-extractor names onto processor classes. */
    static String canonicalType(String declared) {
        String t = declared;
        if (t.endsWith("Fast")) {
            t = t.substring(0, t.length() - 4);
        } else if (t.endsWith("Pil")) {
            t = t.substring(0, t.length() - 3);
        }
        if (t.endsWith("FeatureExtractor")) {
            t = t.substring(0, t.length() - "FeatureExtractor".length()) + "ImageProcessor";
        }
        return t;
    }

    private IllegalArgumentException invalid(String field, String why) {
        return new IllegalArgumentException(source + ": field \"" + field + "\" " + why);
    }

    private static String text(JsonNode j, String key) {
        JsonNode n = j.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private boolean bool(JsonNode j, String key, boolean def) {
        JsonNode n = j.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isBoolean()) {
            throw invalid(key, "must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    private double number(JsonNode j, String key, double def) {
        JsonNode n = j.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isNumber() || !(n.asDouble() > 0)) {
            throw invalid(key, "must be a positive number, got " + n);
        }
        return n.asDouble();
    }

    private int positive(JsonNode j, String key, int def) {
        JsonNode n = j.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw invalid(key, "must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    private double[] triple(JsonNode j, String key, double[] def) {
        JsonNode n = j.get(key);
        if (n == null || n.isNull()) {
            return def.clone();
        }
        if (n.isNumber()) {
            return new double[] {n.asDouble(), n.asDouble(), n.asDouble()};
        }
        if (!n.isArray() || n.size() != 3) {
            throw invalid(key, "must be a number or a list of 3 numbers (one per RGB channel), got " + n);
        }
        return new double[] {n.get(0).asDouble(), n.get(1).asDouble(), n.get(2).asDouble()};
    }

    private Resampling resampling(JsonNode n) {
        if (n.canConvertToInt()) {
            try {
                return Resampling.fromPilCode(n.asInt());
            } catch (IllegalArgumentException e) {
                throw invalid("resample", e.getMessage());
            }
        }
        try {
            return Resampling.valueOf(n.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("resample", "must be a PIL resampling code 0..5 or a name, got " + n);
        }
    }

    /** Parses an HF size: returns {shortest_edge, height, width} with the unused entries 0. */
    private int[] size(JsonNode n, String key, boolean intIsSquare, int[] def) {
        if (n == null || n.isNull()) {
            return def;
        }
        if (n.canConvertToInt()) {
            int v = n.asInt();
            if (v < 1) {
                throw invalid(key, "must be positive, got " + n);
            }
            return intIsSquare ? new int[] {0, v, v} : new int[] {v, 0, 0};
        }
        if (n.isArray() && n.size() == 2) {
            return new int[] {0, n.get(0).asInt(), n.get(1).asInt()};
        }
        if (n.isObject()) {
            if (n.has("height") && n.has("width") && n.size() == 2) {
                int h = n.get("height").asInt();
                int w = n.get("width").asInt();
                if (h < 1 || w < 1) {
                    throw invalid(key, "height and width must be positive, got " + n);
                }
                return new int[] {0, h, w};
            }
            if (n.has("shortest_edge") && n.size() == 1) {
                int s = n.get("shortest_edge").asInt();
                if (s < 1) {
                    throw invalid(key, "shortest_edge must be positive, got " + n);
                }
                return new int[] {s, 0, 0};
            }
        }
        throw invalid(key, "must be an integer, [height, width], {\"height\", \"width\"} or {\"shortest_edge\"}"
                + " (longest_edge and max_height/max_width limits are not supported for " + type + "), got " + n);
    }

    /** @return the per-channel mean (a copy) */
    public double[] imageMean() {
        return imageMean.clone();
    }

    /** @return the per-channel standard deviation (a copy) */
    public double[] imageStd() {
        return imageStd.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type).append('[');
        if (kind == Kind.QWEN2_VL) {
            sb.append("min_pixels=").append(minPixels).append(", max_pixels=").append(maxPixels)
                    .append(", patch=").append(patchSize).append(", merge=").append(mergeSize)
                    .append(", temporal=").append(temporalPatchSize);
        } else if (shortestEdge > 0) {
            sb.append("shortest_edge=").append(shortestEdge);
        } else {
            sb.append("size=").append(height).append('x').append(width);
        }
        if (doCenterCrop) {
            sb.append(", crop=").append(cropHeight).append('x').append(cropWidth);
        }
        sb.append(", resample=").append(resample).append(", do_resize=").append(doResize)
                .append(", mean=").append(Arrays.toString(imageMean)).append(", std=")
                .append(Arrays.toString(imageStd)).append(']');
        return sb.toString();
    }
}
