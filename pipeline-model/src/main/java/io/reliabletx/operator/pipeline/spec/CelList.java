package io.reliabletx.operator.pipeline.spec;

import java.util.Arrays;
import java.util.List;

/**
 * The strings of a CEL list literal such as {@code ['a', 'b']}: the CRD's rules hold each list once, as CEL text
 * (annotation values must be constants), and the Java side reads the same text.
 */
final class CelList {
  private CelList() {}

  static List<String> names(String celList) {
    return Arrays.stream(celList.replaceAll("[\\[\\]' ]", "").split(",")).toList();
  }
}
