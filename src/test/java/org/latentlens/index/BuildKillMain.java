package org.latentlens.index;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a build in a child JVM and stops dead at a chosen point, so that the test can SIGKILL it there:
 * {@code BuildKillMain <out> <batch> <rows|checkpoint>} writes {@code <out>.killpoint} and then sleeps when
 * batch {@code <batch>}'s rows are written (before its checkpoint) or right after its checkpoint.
 */
public final class BuildKillMain {
    private BuildKillMain() {
    }

    /**
     * @param args output directory, batch number, kill point
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        boolean beforeCheckpoint = args[2].equals("rows");
        IndexBuilder.Listener stop = new IndexBuilder.Listener() {
            @Override
            public void rowsWritten(int b) {
                if (beforeCheckpoint && b == batch) {
                    halt(out);
                }
            }

            @Override
            public void checkpointed(int b) {
                if (!beforeCheckpoint && b == batch) {
                    halt(out);
                }
            }
        };
        IndexBuilder.build(new FakeModel(true, 4, 24), IndexBuilderTest.corpus(), "test-corpus",
                IndexBuilderTest.killOptions(), out, stop);
        System.exit(3); // the kill point was never reached
    }

    private static void halt(Path out) {
        try {
            // flush what a real crash would leave half-written, then wait to be killed
            Files.writeString(Path.of(out + ".killpoint"), "ready");
            Thread.sleep(600_000);
        } catch (Exception e) {
            Runtime.getRuntime().halt(4);
        }
        Runtime.getRuntime().halt(5);
    }

}
