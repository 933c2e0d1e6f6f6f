package io.reliabletx.messages;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {

  @Test
  void roundTripsBothPayloads() {
    OrderPlaced placed = new OrderPlaced("tx-1", "o-1", 7, 3);
    assertThat(MessageCodec.decode(MessageCodec.encode(placed), OrderPlaced.class)).isEqualTo(placed);
    StockOutcome outcome = new StockOutcome("tx-1", "o-1", StockOutcome.Outcome.REJECTED, StockOutcome.INSUFFICIENT_STOCK);
    assertThat(MessageCodec.decode(MessageCodec.encode(outcome), StockOutcome.class)).isEqualTo(outcome);
  }

  @Test
  void toleratesUnknownFields() {
    String json = "{\"txNo\":\"t\",\"orderNo\":\"o\",\"productId\":1,\"count\":2,\"newField\":true}";
    assertThat(MessageCodec.decode(json.getBytes(UTF_8), OrderPlaced.class).count()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "null", "[]", "{\"txNo\":\"t\",\"orderNo\":\"o\",\"productId\":1}",
      "{\"txNo\":\"t\",\"orderNo\":\"o\",\"productId\":1,\"count\":0}",
      "{\"txNo\":\"t\",\"orderNo\":\"o\",\"productId\":\"abc\",\"count\":1}",
      "{\"orderNo\":\"o\",\"productId\":1,\"count\":1}"})
  void refusesMalformedBodies(String body) {
    assertThatThrownBy(() -> MessageCodec.decode(body.getBytes(UTF_8), OrderPlaced.class))
        .isInstanceOf(MalformedMessageException.class);
  }
}
