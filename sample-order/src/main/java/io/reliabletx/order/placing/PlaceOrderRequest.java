package io.reliabletx.order.placing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /orders}. */
public record PlaceOrderRequest(
    @NotNull @Positive Long productId,
    @NotNull @Positive @Max(10_000) Integer count) {
}
