package io.reliabletx.sample.common.api;

import java.io.IOException;

/** A request body over {@code reliabletx.max-request-bytes}: answered with HTTP 413. */
public class RequestBodyTooLargeException extends IOException {
  public RequestBodyTooLargeException(long limit) {
    super("request body larger than " + limit + " bytes");
  }
}
