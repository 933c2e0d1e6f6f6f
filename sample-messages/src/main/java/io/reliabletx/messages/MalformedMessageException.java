package io.reliabletx.messages;

/** A message body that is not a valid payload: never retried, it goes to the dead-letter queue. */
public class MalformedMessageException extends RuntimeException {
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
