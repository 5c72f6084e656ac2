package dev.vigil.output.spool.v1;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of one spool record and a flyweight view over it: {@code [len:4][crc32c:4][version:1][type:1][payload]}.
 * Offsets are named constants, as in Kafka's {@code DefaultRecordBatch}.
 */
public final class SpoolRecord {
    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int VERSION_OFFSET = 8;
    public static final int TYPE_OFFSET = 9;
    public static final int PAYLOAD_OFFSET = 10;
    /** Bytes of a record besides its payload. */
    public static final int OVERHEAD = PAYLOAD_OFFSET;
    /** The record version written by this code. */
    public static final byte VERSION = 1;
    /** Record type: a Vigil event as a JSON line. */
    public static final byte TYPE_EVENT = 1;
    /** Record type: a Falco-format alert as a JSON line. */
    public static final byte TYPE_ALERT = 2;
    /** Largest payload accepted (a larger one is refused and counted). */
    public static final int MAX_PAYLOAD = 4 << 20;

    /** Segment header layout. */
    public static final int HEADER_SIZE = 16;
    static final int MAGIC = 0x56475350; // "VGSP"
    static final byte FORMAT_VERSION = 1;

    private SpoolRecord() {}

    /** Writes a whole record into {@code out} (which must have {@code OVERHEAD + payload.length} bytes left). */
    static void write(ByteBuffer out, byte type, byte[] payload) {
        int start = out.position();
        out.putInt(payload.length);
        out.putInt(0);
        out.put(VERSION);
        out.put(type);
        out.put(payload);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start + VERSION_OFFSET, 2 + payload.length);
        out.putInt(start + CRC_OFFSET, (int) crc.getValue());
    }

    /** CRC32C of version, type and payload of the record that starts at {@code pos} in {@code buf}. */
    static int crcOf(ByteBuffer buf, int pos, int payloadLength) {
        CRC32C crc = new CRC32C();
        ByteBuffer view = buf.duplicate();
        view.limit(pos + OVERHEAD + payloadLength).position(pos + VERSION_OFFSET);
        crc.update(view);
        return (int) crc.getValue();
    }
}
