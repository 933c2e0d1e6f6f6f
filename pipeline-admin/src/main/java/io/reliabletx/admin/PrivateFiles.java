package io.reliabletx.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/** Files that hold a Secret's values: written in the target format's own escaping, readable by the pod's user only. */
public final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * The entries as {@link Properties#store} escapes them (ASCII, \\uXXXX beyond), without its date comment: the exact
   * inverse of {@link Properties#load}, so a quote, a backslash, a '=' or a line break stays inside its value.
   */
  public static byte[] asProperties(Map<String, String> entries) {
    Properties properties = new Properties();
    properties.putAll(entries);
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try {
      properties.store(stored, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // store() writes only ASCII: the first line is its timestamp comment, and no escaped entry starts with '#'.
    String text = stored.toString(StandardCharsets.ISO_8859_1);
    return text.substring(text.indexOf('\n') + 1).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Writes {@code content} to {@code file} atomically, mode 0600 (its new directories 0700). */
  public static void write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path temp = Files.createTempFile(file.getParent(), ".private", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(temp, content);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
