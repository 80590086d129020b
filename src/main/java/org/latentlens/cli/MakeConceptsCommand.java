package org.latentlens.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.latentlens.corpus.ConceptGenerator;
import org.latentlens.corpus.WordNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latentlens make-concepts}: regenerates the bundled corpus {@code concepts.txt} (and its provenance
 * sidecar {@code concepts.tsv}) from a WordNet 3.0 database. The output is deterministic: the same database
 * gives the same bytes.
 */
@Command(name = "make-concepts", mixinStandardHelpOptions = true,
        description = {"Builds concepts.txt (one sentence per line) and concepts.tsv (line, concept, pos, synset, "
                + "source) from WordNet 3.0.",
                "Concepts are the lemmas with a SemCor count in cntlist.rev; each gets up to 5 sentences that use it."})
public final class MakeConceptsCommand implements Callable<Integer> {

    @Option(names = "--wordnet", paramLabel = "DIR",
            description = "WordNet 3.0 database directory (data.*, index.*, *.exc, cntlist.rev). Default: ${DEFAULT-VALUE}")
    Path wordnet = WordNet.DEBIAN_DIR;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The sentences file to write, e.g. concepts.txt; the .tsv is written beside it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        WordNet wn = WordNet.load(wordnet);
        ConceptGenerator.Result result = new ConceptGenerator(wn).generate();
        Path tsv = result.write(out);
        System.out.print(result.statistics().format());
        System.out.printf("wrote %s and %s in %.1f s%n", out, tsv, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
