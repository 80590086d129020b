package org.latentlens.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/** Small HTML helpers shared by the views: escaping, number formats, colours, ids, the shared style sheet. */
public final class Html {
    private static final AtomicLong IDS = new AtomicLong();

    private Html() {
    }

    /**
     * @param s any text (null is treated as empty)
     * @return the text with {@code & < > " '} escaped, safe in element content and quoted attributes
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Shows a token so that its spaces and line breaks are visible: a leading space as {@code ␣}, newlines
     * as {@code ⏎}, tabs as {@code ⇥}; the empty string as {@code ∅}.
     *
     * @param token a decoded token
     * @return its visible form
     */
    public static String visibleToken(String token) {
        if (token == null || token.isEmpty()) {
            return "\u2205";
        }
        return token.replace("\n", "\u23CE").replace("\t", "\u21E5").replace("\r", "").replace(" ", "\u2423");
    }

    /** @return a number with 3 decimals, locale-independent */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * @return a fresh element id, unique within this JVM, and a valid JavaScript identifier (Tablesaw uses the
     *     div id in a variable name)
     */
    static String newId(String prefix) {
        return prefix + "_" + Long.toHexString(System.nanoTime() & 0xffffff) + "_" + IDS.incrementAndGet();
    }

    /** @return the image as a base64 {@code data:image/png} URL */
    static String pngDataUrl(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image));
    }

    /** @return the image encoded as PNG bytes */
    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
    }

    /**
     * A perceptually even colour scale (viridis, 9 stops interpolated), for heatmaps.
     *
     * @param t position in [0, 1]; out-of-range values are clamped
     * @return {@code #rrggbb}
     */
    static String viridis(double t) {
        int[] rgb = viridisRgb(t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }

    private static final int[][] VIRIDIS = {
        {68, 1, 84}, {72, 40, 120}, {62, 73, 137}, {49, 104, 142}, {38, 130, 142},
        {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}};

    static int[] viridisRgb(double t) {
        double x = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double f = x - i;
        int[] out = new int[3];
        for (int k = 0; k < 3; k++) {
            out[k] = (int) Math.round(VIRIDIS[i][k] + f * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]));
        }
        return out;
    }

    /** @return black or white, whichever reads better on the given viridis position */
    static String textOn(double t) {
        int[] c = viridisRgb(t);
        double luminance = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        return luminance > 140 ? "#111" : "#fff";
    }

    /**
     * The style sheet every view's fragment starts with. All rules are scoped under {@code .ll}, so they do
     * not leak into the notebook; repeating the block in every output is harmless.
     */
    static final String STYLE = """
        <style>
        .ll{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:13px;color:#1f2328;line-height:1.35;margin:6px 0 14px 0}
        .ll h3{font-size:15px;margin:4px 0 8px 0;font-weight:600}
        .ll .ll-sub{color:#57606a;font-size:12px;margin:-4px 0 8px 0}
        .ll table{border-collapse:collapse;margin:0}
        .ll th{background:#f6f8fa;font-weight:600;text-align:left;padding:5px 8px;border-bottom:2px solid #d0d7de;white-space:nowrap}
        .ll td{padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top;text-align:left}
        .ll table td,.ll table th{text-align:left}
        .ll code,.ll .ll-tok{font-family:"SFMono-Regular",Consolas,"Liberation Mono",Menlo,monospace;font-size:12px}
        .ll .ll-tok{background:#eef1f5;border-radius:4px;padding:1px 5px;white-space:pre}
        .ll .ll-q{background:#fff3bf;border:1px solid #f0d264;border-radius:4px;padding:1px 5px;font-weight:600;white-space:pre}
        .ll .ll-bar{display:inline-block;width:90px;height:9px;background:#eaeef2;border-radius:5px;vertical-align:middle;margin-right:6px;overflow:hidden}
        .ll .ll-bar>span{display:block;height:100%;background:linear-gradient(90deg,#54aeff,#0969da);border-radius:5px}
        .ll .ll-sim{font-variant-numeric:tabular-nums;color:#57606a;display:inline-block;width:42px}
        .ll .ll-cap{color:#57606a}
        .ll .ll-cap mark{background:#ffe066;color:#1f2328;border-radius:3px;padding:0 2px}
        .ll .ll-layer{display:inline-block;background:#ddf4ff;color:#0969da;border-radius:8px;padding:0 6px;font-size:11px;margin-left:4px}
        .ll details{margin:4px 0 10px 0}
        .ll summary{cursor:pointer;font-weight:600;padding:3px 0}
        .ll .ll-hm td{border:1px solid #fff;text-align:center;min-width:58px;max-width:110px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding:5px 6px;position:relative}
        .ll .ll-hm th{text-align:center}
        .ll .ll-hm th.ll-row{text-align:right;background:#fff;border:none}
        .ll .ll-tip{position:relative}
        .ll .ll-tip .ll-tipbox{visibility:hidden;position:absolute;z-index:10;left:50%;top:100%;transform:translateX(-50%);background:#24292f;color:#fff;text-align:left;padding:6px 8px;border-radius:6px;font-size:12px;white-space:pre;box-shadow:0 3px 8px rgba(0,0,0,.25);pointer-events:none}
        .ll .ll-tip:hover .ll-tipbox{visibility:visible}
        .ll .ll-lens th{text-align:center}
        .ll .ll-top{font-weight:600}
        .ll .ll-rest{color:#57606a;font-size:12px}
        .ll .ll-prog{display:flex;align-items:center;gap:10px}
        .ll .ll-prog .ll-pbar{width:320px;height:12px;background:#eaeef2;border-radius:6px;overflow:hidden}
        .ll .ll-prog .ll-pbar>span{display:block;height:100%;background:#2da44e}
        </style>
        """;
}
