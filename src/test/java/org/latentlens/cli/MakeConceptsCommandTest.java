package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeConceptsCommandTest {

    @Test
    void writesTextAndSidecarAndPrintsStatistics(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("wordnet");
        org.latentlens.corpus.MiniWordNetAccess.write(db);
        Path out = tmp.resolve("concepts.txt");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.run("make-concepts", "--wordnet", db.toString(), "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, printed);
        assertTrue(printed.contains("concepts:") && printed.contains("sentences:"), printed);
        List<String> lines = Files.readAllLines(out);
        List<String> rows = Files.readAllLines(tmp.resolve("concepts.tsv"));
        assertEquals(13, lines.size());
        assertEquals("line\tconcept\tpos\tsynset\tsource", rows.get(0));
        assertEquals(lines.size() + 1, rows.size());
    }

    @Test
    void aMissingWordNetDirectoryIsAnErrorNamingIt(@TempDir Path tmp) {
        int rc = Main.run("make-concepts", "--wordnet", tmp.resolve("nowhere").toString(), "--out",
                tmp.resolve("c.txt").toString());
        assertEquals(1, rc);
        assertTrue(Files.notExists(tmp.resolve("c.txt")));
    }
}
