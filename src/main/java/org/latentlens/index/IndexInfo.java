package org.latentlens.index;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Provenance kept in an index's {@code index.json}: the model, the corpus and how the index was made.
 * Unknown values are {@code null}.
 *
 * @param modelId the model the rows came from (folder, Hub id or name)
 * @param corpusSource a label for the corpus (file name, "list", ...)
 * @param corpusSha256 SHA-256 of the corpus (hex), for resume and reproducibility checks
 * @param corpusSentences number of sentences in the corpus, or -1
 * @param options build options or import details, in a stable order
 */
public record IndexInfo(String modelId, String corpusSource, String corpusSha256, long corpusSentences,
                        Map<String, Object> options) {

    /** Copies the options map so the record stays immutable. */
    public IndexInfo {
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** @return provenance with every field unknown */
    public static IndexInfo unknown() {
        return new IndexInfo(null, null, null, -1, Map.of());
    }
}
