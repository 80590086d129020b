package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.io.ConfigException;
import org.latentlens.io.MissingTensorException;
import org.latentlens.model.LoadOptions;

/** Unsupported or inconsistent vision configs and checkpoints fail with messages naming the field or tensor. */
class VisionBadInputTest {

    private static Path copy(String fixture, Path tmp, String from, String to) throws Exception {
        Path src = VisionFixtures.folder(fixture);
        for (String f : new String[] {"model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
            if (Files.exists(src.resolve(f))) {
                Files.copy(src.resolve(f), tmp.resolve(f));
            }
        }
        Files.writeString(tmp.resolve("config.json"), Files.readString(src.resolve("config.json")).replace(from, to));
        return tmp;
    }

    @Test
    void unsupportedVlmTypeListsSupported(@TempDir Path tmp) throws Exception {
        copy("llava", tmp, "\"model_type\": \"llava\"", "\"model_type\": \"llava_next\"");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("llava_next") && e.getMessage().contains("qwen2_vl"), e.getMessage());
    }

    @Test
    void unsupportedTowerInsideLlavaIsNamed(@TempDir Path tmp) throws Exception {
        copy("llava", tmp, "\"model_type\": \"clip_vision_model\"", "\"model_type\": \"pixtral\"");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("vision_config") && e.getMessage().contains("pixtral"), e.getMessage());
    }

    @Test
    void unsupportedSelectStrategyIsNamed(@TempDir Path tmp) throws Exception {
        copy("llava", tmp, "\"vision_feature_select_strategy\": \"default\"", "\"vision_feature_select_strategy\": \"mean\"");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("vision_feature_select_strategy"), e.getMessage());
    }

    @Test
    void featureLayerOutsideTheTowerIsNamed(@TempDir Path tmp) throws Exception {
        copy("llava", tmp, "\"vision_feature_layer\": -2", "\"vision_feature_layer\": -7");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("vision_feature_layer -7"), e.getMessage());
    }

    @Test
    void qwenWindowBlockIndexOutsideDepthIsNamed(@TempDir Path tmp) throws Exception {
        String cfg = Files.readString(VisionFixtures.folder("qwen2.5-vl").resolve("config.json"));
        String from = cfg.substring(cfg.indexOf("\"fullatt_block_indexes\""), cfg.indexOf("]", cfg.indexOf("\"fullatt_block_indexes\"")) + 1);
        copy("qwen2.5-vl", tmp, from, "\"fullatt_block_indexes\": [1, 9]");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("fullatt_block_indexes"), e.getMessage());
    }

    @Test
    void missingMropeSectionIsNamed(@TempDir Path tmp) throws Exception {
        copy("qwen2-vl", tmp, "\"mrope_section\"", "\"other_section\"");
        ConfigException e = assertThrows(ConfigException.class, () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("mrope_section"), e.getMessage());
    }

    @Test
    void checkpointWithoutTheTowerIsNamed(@TempDir Path tmp) throws Exception {
        Path src = VisionFixtures.folder("qwen2-vl");
        Files.copy(VisionFixtures.folder("llava").resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Files.copy(src.resolve("config.json"), tmp.resolve("config.json"));
        MissingTensorException e = assertThrows(MissingTensorException.class,
                () -> VisionLanguageModel.load(tmp, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("patch_embed.proj.weight"), e.getMessage());
    }

    @Test
    void dinov2SwigluIsRefused(@TempDir Path tmp) throws Exception {
        copy("dinov2", tmp, "\"use_swiglu_ffn\": false", "\"use_swiglu_ffn\": true");
        ConfigException e = assertThrows(ConfigException.class, () -> VitTower.load(tmp, "config.json"));
        assertTrue(e.getMessage().contains("use_swiglu_ffn"), e.getMessage());
    }
}
