package org.latentlens.vision.image;

/**
 * Which of HuggingFace's two image-processor backends to reproduce. They share every rule (sizes,
 * crop offsets, patch order) and differ in arithmetic:
 * <ul>
 *   <li>{@link #PIL} ({@code <Class>Pil} in transformers 5.x, the "slow" class of 4.x): resize with
 *       Pillow ({@link PilResampler}); rescale in float64 then cast to float32
 *       ({@code x = float32(u8 * rescale_factor)}), normalise in float32
 *       ({@code (x - float32(mean)) / float32(std)}); a centre crop larger than the image pads
 *       {@code ceil(d / 2)} zeros before.</li>
 *   <li>{@link #TORCHVISION} ({@code <Class>} in 5.x when torchvision is installed, the "Fast"
 *       class of 4.x): resize with torch's uint8 kernel ({@link TorchvisionResampler}, up to 2 levels
 *       from Pillow on a few pixels; LANCZOS becomes BICUBIC), rescale and normalise fused in float32
 *       ({@code (float32(u8) - m) / s} with {@code m = float32(mean) * float32(1 / rescale_factor)});
 *       a centre crop larger than the image pads {@code floor(d / 2)} zeros before.</li>
 * </ul>
 *
 * <p><b>The default is {@link #PIL}</b>: it is what transformers 4.x gives by default for CLIP,
 * SigLIP and DINOv2 checkpoints (the slow classes), what 5.x gives without torchvision, and the
 * preprocessing these vision towers were trained and evaluated with (OpenAI CLIP and the original
 * LatentLens code resize with PIL). Choose {@link #TORCHVISION} to reproduce a transformers 5.x
 * environment with torchvision installed, or transformers 4.x's Qwen2-VL processor, which
 * {@code AutoImageProcessor} forces to the fast class when torchvision is present.
 */
public enum ResizeBackend {
    /** Pillow's arithmetic (the default). */
    PIL,
    /** torchvision's arithmetic on CPU. */
    TORCHVISION;

    /**
     * Resizes with this backend's resampler.
     *
     * @param image the source
     * @param width output width
     * @param height output height
     * @param filter the resampling filter
     * @return the resized image
     */
    public RgbImage resize(RgbImage image, int width, int height, Resampling filter) {
        return this == PIL
                ? PilResampler.resize(image, width, height, filter)
                : TorchvisionResampler.resize(image, width, height, filter);
    }

    /**
     * Crops the centre {@code cropHeight x cropWidth} of an image, with HF's offsets
     * ({@code top = floor((H - crop) / 2)}, same for left). Where the crop is larger than the image,
     * the image is first padded with zeros (this backend's split of the padding, see the class doc).
     *
     * @param image the source
     * @param cropHeight rows to keep
     * @param cropWidth columns to keep
     * @return the cropped image
     */
    public RgbImage centerCrop(RgbImage image, int cropHeight, int cropWidth) {
        int h = image.height();
        int w = image.width();
        if (cropHeight <= h && cropWidth <= w) {
            return image.crop(Math.floorDiv(h - cropHeight, 2), Math.floorDiv(w - cropWidth, 2), cropHeight, cropWidth);
        }
        int padH = Math.max(cropHeight - h, 0);
        int padW = Math.max(cropWidth - w, 0);
        // numpy backend: ceil(d / 2) before; torchvision: floor(d / 2) before.
        int top = this == PIL ? (padH + 1) / 2 : padH / 2;
        int left = this == PIL ? (padW + 1) / 2 : padW / 2;
        RgbImage padded = image.padTo(h + padH, w + padW, top, left);
        return centerCrop(padded, cropHeight, cropWidth);
    }

    /**
     * Converts to float32 channel-first values with this backend's rescale and normalise arithmetic.
     *
     * @param image the pixels
     * @param doRescale whether to multiply by {@code rescaleFactor}
     * @param rescaleFactor usually 1/255
     * @param doNormalize whether to subtract {@code mean} and divide by {@code std}
     * @param mean per-channel mean (3 values)
     * @param std per-channel standard deviation (3 values)
     * @return {@code [3, H, W]} values
     */
    public float[] toFloatChw(RgbImage image, boolean doRescale, double rescaleFactor, boolean doNormalize,
            double[] mean, double[] std) {
        int plane = image.width() * image.height();
        byte[] px = image.hwc();
        float[] out = new float[plane * 3];
        for (int c = 0; c < 3; c++) {
            float m;
            float s;
            if (this == TORCHVISION && doRescale && doNormalize) {
                // Fused: the statistics are scaled to the 0..255 range in float32.
                float inv = (float) (1.0 / rescaleFactor);
                m = (float) mean[c] * inv;
                s = (float) std[c] * inv;
            } else {
                m = doNormalize ? (float) mean[c] : 0f;
                s = doNormalize ? (float) std[c] : 1f;
            }
            float scale32 = (float) rescaleFactor;
            for (int i = 0; i < plane; i++) {
                int u8 = px[i * 3 + c] & 0xFF;
                float x;
                if (this == TORCHVISION) {
                    x = doRescale && !doNormalize ? (float) u8 * scale32 : (float) u8;
                } else {
                    x = doRescale ? (float) (u8 * rescaleFactor) : (float) u8;
                }
                out[c * plane + i] = doNormalize ? (x - m) / s : x;
            }
        }
        return out;
    }
}
