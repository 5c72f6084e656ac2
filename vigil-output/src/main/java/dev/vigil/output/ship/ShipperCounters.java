package dev.vigil.output.ship;

/**
 * A snapshot of a shipper's counters. Since this process started:
 *
 * @param seen            records handed to {@code accept}
 * @param spooled         records written to the spool
 * @param shipped         records the receiver acknowledged (including ones spooled by an earlier run)
 * @param dropped         records lost: spool full (oldest segment deleted), disk errors, too large to send
 * @param corrupt         spool records skipped because their CRC or length was wrong
 * @param tornBytes       bytes of a torn spool tail cut at open
 * @param retries         failed sends that were retried
 * @param batches         batches acknowledged
 * @param refusedByServer lines the hunt server acknowledged but refused as invalid (its errors name them)
 * @param pendingBytes    spooled bytes not yet acknowledged
 * @param lastError       the last send failure, or empty
 */
public record ShipperCounters(long seen, long spooled, long shipped, long dropped, long corrupt, long tornBytes,
                              long retries, long batches, long refusedByServer, long pendingBytes, String lastError) {}
