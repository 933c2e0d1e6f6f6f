package io.reliabletx.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Median and range of a figure over repetitions, as the benchmarks report every figure. */
record Spread(double median, double min, double max) {

  static <T> Spread of(List<T> runs, ToDoubleFunction<T> figure) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(figure.applyAsDouble(r)));
    return of(values);
  }

  static Spread of(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Spread(median, v.get(0), v.get(n - 1));
  }

  /** "median (min–max)" in {@code pattern}. */
  String format(String pattern) {
    return String.format(Locale.ROOT, pattern + " (" + pattern + "–" + pattern + ")", median, min, max);
  }
}
