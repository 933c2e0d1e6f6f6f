package io.reliabletx.order.placing;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Nothing was recorded (broker unreachable, or the local transaction rolled back): HTTP 503, safe to retry. */
public class OrderNotRecordedException extends ErrorResponseException {
  public OrderNotRecordedException(String detail, Throwable cause) {
    super(HttpStatus.SERVICE_UNAVAILABLE, problem(detail), cause);
  }

  private static ProblemDetail problem(String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
    p.setTitle("Order not recorded");
    return p;
  }
}
