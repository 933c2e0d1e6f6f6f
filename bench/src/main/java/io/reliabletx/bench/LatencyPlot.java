package io.reliabletx.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The commit→deduction latency distribution of each variant as a cumulative curve (x: latency, log scale; y: share
 * of orders at or below it), so the baselines and the pipeline can be compared at every percentile, not only p50/p99,
 * both saturated and at a fixed rate.
 */
final class LatencyPlot {
  private LatencyPlot() {
  }

  /** One point per 0.5 % of orders is plenty for a 1000-pixel-wide curve. */
  static XYSeries cumulative(String name, List<Double> sortedMillis) {
    XYSeries series = new XYSeries(name, true, true);
    int n = sortedMillis.size();
    int step = Math.max(1, n / 200);
    for (int i = 0; i < n; i += step) {
      series.add(Math.max(0.1, sortedMillis.get(i)), 100.0 * (i + 1) / n);
    }
    if (n > 0) {
      series.add(Math.max(0.1, sortedMillis.get(n - 1)), 100.0);
    }
    return series;
  }

  /** Solid: the saturated pass; dashed: the paced pass; one colour per variant. */
  static void write(Map<String, List<Double>> saturated, Map<String, List<Double>> paced, int rate, String subtitle,
                    Path png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    saturated.forEach((name, millis) -> data.addSeries(cumulative(name + ", saturated", millis)));
    paced.forEach((name, millis) -> data.addSeries(cumulative(name + ", " + rate + "/s", millis)));
    JFreeChart chart = ChartFactory.createXYLineChart("Order commit → stock deducted: latency distribution",
        "latency (ms, log scale)", "orders at or below (%)", data, PlotOrientation.VERTICAL, true, false, false);
    chart.addSubtitle(new TextTitle(subtitle));
    XYPlot plot = chart.getXYPlot();
    LogAxis x = new LogAxis("latency (ms, log scale)");
    x.setTickUnit(new NumberTickUnit(1)); // a labelled tick per decade (the unit is in log space)
    x.setMinorTickCount(9);
    x.setMinorTickMarksVisible(true);
    x.setNumberFormatOverride(new DecimalFormat("#,##0.#")); // 1, 10, 100, 1,000 rather than 10^x
    plot.setDomainAxis(x);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};
    int variants = saturated.size();
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colors[(i % variants) % colors.length]);
      renderer.setSeriesStroke(i, i < variants ? new BasicStroke(2f)
          : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
    plot.setRenderer(renderer);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
  }
}
