package dev.vigil.output.ship;

import java.util.List;

/** Where batches go: the hunt server over HTTP, or Kafka. Used by the one shipper thread only. */
public interface Transport extends AutoCloseable {
    /** What became of one batch. */
    enum Outcome {
        /** Accepted: the batch may be acknowledged in the spool. */
        OK,
        /** Not accepted now (network, 5xx, 429, auth): retry the same batch after a backoff. */
        RETRY,
        /** The receiver refuses the batch as too large: split it. */
        TOO_LARGE
    }

    /** The outcome and, for logs and counters, a reason and the number of lines the receiver refused as invalid. */
    record Result(Outcome outcome, String reason, long refusedLines) {
        static Result ok(long refused) {
            return new Result(Outcome.OK, "", refused);
        }

        static Result retry(String reason) {
            return new Result(Outcome.RETRY, reason, 0);
        }
    }

    /** Sends one batch of JSON lines (records of {@code types}: 1 event, 2 alert). */
    Result send(List<byte[]> lines, List<Byte> types);

    @Override void close();
}
