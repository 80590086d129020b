package org.latentlens.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A HuggingFace Hub model repository id, {@code org/name} (or a bare {@code name} for the few canonical
 * repositories), validated with the Hub's own rules so that a typo fails here and not as a puzzling 404.
 *
 * <pre>{@code
 * RepoId id = RepoId.parse("Qwen/Qwen2.5-7B");
 * id.cacheFolderName();                       // "models--Qwen--Qwen2.5-7B"
 * RepoId.looksLikeRepoId("./my-model");        // false: a local path
 * }</pre>
 */
public final class RepoId {
    /** One part of an id: letters, digits, '-', '_', '.'; as huggingface_hub's {@code validate_repo_id}. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final int MAX_LENGTH = 96;

    private final String owner;
    private final String name;

    private RepoId(String owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    /**
     * Parses and validates a repo id.
     *
     * @param id {@code org/name} or {@code name}
     * @return the id
     * @throws IllegalArgumentException naming the rule the id breaks
     */
    public static RepoId parse(String id) {
        Objects.requireNonNull(id, "repo id");
        String why = invalidReason(id);
        if (why != null) {
            throw new IllegalArgumentException("Invalid HuggingFace repo id '" + id + "': " + why
                    + " (expected 'org/name', e.g. 'Qwen/Qwen2.5-7B')");
        }
        int slash = id.indexOf('/');
        return slash < 0 ? new RepoId(null, id) : new RepoId(id.substring(0, slash), id.substring(slash + 1));
    }

    /** Returns null when {@code id} is a valid repo id, else the reason it is not. */
    private static String invalidReason(String id) {
        if (id.isEmpty()) {
            return "it is empty";
        }
        if (id.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        String[] parts = id.split("/", -1);
        if (parts.length > 2) {
            return "it has more than one '/'";
        }
        for (String p : parts) {
            if (!PART.matcher(p).matches()) {
                return "only letters, digits, '-', '_' and '.' are allowed around a single '/'";
            }
            if (p.startsWith("-") || p.startsWith(".") || p.endsWith("-") || p.endsWith(".")) {
                return "a part cannot start or end with '-' or '.'";
            }
        }
        if (id.contains("--") || id.contains("..")) {
            return "'--' and '..' are forbidden";
        }
        return null;
    }

    /**
     * Tells whether a string names a Hub repository rather than a local folder or file: the rule
     * transformers uses (an existing path always wins), plus obvious path syntax.
     *
     * @param s what the user typed, e.g. {@code "Qwen/Qwen2.5-7B"} or {@code "models/qwen"}
     * @return true when {@code s} should be fetched from the Hub
     */
    public static boolean looksLikeRepoId(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        String id = stripRevision(s);
        if (s.startsWith("/") || s.startsWith("./") || s.startsWith("../") || s.startsWith("~")
                || s.contains("\\") || s.equals(".") || s.equals("..")) {
            return false;
        }
        try {
            if (Files.exists(Path.of(s))) {
                return false;
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return invalidReason(id) == null;
    }

    /** {@code "org/name@rev"} to {@code "org/name"}; other strings unchanged. */
    static String stripRevision(String s) {
        int at = s.indexOf('@');
        return at < 0 ? s : s.substring(0, at);
    }

    /**
     * Splits {@code "org/name@revision"} into its two parts.
     *
     * @param spec a repo id with an optional {@code @revision} suffix
     * @return the repo id and the revision (null when there is no suffix)
     */
    public static String[] splitRevision(String spec) {
        int at = spec.indexOf('@');
        if (at < 0) {
            return new String[] {spec, null};
        }
        String rev = spec.substring(at + 1);
        return new String[] {spec.substring(0, at), rev.isEmpty() ? null : rev};
    }

    /** @return the organisation or user, or null for a canonical repo without one */
    public String owner() {
        return owner;
    }

    /** @return the repository name */
    public String name() {
        return name;
    }

    /**
     * The folder that holds this repository in the huggingface_hub cache: {@code models--org--name}.
     *
     * @return the folder name
     */
    public String cacheFolderName() {
        return "models--" + toString().replace("/", "--");
    }

    @Override
    public String toString() {
        return owner == null ? name : owner + "/" + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepoId && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
