package org.latentlens.hub;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * What a HEAD request on {@code /{repo}/resolve/{revision}/{file}} tells about a file before downloading it.
 *
 * @param commit the commit the revision resolved to ({@code X-Repo-Commit})
 * @param etag the blob name: the sha256 of an LFS file ({@code X-Linked-Etag}) or the git blob sha1
 *     ({@code ETag}) of a plain file, without quotes or weak marker
 * @param size the file's size in bytes ({@code X-Linked-Size} or {@code Content-Length}), -1 if unknown
 * @param location where to GET the bytes (the CDN address of a redirect, else the resolve address)
 * @param lfs whether the file is stored in LFS (then {@code etag} is its sha256 and is verified)
 */
public record FileMetadata(String commit, String etag, long size, URI location, boolean lfs) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @return the sha256 to verify the download against, or null when the Hub did not announce one
     */
    public String expectedSha256() {
        return lfs && SHA256.matcher(etag).matches() ? etag : null;
    }

    /**
     * huggingface_hub's {@code _normalize_etag}: drop a weak marker and the quotes.
     *
     * @param etag a raw header value
     * @return the bare value, or null
     */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }
}
