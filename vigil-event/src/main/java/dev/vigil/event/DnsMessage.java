package dev.vigil.event;

import java.util.List;

/**
 * A DNS query sent or an answer received by the workload, parsed from the socket payload.
 *
 * @param response  false for a query, true for an answer
 * @param transport "udp" or "tcp"
 * @param server    the DNS server's address when known
 * @param id        the DNS message id
 * @param rcode     response code (0 = NOERROR, 3 = NXDOMAIN); 0 for queries
 * @param questions the question section
 * @param answers   the answer records of types A, AAAA and CNAME
 * @param problem   null when the payload parsed fully, else what could not be read (truncated, loop, ...)
 */
public record DnsMessage(EventHeader header, ProcessInfo process, String syscall, boolean response,
                         String transport, SockAddr server, int id, int rcode, List<Question> questions,
                         List<Answer> answers, String problem) implements Event {
    /** One question: name and type (A, AAAA, TXT, or TYPE&lt;n&gt;). */
    public record Question(String name, String type) {}

    /** One answer: owner name, type, data (address or canonical name), TTL in seconds. */
    public record Answer(String name, String type, String data, long ttl) {}

    public DnsMessage {
        questions = questions == null ? List.of() : List.copyOf(questions);
        answers = answers == null ? List.of() : List.copyOf(answers);
    }
    @Override public String kind() { return response ? "dns.answer" : "dns.query"; }
    @Override public String evtType() { return syscall; }
}
