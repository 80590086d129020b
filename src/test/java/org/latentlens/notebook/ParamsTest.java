package org.latentlens.notebook;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Notebook parameters: environment first, defaults otherwise, bad numbers named. */
class ParamsTest {
    @AfterEach
    void restore() {
        Params.useProcessEnvironment();
    }

    @Test
    void environmentWinsOverDefaultAndBlankCountsAsUnset() {
        Params.useEnvironment(Map.of("LATENTLENS_MODEL", " qwen3 ", "EMPTY", " ", "N", "7", "BAD", "seven"));
        assertEquals("qwen3", Params.get("LATENTLENS_MODEL", "minilm"));
        assertEquals("minilm", Params.get("EMPTY", "minilm"));
        assertEquals("d", Params.get("UNSET", "d"));
        assertEquals(7, Params.getInt("N", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Params.getInt("BAD", 1));
        assertTrue(e.getMessage().contains("BAD=seven"), e.getMessage());
    }
}
