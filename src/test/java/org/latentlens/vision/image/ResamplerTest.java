package org.latentlens.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hand-computed cases of Pillow's and torch's resampling rules (the fixtures cover BICUBIC and LANCZOS). */
class ResamplerTest {
    /** A one-row image whose three channels all hold {@code values}. */
    private static RgbImage row(int... values) {
        byte[] b = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            Arrays.fill(b, i * 3, i * 3 + 3, (byte) values[i]);
        }
        return new RgbImage(values.length, 1, b);
    }

    private static int[] red(RgbImage img) {
        int[] out = new int[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.hwc()[i * 3] & 0xFF;
        }
        return out;
    }

    @Test
    void pilBilinearUpscaleClampsAtTheEdges() {
        // centres 0.25, 0.75, 1.25, 1.75: the outer outputs see one pixel, the inner ones weigh 3:1.
        assertArrayEquals(new int[] {0, 64, 191, 255}, red(PilResampler.resize(row(0, 255), 4, 1, Resampling.BILINEAR)));
    }

    @Test
    void pilBoxDownscaleAverages() {
        assertArrayEquals(new int[] {15, 35}, red(PilResampler.resize(row(10, 20, 30, 40), 2, 1, Resampling.BOX)));
    }

    @Test
    void pilNearestSamplesPixelCentres() {
        assertArrayEquals(new int[] {20, 40}, red(PilResampler.resize(row(10, 20, 30, 40), 2, 1, Resampling.NEAREST)));
        assertArrayEquals(new int[] {10, 10, 20, 20, 20}, red(PilResampler.resize(row(10, 20), 5, 1, Resampling.NEAREST)));
    }

    @ParameterizedTest
    @EnumSource(Resampling.class)
    void constantImagesStayConstant(Resampling filter) {
        byte[] b = new byte[37 * 23 * 3];
        Arrays.fill(b, (byte) 201);
        RgbImage img = new RgbImage(37, 23, b);
        for (int[] size : new int[][] {{11, 7}, {80, 50}, {37, 9}, {5, 23}, {1, 1}}) {
            RgbImage out = PilResampler.resize(img, size[0], size[1], filter);
            assertEquals(size[0], out.width());
            assertEquals(size[1], out.height());
            for (byte v : out.hwc()) {
                assertEquals(201, v & 0xFF, "PIL " + filter + " to " + size[0] + "x" + size[1]);
            }
            if (filter != Resampling.BOX && filter != Resampling.HAMMING) {
                for (byte v : TorchvisionResampler.resize(img, size[0], size[1], filter).hwc()) {
                    assertEquals(201, v & 0xFF, "torchvision " + filter + " to " + size[0] + "x" + size[1]);
                }
            }
        }
    }

    @Test
    void veryTallImagesAreResizedVerticallyFirst() {
        // height > 100 * width and shrinking: Pillow runs the vertical pass first; the result has the
        // requested size and, for a vertical ramp, stays monotonic.
        int h = 500;
        byte[] b = new byte[2 * h * 3];
        for (int y = 0; y < h; y++) {
            Arrays.fill(b, y * 6, y * 6 + 6, (byte) (y * 255 / (h - 1)));
        }
        RgbImage out = PilResampler.resize(new RgbImage(2, h, b), 3, 10, Resampling.BICUBIC);
        assertEquals(3, out.width());
        assertEquals(10, out.height());
        for (int y = 1; y < 10; y++) {
            assertEquals(true, out.get(y, 1, 0) >= out.get(y - 1, 1, 0), "monotonic at row " + y);
        }
    }

    @Test
    void sameSizeIsACopy() {
        RgbImage img = row(1, 2, 3);
        RgbImage out = PilResampler.resize(img, 3, 1, Resampling.BICUBIC);
        assertEquals(img, out);
        assertEquals(false, img.hwc() == out.hwc());
        assertEquals(img, TorchvisionResampler.resize(img, 3, 1, Resampling.BICUBIC));
    }

    @Test
    void torchvisionReplacesLanczosWithBicubicAndRefusesBoxAndHamming() {
        RgbImage img = row(0, 50, 200, 90, 255, 3, 77);
        assertEquals(TorchvisionResampler.resize(img, 3, 2, Resampling.BICUBIC),
                TorchvisionResampler.resize(img, 3, 2, Resampling.LANCZOS));
        assertThrows(IllegalArgumentException.class, () -> TorchvisionResampler.resize(img, 3, 1, Resampling.BOX));
        assertThrows(IllegalArgumentException.class, () -> TorchvisionResampler.resize(img, 3, 1, Resampling.HAMMING));
    }

    @Test
    void torchvisionNearestFloorsScaledIndices() {
        assertArrayEquals(new int[] {10, 30}, red(TorchvisionResampler.resize(row(10, 20, 30, 40), 2, 1, Resampling.NEAREST)));
        assertArrayEquals(new int[] {10, 10, 20, 20}, red(TorchvisionResampler.resize(row(10, 20), 4, 1, Resampling.NEAREST)));
    }

    @Test
    void badSizesAndCodesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PilResampler.resize(row(1), 0, 1, Resampling.BILINEAR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resampling.fromPilCode(7));
        assertEquals(true, e.getMessage().contains("7"));
        assertEquals(Resampling.LANCZOS, Resampling.fromPilCode(1));
        assertEquals(Resampling.BICUBIC, Resampling.fromPilCode(3));
    }
}
