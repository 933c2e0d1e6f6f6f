package io.reliabletx.stock.ledger;

import io.reliabletx.messages.StockOutcome;

/** What {@link StockLedger#apply} did: the outcome, and whether this delivery was a duplicate that changed nothing. */
public record Deduction(StockOutcome outcome, boolean duplicate) {
}
