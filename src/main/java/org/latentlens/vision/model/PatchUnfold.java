package org.latentlens.vision.model;

/**
 * Cuts NCHW images into non-overlapping patches, each flattened in the (channel, y, x) order of a
 * convolution kernel, so a stride = kernel convolution becomes one matrix product.
 */
final class PatchUnfold {
    private PatchUnfold() {
    }

    /**
     * @param pix [batch, channels, height, width]
     * @param temporal copies of each patch stacked after the channel (Qwen's Conv3d over 2 frames of a still
     *     image); 1 for a 2-D convolution
     * @return [batch * (height/patch) * (width/patch), channels * temporal * patch * patch], patches row-major
     */
    static float[] unfold(float[] pix, int batch, int channels, int height, int width, int patch, int temporal) {
        int gh = height / patch;
        int gw = width / patch;
        int k = channels * temporal * patch * patch;
        float[] out = new float[batch * gh * gw * k];
        int row = 0;
        for (int b = 0; b < batch; b++) {
            for (int py = 0; py < gh; py++) {
                for (int px = 0; px < gw; px++) {
                    int o = row * k;
                    for (int c = 0; c < channels; c++) {
                        for (int t = 0; t < temporal; t++) {
                            for (int y = 0; y < patch; y++) {
                                int src = ((b * channels + c) * height + py * patch + y) * width + px * patch;
                                System.arraycopy(pix, src, out, o, patch);
                                o += patch;
                            }
                        }
                    }
                    row++;
                }
            }
        }
        return out;
    }
}
