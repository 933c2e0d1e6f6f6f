package io.reliabletx.sample.common.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A resource the request names does not exist: HTTP 404 with a problem detail saying which. */
public class NotFoundException extends ErrorResponseException {
  public NotFoundException(String detail) {
    super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail), null);
  }
}
