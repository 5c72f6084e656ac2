/**
 * The sensor's on-disk spool, format version 1: append-only segment files that hold every event until the
 * hunt server (or Kafka) acknowledged it.
 *
 * <h2>Format</h2>
 * A spool is a directory of segment files named {@code <base offset, 20 digits>.vspool} and one
 * {@code acked} file.
 * <ul>
 *   <li>Segment header, 16 bytes: magic {@code "VGSP"}, format version (1 byte, = 1), 3 reserved zero bytes,
 *       base offset (8 bytes, big-endian).</li>
 *   <li>Record: {@code [length:4][crc32c:4][version:1][type:1][payload:length]}, big-endian; {@code length} is the
 *       payload length; the CRC32C covers version, type and payload; version is 1; type 1 is an event JSON line,
 *       2 a Falco alert JSON line (UTF-8, no newline). See {@link dev.vigil.output.spool.v1.SpoolRecord}.</li>
 *   <li>The offset of a record is its segment's base offset plus its position in the file; the next segment's
 *       base is the previous base plus the previous file's length, so offsets only grow.</li>
 *   <li>{@code acked}: the offset up to which everything was acknowledged (8 bytes) and its CRC32C (4 bytes),
 *       replaced atomically (write, fsync, rename).</li>
 * </ul>
 * A torn tail (a crash mid-append) is cut off at open; a record whose CRC does not match ends its segment's
 * readable part. Both are counted ({@code corruptRecords}, {@code tornBytes}), never fatal. The total size is
 * bounded: when full, the oldest segment is deleted and its unacknowledged records are counted as dropped.
 *
 * <p>Layer: output (sensor side). Threading: {@link dev.vigil.output.spool.v1.Spool} is thread-safe; appends
 * from any thread, reads and acks from the one shipper thread.
 */
package dev.vigil.output.spool.v1;
