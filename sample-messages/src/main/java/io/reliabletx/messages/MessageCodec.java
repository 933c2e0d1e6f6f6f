package io.reliabletx.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** JSON form of the message payloads (UTF-8). Unknown fields are tolerated so producers can add fields first. */
public final class MessageCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, false);

  private MessageCodec() {
  }

  public static byte[] encode(Object payload) {
    try {
      return MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + payload, e);
    }
  }

  /** Decodes and validates a body; anything else (not JSON, wrong types, missing fields) is malformed. */
  public static <T> T decode(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new MalformedMessageException("empty message body", null);
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new MalformedMessageException("message body is JSON null", null);
      }
      return value;
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
