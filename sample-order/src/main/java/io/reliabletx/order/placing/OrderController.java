package io.reliabletx.order.placing;

import io.reliabletx.sample.common.api.NotFoundException;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

  private final OrderPlacement placement;
  private final OrderMapper orders;

  OrderController(OrderPlacement placement, OrderMapper orders) {
    this.placement = placement;
    this.orders = orders;
  }

  /**
   * 201 when the order and its message are committed; 202 when the local outcome is being settled by the broker's
   * check-back (the order may yet turn out not to exist); 404 for an unknown product; 503 when nothing was recorded.
   */
  @PostMapping
  ResponseEntity<OrderView> place(@Valid @RequestBody PlaceOrderRequest request) {
    OrderPlacement.Placed placed = placement.place(request.productId(), request.count());
    OrderView body = OrderView.of(placed.order());
    HttpStatus status = placed.settled() ? HttpStatus.CREATED : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).location(URI.create("/orders/" + body.orderNo())).body(body);
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
