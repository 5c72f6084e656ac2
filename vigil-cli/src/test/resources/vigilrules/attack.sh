#!/bin/bash
# VigilRulesIT, attack side: the behaviours the serverless rules of rules/vigil_rules.yaml look for. Nothing
# leaves loopback: the DNS query goes to a closed UDP port on 127.0.0.1, the identity endpoint is the test's
# listener on 127.0.0.1:42356.
#   attack.sh PYTHON DNS_PORT
PY=$1 DNS_PORT=$2
T=$(mktemp -d /tmp/vigil-vr-XXXXXX)
trap 'rm -rf "$T"' EXIT
D=$(dirname "$0")

# Vigil Drift: Executable Written Then Run (a copy of true, made executable, run)
cp /bin/true "$T/payload" && chmod +x "$T/payload" && "$T/payload"

# Vigil DNS Query for Cryptomining Pool
"$PY" "$D/dns_query.py" pool.supportxmr.com "$DNS_PORT"

# Vigil Managed Identity Endpoint from Shell or Tool (a shell connects to IDENTITY_ENDPOINT)
exec 3<>/dev/tcp/127.0.0.1/42356 && exec 3>&-

# Vigil Read Environment of Another Process (the shell's, read by cat)
cat /proc/$$/environ > /dev/null
echo "vigil rules attack done"
