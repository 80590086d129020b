package org.latentlens.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void textSkipsBlankLinesAndStrips() throws Exception {
        // The original's test: blank lines are skipped.
        Path p = write("c.txt", "first sentence\n\n   \n  second one  \r\nthird\rfourth\n\u00a0\n");
        Corpus c = Corpus.load(p);
        assertEquals(List.of("first sentence", "second one", "third", "fourth"), c.sentences());
        assertEquals(Corpus.Kind.TEXT, c.kind());
        assertEquals(p.toString(), c.source());
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(sha256(bytes), c.sha256());
        assertEquals(bytes.length, c.sizeBytes());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstSentence() throws IOException {
        assertEquals(List.of("hello", "world"), Corpus.load(write("bom.txt", "\uFEFFhello\nworld")).sentences());
    }

    @Test
    void csvHeaderTextLabelIsDropped() throws IOException {
        // The original's test: header "text,label" dropped.
        Corpus c = Corpus.load(write("c.csv", "text,label\nThe cat sat.,1\nA dog ran.,0\n"));
        assertEquals(List.of("The cat sat.", "A dog ran."), c.sentences());
        assertEquals(Corpus.Kind.CSV, c.kind());
    }

    @Test
    void headerlessCsvKeepsItsFirstRow() throws IOException {
        // The original's test: a headerless csv keeps its first row.
        Corpus c = Corpus.load(write("c.csv", "The cat sat.,1\nA dog ran.,0\n"));
        assertEquals(List.of("The cat sat.", "A dog ran."), c.sentences());
    }

    @Test
    void headerRuleMatchesPrefixesCaseInsensitivelyAfterStripping() {
        for (String h : List.of("text", " Text ", "SENTENCE", "sentences", "caption_en", "id", "identifier",
                "index", "Index_col")) {
            assertTrue(Corpus.isHeader(Corpus.pythonStrip(h)), h);
        }
        for (String h : List.of("the text", "label", "", "Caps", "\"text\"")) {
            assertTrue(!Corpus.isHeader(Corpus.pythonStrip(h)), h);
        }
        // A prefix rule, as in the original: any first cell starting with "id" is a header, even "idea".
        assertTrue(Corpus.isHeader("idea"));
    }

    @Test
    void csvQuotingFollowsPythonsCsvModule() throws IOException {
        String csv = "caption,source\n"
                + "\"A sentence, with a comma\",x\n"
                + "\"She said \"\"hi\"\"\",y\n"
                + "\"two\nlines\",z\n"
                + "plain \"inner\" quotes,w\n"
                + "\n"
                + "  padded  ,v\n"
                + ",empty first cell\n"
                + "\"quoted\"tail,u\n"
                + "last row without newline";
        Corpus c = Corpus.load(write("q.csv", csv));
        assertEquals(List.of("A sentence, with a comma", "She said \"hi\"", "two\nlines", "plain \"inner\" quotes",
                "padded", "quotedtail", "last row without newline"), c.sentences());
    }

    @Test
    void csvRowsParseLikePython() {
        assertEquals(List.of(List.of("a", "b"), List.of(), List.of("c", "")),
                Corpus.parseCsv("a,b\r\n\r\nc,\r\n"));
        assertEquals(List.of(List.of("x\r\ny", "z")), Corpus.parseCsv("\"x\r\ny\",z"));
    }

    @Test
    void aNonHeaderEmptyFirstCellIsDropped() throws IOException {
        // The original keeps "" as a sentence here; an empty sentence has no tokens to index, so we drop it.
        assertEquals(List.of("real"), Corpus.load(write("e.csv", " ,a\nreal,b\n")).sentences());
    }

    @Test
    void csvSuffixIsCaseInsensitive() throws IOException {
        assertEquals(Corpus.Kind.CSV, Corpus.load(write("UPPER.CSV", "text\nhello\n")).kind());
        assertEquals(List.of("hello"), Corpus.load(write("UPPER2.CSV", "text\nhello\n")).sentences());
    }

    @Test
    void listsAreTakenAsTheyAre() {
        List<String> in = Arrays.asList("  kept as is ", "", "second");
        Corpus c = Corpus.of(in);
        assertEquals(in, c.sentences());
        assertEquals(Corpus.Kind.LIST, c.kind());
        assertEquals("list", c.source());
        byte[] bytes = "  kept as is \n\nsecond\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(bytes.length, c.sizeBytes());
        assertEquals(Corpus.sha256(bytes), c.sha256());
        List<String> mutable = new ArrayList<>(List.of("a"));
        Corpus copy = Corpus.of("mine", mutable);
        mutable.add("b");
        assertEquals(List.of("a"), copy.sentences(), "the corpus keeps its own copy");
        assertEquals("mine", copy.source());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corpus.of(Arrays.asList("a", null)));
        assertTrue(e.getMessage().contains("element 1"), e.getMessage());
    }

    @Test
    void theSameSentencesGiveTheSameHashFromAListOrAFile() throws IOException {
        Path p = write("same.txt", "one\ntwo\n");
        assertEquals(Corpus.load(p).sha256(), Corpus.of(List.of("one", "two")).sha256());
    }

    @Test
    void bundledCorpusIsOnTheClasspath() {
        Corpus c = Corpus.bundled();
        assertEquals(Corpus.Kind.BUNDLED, c.kind());
        assertEquals("bundled:concepts.txt", c.source());
        assertTrue(c.size() >= 100_000, "bundled sentences: " + c.size());
        assertTrue(c.sentences().stream().noneMatch(String::isBlank));
    }

    @Test
    void errorsNameTheFile() throws IOException {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> Corpus.load(tmp.resolve("missing.txt")));
        assertTrue(missing.getMessage().contains("missing.txt"), missing.getMessage());
        Path bad = tmp.resolve("latin1.txt");
        Files.write(bad, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        IOException e = assertThrows(IOException.class, () -> Corpus.load(bad));
        assertTrue(e.getMessage().contains("latin1.txt") && e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
