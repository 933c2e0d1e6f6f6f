package io.reliabletx.demo;

import java.io.PrintStream;

/** A one-line progress bar, redrawn in place on a terminal and printed every 10 % elsewhere (CI logs). */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private final long total;
  private final boolean terminal = System.console() != null;
  private final long startNanos = System.nanoTime();
  private final boolean showRate;
  private long lastDecile = -1;

  ProgressBar(PrintStream out, String label, long total, boolean showRate) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.showRate = showRate;
  }

  synchronized void update(long done, String extra) {
    long decile = done * 10 / total;
    if (!terminal && decile == lastDecile && done < total) {
      return;
    }
    lastDecile = decile;
    int filled = (int) (WIDTH * Math.min(done, total) / total);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String rate = showRate ? String.format("%6.0f/s  ", done / Math.max(seconds, 1e-3)) : "";
    String line = String.format("%-16s [%s%s] %5d/%d  %s%s", label, "#".repeat(filled),
        ".".repeat(WIDTH - filled), done, total, rate, extra);
    out.print(terminal ? "\r" + line : line + System.lineSeparator());
    out.flush();
  }

  synchronized void finish() {
    if (terminal) {
      out.println();
    }
  }
}
