package io.reliabletx.testing.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * One below the range the kernel hands out for port 0 and for outgoing connections (Linux's
   * {@code net.ipv4.ip_local_port_range}, 32768-60999 by default), for a server that restarts on its port: while it is
   * down, a port from that range can be taken by any process's bind(0), or by an outgoing connection to it from its
   * own clients (a TCP self-connect), and its clients would then talk to that instead.
   */
  public static int stable() {
    return withNeighbours(0, 0);
  }

  /**
   * A port P with P+{@code from} .. P+{@code to} free as well, for servers that also listen beside their port; below the
   * kernel's ephemeral range, as {@link #stable()}.
   */
  public static int withNeighbours(int from, int to) {
    int upTo = Math.min(40_000, ephemeralLow()) - Math.max(0, to);
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000 - Math.min(0, from), upTo);
      if (IntStream.rangeClosed(port + from, port + to).allMatch(FreePorts::isFree)) {
        return port;
      }
    }
    throw new IllegalStateException("no free block of loopback ports from P" + from + " to P+" + to);
  }

  /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
  static int ephemeralLow() {
    try {
      // Not Files.readString: for a /proc file (size 0) it returned only the first byte here.
      try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        return Integer.parseInt(in.readLine().strip().split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
