package org.latentlens.hub;

import java.util.List;

/**
 * A repository at one commit, as the model-info API ({@code /api/models/{repo}/revision/{rev}}) lists it,
 * or as a cached snapshot shows it when offline.
 *
 * @param repo the repository
 * @param commit the full commit hash the revision resolved to
 * @param files every file path in the repository at that commit ({@code siblings[].rfilename}); for a cached
 *     snapshot, only the files downloaded so far
 * @param fromCache true when the list comes from the cache (offline, or the Hub unreachable), so that a file
 *     absent from it may still exist in the repository
 */
public record RepoInfo(RepoId repo, String commit, List<String> files, boolean fromCache) {
    /**
     * Makes the file list immutable.
     *
     * @param repo the repository
     * @param commit the commit
     * @param files the file paths
     * @param fromCache whether the list comes from the cache
     */
    public RepoInfo {
        files = List.copyOf(files);
    }

    /**
     * @param path a file path in the repository
     * @return whether the repository holds it
     */
    public boolean has(String path) {
        return files.contains(path);
    }
}
