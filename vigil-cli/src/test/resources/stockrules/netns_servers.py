"""Servers for StockRulesIT's network group, run inside a private network namespace (unshare -n), where every
address used is on the namespace's own loopback device: nothing can leave the machine.

  netns_servers.py READY_FILE
TCP listeners on 0.0.0.0 ports 22, 80, 443, 4444, 8080 that accept and close; a DNS server on 127.0.0.1:53 that
answers A queries for kubernetes.default.svc.cluster.local with 198.51.100.8, any other name with 198.51.100.9. Writes READY_FILE when listening; runs until killed.
"""
import socket, struct, sys, threading


def tcp(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)

    def loop():
        while True:
            c, _ = s.accept()
            c.close()
    threading.Thread(target=loop, daemon=True).start()


def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 53))

    def loop():
        while True:
            q, addr = s.recvfrom(512)
            # header: same id, QR|RD|RA, 1 question, 1 answer; the question copied; answer: pointer to the name
            qid = q[:2]
            question = q[12:]
            ip = "198.51.100.8" if b"\x0akubernetes\x07default" in question else "198.51.100.9"
            answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(ip)
            s.sendto(qid + b"\x81\x80" + struct.pack(">HHHH", 1, 1, 0, 0) + question + answer, addr)
    threading.Thread(target=loop, daemon=True).start()


for p in (22, 80, 443, 4444, 8080):
    tcp(p)
dns()
open(sys.argv[1], "w").close()
threading.Event().wait()
