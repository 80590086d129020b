package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latentlens.io.ConfigException;
import org.latentlens.io.SafetensorsCheckpoint;

/**
 * CLIP vision, SigLIP vision and DINOv2 (also at 70x98 with interpolated positions) reproduce every hidden
 * state, last_hidden_state and pooler_output of HuggingFace within 1e-4, from both config spellings.
 */
class VitTowerParityTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"clip-vision,config.json", "clip-vision,config.transformers4.json",
            "siglip-vision,config.json", "siglip-vision,config.transformers4.json",
            "dinov2,config.json", "dinov2,config.transformers4.json"})
    void matchesHuggingFace(String name, String config) {
        Path dir = VisionFixtures.folder(name);
        try (VitTower tower = VitTower.load(dir, config);
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve("expected.safetensors")))) {
            check(name, "", tower, expected);
            if (name.equals("dinov2")) {
                check(name, "interp.", tower, expected);
                long[] shape = expected.info("interp.pixel_values").shape();
                VisionFixtures.assertClose("interp.position_embeddings", expected.loadFloats("interp.position_embeddings"),
                        tower.positionTable((int) shape[2] / 14, (int) shape[3] / 14));
                VisionFixtures.assertClose("position_embeddings", expected.loadFloats("position_embeddings"),
                        tower.positionTable(4, 4));
            }
        }
    }

    private static void check(String name, String p, VitTower tower, SafetensorsCheckpoint expected) {
        long[] shape = expected.info(p + "pixel_values").shape();
        VisionOutput out = tower.encode(expected.loadFloats(p + "pixel_values"), (int) shape[0], (int) shape[2], (int) shape[3]);
        assertEquals(tower.blueprint().numLayers() + 1, out.hiddenStates().length);
        for (int i = 0; i < out.hiddenStates().length; i++) {
            VisionFixtures.assertClose(name + " " + p + "hidden_states." + i, expected.loadFloats(p + "hidden_states." + i),
                    out.hiddenStates()[i]);
        }
        VisionFixtures.assertClose(name + " " + p + "last_hidden_state", expected.loadFloats(p + "last_hidden_state"),
                out.lastHiddenState());
        VisionFixtures.assertClose(name + " " + p + "pooler_output", expected.loadFloats(p + "pooler_output"),
                out.poolerOutput().orElseThrow());
    }

    @Test
    void clipRejectsOtherImageSizes() {
        try (VitTower tower = VitTower.load(VisionFixtures.folder("clip-vision"), "config.json")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tower.encode(new float[3 * 70 * 70], 1, 70, 70));
            assertTrue(e.getMessage().contains("56x56"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> tower.encode(new float[10], 1, 56, 56));
            assertTrue(e.getMessage().contains("pixel_values"), e.getMessage());
        }
    }

    @Test
    void unsupportedVisionConfigIsNamed(@TempDir Path tmp) throws Exception {
        Path src = VisionFixtures.folder("clip-vision");
        Files.copy(src.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Files.writeString(tmp.resolve("config.json"), Files.readString(src.resolve("config.json"))
                .replace("clip_vision_model", "beit"));
        ConfigException e = assertThrows(ConfigException.class, () -> VitTower.load(tmp, "config.json"));
        assertTrue(e.getMessage().contains("beit") && e.getMessage().contains("clip_vision_model"), e.getMessage());
    }
}
