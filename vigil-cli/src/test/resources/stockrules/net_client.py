"""Clients for StockRulesIT's network group (inside the private network namespace, see netns_servers.py).

  net_client.py tcp HOST PORT          connect and close
  net_client.py udp HOST PORT          connect a UDP socket (sends nothing) and close
  net_client.py resolve-connect NAME PORT
      asks the DNS server on 127.0.0.1:53 for NAME's A record (sendto/recvfrom, as a resolver does),
      then connects to the answer
"""
import socket, struct, sys

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "tcp":
    s = socket.create_connection((host, port), timeout=3)
    s.close()
elif mode == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((host, port))
    s.close()
elif mode == "resolve-connect":
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in host.split(".")) + b"\x00" + struct.pack(">HH", 1, 1)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    u.sendto(q, ("127.0.0.1", 53))
    a, _ = u.recvfrom(512)
    ip = socket.inet_ntoa(a[-4:])
    print("resolved", host, ip)
    s = socket.create_connection((ip, port), timeout=3)
    s.close()
