package io.reliabletx.sample.common.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Bad input becomes an RFC 9457 problem detail that names the field: HTTP 400 for invalid or malformed bodies,
 * 413 for oversized ones. Spring's own handler covers the rest (405, 415, type mismatches in paths...).
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ApiProblems extends ResponseEntityExceptionHandler {

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
        .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
        .toList();
    String detail = errors.stream().map(e -> e.get("field") + " " + e.get("message"))
        .sorted().collect(Collectors.joining("; "));
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Invalid request: " + detail);
    problem.setTitle("Invalid request");
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (ex.getCause() instanceof RequestBodyTooLargeException tooLarge) {
      return tooLarge(tooLarge);
    }
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(ex.getCause()));
    problem.setTitle("Malformed request body");
    String duplicate = duplicateField(ex.getCause());
    if (duplicate != null) {
      problem.setProperty("errors", List.of(Map.of("field", duplicate, "message", "given more than once")));
    }
    return ResponseEntity.badRequest().body(problem);
  }

  @ExceptionHandler(RequestBodyTooLargeException.class)
  ResponseEntity<Object> tooLarge(RequestBodyTooLargeException ex) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, ex.getMessage());
    problem.setTitle("Request body too large");
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(problem);
  }

  private static String describe(Throwable cause) {
    String duplicate = duplicateField(cause);
    if (duplicate != null) {
      return "field '" + duplicate + "' is given more than once";
    }
    if (cause instanceof MismatchedInputException e && e.getPath().isEmpty()
        && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      return "malformed JSON: trailing content after the request's JSON value (the body must be one JSON object)";
    }
    if (cause instanceof UnrecognizedPropertyException e) {
      return "unknown field '" + e.getPropertyName() + "'";
    }
    if (cause instanceof InvalidFormatException e) {
      return "field '" + path(e) + "' must be " + typeName(e.getTargetType()) + ", got " + e.getValue();
    }
    if (cause instanceof MismatchedInputException e && !e.getPath().isEmpty()) {
      return "field '" + path(e) + "' must be " + typeName(e.getTargetType());
    }
    if (cause instanceof JsonProcessingException e) {
      return "malformed JSON: " + e.getOriginalMessage();
    }
    return "the request body is missing or not JSON";
  }

  /** The field named twice, when Jackson's duplicate detection refused the body ("Duplicate field 'count'"). */
  private static String duplicateField(Throwable cause) {
    if (cause instanceof JsonParseException e) {
      Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (m.matches()) {
        return m.group(1);
      }
    }
    return null;
  }

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a whole number";
    }
    return "a " + type.getSimpleName();
  }
}
