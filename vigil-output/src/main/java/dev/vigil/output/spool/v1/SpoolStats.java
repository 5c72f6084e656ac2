package dev.vigil.output.spool.v1;

/**
 * Counters of one open spool.
 *
 * @param appended        records appended since open
 * @param dropped         records lost: unacknowledged records in segments deleted because the spool was full,
 *                        plus appends that failed (I/O error, too large)
 * @param droppedSegments segments deleted because the spool was full
 * @param corruptRecords  records skipped because their length or CRC was wrong
 * @param tornBytes       bytes cut from the end of the last segment at open (a crash mid-append)
 * @param writeErrors     appends that failed with an I/O error (disk full, ...)
 * @param tooLarge        appends refused because the payload exceeded {@link SpoolRecord#MAX_PAYLOAD}
 * @param bytes           current size of all segments
 * @param segments        current number of segments
 * @param endOffset       offset the next record will get
 * @param ackedOffset     everything below this was acknowledged
 */
public record SpoolStats(long appended, long dropped, long droppedSegments, long corruptRecords, long tornBytes,
                         long writeErrors, long tooLarge, long bytes, int segments, long endOffset, long ackedOffset) {
    /** Bytes not yet acknowledged. */
    public long pendingBytes() {
        return Math.max(0, endOffset - ackedOffset);
    }
}
