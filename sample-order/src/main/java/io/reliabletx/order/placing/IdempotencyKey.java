package io.reliabletx.order.placing;

import io.reliabletx.order.orders.Order;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The client's {@code Idempotency-Key} header: one value per logical request, sent again unchanged on a retry. */
final class IdempotencyKey {

  static final String HEADER = "Idempotency-Key";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private IdempotencyKey() {
  }

  /** The key, or null when the client sent none (then the request is not deduplicated). */
  static String parse(String header) {
    if (header == null) {
      return null;
    }
    if (!VALID.matcher(header).matches()) {
      throw new Invalid();
    }
    return header;
  }

  /** HTTP 400: the header's value cannot be a key (it fits the database column and logs only when it is plain). */
  static final class Invalid extends ErrorResponseException {
    Invalid() {
      super(HttpStatus.BAD_REQUEST, problem(), null);
    }

    private static ProblemDetail problem() {
      ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
          "header '" + HEADER + "' must be 1-64 characters of A-Z, a-z, 0-9, '_' and '-'");
      p.setTitle("Invalid request");
      return p;
    }
  }

  /** HTTP 422: the key was first used for a different order; a retry must repeat its request unchanged. */
  static final class Reused extends ErrorResponseException {
    Reused(String key, Order first, long productId, int count) {
      super(HttpStatus.UNPROCESSABLE_ENTITY, problem(key, first, productId, count), null);
    }

    private static ProblemDetail problem(String key, Order first, long productId, int count) {
      ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY,
          HEADER + " '" + key + "' was first used for order " + first.orderNo() + " (productId " + first.productId()
              + ", count " + first.payCount() + "), not for productId " + productId + ", count " + count
              + ": a retry must send the same body, a new order a new key");
      p.setTitle("Idempotency-Key reused with a different request");
      p.setProperty("orderNo", first.orderNo());
      return p;
    }
  }

  /**
   * HTTP 409: this request lost the race for its key to another whose order cannot be read back yet (the database
   * refused the duplicate key, so the winner holds it); retrying later with the same key returns the winner's order.
   */
  static final class InProgress extends ErrorResponseException {
    InProgress(String key) {
      super(HttpStatus.CONFLICT, problem(key), null);
    }

    private static ProblemDetail problem(String key) {
      ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
          "a request with " + HEADER + " '" + key + "' is still in progress; retry with the same key");
      p.setTitle("Request in progress");
      return p;
    }
  }
}
