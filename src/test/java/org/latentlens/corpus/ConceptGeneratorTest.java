package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's rules on a database small enough to work out by hand (see {@link MiniWordNet}). */
class ConceptGeneratorTest {

    @Test
    void sourcesComeInOrderAndScarceConceptsAreServedFirst(@TempDir Path tmp) throws IOException {
        MiniWordNet.write(tmp);
        ConceptGenerator.Result r = new ConceptGenerator(WordNet.load(tmp)).generate();
        assertEquals(String.join("\n",
                // dog: own examples that contain it (not "a cat sat"), then its definitions, then a fill
                "The dog barked all night.",
                "You dirty dog.",
                "A dog is a member of the genus Canis.",
                "A dog is someone who is morally reprehensible.",
                "Another word for dog is domestic dog.",
                // puppy has little material: it is served before dog, so "A puppy is a kind of dog." is its own
                "A puppy is a young dog.",
                "A puppy is a kind of dog.",
                "The noun puppy means a young dog.",
                // run: own example and definition, a mention in another gloss, a sents.vrb frame, a relation
                "Don't run--you'll be out of breath.",
                "To run is to move fast by using one's feet.",
                "To sprint is to run very fast, usually for a short distance.",
                "The children run to the playground.",
                "Run is related to the noun dog.",
                ""), r.text());
        assertEquals(String.join("\n",
                ConceptGenerator.TSV_HEADER,
                "1\tdog\tn\t00000200-n\texample",
                "2\tdog\tn\t00000400-n\texample",
                "3\tdog\tn\t00000200-n\tgloss",
                "4\tdog\tn\t00000400-n\tgloss",
                "5\tdog\tn\t00000200-n\tsynonyms",
                "6\tpuppy\tn\t00000300-n\tgloss",
                "7\tpuppy\tn\t00000300-n\thypernym",
                "8\tpuppy\tn\t00000300-n\tgloss-variant",
                "9\trun\tv\t00000600-v\texample",
                "10\trun\tv\t00000600-v\tgloss",
                "11\trun\tv\t00000500-v\tmention-gloss",
                "12\trun\tv\t00000600-v\tframe",
                "13\trun\tv\t00000600-v\tderivation",
                ""), r.tsv());
        ConceptGenerator.Statistics st = r.statistics();
        assertEquals(3, st.concepts());
        assertEquals(13, st.sentences());
        assertEquals(1, st.staleSenses(), "gone%3:00:00:: is not in the database");
        assertEquals(4, st.countedLemmas());
        assertEquals(1, st.missingLemmas());
        assertEquals(2, st.perConcept()[5]);
        assertEquals(1, st.perConcept()[3]);
        assertTrue(st.format().contains("concepts:                  3 (target >= 20,000: NOT MET)"), st.format());
    }

    @Test
    void generationIsDeterministicAndWritesBothFilesAtomically(@TempDir Path tmp) throws IOException {
        Path db = tmp.resolve("wn");
        MiniWordNet.write(db);
        ConceptGenerator.Result a = new ConceptGenerator(WordNet.load(db)).generate();
        ConceptGenerator.Result b = new ConceptGenerator(WordNet.load(db)).generate();
        assertEquals(a.text(), b.text());
        assertEquals(a.tsv(), b.tsv());
        Path out = tmp.resolve("out/concepts.txt");
        Path tsv = a.write(out);
        assertEquals(tmp.resolve("out/concepts.tsv"), tsv);
        assertEquals(a.text(), Files.readString(out, StandardCharsets.UTF_8));
        assertEquals(a.tsv(), Files.readString(tsv, StandardCharsets.UTF_8));
        try (var files = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("concepts.tsv", "concepts.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left");
        }
        assertEquals(tmp.resolve("x/corpus.tsv"), ConceptGenerator.Result.sidecar(tmp.resolve("x/corpus.txt")));
        assertEquals(tmp.resolve("x/corpus.tsv"), ConceptGenerator.Result.sidecar(tmp.resolve("x/corpus")));
    }
}
