package org.latentlens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.latentlens.hub.HubClient;
import org.latentlens.hub.HubRequest;
import org.latentlens.hub.HubSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentlens download REPO}: fetches a model or an index from the HuggingFace Hub into the
 * huggingface_hub cache (shared with Python) and prints the snapshot folder on standard output, so that
 * {@code MODEL=$(latentlens download Qwen/Qwen2.5-0.5B)} works in scripts.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a model or an index from the HuggingFace Hub into the shared cache and print its folder.",
                "Without --include or --index-layers, an index repo (index.json, metadata.json or layer_N/ files)"
                        + " is fetched whole; any other repo as a model: config, tokenizer and safetensors weights,"
                        + " never pickles.",
                "Settings: HF_ENDPOINT, HF_TOKEN (or $HF_HOME/token), HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE=1."})
public final class DownloadCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPO", description = "Repo id, e.g. Qwen/Qwen2.5-0.5B (optionally @revision).")
    String repo;

    @Option(names = "--revision", paramLabel = "R", description = "Branch, tag or commit (default: main).")
    String revision;

    @Option(names = "--include", paramLabel = "GLOB", split = ",",
            description = "Fetch only files matching these globs (fnmatch, as huggingface_hub's allow_patterns);"
                    + " the only way to fetch pickled weights (*.bin).")
    List<String> include = new ArrayList<>();

    @Option(names = "--index-layers", paramLabel = "L", split = ",",
            description = "Fetch the repo as an index, only these layers, e.g. 1,31.")
    int[] indexLayers;

    @Option(names = "--model", description = "Fetch the repo as a model even if it looks like an index.")
    boolean asModel;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache root (default: HF_HUB_CACHE or $HF_HOME/hub).")
    Path cacheDir;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Hub address (default: HF_ENDPOINT or https://huggingface.co).")
    String endpoint;

    @Option(names = "--offline", description = "Use only the cache (as HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--no-progress", description = "Draw no progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        HubRequest.Builder rb = HubRequest.builder().setRepo(repo).optRevision(revision);
        if (!include.isEmpty()) {
            rb.optInclude(include);
        } else if (indexLayers != null) {
            rb.optLayers(indexLayers);
        } else if (asModel) {
            rb.optModel();
        }
        HubRequest request = rb.build();

        HubSettings.Builder b = HubSettings.fromEnvironment();
        if (cacheDir != null) {
            b.optCacheDir(cacheDir);
        }
        if (endpoint != null) {
            b.optEndpoint(endpoint);
        }
        if (offline) {
            b.optOffline(true);
        }
        if (noProgress) {
            b.optProgress(false);
        }
        PrintWriter err = spec.commandLine().getErr();
        b.optLog(msg -> {
            err.println("latentlens download: " + msg);
            err.flush();
        });
        Path snapshot;
        try (HubClient hub = new HubClient(b.build())) {
            snapshot = hub.download(request);
        }
        err.println("latentlens download: " + request + " -> " + snapshot + " (" + countFiles(snapshot) + " files)");
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(snapshot);
        out.flush();
        return 0;
    }

    private static long countFiles(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
