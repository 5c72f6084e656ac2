package dev.vigil.hunt.store;

import org.duckdb.DuckDBAppender;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends rows to a DuckDB table by writing DuckDB's data chunks directly through its C API (FFM), on the C
 * appender that a JDBC {@link DuckDBAppender} holds. The JDBC appender's own {@code append} calls cost ~0.7 us
 * per string (a JNI call with an array copy and a lock) and ~0.1 us per null, ~20 us for an event row; here
 * numbers, nulls and strings of up to 12 bytes are plain stores into the chunk's vectors, and a longer string
 * is one downcall that reads the Java array in place.
 *
 * <p>Columns are written in table order: {@link #beginRow}, one call per column, {@link #endRow}; a full
 * chunk (2048 rows) is handed to the appender, the rest at {@link #close}. The JDBC appender is closed by its
 * owner afterwards, which flushes everything into the table. One thread at a time, like the appender.
 */
final class ChunkAppender implements AutoCloseable {
    // duckdb_type values (duckdb.h)
    static final int INTEGER = 4, BIGINT = 5, TIMESTAMP = 12, VARCHAR = 17, LIST = 24;

    /** Longest string stored inside DuckDB's 16-byte string_t (length + 12 bytes, zero-padded). */
    private static final int INLINE_MAX = 12;
    private static final long STRING_T = 16;

    private final MemorySegment appender;
    private final int[] types;
    private final MemorySegment chunk;
    private final int capacity;
    private final MemorySegment[] vectors;
    private final MemorySegment[] data;
    private final MemorySegment[] validity;
    /** For list columns: the child vector, its data and validity, its used size and reserved capacity. */
    private final MemorySegment[] childVector, childData, childValidity;
    private final long[] childSize, childCapacity;
    private int row;
    private int col;
    private boolean closed;

    /**
     * Writes through {@code jdbc}'s C appender.
     *
     * @param expected the table's column types (duckdb_type ids; a list column is {@link #LIST} of VARCHAR);
     *                 a table that differs is refused, so a layout change cannot write garbage
     */
    ChunkAppender(DuckDBAppender jdbc, int[] expected) throws SQLException {
        this.appender = Api.handleOf(jdbc);
        long n = (long) Api.call(Api.COLUMN_COUNT, appender);
        if (n != expected.length)
            throw new SQLException("table has " + n + " columns, the writer expects " + expected.length);
        this.types = expected.clone();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment typeArray = a.allocate(ValueLayout.ADDRESS, n);
            MemorySegment holder = a.allocate(ValueLayout.ADDRESS);
            try {
                for (int i = 0; i < n; i++) {
                    MemorySegment t = (MemorySegment) Api.call(Api.COLUMN_TYPE, appender, (long) i);
                    typeArray.setAtIndex(ValueLayout.ADDRESS, i, t);
                    int id = (int) Api.call(Api.TYPE_ID, t);
                    if (id != expected[i])
                        throw new SQLException("column " + (i + 1) + " has DuckDB type " + id + ", the writer expects " + expected[i]);
                    if (id == LIST) {
                        MemorySegment child = (MemorySegment) Api.call(Api.LIST_CHILD_TYPE, t);
                        int childId = (int) Api.call(Api.TYPE_ID, child);
                        holder.set(ValueLayout.ADDRESS, 0, child);
                        Api.call(Api.DESTROY_TYPE, holder);
                        if (childId != VARCHAR)
                            throw new SQLException("column " + (i + 1) + " is a list of type " + childId + ", the writer expects VARCHAR");
                    }
                }
                this.chunk = (MemorySegment) Api.call(Api.CREATE_CHUNK, typeArray, n);
            } finally {
                for (int i = 0; i < n; i++) {
                    MemorySegment t = typeArray.getAtIndex(ValueLayout.ADDRESS, i);
                    if (t.address() == 0) continue;
                    holder.set(ValueLayout.ADDRESS, 0, t);
                    Api.call(Api.DESTROY_TYPE, holder);
                }
            }
        }
        this.capacity = (int) (long) Api.call(Api.VECTOR_SIZE);
        int cols = types.length;
        vectors = new MemorySegment[cols];
        data = new MemorySegment[cols];
        validity = new MemorySegment[cols];
        childVector = new MemorySegment[cols];
        childData = new MemorySegment[cols];
        childValidity = new MemorySegment[cols];
        childSize = new long[cols];
        childCapacity = new long[cols];
        bindVectors();
    }

    /** Fails with the reason when this DuckDB driver's C API cannot be reached (checked when a store opens). */
    static void requireApi() throws SQLException {
        try {
            Api.COLUMN_COUNT.type();
        } catch (LinkageError e) {
            throw new SQLException("cannot write through DuckDB's C API with this JDBC driver: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** Looks up the chunk's vectors, their data and validity masks (again after every reset). */
    private void bindVectors() {
        for (int i = 0; i < types.length; i++) {
            MemorySegment v = (MemorySegment) Api.call(Api.GET_VECTOR, chunk, (long) i);
            vectors[i] = v;
            data[i] = ((MemorySegment) Api.call(Api.VECTOR_DATA, v)).reinterpret(capacity * width(types[i]));
            validity[i] = validityOf(v, capacity);
            if (types[i] == LIST) {
                childVector[i] = (MemorySegment) Api.call(Api.LIST_CHILD, v);
                childSize[i] = 0;
                childCapacity[i] = 0;
                childData[i] = MemorySegment.NULL;
                childValidity[i] = MemorySegment.NULL;
            }
        }
    }

    private static MemorySegment validityOf(MemorySegment vector, long rows) {
        Api.call(Api.ENSURE_VALIDITY, vector);
        return ((MemorySegment) Api.call(Api.VECTOR_VALIDITY, vector)).reinterpret((rows + 63) / 64 * 8);
    }

    private static long width(int type) {
        return switch (type) {
            case INTEGER -> 4;
            case BIGINT, TIMESTAMP -> 8;
            case VARCHAR, LIST -> 16; // string_t; list_entry (offset, length)
            default -> throw new IllegalArgumentException("unsupported column type " + type);
        };
    }

    void beginRow() {
        col = 0;
    }

    void endRow() throws SQLException {
        if (col != types.length)
            throw new SQLException("row " + row + ": " + col + " columns written, the table has " + types.length);
        if (++row == capacity) appendChunk();
    }

    void appendNull() {
        int c = next(-1);
        setNull(validity[c], row);
    }

    void append(int v) {
        data[next(INTEGER)].setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, row, v);
    }

    void append(long v) {
        data[next(BIGINT)].setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, row, v);
    }

    /** A TIMESTAMP column, in microseconds since the epoch. */
    void appendEpochMicros(long v) {
        data[next(TIMESTAMP)].setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, row, v);
    }

    void append(Integer v) {
        if (v == null) appendNull(); else append(v.intValue());
    }

    void append(Long v) {
        if (v == null) appendNull(); else append(v.longValue());
    }

    void append(String v) {
        int c = next(VARCHAR);
        if (v == null) setNull(validity[c], row);
        else putString(vectors[c], data[c], row, v);
    }

    /** A VARCHAR column from UTF-8 bytes, which DuckDB checks (up to 12 bytes are stored as they are). */
    void append(byte[] utf8) {
        int c = next(VARCHAR);
        if (utf8 == null) setNull(validity[c], row);
        else putString(vectors[c], data[c], row, utf8);
    }

    void append(List<String> v) {
        int c = next(LIST);
        if (v == null) {
            setNull(validity[c], row);
            return;
        }
        long offset = childSize[c];
        long size = offset + v.size();
        if (size > childCapacity[c]) reserveChild(c, Math.max(size, Math.max(capacity, childCapacity[c] * 2)));
        for (int i = 0; i < v.size(); i++) {
            String s = v.get(i);
            if (s == null) setNull(childValidity[c], offset + i);
            else putString(childVector[c], childData[c], offset + i, s);
        }
        childSize[c] = size;
        data[c].setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, 2L * row, offset);
        data[c].setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, 2L * row + 1, (long) v.size());
    }

    /** Grows a list column's child vector; its buffers move, so they are looked up again. */
    private void reserveChild(int c, long newCapacity) {
        Api.check(Api.LIST_RESERVE, vectors[c], newCapacity);
        MemorySegment child = (MemorySegment) Api.call(Api.LIST_CHILD, vectors[c]);
        childVector[c] = child;
        childData[c] = ((MemorySegment) Api.call(Api.VECTOR_DATA, child)).reinterpret(newCapacity * STRING_T);
        childValidity[c] = validityOf(child, newCapacity);
        childCapacity[c] = newCapacity;
    }

    private int next(int type) {
        int c = col++;
        if (c >= types.length) throw new IllegalStateException("more columns than the table's " + types.length);
        if (type >= 0 && types[c] != type)
            throw new IllegalStateException("column " + (c + 1) + " is of type " + types[c] + ", not " + type);
        return c;
    }

    private static void setNull(MemorySegment mask, long index) {
        long word = mask.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, index >>> 6);
        mask.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, index >>> 6, word & ~(1L << (index & 63)));
    }

    /**
     * A Java string: an ASCII one of up to 12 chars is written straight into the vector; others are encoded,
     * and DuckDB skips its UTF-8 check (Java's encoder only writes valid UTF-8).
     */
    private static void putString(MemorySegment vector, MemorySegment strings, long index, String s) {
        int n = s.length();
        if (n <= INLINE_MAX) {
            long lo = 0, hi = 0; // string_t, little-endian: length, then 12 bytes zero-padded (4 in lo, 8 in hi)
            int ascii = 0;
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                ascii |= ch;
                if (i < 4) lo |= (long) (ch & 0xFF) << (32 + 8 * i);
                else hi |= (long) (ch & 0xFF) << (8 * (i - 4));
            }
            if (ascii < 0x80) {
                long at = index * STRING_T;
                strings.set(ValueLayout.JAVA_LONG_UNALIGNED, at, lo | n);
                strings.set(ValueLayout.JAVA_LONG_UNALIGNED, at + 8, hi);
                return;
            }
        }
        putString(vector, strings, index, s.getBytes(StandardCharsets.UTF_8), Api.ASSIGN_VALID_STRING);
    }

    /** UTF-8 bytes from elsewhere (the raw line): DuckDB checks them. */
    private static void putString(MemorySegment vector, MemorySegment strings, long index, byte[] utf8) {
        putString(vector, strings, index, utf8, Api.ASSIGN_STRING);
    }

    private static void putString(MemorySegment vector, MemorySegment strings, long index, byte[] utf8, MethodHandle assign) {
        int length = utf8.length;
        if (length <= INLINE_MAX) {
            long at = index * STRING_T;
            strings.set(ValueLayout.JAVA_INT_UNALIGNED, at, length);
            strings.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, 0);
            strings.set(ValueLayout.JAVA_LONG_UNALIGNED, at + 8, 0);
            MemorySegment.copy(utf8, 0, strings, ValueLayout.JAVA_BYTE, at + 4, length);
        } else {
            try {
                assign.invokeExact(vector, index, MemorySegment.ofArray(utf8), (long) length);
            } catch (Throwable t) {
                throw Api.rethrow(t);
            }
        }
    }

    /** Hands the filled rows to the appender and starts a new chunk. */
    private void appendChunk() throws SQLException {
        if (row == 0) return;
        for (int c = 0; c < types.length; c++)
            if (types[c] == LIST) Api.check(Api.LIST_SET_SIZE, vectors[c], childSize[c]);
        Api.call(Api.SET_SIZE, chunk, (long) row);
        int state = (int) Api.call(Api.APPEND_CHUNK, appender, chunk);
        Api.call(Api.RESET_CHUNK, chunk);
        row = 0;
        bindVectors();
        if (state != 0) {
            MemorySegment msg = (MemorySegment) Api.call(Api.APPENDER_ERROR, appender);
            throw new SQLException("DuckDB refused a chunk of rows: "
                    + (msg.address() == 0 ? "no reason given" : msg.reinterpret(4096).getString(0)));
        }
    }

    /** Hands the last rows to the appender and frees the chunk. */
    @Override public void close() throws SQLException {
        if (closed) return;
        try {
            appendChunk();
        } finally {
            discard();
        }
    }

    /** Frees the chunk without handing its rows to the appender (a transaction being rolled back). */
    void discard() {
        if (closed) return;
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment holder = a.allocate(ValueLayout.ADDRESS);
            holder.set(ValueLayout.ADDRESS, 0, chunk);
            Api.call(Api.DESTROY_CHUNK, holder);
        }
    }

    /** DuckDB's C API, from the library the JDBC driver loaded (same class loader). */
    static final class Api {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup LIB = SymbolLookup.loaderLookup();
        private static final ValueLayout.OfLong IDX = ValueLayout.JAVA_LONG;
        private static final ValueLayout ADDR = ValueLayout.ADDRESS;
        private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

        static final MethodHandle COLUMN_COUNT = fn("duckdb_appender_column_count", FunctionDescriptor.of(IDX, ADDR));
        static final MethodHandle COLUMN_TYPE = fn("duckdb_appender_column_type", FunctionDescriptor.of(ADDR, ADDR, IDX));
        static final MethodHandle TYPE_ID = fn("duckdb_get_type_id", FunctionDescriptor.of(INT, ADDR));
        static final MethodHandle LIST_CHILD_TYPE = fn("duckdb_list_type_child_type", FunctionDescriptor.of(ADDR, ADDR));
        static final MethodHandle DESTROY_TYPE = fn("duckdb_destroy_logical_type", FunctionDescriptor.ofVoid(ADDR));
        static final MethodHandle CREATE_CHUNK = fn("duckdb_create_data_chunk", FunctionDescriptor.of(ADDR, ADDR, IDX));
        static final MethodHandle DESTROY_CHUNK = fn("duckdb_destroy_data_chunk", FunctionDescriptor.ofVoid(ADDR));
        static final MethodHandle RESET_CHUNK = fn("duckdb_data_chunk_reset", FunctionDescriptor.ofVoid(ADDR));
        static final MethodHandle SET_SIZE = fn("duckdb_data_chunk_set_size", FunctionDescriptor.ofVoid(ADDR, IDX));
        static final MethodHandle GET_VECTOR = fn("duckdb_data_chunk_get_vector", FunctionDescriptor.of(ADDR, ADDR, IDX));
        static final MethodHandle VECTOR_SIZE = fn("duckdb_vector_size", FunctionDescriptor.of(IDX));
        static final MethodHandle VECTOR_DATA = fn("duckdb_vector_get_data", FunctionDescriptor.of(ADDR, ADDR));
        static final MethodHandle VECTOR_VALIDITY = fn("duckdb_vector_get_validity", FunctionDescriptor.of(ADDR, ADDR));
        static final MethodHandle ENSURE_VALIDITY = fn("duckdb_vector_ensure_validity_writable", FunctionDescriptor.ofVoid(ADDR));
        static final MethodHandle LIST_CHILD = fn("duckdb_list_vector_get_child", FunctionDescriptor.of(ADDR, ADDR));
        static final MethodHandle LIST_SET_SIZE = fn("duckdb_list_vector_set_size", FunctionDescriptor.of(INT, ADDR, IDX));
        static final MethodHandle LIST_RESERVE = fn("duckdb_list_vector_reserve", FunctionDescriptor.of(INT, ADDR, IDX));
        static final MethodHandle APPEND_CHUNK = fn("duckdb_append_data_chunk", FunctionDescriptor.of(INT, ADDR, ADDR));
        static final MethodHandle APPENDER_ERROR = fn("duckdb_appender_error", FunctionDescriptor.of(ADDR, ADDR));
        /** Reads the Java array in place (critical: no copy; DuckDB copies the bytes into the vector). */
        static final MethodHandle ASSIGN_STRING = LINKER.downcallHandle(symbol("duckdb_vector_assign_string_element_len"),
                FunctionDescriptor.ofVoid(ADDR, IDX, ADDR, IDX), Linker.Option.critical(true));
        /** The same without DuckDB's UTF-8 check, for bytes Java's UTF-8 encoder wrote. */
        static final MethodHandle ASSIGN_VALID_STRING = LINKER.downcallHandle(
                symbol("duckdb_unsafe_vector_assign_string_element_len"),
                FunctionDescriptor.ofVoid(ADDR, IDX, ADDR, IDX), Linker.Option.critical(true));

        private static final Field APPENDER_REF;

        static {
            try {
                APPENDER_REF = DuckDBAppender.class.getDeclaredField("appenderRef");
                APPENDER_REF.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new ExceptionInInitializerError("this DuckDB JDBC driver keeps its C appender elsewhere: " + e);
            }
        }

        private Api() {
        }

        /** The C API {@code duckdb_appender} of a JDBC appender (the address its buffer wraps). */
        static MemorySegment handleOf(DuckDBAppender jdbc) throws SQLException {
            try {
                ByteBuffer ref = (ByteBuffer) APPENDER_REF.get(jdbc);
                if (ref == null || !ref.isDirect()) throw new SQLException("the appender is closed");
                MemorySegment handle = MemorySegment.ofBuffer(ref);
                return MemorySegment.ofAddress(handle.address());
            } catch (IllegalAccessException e) {
                throw new SQLException("cannot reach the DuckDB appender: " + e.getMessage(), e);
            }
        }

        private static MemorySegment symbol(String name) {
            return LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                    name + " not found: DuckDB's library is loaded by the JDBC driver before the store opens"));
        }

        private static MethodHandle fn(String name, FunctionDescriptor d) {
            return LINKER.downcallHandle(symbol(name), d);
        }

        static Object call(MethodHandle h, Object... args) {
            try {
                return h.invokeWithArguments(args);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        static void check(MethodHandle h, MemorySegment vector, long n) {
            int state = (int) call(h, vector, n);
            if (state != 0) throw new IllegalStateException("DuckDB could not size a list of " + n + " values");
        }

        static RuntimeException rethrow(Throwable t) {
            if (t instanceof RuntimeException r) return r;
            if (t instanceof Error e) throw e;
            return new IllegalStateException(t);
        }
    }
}
