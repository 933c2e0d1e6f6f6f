package io.reliabletx.admin;

/** A job that cannot be done, with a message saying what and why (never a secret's value). */
public class AdminFailure extends RuntimeException {
  public AdminFailure(String message) {
    super(message);
  }

  public AdminFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
