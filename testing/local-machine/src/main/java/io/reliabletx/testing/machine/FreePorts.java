package io.reliabletx.testing.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Loopback ports nothing listens on (yet: another process may take one before its server binds it). */
public final class FreePorts {
  private FreePorts() {}

  /** One the operating system picks. */
  public static int any() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port P with P+{@code from} .. P+{@code to} free as well, for servers that also listen beside their port. */
  public static int withNeighbours(int from, int to) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      if (IntStream.rangeClosed(port + from, port + to).allMatch(FreePorts::isFree)) {
        return port;
      }
    }
    throw new IllegalStateException("no free block of loopback ports from P" + from + " to P+" + to);
  }

  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
