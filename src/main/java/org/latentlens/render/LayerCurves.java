package org.latentlens.render;

import org.latentlens.index.Neighbor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Numbers per layer as line charts: one curve per series (a lens, a model), drawn by plotly.js through
 * Tablesaw's figure API. {@link #toTable()} gives the same numbers as a Tablesaw table.
 *
 * <pre>
 * LayerCurves.builder().title("Mean top-1 similarity").yTitle("cosine")
 *         .series("LatentLens", new int[] {0, 1, 2}, new double[] {.41, .55, .62}).build();
 * </pre>
 */
public final class LayerCurves implements View {
    /**
     * One curve.
     *
     * @param name its legend entry
     * @param layers the x values
     * @param values the y values, one per layer
     */
    public record Series(String name, int[] layers, double[] values) {
    }

    private static final String[] COLOURS = {"#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#57606a"};

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final double[] yRange;
    private final List<Series> series;
    private final int width;
    private final int height;

    private LayerCurves(Builder b) {
        this.title = b.title;
        this.xTitle = b.xTitle;
        this.yTitle = b.yTitle;
        this.yRange = b.yRange;
        this.series = List.copyOf(b.series);
        this.width = b.width;
        this.height = b.height;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The mean similarity of each query's best neighbour, per layer.
     *
     * @param name the series name
     * @param neighboursByLayer per layer, per query token, its neighbours (best first)
     * @return a builder holding that one series, titled accordingly
     */
    public static Builder meanTopSimilarity(String name, Map<Integer, List<List<Neighbor>>> neighboursByLayer) {
        TreeMap<Integer, List<List<Neighbor>>> sorted = new TreeMap<>(neighboursByLayer);
        int[] xs = new int[sorted.size()];
        double[] ys = new double[sorted.size()];
        int i = 0;
        for (var e : sorted.entrySet()) {
            double sum = 0;
            int n = 0;
            for (List<Neighbor> hits : e.getValue()) {
                if (!hits.isEmpty()) {
                    sum += hits.get(0).similarity();
                    n++;
                }
            }
            xs[i] = e.getKey();
            ys[i++] = n == 0 ? Double.NaN : sum / n;
        }
        return builder().title("Mean top-1 similarity per layer").yTitle("cosine similarity").series(name, xs, ys);
    }

    /** @return the series */
    public List<Series> series() {
        return series;
    }

    /** @return a table with a {@code layer} column and one column per series (NaN where a series lacks a layer) */
    public Table toTable() {
        TreeSet<Integer> all = new TreeSet<>();
        for (Series s : series) {
            for (int l : s.layers) {
                all.add(l);
            }
        }
        Table t = Table.create(title == null ? "curves" : title);
        t.addColumns(IntColumn.create("layer", all.stream().mapToInt(Integer::intValue).toArray()));
        List<Integer> order = new ArrayList<>(all);
        for (Series s : series) {
            double[] col = new double[order.size()];
            java.util.Arrays.fill(col, Double.NaN);
            for (int i = 0; i < s.layers.length; i++) {
                col[order.indexOf(s.layers[i])] = s.values[i];
            }
            t.addColumns(DoubleColumn.create(s.name, col));
        }
        return t;
    }

    /** @return the Tablesaw figure behind the chart */
    public Figure toFigure() {
        Trace[] traces = new Trace[series.size()];
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double[] xs = new double[s.layers.length];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = s.layers[k];
            }
            String colour = COLOURS[i % COLOURS.length];
            traces[i] = ScatterTrace.builder(xs, s.values).mode(ScatterTrace.Mode.LINE_AND_MARKERS).name(s.name)
                    .showLegend(true)
                    .line(tech.tablesaw.plotly.components.Line.builder().color(colour).width(2.5).build())
                    .marker(tech.tablesaw.plotly.components.Marker.builder().color(colour).size(7).build())
                    .build();
        }
        Axis.AxisBuilder y = Axis.builder().title(yTitle == null ? "" : yTitle).gridColor("#eaeef2")
                .zeroLineColor("#d0d7de");
        Layout layout = Layout.builder().title(title == null ? "" : title).width(width).height(height)
                .margin(Margin.builder().left(70).right(30).top(60).bottom(60).build())
                .showLegend(true).plotBgColor("#ffffff").paperBgColor("#ffffff")
                .xAxis(Axis.builder().title(xTitle).gridColor("#eaeef2").zeroLineColor("#d0d7de").build())
                .yAxis(y.build())
                .build();
        Figure f = new Figure(layout, traces);
        return f;
    }

    @Override
    public boolean needsPlotly() {
        return true;
    }

    @Override
    public String toHtml() {
        String id = Html.newId("llcurve");
        String js = toFigure().asJavascript(id);
        if (yRange != null) {
            // Tablesaw 0.43 has no axis range setter: fix the range before the figure is drawn.
            js = js.replace("Plotly.newPlot(", "layout.yaxis = Object.assign(layout.yaxis || {}, {range: ["
                    + yRange[0] + ", " + yRange[1] + "]});\nPlotly.newPlot(");
        }
        return "<div class=\"ll ll-curves\"><div id=\"" + id + "\" style=\"width:" + width + "px;height:" + height
                + "px\"></div>" + js + "</div>";
    }

    @Override
    public String toText() {
        StringBuilder b = new StringBuilder(title == null ? "" : title + "\n");
        Table t = toTable();
        b.append(String.format(Locale.ROOT, "%6s", "layer"));
        for (Series s : series) {
            b.append(String.format(Locale.ROOT, " %14.14s", s.name));
        }
        b.append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            b.append(String.format(Locale.ROOT, "%6d", t.intColumn(0).getInt(r)));
            for (int c = 1; c < t.columnCount(); c++) {
                b.append(String.format(Locale.ROOT, " %14.4f", t.doubleColumn(c).getDouble(r)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    /** Collects series and options for {@link LayerCurves}. */
    public static final class Builder {
        private String title;
        private String xTitle = "layer";
        private String yTitle;
        private double[] yRange;
        private final List<Series> series = new ArrayList<>();
        private int width = 760;
        private int height = 420;

        private Builder() {
        }

        /**
         * @param title the chart title
         * @return this builder
         */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * @param xTitle the x axis title (default "layer")
         * @return this builder
         */
        public Builder xTitle(String xTitle) {
            this.xTitle = xTitle;
            return this;
        }

        /**
         * @param yTitle the y axis title
         * @return this builder
         */
        public Builder yTitle(String yTitle) {
            this.yTitle = yTitle;
            return this;
        }

        /**
         * @param lo the y axis minimum
         * @param hi the y axis maximum
         * @return this builder
         */
        public Builder yRange(double lo, double hi) {
            this.yRange = new double[] {lo, hi};
            return this;
        }

        /**
         * @param width the chart width in pixels
         * @param height the chart height in pixels
         * @return this builder
         */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * @param name the legend entry
         * @param layers x values
         * @param values y values
         * @return this builder
         * @throws IllegalArgumentException when the arrays differ in length (names the series)
         */
        public Builder series(String name, int[] layers, double[] values) {
            if (layers.length != values.length) {
                throw new IllegalArgumentException("series '" + name + "': " + layers.length + " layers but "
                        + values.length + " values");
            }
            series.add(new Series(name, layers.clone(), values.clone()));
            return this;
        }

        /** @return the chart */
        public LayerCurves build() {
            if (series.isEmpty()) {
                throw new IllegalStateException("a chart needs at least one series");
            }
            return new LayerCurves(this);
        }
    }
}
