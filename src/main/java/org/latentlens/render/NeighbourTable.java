package org.latentlens.render;

import org.latentlens.index.Neighbor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per query token, its nearest neighbours: similarity bar, the neighbour token, its caption cut around it
 * with the token marked (see {@link CaptionSnippet} for how the token is found), and the layer the
 * neighbour's embedding came from. Rows are grouped by the query's layer, each group collapsible.
 *
 * <pre>
 * NeighbourTable t = NeighbourTable.builder().title("What layer 8 sees")
 *         .add(8, 1, " cat", hitsForCat).add(8, 2, " sat", hitsForSat).build();
 * t  // as a cell's last expression: renders inline
 * </pre>
 */
public final class NeighbourTable implements View {
    /**
     * One query token and its neighbours.
     *
     * @param layer the layer of the query's hidden state
     * @param position the query token's index in its input
     * @param token the query token's text
     * @param neighbours its neighbours, best first
     */
    public record Row(int layer, int position, String token, List<Neighbor> neighbours) {
        /** Copies the list and checks for nulls. */
        public Row {
            Objects.requireNonNull(token, "token");
            neighbours = List.copyOf(Objects.requireNonNull(neighbours, "neighbours"));
        }
    }

    private final String title;
    private final List<Row> rows;
    private final int captionChars;
    private final int topK;

    private NeighbourTable(Builder b) {
        this.title = b.title;
        this.rows = List.copyOf(b.rows);
        this.captionChars = b.captionChars;
        this.topK = b.topK;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A table for one layer.
     *
     * @param title the caption above the table
     * @param layer the query layer
     * @param tokens the query tokens, in input order
     * @param neighbours per token, its neighbours (same length as tokens)
     * @return the table
     * @throws IllegalArgumentException when the two lists differ in length
     */
    public static NeighbourTable of(String title, int layer, List<String> tokens, List<List<Neighbor>> neighbours) {
        if (tokens.size() != neighbours.size()) {
            throw new IllegalArgumentException("tokens (" + tokens.size() + ") and neighbour lists ("
                    + neighbours.size() + ") differ in length");
        }
        Builder b = builder().title(title);
        for (int i = 0; i < tokens.size(); i++) {
            b.add(layer, i, tokens.get(i), neighbours.get(i));
        }
        return b.build();
    }

    /** @return the rows, in the order added */
    public List<Row> rows() {
        return rows;
    }

    private TreeMap<Integer, List<Row>> byLayer() {
        TreeMap<Integer, List<Row>> m = new TreeMap<>();
        for (Row r : rows) {
            m.computeIfAbsent(r.layer, k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    @Override
    public String toHtml() {
        StringBuilder b = new StringBuilder(Html.STYLE).append("<div class=\"ll ll-nt\">");
        if (title != null) {
            b.append("<h3>").append(Html.escape(title)).append("</h3>");
        }
        TreeMap<Integer, List<Row>> groups = byLayer();
        boolean open = true;
        for (var g : groups.entrySet()) {
            b.append("<details").append(open || groups.size() <= 3 ? " open" : "").append("><summary>Layer ")
                    .append(g.getKey()).append(" \u00b7 ").append(g.getValue().size())
                    .append(g.getValue().size() == 1 ? " token" : " tokens").append("</summary>");
            open = false;
            b.append("<table><thead><tr><th>#</th><th>Query token</th><th>Similarity</th><th>Neighbour</th>"
                    + "<th>Context</th><th>From layer</th></tr></thead><tbody>");
            for (Row r : g.getValue()) {
                List<Neighbor> ns = r.neighbours.subList(0, Math.min(topK, r.neighbours.size()));
                int span = Math.max(1, ns.size());
                b.append("<tr><td rowspan=\"").append(span).append("\">").append(r.position)
                        .append("</td><td rowspan=\"").append(span).append("\"><span class=\"ll-q\">")
                        .append(Html.escape(Html.visibleToken(r.token))).append("</span></td>");
                if (ns.isEmpty()) {
                    b.append("<td colspan=\"4\" class=\"ll-cap\">no neighbours</td></tr>");
                }
                for (int i = 0; i < ns.size(); i++) {
                    Neighbor n = ns.get(i);
                    if (i > 0) {
                        b.append("<tr>");
                    }
                    double w = Math.max(0, Math.min(1, n.similarity())) * 100;
                    b.append("<td style=\"white-space:nowrap\"><span class=\"ll-bar\"><span style=\"width:")
                            .append(String.format(Locale.ROOT, "%.1f", w)).append("%\"></span></span>")
                            .append("<span class=\"ll-sim\">").append(Html.num(n.similarity())).append("</span></td>")
                            .append("<td><span class=\"ll-tok\">").append(Html.escape(Html.visibleToken(n.tokenStr())))
                            .append("</span></td><td class=\"ll-cap\">")
                            .append(CaptionSnippet.of(n.caption(), n.position(), n.tokenStr(), captionChars).toHtml())
                            .append("</td><td>").append(n.contextualLayer() >= 0
                                    ? "<span class=\"ll-layer\">L" + n.contextualLayer() + "</span>" : "")
                            .append("</td></tr>");
                }
            }
            b.append("</tbody></table></details>");
        }
        return b.append("</div>").toString();
    }

    @Override
    public String toText() {
        StringBuilder b = new StringBuilder();
        if (title != null) {
            b.append(title).append('\n');
        }
        for (var g : byLayer().entrySet()) {
            b.append("Layer ").append(g.getKey()).append('\n');
            for (Row r : g.getValue()) {
                b.append(String.format(Locale.ROOT, "  %3d %s%n", r.position, Html.visibleToken(r.token)));
                for (Neighbor n : r.neighbours.subList(0, Math.min(topK, r.neighbours.size()))) {
                    b.append(String.format(Locale.ROOT, "        %6.3f  %-14s %-4s %s%n", n.similarity(),
                            Html.visibleToken(n.tokenStr()), n.contextualLayer() >= 0 ? "L" + n.contextualLayer() : "",
                            CaptionSnippet.of(n.caption(), n.position(), n.tokenStr(), captionChars).toText()));
                }
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    /** Collects rows and options for a {@link NeighbourTable}. */
    public static final class Builder {
        private String title;
        private final List<Row> rows = new ArrayList<>();
        private int captionChars = 80;
        private int topK = 5;

        private Builder() {
        }

        /**
         * @param title the caption above the table
         * @return this builder
         */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * @param chars the longest caption window shown (default 80)
         * @return this builder
         */
        public Builder captionChars(int chars) {
            this.captionChars = chars;
            return this;
        }

        /**
         * @param k how many neighbours to show per token (default 5)
         * @return this builder
         * @throws IllegalArgumentException when k is not positive
         */
        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be at least 1, got " + k);
            }
            this.topK = k;
            return this;
        }

        /**
         * @param layer the query's layer
         * @param position the query token's index
         * @param token the query token's text
         * @param neighbours its neighbours, best first
         * @return this builder
         */
        public Builder add(int layer, int position, String token, List<Neighbor> neighbours) {
            rows.add(new Row(layer, position, token, neighbours));
            return this;
        }

        /** @return the table */
        public NeighbourTable build() {
            return new NeighbourTable(this);
        }
    }
}
