package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordNetTest {

    static WordNet wn;

    @BeforeAll
    static void load() throws IOException {
        wn = DebianWordNet.get();
    }

    @Test
    void senseKeysResolveToSynsets() {
        WordNet.Sense dog = wn.sense("dog%1:05:00::");
        assertNotNull(dog);
        assertEquals("02084071-n", dog.synset().id());
        assertEquals("dog", dog.word().lemma());
        assertEquals(List.of("dog", "domestic_dog", "Canis_familiaris"),
                dog.synset().words().stream().map(Synset.Word::lemma).toList());
        assertEquals(42, wn.tagCount("dog%1:05:00::"));
        // A satellite's key names its head adjective.
        WordNet.Sense abandoned = wn.sense("abandoned%5:00:00:uninhabited:00");
        assertNotNull(abandoned);
        assertEquals("01313004-s", abandoned.synset().id());
        assertEquals("abandoned%5:00:00:uninhabited:00", wn.senseKey(abandoned.synset(), abandoned.wordIndex()));
        // cntlist.rev keeps some keys of older WordNet versions: they resolve to nothing.
        assertNull(wn.sense("accent%2:30:00::"));
        assertEquals(2, wn.tagCount("accent%2:30:00::"));
    }

    @Test
    void everyCountedKeyThatResolvesRoundTrips() {
        int resolved = 0;
        for (String key : wn.tagCounts().keySet()) {
            WordNet.Sense s = wn.sense(key);
            if (s != null) {
                assertEquals(key, wn.senseKey(s.synset(), s.wordIndex()));
                resolved++;
            }
        }
        assertTrue(resolved > 35_000, "resolved " + resolved);
    }

    @Test
    void indexListsSensesInOrder() {
        List<Integer> dog = wn.senseOffsets("dog", PartOfSpeech.NOUN);
        assertEquals(7, dog.size());
        assertEquals(2084071, dog.get(0));
        assertTrue(wn.senseOffsets("dog", PartOfSpeech.VERB).size() == 1);
        assertTrue(wn.exceptionForms("goose", PartOfSpeech.NOUN).contains("geese"));
        assertTrue(wn.verbFrames("run%2:38:00::").get(0).contains("%s"));
    }

    @Test
    void glossesSplitIntoDefinitionAndExamples() {
        Synset s = WordNet.parseDataLine("00001740 00 a 01 able 0 001 ! 00002098 a 0101 | (usually followed by "
                + "`to') having the necessary means or skill; \"able to swim\"; \"she was able to program her "
                + "computer\"  ");
        assertEquals("(usually followed by `to') having the necessary means or skill", s.definition());
        assertEquals(List.of("able to swim", "she was able to program her computer"), s.examples());
        assertEquals(PartOfSpeech.ADJECTIVE, s.pos());
        assertEquals(new Synset.Pointer("!", PartOfSpeech.ADJECTIVE, 2098, 1, 1), s.pointers().get(0));
        Synset marker = WordNet.parseDataLine("00003356 00 s 01 nascent(a) 0 000 | being born; \"a nascent insurgency\"");
        assertEquals("nascent", marker.words().get(0).lemma());
        Synset noQuote = WordNet.parseDataLine("00003993 03 n 01 congener 0 000 | a whole of the same kind");
        assertEquals("a whole of the same kind", noQuote.definition());
        assertTrue(noQuote.examples().isEmpty());
    }

    @Test
    void aMissingDirectoryOrFileIsNamed(@TempDir Path tmp) throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WordNet.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope") && e.getReason().contains("wordnet-base"), e.getMessage());
        Files.writeString(tmp.resolve("data.noun"), "");
        NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> WordNet.load(tmp));
        assertTrue(e2.getMessage().contains("index.noun"), e2.getMessage());
    }

    @Test
    void aCorruptDataLineIsNamed(@TempDir Path tmp) throws IOException {
        MiniWordNet.write(tmp);
        Files.writeString(tmp.resolve("data.verb"), "00000001 29 v zz broken\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WordNet.load(tmp));
        assertTrue(e.getMessage().contains("data.verb line 1"), e.getMessage());
    }
}
