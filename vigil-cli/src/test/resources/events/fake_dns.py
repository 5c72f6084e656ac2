"""A fake DNS server for EventsIT, on 127.0.0.1 (UDP and TCP, port argv[1], default 53).

shop.vigil.test  -> CNAME edge.vigil.test -> A 127.0.0.7 / AAAA ::7
edge.vigil.test  -> A 127.0.0.7 / AAAA ::7
loop.vigil.test  -> an answer whose owner name is a compression pointer to itself (a loop)
anything else    -> NXDOMAIN
Prints "ready" once both sockets listen; runs until killed.
"""
import socket
import struct
import sys
import threading

DOMAIN_A = {"shop.vigil.test": "127.0.0.7", "edge.vigil.test": "127.0.0.7"}
DOMAIN_AAAA = {"shop.vigil.test": "::7", "edge.vigil.test": "::7"}
CNAMES = {"shop.vigil.test": "edge.vigil.test"}


def encode(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def parse_question(msg):
    pos, labels = 12, []
    while msg[pos]:
        n = msg[pos]
        labels.append(msg[pos + 1:pos + 1 + n].decode().lower())
        pos += 1 + n
    qtype, = struct.unpack("!H", msg[pos + 1:pos + 3])
    return ".".join(labels), qtype, msg[12:pos + 5]


def rr(name_bytes, rtype, rdata, ttl=60):
    return name_bytes + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def answer(query):
    qid, = struct.unpack("!H", query[:2])
    name, qtype, question = parse_question(query)
    answers, rcode = [], 0
    if name == "loop.vigil.test":
        offset = 12 + len(question)  # the answer's owner name points at itself
        answers.append(struct.pack("!H", 0xC000 | offset) + struct.pack("!HHIH", qtype, 1, 60, 4) + b"\x7f\0\0\x09")
    elif name in DOMAIN_A:
        owner = b"\xc0\x0c"
        if name in CNAMES:
            answers.append(rr(owner, 5, encode(CNAMES[name])))
            owner = encode(CNAMES[name])
        if qtype == 1:
            answers.append(rr(owner, 1, socket.inet_pton(socket.AF_INET, DOMAIN_A[name])))
        elif qtype == 28:
            answers.append(rr(owner, 28, socket.inet_pton(socket.AF_INET6, DOMAIN_AAAA[name])))
    else:
        rcode = 3
    header = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, len(answers), 0, 0)
    return header + question + b"".join(answers)


def serve_udp(sock):
    while True:
        data, peer = sock.recvfrom(4096)
        try:
            sock.sendto(answer(data), peer)
        except Exception as e:  # a malformed query: no answer
            print("udp:", e, file=sys.stderr, flush=True)


def serve_tcp_conn(conn):
    with conn:
        while True:
            head = conn.recv(2, socket.MSG_WAITALL)
            if len(head) < 2:
                return
            n, = struct.unpack("!H", head)
            reply = answer(conn.recv(n, socket.MSG_WAITALL))
            conn.sendall(struct.pack("!H", len(reply)) + reply)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_conn, args=(conn,), daemon=True).start()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 53
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", port))
    tcp.listen(16)
    threading.Thread(target=serve_udp, args=(udp,), daemon=True).start()
    print("ready", flush=True)
    serve_tcp(tcp)


if __name__ == "__main__":
    main()
