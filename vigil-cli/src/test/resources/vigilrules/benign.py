# VigilRulesIT, benign side: the same kinds of behaviour done the way an application does them. Run directly
# by the sensor (no shell) under a name no rule knows (a link "myapp" to python3).
#   benign.py DNS_PORT
import os, socket, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
port = sys.argv[1]
# a program of the image, not one written in the container
subprocess.run(["/bin/true"], check=True)
# a DNS query for an ordinary domain
subprocess.run([sys.executable, os.path.join(here, "dns_query.py"), "www.example.org", port], check=True)
# the application itself fetches its token from the managed identity endpoint
socket.create_connection(("127.0.0.1", 42356), timeout=5).close()
# a process reads its own environment
subprocess.run(["cat", "/proc/self/environ"], stdout=subprocess.DEVNULL, check=True)
print("vigil rules benign done")
