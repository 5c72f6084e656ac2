# Sends one DNS query (type A) for NAME to 127.0.0.1:PORT over UDP; no answer is awaited.
#   dns_query.py NAME PORT
import socket, struct, sys

name, port = sys.argv[1], int(sys.argv[2])
header = struct.pack(">HHHHHH", 0x2a2a, 0x0100, 1, 0, 0, 0)
qname = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(header + qname + struct.pack(">HH", 1, 1), ("127.0.0.1", port))
s.close()
