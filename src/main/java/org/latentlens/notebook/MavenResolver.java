package org.latentlens.notebook;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleArtifactDescriptorPolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves Maven coordinates to jar files with their runtime dependencies, from Maven Central, through
 * Apache Maven Resolver (the library Maven itself uses: parents, BOM imports, dependency management,
 * exclusions and version mediation all behave as in a Maven build).
 *
 * <p>Jars land in a local repository: {@code $LATENTLENS_MAVEN_REPO} when set, else {@code ~/.m2/repository},
 * so a Maven user's cache is reused. The remote is {@code $LATENTLENS_MAVEN_REMOTE} when set, else Maven Central.
 *
 * <pre>
 * List&lt;Path&gt; jars = new MavenResolver().resolve("org.apache.commons:commons-text:1.12.0");
 * </pre>
 */
public final class MavenResolver {
    /** Maven Central's address. */
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final RepositorySystem system;
    private final Path localRepository;
    private final RemoteRepository remote;

    /** A resolver over the default local repository and remote (see the class comment). */
    public MavenResolver() {
        this(defaultLocalRepository(), envOr("LATENTLENS_MAVEN_REMOTE", CENTRAL));
    }

    /**
     * @param localRepository where downloaded artifacts are kept
     * @param remoteUrl the Maven repository to download from
     */
    public MavenResolver(Path localRepository, String remoteUrl) {
        this.system = new RepositorySystemSupplier().get();
        this.localRepository = localRepository;
        this.remote = new RemoteRepository.Builder("central", "default", remoteUrl).build();
    }

    /** @return {@code $LATENTLENS_MAVEN_REPO}, else {@code ~/.m2/repository} */
    public static Path defaultLocalRepository() {
        String env = System.getenv("LATENTLENS_MAVEN_REPO");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Resolves one artifact and its runtime dependencies.
     *
     * @param coordinates {@code group:artifact:version}, or {@code group:artifact:extension[:classifier]:version}
     * @return the jar files, the requested artifact first
     * @throws IllegalArgumentException when the coordinates are malformed
     * @throws IllegalStateException when resolution fails (names the artifact and the repository)
     */
    public List<Path> resolve(String coordinates) {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad Maven coordinates '" + coordinates
                    + "': expected group:artifact:version, e.g. org.apache.commons:commons-text:1.12.0", e);
        }
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        // Parent poms activate profiles on java.version and os.*: without these, their models fail to build.
        session.setSystemProperties(System.getProperties());
        // Fail on a missing or broken pom instead of quietly dropping that artifact's dependencies.
        session.setArtifactDescriptorPolicy(new SimpleArtifactDescriptorPolicy(false, false));
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), List.of(remote));
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        try {
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(r.getArtifact().getFile().toPath());
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new IllegalStateException("cannot resolve " + coordinates + " from " + remote.getUrl()
                    + " (local repository " + localRepository + "): " + e.getMessage(), e);
        }
    }
}
