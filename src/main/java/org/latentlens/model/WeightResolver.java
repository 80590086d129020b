package org.latentlens.model;

import java.util.List;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.WeightSource;

/**
 * Finds a family's canonical weight name in a checkpoint that may nest the language model under a
 * different root ({@code bert.}, {@code transformer.}, {@code model.language_model.}, ...): the same weights
 * are saved with or without the task-head wrapper's prefix.
 */
final class WeightResolver {
    private static final List<String> ROOTS = List.of("model.language_model.", "language_model.model.",
            "language_model.", "model.", "transformer.", "bert.", "");

    private final WeightSource source;

    WeightResolver(WeightSource source) {
        this.source = source;
    }

    /**
     * @param canonical the family's name for the tensor
     * @return the name in this checkpoint, or null if absent under every known root
     */
    String find(String canonical) {
        if (source.has(canonical)) {
            return canonical;
        }
        String base = canonical;
        for (String r : ROOTS) {
            if (!r.isEmpty() && canonical.startsWith(r)) {
                base = canonical.substring(r.length());
                break;
            }
        }
        for (String r : ROOTS) {
            String n = r + base;
            if (source.has(n)) {
                return n;
            }
        }
        return null;
    }

    /**
     * @param canonical the family's name for the tensor
     * @return the name in this checkpoint
     * @throws MissingTensorException listing the names tried
     */
    String require(String canonical) {
        String n = find(canonical);
        if (n == null) {
            throw new MissingTensorException("tensor '" + canonical + "' is missing from the checkpoint " + source
                    + " (also tried it under the roots " + ROOTS.subList(0, ROOTS.size() - 1) + ")");
        }
        return n;
    }

    WeightSource source() {
        return source;
    }
}
