package io.reliabletx.operator.pipeline.spec;

/** broker.conf flushDiskType. */
public enum FlushDiskType { ASYNC_FLUSH, SYNC_FLUSH }
