package io.ugnos.bench.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's PNG charts, drawn with XChart (headless). */
final class Charts {
    private Charts() {
    }

    /**
     * One bar per system.
     *
     * @return the file written
     */
    static Path bars(Path dir, String file, String title, String yTitle, Map<String, Double> values) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.addSeries(yTitle, new ArrayList<>(values.keySet()), new ArrayList<Number>(values.values()));
        return save(chart, dir, file);
    }

    /**
     * Grouped bars: one group per category (query), one bar per series (system), log scale.
     *
     * @param series values by series name, each in the order of {@code categories}
     */
    static Path groupedLogBars(Path dir, String file, String title, String yTitle, List<String> categories,
                               Map<String, List<Double>> series) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(650).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(40);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        double min = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(1);
        double max = series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        series.forEach((name, values) -> chart.addSeries(name, categories, new ArrayList<Number>(values)));
        return save(chart, dir, file);
    }

    /**
     * Lines of y against x, one per series, both axes logarithmic.
     *
     * @param series (x, y) pairs by series name
     */
    static Path logLines(Path dir, String file, String title, String xTitle, String yTitle,
                         Map<String, double[][]> series) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(450).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
        return save(chart, dir, file);
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path dir, String file)
            throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(file + ".png");
        BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
        return out;
    }
}
