package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InflectionsTest {

    static Inflections inf;

    @BeforeAll
    static void load() throws IOException {
        inf = new Inflections(DebianWordNet.get());
    }

    @Test
    void exceptionListsAndRegularMorphology() {
        Set<String> run = inf.forms("run", Set.of(PartOfSpeech.VERB));
        assertTrue(run.containsAll(List.of("run", "ran", "runs", "running")), run.toString());
        Set<String> goose = inf.forms("goose", Set.of(PartOfSpeech.NOUN));
        assertTrue(goose.containsAll(List.of("goose", "geese", "gooses")), goose.toString());
        assertTrue(inf.forms("child", Set.of(PartOfSpeech.NOUN)).contains("children"));
        assertTrue(inf.forms("box", Set.of(PartOfSpeech.NOUN)).contains("boxes"));
        assertTrue(inf.forms("city", Set.of(PartOfSpeech.NOUN)).contains("cities"));
        assertTrue(inf.forms("fireman", Set.of(PartOfSpeech.NOUN)).contains("firemen"));
        assertTrue(inf.forms("make", Set.of(PartOfSpeech.VERB)).containsAll(List.of("made", "making", "makes")));
        assertTrue(inf.forms("carry", Set.of(PartOfSpeech.VERB)).containsAll(List.of("carried", "carries")));
        assertTrue(inf.forms("good", Set.of(PartOfSpeech.ADJECTIVE)).containsAll(List.of("better", "best")));
        assertTrue(inf.forms("large", Set.of(PartOfSpeech.ADJECTIVE)).containsAll(List.of("larger", "largest")));
        assertTrue(inf.forms("well", Set.of(PartOfSpeech.ADVERB)).contains("better"));
        assertFalse(inf.forms("quickly", Set.of(PartOfSpeech.ADVERB)).contains("quicklyer"));
    }

    @Test
    void multiWordLemmasInflectTheirHead() {
        assertTrue(inf.forms("take_off", Set.of(PartOfSpeech.VERB)).containsAll(
                List.of("take off", "took off", "taking off", "takes off")));
        assertTrue(inf.forms("living thing", Set.of(PartOfSpeech.NOUN)).contains("living things"));
        assertTrue(inf.forms("mother-in-law", Set.of(PartOfSpeech.NOUN)).contains("mothers-in-law"));
        assertFalse(inf.forms("take_off", Set.of(PartOfSpeech.VERB)).contains("take offs"));
    }

    @Test
    void matchingIsCaseInsensitiveAndWordBoundaryAware() {
        Pattern dog = inf.pattern("dog", Set.of(PartOfSpeech.NOUN));
        assertTrue(dog.matcher("The Dog's bone.").find());
        assertTrue(dog.matcher("Two DOGS barked.").find());
        assertTrue(dog.matcher("a hot-dog stand").find());
        assertFalse(dog.matcher("A dogma is a belief.").find());
        assertFalse(dog.matcher("bulldog").find());
        Pattern takeOff = inf.pattern("take off", Set.of(PartOfSpeech.VERB));
        assertTrue(takeOff.matcher("The plane took off at noon.").find());
        assertFalse(takeOff.matcher("The plane took offense.").find());
        Pattern scotFree = inf.pattern("scot_free", Set.of(PartOfSpeech.ADVERB));
        assertTrue(scotFree.matcher("he went scot-free").find());
        assertTrue(inf.pattern("well-known", Set.of(PartOfSpeech.ADJECTIVE)).matcher("a well known fact").find());
    }
}
