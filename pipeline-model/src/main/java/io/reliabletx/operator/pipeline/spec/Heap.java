package io.reliabletx.operator.pipeline.spec;

/** JVM heap sizes as the java launcher reads them. */
public final class Heap {
  public static final String PATTERN = "^[1-9][0-9]*[mMgG]$";

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
