package io.reliabletx.operator.pipeline.spec;

/** JVM heap sizes as the java launcher reads them. */
public final class Heap {
  public static final String PATTERN = "^[1-9][0-9]*[mMgG]$";

  private Heap() {}

  public static String jvmOptions(String heapSize) {
    return "-Xms" + heapSize + " -Xmx" + heapSize;
  }
}
