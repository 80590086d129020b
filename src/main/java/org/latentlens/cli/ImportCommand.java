package org.latentlens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens import}: converts an index in the original Python format
 * ({@code layer_N/embeddings_cache.pt}) into this library's memory-mappable format.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Convert a Python LatentLens index (layer_N/embeddings_cache.pt) into a LatentLens for Java index.")
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "directory with layer_N/embeddings_cache.pt")
    Path from;

    @Option(names = "--out", required = true, description = "output index directory (replaced atomically if present)")
    Path out;

    @Option(names = "--dtype", defaultValue = "float16", description = "storage: float16 or float32 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--layers", split = ",", description = "only these layers, for example 1,8,16")
    int[] layers;

    @Override
    public Integer call() throws Exception {
        StorageType type = StorageType.parse(dtype);
        long t0 = System.nanoTime();
        ContextualIndex.importPython(from, out, type, layers == null ? new int[0] : layers);
        try (ContextualIndex written = ContextualIndex.open(out)) {
            written.verify();
            System.out.printf(java.util.Locale.ROOT, "imported %s -> %s: layers %s, %,d rows in all, width %d, %s, %.1f s%n",
                    from, out, written.layers(), written.size(), written.hiddenSize(),
                    type.label(), (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
