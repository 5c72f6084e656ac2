#!/bin/bash
# StockRulesIT, network group: run as "unshare -n network.sh MODE PYTHON DIR", in a private network namespace
# whose only device is its own loopback, carrying 169.254.169.254, 198.51.100.7-9 (TEST-NET-2) and 127.0.0.1:
# connections to those "remote" addresses never leave the machine. MODE=attack connects as the stock rules
# look for; MODE=benign makes the connections of the same kind that they must not report.
MODE=$1 PY=$2 D=$3
T=$(mktemp -d /tmp/vigil-st-XXXXXX)
S=
trap '[ -n "$S" ] && kill $S; rm -rf "$T"' EXIT
attack() { [ "$MODE" = attack ]; }
ip link set lo up && ip addr add 169.254.169.254/32 dev lo && ip addr add 198.51.100.7/32 dev lo \
  && ip addr add 198.51.100.8/32 dev lo && ip addr add 198.51.100.9/32 dev lo || { echo "netns set-up failed" >&2; exit 9; }
"$PY" "$D/netns_servers.py" "$T/ready" & S=$!
for i in $(seq 200); do [ -e "$T/ready" ] && break; sleep 0.05; done
SSH="ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=3"

# Contact EC2 Instance Metadata Service From Container; benign: another non-local address
if attack; then "$PY" "$D/net_client.py" tcp 169.254.169.254 80; else "$PY" "$D/net_client.py" tcp 198.51.100.7 80; fi

# Disallowed SSH Connection Non Standard Port (4444); benign: ssh to the standard port
if attack; then $SSH -p 4444 198.51.100.7 true; else $SSH -p 22 198.51.100.7 true; fi 2>/dev/null

# System procs network activity (a shell connects out); benign: a shell connects to loopback
if attack; then bash -c 'exec 3<>/dev/tcp/198.51.100.7/8080'; else bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080'; fi

# Unexpected UDP Traffic (a UDP socket connected to an unexpected port: sends nothing); benign: port 53
if attack; then "$PY" "$D/net_client.py" udp 198.51.100.7 9999; else "$PY" "$D/net_client.py" udp 198.51.100.7 53; fi

# Contact K8S API Server From Container (a name resolved through DNS, then connected to); benign: another name
if attack; then "$PY" "$D/net_client.py" resolve-connect kubernetes.default.svc.cluster.local 443
else "$PY" "$D/net_client.py" resolve-connect example.internal 443; fi
echo "network $MODE done"
