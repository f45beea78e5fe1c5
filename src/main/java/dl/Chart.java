package dl;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The sweep as a self-contained SVG: peak resident memory and wall time against the number of concurrent
 * downloads (log scale), one line per thread mode. A size a mode could not run is a cross with the reason.
 */
final class Chart {

    private static final int PANEL_W = 460;
    private static final int PANEL_H = 300;
    private static final int LEFT = 70;
    private static final int TOP = 84;
    private static final String[] COLOURS = {"#1f77b4", "#d62728"};

    static String svg(List<Measured> results, String machine) {
        int width = LEFT + 2 * (PANEL_W + LEFT) + 20;
        int height = TOP + PANEL_H + 120;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format("<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Download.java: one thread per download, virtual vs platform</text>%n", LEFT));
        svg.append(String.format("<text x=\"%d\" y=\"44\" fill=\"#555\">%s, %s (each point: one child JVM)</text>%n", LEFT,
                escape(machine), java.time.LocalDate.now()));
        panel(svg, results, LEFT, "resident memory with all downloads forked, after GC (MiB)", r -> r.number(Json.HELD_RSS) / 1048576.0);
        panel(svg, results, LEFT + PANEL_W + LEFT, "wall time of the downloads (s)", r -> r.number(Json.WALL_MS) / 1000.0);
        int y = TOP + PANEL_H + 50;
        for (int m = 0; m < Measured.MODES.size(); m++) {
            int x = LEFT + m * 160;
            svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>", x, y, x + 30, y, COLOURS[m]));
            svg.append(String.format("<text x=\"%d\" y=\"%d\">%s threads</text>%n", x + 36, y + 4, Measured.MODES.get(m)));
        }
        int line = y + 24;
        for (Measured r : results) {
            if (!r.ran()) {
                svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#a00\">x %s, %d downloads: %s</text>%n", LEFT, line,
                        r.mode(), r.downloads(), escape(shorten(r.error()))));
                line += 16;
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, List<Measured> results, int x0, String title, ToDoubleFunction<Measured> figure) {
        double minN = results.stream().mapToInt(Measured::downloads).min().orElse(1);
        double maxN = results.stream().mapToInt(Measured::downloads).max().orElse(10);
        double maxY = niceCeiling(results.stream().filter(Measured::ran).mapToDouble(figure).max().orElse(1));
        double logMin = Math.log10(Math.max(1, minN));
        double logSpan = Math.max(1e-9, Math.log10(Math.max(maxN, minN + 1)) - logMin);
        java.util.function.DoubleUnaryOperator xOf = n -> x0 + (Math.log10(n) - logMin) / logSpan * PANEL_W;
        java.util.function.DoubleUnaryOperator yOf = v -> TOP + PANEL_H - v / maxY * PANEL_H;

        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, TOP - 10, title));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", x0, TOP, PANEL_W, PANEL_H));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = yOf.applyAsDouble(v);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", x0, y, x0 + PANEL_W, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 6, y + 4, label(v)));
        }
        results.stream().mapToInt(Measured::downloads).distinct().sorted().forEach(n -> {
            double x = xOf.applyAsDouble(n);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n", x, TOP + PANEL_H + 18, n));
        });
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">downloads, all forked at once (log scale)</text>%n",
                x0 + PANEL_W / 2, TOP + PANEL_H + 36));
        for (int m = 0; m < Measured.MODES.size(); m++) {
            String mode = Measured.MODES.get(m);
            StringBuilder points = new StringBuilder();
            for (Measured r : results) {
                if (!r.mode().equals(mode)) {
                    continue;
                }
                double x = xOf.applyAsDouble(r.downloads());
                if (r.ran()) {
                    double y = yOf.applyAsDouble(figure.applyAsDouble(r));
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>%s, %d: %s</title></circle>%n",
                            x, y, COLOURS[m], mode, r.downloads(), label(figure.applyAsDouble(r))));
                } else {
                    double y = TOP + 12;
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" font-size=\"16\">x<title>%s</title></text>%n",
                            x, y, COLOURS[m], escape(r.error())));
                }
            }
            if (!points.isEmpty()) {
                svg.append(String.format("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", points.toString().strip(), COLOURS[m]));
            }
        }
    }

    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shorten(String s) {
        return s.length() <= 110 ? s : s.substring(0, 107) + "...";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
