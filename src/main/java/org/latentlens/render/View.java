package org.latentlens.render;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Something that renders as HTML with a plain-text fallback, and as an image where one is natural.
 *
 * <p>Views take plain data (neighbours, lens read-outs, numbers per layer) and know nothing of models or of
 * Jupyter: the kernel renders any {@code View} inline, and {@link HtmlPage} writes views to a standalone file.
 * {@link #toHtml()} is a fragment that carries its own styles, so it renders the same in a notebook, in
 * nbconvert's HTML export and in a page.
 */
public interface View {
    /** @return an HTML fragment, self-contained except for plotly.js (see {@link #needsPlotly()}) */
    String toHtml();

    /** @return a plain-text rendering for terminals and text-only front ends */
    String toText();

    /** @return a raster rendering, for views where a picture is natural (overlays); empty by default */
    default Optional<BufferedImage> toImage() {
        return Optional.empty();
    }

    /** @return whether the HTML calls {@code Plotly}, which must then be loaded once before it */
    default boolean needsPlotly() {
        return false;
    }
}
