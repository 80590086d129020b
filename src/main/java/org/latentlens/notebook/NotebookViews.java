package org.latentlens.notebook;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.latentlens.render.Plotly;
import org.latentlens.render.Progress;
import org.latentlens.render.View;
import tech.tablesaw.plotly.components.Figure;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * Registers LatentLens's views with the kernel: listed in
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension}, found by the kernel in the notebook's class
 * loader at start-up and after every {@code %jars}/{@code %maven}.
 *
 * <ul>
 *   <li>any {@link View}: text/html (plotly.js inlined before the first chart of the session) and
 *       text/plain; image/png on request, e.g. {@code display(overlay, "image/png")};</li>
 *   <li>a Tablesaw {@link Figure}: a plotly chart;</li>
 *   <li>{@link Progress}: one display line, updated in place while the cell runs.</li>
 * </ul>
 */
public final class NotebookViews implements Extension {
    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public NotebookViews() {
    }

    @Override
    public void install(BaseKernel kernel) {
        kernel.getRenderer().createRegistration(View.class)
                .preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN, MIMEType.IMAGE_PNG)
                .register((view, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(view));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, view::toText);
                    if (view.toImage().isPresent()) {
                        ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> png(view.toImage().get()));
                    }
                });
        kernel.getRenderer().createRegistration(Figure.class)
                .preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((fig, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> figureHtml(fig));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> "plotly figure");
                });
        Progress.useSinks(DisplaySink::new);
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Progress.useTerminal();
    }

    /** @return the view's HTML, preceded by plotly.js the first time a chart is shown in this kernel */
    static String html(View view) {
        return view.needsPlotly() ? Plotly.scriptTagOnce() + view.toHtml() : view.toHtml();
    }

    private static String figureHtml(Figure fig) {
        String id = "llfig_" + UUID.randomUUID().toString().replace('-', '_'); // a JS identifier: Tablesaw uses it as one
        return Plotly.scriptTagOnce() + "<div id=\"" + id + "\"></div>" + fig.asJavascript(id);
    }

    private static String png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
    }

    /**
     * Shows a {@link Progress} as one notebook output updated in place (Jupyter's update_display_data).
     * Outside a running cell (no kernel, or a background thread after the cell ended) updates are dropped.
     */
    static final class DisplaySink implements Progress.Sink {
        private final String id = "ll-progress-" + UUID.randomUUID();

        DisplaySink(Progress p) {
        }

        private DisplayData bundle(Progress p) {
            DisplayData d = new DisplayData(p.toText());
            d.putHTML(p.toHtml());
            d.setDisplayId(id);
            return d;
        }

        private static BaseKernel kernel() {
            try {
                return BaseKernel.notebookKernel();
            } catch (NullPointerException e) {
                return null;
            }
        }

        @Override
        public void started(Progress p) {
            BaseKernel k = kernel();
            if (k != null && k.getIO().display.isAttached()) {
                k.display(bundle(p));
            }
        }

        @Override
        public void updated(Progress p) {
            BaseKernel k = kernel();
            if (k != null && k.getIO().display.isAttached()) {
                k.getIO().display.updateDisplay(bundle(p));
            }
        }

        @Override
        public void finished(Progress p) {
            updated(p);
        }
    }
}
