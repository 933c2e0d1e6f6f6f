package io.reliabletx.operator.pipeline.spec;

/** broker.conf brokerRole. */
public enum BrokerRole { ASYNC_MASTER, SYNC_MASTER, SLAVE }
