"""Workload for EventsIT: resolves names through glibc (getaddrinfo, getent), connects to the address found,
and sends a DNS query over TCP. Prints what it learnt; the same with and without the sensor."""
import socket
import struct
import subprocess
import sys

# glibc's resolver: A and AAAA for a name behind a CNAME
infos = socket.getaddrinfo("shop.vigil.test", 80, type=socket.SOCK_STREAM)
print("getaddrinfo", sorted({i[4][0] for i in infos}))

# a connection to the address the name resolved to
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.7", 0))
server.listen(1)
port = server.getsockname()[1]
print("addr listen", port, file=sys.stderr)
client = socket.create_connection(("127.0.0.7", port))
conn, _ = server.accept()
client.sendall(b"hello")
print("connected", conn.recv(5).decode())
for s in (client, conn, server):
    s.close()

# a name whose answer has a compression loop: the resolver rejects it
try:
    socket.getaddrinfo("loop.vigil.test", 80)
    print("loop resolved")
except socket.gaierror as e:
    print("loop failed", e.errno)

# getent goes through NSS (hosts: files dns) like any C program
out = subprocess.run(["getent", "ahosts", "shop.vigil.test"], capture_output=True, text=True)
print("getent", out.returncode, sorted({line.split()[0] for line in out.stdout.splitlines()}))

# a DNS query over TCP: two-byte length, then the message
query = struct.pack("!HHHHHH", 0x5151, 0x0100, 1, 0, 0, 0) + b"\x03tcp\x05vigil\x04test\x00" + struct.pack("!HH", 1, 1)
with socket.create_connection(("127.0.0.1", 53)) as t:
    t.sendall(struct.pack("!H", len(query)) + query)
    n, = struct.unpack("!H", t.recv(2, socket.MSG_WAITALL))
    reply = t.recv(n, socket.MSG_WAITALL)
    print("tcp rcode", reply[3] & 0xF)
