package org.latentlens.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.latentlens.io.AtomicFiles;

/**
 * A standalone HTML file made of views, for reports outside Jupyter. plotly.js is inlined once, in the head,
 * when any view needs it, so the file works offline.
 *
 * <pre>
 * HtmlPage.titled("Layer 12 neighbours").add(table).add(curves).write(Path.of("report.html"));
 * </pre>
 */
public final class HtmlPage {
    private final String title;
    private final List<Object> parts = new ArrayList<>();

    private HtmlPage(String title) {
        this.title = title;
    }

    /**
     * @param title the page's title and top heading
     * @return an empty page
     */
    public static HtmlPage titled(String title) {
        return new HtmlPage(title);
    }

    /**
     * @param view a view to append
     * @return this page
     */
    public HtmlPage add(View view) {
        parts.add(view);
        return this;
    }

    /**
     * @param text a section heading to append (escaped)
     * @return this page
     */
    public HtmlPage heading(String text) {
        parts.add("<h2>" + Html.escape(text) + "</h2>");
        return this;
    }

    /**
     * @param text a paragraph to append (escaped)
     * @return this page
     */
    public HtmlPage paragraph(String text) {
        parts.add("<p>" + Html.escape(text) + "</p>");
        return this;
    }

    /** @return the whole document */
    public String toHtml() {
        boolean plotly = parts.stream().anyMatch(p -> p instanceof View v && v.needsPlotly());
        StringBuilder b = new StringBuilder(plotly ? 4_700_000 : 16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(title)).append("</title>\n")
                .append("<style>body{margin:24px 32px;font-family:-apple-system,BlinkMacSystemFont,\"Segoe UI\","
                        + "Roboto,Helvetica,Arial,sans-serif;color:#1f2328;max-width:1200px}"
                        + "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de;"
                        + "padding-bottom:4px}</style>\n");
        if (plotly) {
            b.append(Plotly.scriptTag()).append('\n');
        }
        b.append("</head><body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
        for (Object p : parts) {
            b.append(p instanceof View v ? v.toHtml() : p.toString()).append('\n');
        }
        return b.append("</body></html>\n").toString();
    }

    /**
     * Writes the page through a temporary file in the same folder, so a reader never sees half a file.
     *
     * @param file where to write
     * @return the file
     * @throws UncheckedIOException when the folder is not writable
     */
    public Path write(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            AtomicFiles.write(abs, toHtml().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + abs, e);
        }
        return abs;
    }
}
