package org.latentlens.vision.model;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorInfo;
import org.latentlens.io.WeightSource;

/**
 * A view of the tensors of one sub-model (a vision tower, a projector) inside a whole checkpoint: names
 * under the first prefix that holds a marker tensor, with the prefix stripped. Checkpoints spell the same
 * tower differently ({@code vision_model.}, {@code vision_tower.vision_model.}, {@code model.visual.}, or no
 * prefix at all, as transformers 5.x saves a bare tower), so the tower's code names its weights once.
 * Closing the view does not close the checkpoint.
 */
public final class PrefixedWeights implements WeightSource {
    private final WeightSource source;
    private final String prefix;
    private final Set<String> names = new LinkedHashSet<>();

    private PrefixedWeights(WeightSource source, String prefix) {
        this.source = source;
        this.prefix = prefix;
        for (String n : source.names()) {
            if (n.startsWith(prefix)) {
                names.add(n.substring(prefix.length()));
            }
        }
    }

    /**
     * @param source the whole checkpoint
     * @param marker a tensor name (without prefix) that the sub-model must hold
     * @param prefixes candidate prefixes, most specific first ({@code ""} for none)
     * @return the view under the first prefix where the marker exists
     * @throws MissingTensorException listing the names tried
     */
    public static PrefixedWeights find(WeightSource source, String marker, List<String> prefixes) {
        for (String p : prefixes) {
            if (source.has(p + marker)) {
                return new PrefixedWeights(source, p);
            }
        }
        throw new MissingTensorException("tensor '" + marker + "' is missing from the checkpoint " + source
                + " under every expected prefix " + prefixes + ": is this the right model folder?");
    }

    /**
     * @param source a checkpoint
     * @return every tensor of it, through a view whose close() leaves the checkpoint open
     */
    public static PrefixedWeights unowned(WeightSource source) {
        return new PrefixedWeights(source, "");
    }

    /** @return the prefix in use */
    public String prefix() {
        return prefix;
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public boolean has(String name) {
        return names.contains(name);
    }

    @Override
    public TensorInfo info(String name) {
        return source.info(prefix + name);
    }

    @Override
    public ByteBuffer loadFloat32(String name) {
        return source.loadFloat32(prefix + name);
    }

    @Override
    public ByteBuffer loadFloat32Rows(String name, long firstRow, long rows) {
        return source.loadFloat32Rows(prefix + name, firstRow, rows);
    }

    @Override
    public void readFloat32Rows(String name, long firstRow, long rows, ByteBuffer dst) {
        source.readFloat32Rows(prefix + name, firstRow, rows, dst);
    }

    @Override
    public void close() {
        // the checkpoint belongs to whoever opened it
    }

    @Override
    public String toString() {
        return source + (prefix.isEmpty() ? "" : " under '" + prefix + "'");
    }
}
