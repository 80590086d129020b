package org.latentlens.notebook;

import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** Hands JShell one {@link SnippetRunner}, and keeps it so the kernel can reach its results. */
final class SnippetRunnerProvider implements ExecutionControlProvider {
    private final SnippetRunner runner = new SnippetRunner();

    @Override
    public String name() {
        return "latentlens-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return runner;
    }

    /** @return the one runner this provider hands out */
    SnippetRunner runner() {
        return runner;
    }
}
