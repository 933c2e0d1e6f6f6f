package io.reliabletx.testing.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMachineTest {
  @Test
  void aFreePortCanBeBoundAndABoundOneIsNotFree() throws Exception {
    int port = FreePorts.any();
    assertThat(FreePorts.isFree(port)).isTrue();
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(FreePorts.isFree(port)).isFalse();
    }
    int block = FreePorts.withNeighbours(-2, 1);
    for (int p = block - 2; p <= block + 1; p++) {
      assertThat(FreePorts.isFree(p)).as("port %d", p).isTrue();
    }
  }

  /** A server that restarts on its port keeps it out of what the kernel hands to bind(0) and outgoing connections. */
  @Test
  void aStablePortIsBelowTheKernelsEphemeralRange() throws Exception {
    int low = FreePorts.ephemeralLow();
    assertThat(low).isGreaterThan(20_000);
    for (int i = 0; i < 20; i++) {
      assertThat(FreePorts.stable()).isLessThan(low).isGreaterThanOrEqualTo(20_000);
      assertThat(FreePorts.withNeighbours(-2, 1)).isLessThan(low - 1);
    }
  }

  @Test
  void aScratchDirectoryGoesWithEverythingInIt(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("store/commitlog"));
    Files.writeString(dir.resolve("00000000"), "x");
    ScratchDirectories.delete(tmp.resolve("store"));
    assertThat(tmp.resolve("store")).doesNotExist();
    ScratchDirectories.delete(tmp.resolve("never-made"));
  }

  @Test
  void anInterruptEndsThePauseAndStaysSet() {
    Thread.currentThread().interrupt();
    assertThat(Pause.millis(10_000)).isFalse();
    assertThat(Thread.interrupted()).isTrue();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Pause.millisOrFail(10_000)).isInstanceOf(IllegalStateException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(Pause.millis(1)).isTrue();
  }
}
