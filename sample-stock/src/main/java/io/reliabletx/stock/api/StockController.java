package io.reliabletx.stock.api;

import io.reliabletx.sample.common.api.NotFoundException;
import io.reliabletx.stock.ledger.StockMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/stock")
class StockController {

  record StockView(long productId, int totalCount) {
  }

  private final StockMapper stock;

  StockController(StockMapper stock) {
    this.stock = stock;
  }

  @GetMapping("/{productId}")
  StockView get(@PathVariable long productId) {
    Integer total = stock.findTotalCount(productId);
    if (total == null) {
      throw new NotFoundException("product " + productId + " has no stock record");
    }
    return new StockView(productId, total);
  }
}
