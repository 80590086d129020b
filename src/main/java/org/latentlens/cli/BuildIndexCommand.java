package org.latentlens.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.latentlens.LatentLens;
import org.latentlens.corpus.Corpus;
import org.latentlens.index.BuildOptions;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.IndexBuilder;
import org.latentlens.index.StorageType;
import org.latentlens.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens build-index}: runs a model over a corpus and writes a contextual index. Rerunning a
 * killed build with the same arguments resumes it.
 */
@Command(name = "build-index", mixinStandardHelpOptions = true,
        description = "Build a contextual index from a model and a corpus (.txt: one sentence per line; .csv: first column).")
public final class BuildIndexCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder, or 'embedded'")
    String model;

    @Option(names = "--corpus", required = true, description = "a .txt (one sentence per line) or .csv (first column) file")
    Path corpus;

    @Option(names = "--out", required = true, description = "output index directory")
    Path out;

    @Option(names = "--layers", split = ",", description = "hidden-state indices, for example 1,2,4 (default: auto)")
    int[] layers;

    @Option(names = "--max-contexts-per-token", defaultValue = "50", description = "rows kept per token id (default ${DEFAULT-VALUE})")
    int maxContexts;

    @Option(names = "--batch-size", defaultValue = "32", description = "sentences per forward pass (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "512", description = "tokens per sentence; longer ones are truncated with a warning (default ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--dtype", defaultValue = "float16", description = "row storage: float16 or float32 (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--skip-first-two", description = "skip positions 0 and 1 like the original, instead of special tokens")
    boolean skipFirstTwo;

    @Option(names = "--no-progress", description = "do not draw a progress bar")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        BuildOptions opts = BuildOptions.builder().optLayers(layers).optMaxContextsPerToken(maxContexts)
                .optBatchSize(batchSize).optMaxLength(maxLength).optDtype(StorageType.parse(dtype))
                .optPositionRule(skipFirstTwo ? BuildOptions.PositionRule.SKIP_FIRST_TWO_POSITIONS
                        : BuildOptions.PositionRule.SKIP_SPECIAL_TOKENS)
                .optShowProgress(!noProgress).build();
        List<String> sentences = readCorpus(corpus);
        long t0 = System.nanoTime();
        try (Model m = LatentLens.loadModel(model)) {
            ContextualIndex index = IndexBuilder.build(m, sentences, corpus.getFileName().toString(), opts, out);
            System.out.printf(Locale.ROOT, "wrote %s: layers %s, %,d rows per layer, %d sentences, %.1f s, peak RSS %s%n", out,
                    index.layers(), index.rows(index.layers().get(0)), sentences.size(), (System.nanoTime() - t0) / 1e9,
                    ProcessStats.human(ProcessStats.peakRssBytes()));
        }
        return 0;
    }

    /**
     * Reads a corpus with the original's rules: a .csv gives its first column, dropping a header row whose
     * first cell starts with text/sentence/caption/id/index; any other file gives its non-empty stripped lines.
     */
    static List<String> readCorpus(Path file) throws IOException {
        return Corpus.load(file).sentences();
    }
}
