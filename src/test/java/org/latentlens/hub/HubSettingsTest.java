package org.latentlens.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings follow huggingface_hub's environment variables and never reveal the token. */
class HubSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFollowHuggingfaceHub() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", "/home/u")).build();
        assertEquals("https://huggingface.co", s.endpoint().toString());
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), s.cacheDir());
        assertFalse(s.offline());
        assertFalse(s.hasToken());
        HubSettings xdg = HubSettings.fromEnvironment(Map.of("HOME", "/home/u", "XDG_CACHE_HOME", "/xdg")).build();
        assertEquals(Path.of("/xdg/huggingface/hub"), xdg.cacheDir());
    }

    @Test
    void variablesOverrideInHuggingfaceHubsOrder() throws Exception {
        Path home = dir.resolve("hfhome");
        Files.createDirectories(home);
        Files.writeString(home.resolve("token"), "hf_fromFILE\n");
        HubSettings fromFile = HubSettings.fromEnvironment(Map.of("HF_HOME", home.toString())).build();
        assertEquals(home.resolve("hub"), fromFile.cacheDir());
        assertTrue(fromFile.hasToken());
        assertEquals("hf_fromFILE", fromFile.token());

        HubSettings s = HubSettings.fromEnvironment(Map.of(
                "HF_HOME", home.toString(),
                "HF_HUB_CACHE", "/data/hub",
                "HF_TOKEN", "hf_fromENV",
                "HF_ENDPOINT", "https://hf-mirror.example/",
                "HF_HUB_OFFLINE", "yes",
                "HF_HUB_DOWNLOAD_TIMEOUT", "2.5")).build();
        assertEquals(Path.of("/data/hub"), s.cacheDir());
        assertEquals("hf_fromENV", s.token());
        assertEquals("https://hf-mirror.example", s.endpoint().toString());
        assertTrue(s.offline());
        assertEquals(2500, s.readTimeout().toMillis());

        HubSettings explicit = s.toBuilder().optCacheDir(dir).optOffline(false).build();
        assertEquals(dir, explicit.cacheDir());
        assertFalse(explicit.offline());
        assertEquals("hf_fromENV", explicit.token());
    }

    @Test
    void toStringShowsWhereTheTokenCameFromButNeverTheToken() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HF_TOKEN", "hf_veryS3cret")).build();
        String text = s.toString();
        assertFalse(text.contains("hf_veryS3cret"), text);
        assertTrue(text.contains("token=set (from HF_TOKEN)"), text);
        assertTrue(text.contains("endpoint=https://huggingface.co"), text);
        assertTrue(HubSettings.builder().build().toString().contains("token=none"));
    }

    @Test
    void offlineFlagAcceptsPythonsTrueValues() {
        for (String v : new String[] {"1", "ON", "yes", "True"}) {
            assertTrue(HubSettings.isTrue(v), v);
        }
        for (String v : new String[] {"0", "off", "", "no"}) {
            assertFalse(HubSettings.isTrue(v), v);
        }
        assertTrue(HubSettings.fromEnvironment(Map.of("TRANSFORMERS_OFFLINE", "1")).build().offline());
    }

    @Test
    void badValuesAreRejectedWithTheFieldName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.builder().optEndpoint("not a url"));
        assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HubSettings.builder().optMaxWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> HubSettings.builder().optMaxRetries(-1));
    }
}
