package io.reliabletx.testing.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** Directories a server ran in and nobody needs afterwards (a data directory, a message store). */
public final class ScratchDirectories {
  private static final Logger LOG = Logger.getLogger(ScratchDirectories.class.getName());

  private ScratchDirectories() {}

  /** Deletes {@code dir} and everything below it; what cannot be deleted is logged and left. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warning("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
