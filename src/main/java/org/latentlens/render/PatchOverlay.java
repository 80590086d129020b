package org.latentlens.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.latentlens.index.Neighbor;
import org.latentlens.io.AtomicFiles;

/**
 * An image cut into a grid of patches, each patch labelled with its top neighbour; hovering a patch shows its
 * top-k (HTML/SVG). {@link #toImage()} and {@link #writePng(Path)} draw the same figure with Java2D for papers.
 *
 * <p>The grid is {@code rows × cols} equal cells over the whole image (a vision encoder's patch grid after
 * its resize: pass the image as the model saw it). Neighbours are given per patch in row-major order.
 *
 * <pre>
 * PatchOverlay.builder(photo, 7, 7).neighbours(perPatch).title("Layer 12").build().writePng(Path.of("fig.png"));
 * </pre>
 */
public final class PatchOverlay implements View {
    private final BufferedImage image;
    private final int rows;
    private final int cols;
    private final List<List<Neighbor>> neighbours;
    private final String title;
    private final int width;
    private final int height;
    private final int topK;

    private PatchOverlay(Builder b) {
        this.image = b.image;
        this.rows = b.rows;
        this.cols = b.cols;
        this.neighbours = b.neighbours;
        this.title = b.title;
        this.topK = b.topK;
        int w = b.displayWidth > 0 ? b.displayWidth : Math.max(360, Math.min(900, cols * 72));
        this.width = w;
        this.height = (int) Math.round(w * (double) image.getHeight() / image.getWidth());
    }

    /**
     * @param image the picture
     * @param rows patch rows
     * @param cols patch columns
     * @return a builder
     * @throws IllegalArgumentException when the grid is empty or finer than the image's pixels
     */
    public static Builder builder(BufferedImage image, int rows, int cols) {
        return new Builder(image, rows, cols);
    }

    private String label(int patch) {
        List<Neighbor> ns = neighbours.get(patch);
        return ns.isEmpty() ? "" : CaptionSnippet.cleanToken(ns.get(0).tokenStr());
    }

    private double fontSize() {
        double cellH = height / (double) rows;
        return Math.max(9, Math.min(15, cellH * 0.26));
    }

    private static String fit(String s, int maxChars) {
        if (s.length() <= maxChars) {
            return s;
        }
        return maxChars <= 1 ? s.substring(0, 1) : s.substring(0, maxChars - 1) + "\u2026";
    }

    @Override
    public String toHtml() {
        double cw = width / (double) cols;
        double ch = height / (double) rows;
        double fs = fontSize();
        int maxChars = Math.max(2, (int) Math.floor(cw / (fs * 0.6)));
        StringBuilder b = new StringBuilder(Html.STYLE).append("<style>.ll .ll-patch rect{fill:transparent;stroke:"
                + "rgba(255,255,255,.6);stroke-width:1}.ll .ll-patch:hover rect{fill:rgba(255,224,102,.35);"
                + "stroke:#ffe066;stroke-width:2}.ll .ll-patch text{font:600 " + Html.num(fs) + "px -apple-system,"
                + "\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;fill:#fff;stroke:rgba(0,0,0,.85);stroke-width:3px;"
                + "paint-order:stroke;stroke-linejoin:round;pointer-events:none}</style>");
        b.append("<div class=\"ll ll-overlay\">");
        if (title != null) {
            b.append("<h3>").append(Html.escape(title)).append("</h3>");
        }
        b.append("<div class=\"ll-sub\">").append(rows).append(" \u00d7 ").append(cols)
                .append(" patches, each labelled with its top neighbour; hover a patch for its top-").append(topK)
                .append("</div>");
        b.append("<div style=\"position:relative;width:").append(width).append("px;height:").append(height)
                .append("px\"><img alt=\"").append(Html.escape(title == null ? "image" : title))
                .append("\" style=\"position:absolute;left:0;top:0;width:").append(width).append("px;height:")
                .append(height).append("px\" src=\"").append(Html.pngDataUrl(image)).append("\">")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" style=\"position:absolute;left:0;top:0\">");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = r * cols + c;
                StringBuilder tip = new StringBuilder("patch (" + r + ", " + c + ")");
                List<Neighbor> ns = neighbours.get(p);
                for (Neighbor n : ns.subList(0, Math.min(topK, ns.size()))) {
                    tip.append('\n').append(Html.num(n.similarity())).append("  ").append(Html.visibleToken(n.tokenStr()));
                    if (n.contextualLayer() >= 0) {
                        tip.append("  (L").append(n.contextualLayer()).append(')');
                    }
                }
                b.append("<g class=\"ll-patch\"><title>").append(Html.escape(tip.toString())).append("</title>")
                        .append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                                c * cw, r * ch, cw, ch))
                        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                                + "dominant-baseline=\"central\">", c * cw + cw / 2, r * ch + ch / 2))
                        .append(Html.escape(fit(label(p), maxChars))).append("</text></g>");
            }
        }
        return b.append("</svg></div></div>").toString();
    }

    @Override
    public String toText() {
        StringBuilder b = new StringBuilder(title == null ? "" : title + "\n");
        b.append(rows).append(" x ").append(cols).append(" patches, top neighbour per patch\n");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                b.append(String.format(Locale.ROOT, "%-12.12s", label(r * cols + c)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** @return the figure drawn with Java2D at the display size: image, grid and labels */
    @Override
    public Optional<BufferedImage> toImage() {
        int top = title == null ? 0 : 34;
        BufferedImage out = new BufferedImage(width, height + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height + top);
            if (title != null) {
                g.setColor(new Color(0x1f2328));
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
                g.drawString(title, 4, 23);
            }
            g.drawImage(image, 0, top, width, height, null);
            double cw = width / (double) cols;
            double ch = height / (double) rows;
            g.setColor(new Color(255, 255, 255, 150));
            g.setStroke(new BasicStroke(1f));
            for (int c = 1; c < cols; c++) {
                int x = (int) Math.round(c * cw);
                g.drawLine(x, top, x, top + height);
            }
            for (int r = 1; r < rows; r++) {
                int y = top + (int) Math.round(r * ch);
                g.drawLine(0, y, width, y);
            }
            Font font = new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(fontSize()));
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int maxChars = Math.max(2, (int) Math.floor(cw / (font.getSize() * 0.6)));
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    String s = fit(label(r * cols + c), maxChars);
                    if (s.isEmpty()) {
                        continue;
                    }
                    float x = (float) (c * cw + (cw - fm.stringWidth(s)) / 2);
                    float y = (float) (top + r * ch + ch / 2 + (fm.getAscent() - fm.getDescent()) / 2.0);
                    TextLayout tl = new TextLayout(s, font, g.getFontRenderContext());
                    var outline = tl.getOutline(AffineTransform.getTranslateInstance(x, y));
                    g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.setColor(new Color(0, 0, 0, 220));
                    g.draw(outline);
                    g.setColor(Color.WHITE);
                    g.fill(outline);
                }
            }
        } finally {
            g.dispose();
        }
        return Optional.of(out);
    }

    /**
     * Writes {@link #toImage()} as a PNG, through a temporary file in the same folder.
     *
     * @param file where to write
     * @return the file
     * @throws UncheckedIOException when it cannot be written
     */
    public Path writePng(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            AtomicFiles.write(abs, Html.png(toImage().orElseThrow()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs, e);
        }
        return abs;
    }

    @Override
    public String toString() {
        return toText();
    }

    /** Collects the inputs of a {@link PatchOverlay}. */
    public static final class Builder {
        private final BufferedImage image;
        private final int rows;
        private final int cols;
        private List<List<Neighbor>> neighbours;
        private String title;
        private int displayWidth;
        private int topK = 5;

        private Builder(BufferedImage image, int rows, int cols) {
            this.image = Objects.requireNonNull(image, "image");
            if (rows < 1 || cols < 1 || rows > image.getHeight() || cols > image.getWidth()) {
                throw new IllegalArgumentException("patch grid " + rows + " x " + cols + " does not fit a "
                        + image.getWidth() + " x " + image.getHeight() + " image");
            }
            this.rows = rows;
            this.cols = cols;
        }

        /**
         * @param perPatch per patch, row-major, its neighbours best first; rows × cols lists
         * @return this builder
         * @throws IllegalArgumentException when the count is not rows × cols
         */
        public Builder neighbours(List<List<Neighbor>> perPatch) {
            if (perPatch.size() != rows * cols) {
                throw new IllegalArgumentException("a " + rows + " x " + cols + " grid needs " + rows * cols
                        + " neighbour lists (row-major), got " + perPatch.size());
            }
            this.neighbours = perPatch.stream().map(List::copyOf).toList();
            return this;
        }

        /**
         * @param title the caption above the figure
         * @return this builder
         */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * @param pixels display width (default: 72 px per patch column, between 360 and 900)
         * @return this builder
         */
        public Builder displayWidth(int pixels) {
            this.displayWidth = pixels;
            return this;
        }

        /**
         * @param k neighbours listed on hover (default 5)
         * @return this builder
         */
        public Builder topK(int k) {
            this.topK = Math.max(1, k);
            return this;
        }

        /**
         * @return the overlay
         * @throws IllegalStateException when no neighbours were given
         */
        public PatchOverlay build() {
            if (neighbours == null) {
                throw new IllegalStateException("call neighbours(...) with one list per patch first");
            }
            return new PatchOverlay(this);
        }
    }
}
