package io.reliabletx.order.placing;

import io.reliabletx.order.orders.Order;
import io.reliabletx.order.orders.OrderMapper;
import io.reliabletx.sample.common.api.NotFoundException;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

  /** Set on a response that repeats the order of an earlier request with the same {@code Idempotency-Key}. */
  static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final OrderPlacement placement;
  private final OrderMapper orders;

  OrderController(OrderPlacement placement, OrderMapper orders) {
    this.placement = placement;
    this.orders = orders;
  }

  /**
   * 201 when the order and its message are committed; 202 when the local outcome is being settled by the broker's
   * check-back (the order may yet turn out not to exist; Location is its transaction's status); 200 when an earlier
   * request with the same {@code Idempotency-Key} recorded the order (its current state); 404 for an unknown product;
   * 422 for a key reused with another body; 503 when nothing was recorded.
   */
  @PostMapping
  ResponseEntity<OrderView> place(@RequestHeader(name = IdempotencyKey.HEADER, required = false) String key,
                                  @Valid @RequestBody PlaceOrderRequest request) {
    OrderPlacement.Placed placed = placement.place(IdempotencyKey.parse(key), request.productId(), request.count());
    OrderView body = OrderView.of(placed.order());
    return switch (placed.outcome()) {
      case RECORDED -> ResponseEntity.created(URI.create("/orders/" + body.orderNo())).body(body);
      case OUTCOME_UNKNOWN -> ResponseEntity.status(HttpStatus.ACCEPTED)
          .location(URI.create(TransactionStatusController.PATH + "/" + body.txNo())).body(body);
      case REPLAYED -> ResponseEntity.ok().location(URI.create("/orders/" + body.orderNo()))
          .header(REPLAYED_HEADER, "true").body(body);
    };
  }

  @GetMapping("/{orderNo}")
  OrderView get(@PathVariable String orderNo) {
    Order order = orders.findByOrderNo(orderNo);
    if (order == null) {
      throw new NotFoundException("order " + orderNo + " does not exist");
    }
    return OrderView.of(order);
  }
}
