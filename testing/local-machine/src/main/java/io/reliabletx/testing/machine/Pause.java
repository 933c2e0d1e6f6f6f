package io.reliabletx.testing.machine;

/** A pause in a polling or retrying loop. An interrupt ends it early and stays set on the thread. */
public final class Pause {
  private Pause() {}

  /** False when the pause was interrupted: a client loop then stops and reports what it has. */
  public static boolean millis(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** For a wait that cannot go on once interrupted (a server starting): fails instead. */
  public static void millisOrFail(long ms) {
    if (!millis(ms)) {
      throw new IllegalStateException("interrupted while waiting");
    }
  }
}
