package io.reliabletx.operator.pipeline.spec;

/** JVM heap sizes as the java launcher reads them. */
public final class Heap {
  /**
   * 1m to 999999m or 1g to 9999g: bounded, so no size overflows the java launcher, the quantity the CRD compares it with
   * ({@link #BELOW_MEMORY_LIMIT_RULE}) or {@link #mebibytes}.
   */
  public static final String PATTERN = "^([1-9][0-9]{0,5}[mM]|[1-9][0-9]{0,3}[gG])$";
  public static final String PATTERN_RULE = "self.matches('" + PATTERN + "')";
  public static final String PATTERN_MESSAGE = "heapSize must be a JVM heap size from 1m to 999999m or 1g to 9999g (a"
      + " number, then m or g), such as 512m or 2g";

  /** The heap as a Kubernetes quantity in CEL: 512m → 512Mi, 2g → 2Gi (the JVM's m and g are binary). */
  private static final String HEAP_QUANTITY = "quantity(self.heapSize.substring(0, self.heapSize.size() - 1)"
      + " + (self.heapSize.lowerAscii().endsWith('g') ? 'Gi' : 'Mi'))";
  private static final String MEMORY_LIMIT = "self.resources.limits['memory']";

  /** CEL on a component spec with heapSize and resources: a memory limit, when given, is above the heap. */
  public static final String BELOW_MEMORY_LIMIT_RULE = "!has(self.resources) || !has(self.resources.limits)"
      + " || !('memory' in self.resources.limits) || !isQuantity(string(" + MEMORY_LIMIT + "))"
      + " || " + HEAP_QUANTITY + ".isLessThan(quantity(string(" + MEMORY_LIMIT + ")))";
  public static final String BELOW_MEMORY_LIMIT_MESSAGE = "heapSize must be less than resources.limits.memory: the JVM"
      + " needs memory besides its heap (metaspace, threads, direct buffers), and a container over its limit is"
      + " killed. Raise the limit or lower the heap";

  private Heap() {}

  public static String jvmOptions(String heapSize) {
    return "-Xms" + heapSize + " -Xmx" + heapSize;
  }

  /** The heap in MiB ({@link #PATTERN}: a number followed by m or g). */
  public static long mebibytes(String heapSize) {
    long n = Long.parseLong(heapSize.substring(0, heapSize.length() - 1));
    return Character.toLowerCase(heapSize.charAt(heapSize.length() - 1)) == 'g' ? n * 1024 : n;
  }
}
