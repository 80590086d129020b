package org.latentlens.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Several lenses read at the same tokens and layers: a side-by-side table for one layer, and per lens a
 * token × layer heatmap whose cells show the top entry, coloured by its score, with the top-k on hover
 * (the layout of tuned-lens's prediction trajectories, without needing plotly).
 *
 * <p>As a whole it renders the table for the last layer, then one heatmap per lens. Scores are coloured
 * per lens, from that lens's lowest to highest score, because lenses score on different scales.
 *
 * <pre>
 * LensComparison c = LensComparison.of(readouts);
 * c.table(12)           // three lenses side by side at layer 12
 * c.heatmap("LogitLens")
 * c.selfMatchCurves()   // per lens, share of tokens whose top entry is the token itself
 * </pre>
 */
public final class LensComparison implements View {
    private final List<LensReadout> readouts;
    private final List<String> lenses;
    private final TreeMap<Integer, String> tokens = new TreeMap<>();
    private final TreeSet<Integer> layers = new TreeSet<>();
    private final Map<String, LensReadout> byKey = new LinkedHashMap<>();
    private static final int REST_SHOWN = 2;

    private LensComparison(List<LensReadout> readouts) {
        this.readouts = List.copyOf(readouts);
        Set<String> l = new LinkedHashSet<>();
        for (LensReadout r : this.readouts) {
            l.add(r.lens());
            tokens.putIfAbsent(r.position(), r.token());
            layers.add(r.layer());
            byKey.put(key(r.lens(), r.layer(), r.position()), r);
        }
        this.lenses = List.copyOf(l);
    }

    /**
     * @param readouts what each lens read at each (token, layer)
     * @return the comparison
     * @throws IllegalArgumentException when there are no read-outs
     */
    public static LensComparison of(List<LensReadout> readouts) {
        if (readouts.isEmpty()) {
            throw new IllegalArgumentException("no lens read-outs to compare");
        }
        return new LensComparison(readouts);
    }

    private static String key(String lens, int layer, int position) {
        return lens + "\u0000" + layer + "\u0000" + position;
    }

    /** @return the lens names, in first-seen order */
    public List<String> lenses() {
        return lenses;
    }

    /** @return the layers present, ascending */
    public List<Integer> layers() {
        return List.copyOf(layers);
    }

    /**
     * @param layer a layer present in the read-outs
     * @return the side-by-side table at that layer
     * @throws IllegalArgumentException when no read-out has that layer (lists those that do)
     */
    public View table(int layer) {
        if (!layers.contains(layer)) {
            throw new IllegalArgumentException("no read-outs at layer " + layer + "; layers present: " + layers);
        }
        return new View() {
            @Override
            public String toHtml() {
                return Html.STYLE + "<div class=\"ll\">" + tableHtml(layer) + "</div>";
            }

            @Override
            public String toText() {
                return tableText(layer);
            }
        };
    }

    /**
     * @param lens one of {@link #lenses()}
     * @return that lens's token × layer heatmap
     * @throws IllegalArgumentException for an unknown lens (lists the known ones)
     */
    public View heatmap(String lens) {
        if (!lenses.contains(lens)) {
            throw new IllegalArgumentException("unknown lens '" + lens + "'; lenses present: " + lenses);
        }
        return new View() {
            @Override
            public String toHtml() {
                return Html.STYLE + "<div class=\"ll\">" + heatmapHtml(lens) + "</div>";
            }

            @Override
            public String toText() {
                return heatmapText(lens);
            }

            @Override
            public java.util.Optional<java.awt.image.BufferedImage> toImage() {
                return java.util.Optional.of(heatmapImage(lens));
            }
        };
    }

    /**
     * Per lens, the share of tokens whose top entry is the token itself (blanks, case and subword markers
     * ignored), per layer.
     *
     * @return the curves
     */
    public LayerCurves selfMatchCurves() {
        LayerCurves.Builder b = LayerCurves.builder().title("Top entry is the token itself")
                .yTitle("share of tokens").yRange(0, 1);
        for (String lens : lenses) {
            List<Integer> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int layer : layers) {
                int n = 0;
                int hits = 0;
                for (int pos : tokens.keySet()) {
                    LensReadout r = byKey.get(key(lens, layer, pos));
                    if (r == null) {
                        continue;
                    }
                    n++;
                    if (r.top() != null && same(r.top().text(), r.token())) {
                        hits++;
                    }
                }
                if (n > 0) {
                    xs.add(layer);
                    ys.add(hits / (double) n);
                }
            }
            b.series(lens, xs.stream().mapToInt(Integer::intValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return b.build();
    }

    private static boolean same(String a, String b) {
        return CaptionSnippet.cleanToken(a).equalsIgnoreCase(CaptionSnippet.cleanToken(b));
    }

    private String tableHtml(int layer) {
        StringBuilder b = new StringBuilder("<h3>Lenses side by side \u00b7 layer ").append(layer).append("</h3>")
                .append("<table class=\"ll-lens\"><thead><tr><th>#</th><th>Token</th>");
        for (String lens : lenses) {
            b.append("<th>").append(Html.escape(lens)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (var t : tokens.entrySet()) {
            b.append("<tr><td>").append(t.getKey()).append("</td><td><span class=\"ll-q\">")
                    .append(Html.escape(Html.visibleToken(t.getValue()))).append("</span></td>");
            for (String lens : lenses) {
                LensReadout r = byKey.get(key(lens, layer, t.getKey()));
                b.append("<td>");
                if (r != null && r.top() != null) {
                    b.append("<span class=\"ll-tok ll-top\">").append(Html.escape(Html.visibleToken(r.top().text())))
                            .append("</span> <span class=\"ll-sim\">").append(Html.num(r.top().score())).append("</span>");
                    List<LensEntry> rest = r.topK().subList(1, Math.min(r.topK().size(), 1 + REST_SHOWN));
                    if (!rest.isEmpty()) {
                        b.append("<div class=\"ll-rest\">");
                        for (LensEntry e : rest) {
                            b.append(Html.escape(Html.visibleToken(e.text()))).append(" ").append(Html.num(e.score()))
                                    .append(" &nbsp;");
                        }
                        b.append("</div>");
                    }
                } else {
                    b.append("<span class=\"ll-rest\">\u2013</span>");
                }
                b.append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private String tableText(int layer) {
        StringBuilder b = new StringBuilder("Lenses side by side, layer " + layer + "\n");
        b.append(String.format(Locale.ROOT, "%4s %-14s", "#", "token"));
        for (String lens : lenses) {
            b.append(String.format(Locale.ROOT, " %-24s", lens));
        }
        b.append('\n');
        for (var t : tokens.entrySet()) {
            b.append(String.format(Locale.ROOT, "%4d %-14s", t.getKey(), Html.visibleToken(t.getValue())));
            for (String lens : lenses) {
                LensReadout r = byKey.get(key(lens, layer, t.getKey()));
                String cell = r == null || r.top() == null ? "-"
                        : Html.visibleToken(r.top().text()) + " " + Html.num(r.top().score());
                b.append(String.format(Locale.ROOT, " %-24s", cell));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private double[] scoreRange(String lens) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LensReadout r : readouts) {
            if (r.lens().equals(lens) && r.top() != null) {
                lo = Math.min(lo, r.top().score());
                hi = Math.max(hi, r.top().score());
            }
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }

    private String heatmapHtml(String lens) {
        double[] range = scoreRange(lens);
        double span = range[1] - range[0];
        StringBuilder b = new StringBuilder("<h3>").append(Html.escape(lens)).append(" \u00b7 top entry per token and layer</h3>")
                .append("<div class=\"ll-sub\">colour: top-1 score from ").append(Html.num(range[0])).append(" (dark) to ")
                .append(Html.num(range[1])).append(" (light); hover a cell for the top-")
                .append(maxK(lens)).append("</div>")
                .append("<table class=\"ll-hm\"><thead><tr><th class=\"ll-row\">layer \\ token</th>");
        for (var t : tokens.entrySet()) {
            b.append("<th><span class=\"ll-q\">").append(Html.escape(Html.visibleToken(t.getValue()))).append("</span></th>");
        }
        b.append("</tr></thead><tbody>");
        for (int layer : layers.descendingSet()) {
            b.append("<tr><th class=\"ll-row\">").append(layer).append("</th>");
            for (int pos : tokens.keySet()) {
                LensReadout r = byKey.get(key(lens, layer, pos));
                if (r == null || r.top() == null) {
                    b.append("<td style=\"background:#f6f8fa\"></td>");
                    continue;
                }
                double t = span > 0 ? (r.top().score() - range[0]) / span : 1.0;
                StringBuilder tip = new StringBuilder();
                tip.append("layer ").append(layer).append(" \u00b7 ").append(Html.visibleToken(r.token())).append('\n');
                for (LensEntry e : r.topK()) {
                    tip.append(Html.num(e.score())).append("  ").append(Html.visibleToken(e.text())).append('\n');
                }
                b.append("<td class=\"ll-tip\" style=\"background:").append(Html.viridis(t)).append(";color:")
                        .append(Html.textOn(t)).append("\"><span class=\"ll-tok\" style=\"background:none;padding:0\">")
                        .append(Html.escape(Html.visibleToken(r.top().text()))).append("</span><span class=\"ll-tipbox\">")
                        .append(Html.escape(tip.toString().strip())).append("</span></td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** The heatmap drawn with Java2D (for papers): same layout and colours as the HTML, without hover. */
    private java.awt.image.BufferedImage heatmapImage(String lens) {
        int cellW = 96;
        int cellH = 26;
        int left = 64;
        int top = 64;
        int cols = tokens.size();
        int rowsN = layers.size();
        String title = lens + " \u00b7 top entry per token and layer";
        java.awt.Font titleFont = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15);
        java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(1, 1,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D sg = scratch.createGraphics();
        int titleWidth = sg.getFontMetrics(titleFont).stringWidth(title);
        sg.dispose();
        int width = Math.max(left + cols * cellW + 12, titleWidth + 20);
        int height = top + rowsN * cellH + 12;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(new java.awt.Color(0x1f2328));
            g.setFont(titleFont);
            g.drawString(title, 8, 22);
            java.awt.Font mono = new java.awt.Font(java.awt.Font.MONOSPACED, java.awt.Font.PLAIN, 12);
            java.awt.Font bold = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12);
            double[] range = scoreRange(lens);
            double span = range[1] - range[0];
            int c = 0;
            for (String token : tokens.values()) {
                g.setFont(bold);
                drawCentred(g, fitText(g, Html.visibleToken(token), cellW - 6), left + c * cellW, top - 10, cellW);
                c++;
            }
            int r = 0;
            for (int layer : layers.descendingSet()) {
                int y = top + r * cellH;
                g.setColor(new java.awt.Color(0x1f2328));
                g.setFont(bold);
                String label = Integer.toString(layer);
                g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 18);
                c = 0;
                for (int pos : tokens.keySet()) {
                    LensReadout ro = byKey.get(key(lens, layer, pos));
                    int x = left + c * cellW;
                    if (ro != null && ro.top() != null) {
                        double t = span > 0 ? (ro.top().score() - range[0]) / span : 1.0;
                        int[] rgb = Html.viridisRgb(t);
                        g.setColor(new java.awt.Color(rgb[0], rgb[1], rgb[2]));
                        g.fillRect(x, y, cellW - 1, cellH - 1);
                        g.setColor(Html.textOn(t).equals("#fff") ? java.awt.Color.WHITE : new java.awt.Color(0x111111));
                        g.setFont(mono);
                        drawCentred(g, fitText(g, Html.visibleToken(ro.top().text()), cellW - 8), x, y + 17, cellW);
                    } else {
                        g.setColor(new java.awt.Color(0xf6f8fa));
                        g.fillRect(x, y, cellW - 1, cellH - 1);
                    }
                    c++;
                }
                r++;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawCentred(java.awt.Graphics2D g, String s, int x, int baseline, int width) {
        int w = g.getFontMetrics().stringWidth(s);
        g.drawString(s, x + (width - w) / 2, baseline);
    }

    private static String fitText(java.awt.Graphics2D g, String s, int maxWidth) {
        if (g.getFontMetrics().stringWidth(s) <= maxWidth) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && g.getFontMetrics().stringWidth(t + "\u2026") > maxWidth) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }

    private int maxK(String lens) {
        return readouts.stream().filter(r -> r.lens().equals(lens)).mapToInt(r -> r.topK().size()).max().orElse(0);
    }

    private String heatmapText(String lens) {
        StringBuilder b = new StringBuilder(lens + ": top entry per layer (rows) and token (columns)\n");
        b.append(String.format(Locale.ROOT, "%6s", "layer"));
        for (String t : tokens.values()) {
            b.append(String.format(Locale.ROOT, " %-12.12s", Html.visibleToken(t)));
        }
        b.append('\n');
        for (int layer : layers.descendingSet()) {
            b.append(String.format(Locale.ROOT, "%6d", layer));
            for (int pos : tokens.keySet()) {
                LensReadout r = byKey.get(key(lens, layer, pos));
                String cell = r == null || r.top() == null ? "-" : Html.visibleToken(r.top().text());
                b.append(String.format(Locale.ROOT, " %-12.12s", cell));
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(Html.STYLE).append("<div class=\"ll\">").append(tableHtml(layers.last()));
        for (String lens : lenses) {
            b.append("<div style=\"height:14px\"></div>").append(heatmapHtml(lens));
        }
        return b.append("</div>").toString();
    }

    @Override
    public String toText() {
        StringBuilder b = new StringBuilder(tableText(layers.last()));
        for (String lens : lenses) {
            b.append('\n').append(heatmapText(lens));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toText();
    }
}
