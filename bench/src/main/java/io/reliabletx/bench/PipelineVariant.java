package io.reliabletx.bench;

import io.reliabletx.demo.ServicePair;
import io.reliabletx.order.placing.OrderPlacement;
import io.reliabletx.testing.testbed.Testbed;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ours: the real order and stock services (their Spring contexts, code and settings), driven through
 * {@link OrderPlacement} without HTTP so that the three variants differ only in the messaging pattern.
 * Latency is from the order row's {@code create_time} (written in the local transaction, just before its commit) to
 * the stock ledger's {@code tx_log.create_time} (likewise just before its commit): commit to commit, as the baselines
 * measure it, on the database's clock (millisecond resolution).
 */
final class PipelineVariant implements Variant {

  private final Testbed bed;
  private final ServicePair services;
  private final OrderPlacement placement;
  private final Set<String> placed = ConcurrentHashMap.newKeySet();
  private volatile long ledgerBaseline;

  PipelineVariant(Testbed bed, Map<String, Object> serviceSettings) {
    this.bed = bed;
    this.services = ServicePair.start(bed, serviceSettings);
    this.placement = services.orderBean(OrderPlacement.class);
  }

  @Override
  public String name() {
    return "pipeline (transactional message + tx_log)";
  }

  @Override
  public void place(long productId, int count) {
    placed.add(placement.place(productId, count).order().orderNo());
  }

  @Override
  public void resetStats() throws Exception {
    placed.clear();
    ledgerBaseline = countLedger();
  }

  @Override
  public long deducted() throws Exception {
    return countLedger() - ledgerBaseline;
  }

  private long countLedger() throws Exception {
    try (Connection c = bed.db().rootConnection(Testbed.STOCK_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tx_log WHERE outcome = 'DEDUCTED'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public List<Double> latenciesMillis() throws Exception {
    Map<String, Long> orderWrittenAt = new HashMap<>();
    try (Connection c = bed.db().rootConnection(Testbed.ORDERS_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT order_no, create_time FROM orders")) {
      while (rs.next()) {
        if (placed.contains(rs.getString(1))) {
          orderWrittenAt.put(rs.getString(1), rs.getTimestamp(2).getTime());
        }
      }
    }
    List<Double> out = new ArrayList<>();
    try (Connection c = bed.db().rootConnection(Testbed.STOCK_DB); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT order_no, create_time FROM tx_log WHERE outcome = 'DEDUCTED'")) {
      while (rs.next()) {
        Long written = orderWrittenAt.get(rs.getString(1));
        if (written != null) {
          out.add((double) (rs.getTimestamp(2).getTime() - written));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    services.close();
  }
}
