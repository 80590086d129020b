package org.latentlens.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny WordNet 3.0 database in the distribution's file layout, for fast tests of the reader and generator. */
final class MiniWordNet {

    private MiniWordNet() {
    }

    /**
     * Writes the database into a directory. Nouns: dog (2 senses: the animal, a cad), puppy, canine, cad.
     * Verbs: run, sprint. SemCor counts: dog (both senses), run, puppy; "gone%..." is a key WordNet lacks.
     */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("data.noun"), String.join("\n",
                "  1 This software and database is being provided to you, the LICENSEE, by  ",
                "00000100 05 n 01 canine 0 001 ~ 00000200 n 0000 | any of various fissiped mammals  ",
                "00000200 05 n 02 dog 0 domestic_dog 0 003 @ 00000100 n 0000 ~ 00000300 n 0000 "
                        + "+ 00000600 v 0101 | a member of the genus Canis; \"the dog barked all night\"; "
                        + "\"a cat sat\"  ",
                "00000300 05 n 01 puppy 0 001 @ 00000200 n 0000 | a young dog  ",
                "00000400 18 n 02 cad 0 dog 1 000 | someone who is morally reprehensible; \"you dirty dog\"  ",
                ""));
        Files.writeString(dir.resolve("index.noun"), String.join("\n",
                "  1 This software and database is being provided to you, the LICENSEE, by  ",
                "cad n 1 0 1 0 00000400  ",
                "canine n 1 1 ~ 1 0 00000100  ",
                "dog n 2 3 @ ~ + 2 2 00000200 00000400  ",
                "domestic_dog n 1 3 @ ~ + 1 0 00000200  ",
                "puppy n 1 1 @ 1 1 00000300  ",
                ""));
        Files.writeString(dir.resolve("data.verb"), String.join("\n",
                "00000500 38 v 01 sprint 0 000 01 + 02 00 | run very fast, usually for a short distance  ",
                "00000600 38 v 01 run 0 001 + 00000200 n 0101 01 + 02 00 | move fast by using one's feet; "
                        + "\"Don't run--you'll be out of breath\"  ",
                ""));
        Files.writeString(dir.resolve("index.verb"), String.join("\n",
                "run v 1 1 + 1 1 00000600  ",
                "sprint v 1 0 1 0 00000500  ",
                ""));
        for (String pos : new String[] {"adj", "adv"}) {
            Files.writeString(dir.resolve("data." + pos), "");
            Files.writeString(dir.resolve("index." + pos), "");
            Files.writeString(dir.resolve(pos + ".exc"), "");
        }
        Files.writeString(dir.resolve("noun.exc"), "dogses dog\n");
        Files.writeString(dir.resolve("verb.exc"), "ran run\n");
        Files.writeString(dir.resolve("cntlist.rev"), String.join("\n",
                "dog%1:05:00:: 1 10",
                "dog%1:18:01:: 2 3",
                "gone%3:00:00:: 1 4",
                "puppy%1:05:00:: 1 1",
                "run%2:38:00:: 1 7",
                ""));
        Files.writeString(dir.resolve("sents.vrb"), "1 The children %s to the playground\n");
        Files.writeString(dir.resolve("sentidx.vrb"), "run%2:38:00:: 1\n");
    }
}
