#!/bin/bash
# StockRulesIT, file group: file behaviours the stock Falco rules look for (MODE=attack), or the benign
# behaviour of the same kind for each (MODE=benign). Scratch files outside $T are named vigil-st-<random>
# and removed again; nothing existing is modified. Runs as root.
#   files.sh attack|benign HOSTDIR
# HOSTDIR: /host, /hostfs or /rootfs, one that does not exist: created for the host-path rule, then removed.
MODE=$1 HOSTDIR=$2
R=$$$RANDOM
T=$(mktemp -d /tmp/vigil-st-XXXXXX)
# on any exit, remove what is left (only what exists: a removal is itself something the rules look at)
trap 'for f in "$T" /etc/vigil-st-*-$R /etc/cron.vigil-st-$R /dev/vigil-st-$R /dev/shm/vigil-st-$R \
  /etc/apt/sources.list.d/vigil-st-$R.list /usr/bin/vigil-st-$R /usr/bin/vigil-st-d-$R /usr/local/bin/vigil-st-$R \
  /vigil-st-$R /var/lib/rpm-vigil-st-$R /var/tmp/vigil-st-$R "$HOSTDIR"; do [ -e "$f" ] && rm -rf "$f"; done' EXIT
attack() { [ "$MODE" = attack ]; }
cd "$T" || exit 1

# Read sensitive file untrusted
if attack; then cat /etc/shadow; else cat /etc/hostname; fi > /dev/null

# Search Private Keys or Passwords (grep and find)
printf 'x\n-----BEGIN RSA PRIVATE KEY-----\nhello\n' > "$T/key.pem"
if attack; then grep -rl "BEGIN RSA PRIVATE" "$T"; find "$T" -name id_rsa; else grep -rl hello "$T"; find "$T" -name notes.txt; fi > /dev/null

# Find AWS Credentials (grep and find)
if attack; then grep -r aws_secret_access_key "$T"; find "$T" -path "*/.aws/credentials"; else grep -r region "$T"; find "$T" -path "*/.aws/config"; fi

# Clear Log Activities: truncating a log file
if attack; then : > "$T/auth.log"; else echo line >> "$T/auth.log"; : > "$T/app.txt"; fi

# Remove Bulk Data from Disk
echo data > "$T/victim"
if attack; then shred -u "$T/victim"; else rm "$T/victim"; fi

# Create Symlink Over Sensitive Files
if attack; then ln -s /etc/shadow "$T/s1"; else ln -s /etc/hostname "$T/s1"; fi

# Create Hardlink Over Sensitive Files (a hard link must stay on the file system: made below /etc, removed)
if attack; then ln /etc/shadow /etc/vigil-st-hl-$R && rm /etc/vigil-st-hl-$R; else ln "$T/key.pem" "$T/k2"; fi

# Set Setuid or Setgid bit
touch "$T/f1"
if attack; then chmod u+s "$T/f1"; else chmod 755 "$T/f1"; fi

# Execution from /dev/shm (benign: a program of the image: a copy run elsewhere would be drift, below)
if attack; then cp /bin/true /dev/shm/vigil-st-$R && /dev/shm/vigil-st-$R; rm -f /dev/shm/vigil-st-$R
else /bin/true; fi

# Drop and execute new binary in container: a program written in the container, made executable, run;
# benign: a program that was not written (the sensor saw no write of it)
if attack; then mkdir "$T/drop" && cp /bin/true "$T/drop/payload" && chmod +x "$T/drop/payload" && "$T/drop/payload"
else /bin/true; fi

# Modify Shell Configuration File
if attack; then touch "$T/.bashrc"; else touch "$T/notes.txt"; fi

# Schedule Cron Jobs: a file written below /etc/cron*
if attack; then touch /etc/cron.vigil-st-$R; rm -f /etc/cron.vigil-st-$R; else ls /etc > /dev/null; fi

# Read ssh information
if attack; then ls /root/.ssh; else ls /root; fi > /dev/null

# Create files below dev
if attack; then touch /dev/vigil-st-$R; rm -f /dev/vigil-st-$R; else echo > /dev/null; fi

# Launch Package Management Process in Container
if attack; then dpkg -l > /dev/null; else ls /var/lib/dpkg > /dev/null; fi

# Delete or rename shell history (unlink, rename, truncate)
if attack; then echo x > "$T/.zsh_history"; ln -s /dev/null "$T/.bash_history"; rm "$T/.bash_history"; : > "$T/.zsh_history"; rm "$T/.zsh_history"
else echo x > "$T/a"; mv "$T/a" "$T/b"; rm "$T/b"; fi

# Read environment variable from /proc files
if attack; then cat /proc/$$/environ; else cat /proc/$$/status; fi > /dev/null

# Update Package Repository
if attack; then touch /etc/apt/sources.list.d/vigil-st-$R.list; rm -f /etc/apt/sources.list.d/vigil-st-$R.list
else ls /etc/apt/sources.list.d > /dev/null; fi

# Write below binary dir / Modify binary dirs (its removal)
if attack; then touch /usr/bin/vigil-st-$R; rm -f /usr/bin/vigil-st-$R; else cat /usr/bin/true > /dev/null; fi

# Write below monitored dir
if attack; then touch /usr/local/bin/vigil-st-$R; rm -f /usr/local/bin/vigil-st-$R; else ls /usr/local/bin > /dev/null; fi

# Write below etc
if attack; then touch /etc/vigil-st-w-$R; rm -f /etc/vigil-st-w-$R; else cat /etc/hostname > /dev/null; fi

# Write below root (a file directly below /)
if attack; then touch /vigil-st-$R; rm -f /vigil-st-$R; else touch "$T/r"; fi

# Write below rpm database (the rule tests the prefix /var/lib/rpm)
if attack; then touch /var/lib/rpm-vigil-st-$R; rm -f /var/lib/rpm-vigil-st-$R; else touch /var/tmp/vigil-st-$R; rm -f /var/tmp/vigil-st-$R; fi

# Mkdir binary dirs (and Modify binary dirs: its rmdir)
if attack; then mkdir /usr/bin/vigil-st-d-$R; rmdir /usr/bin/vigil-st-d-$R; else mkdir "$T/d"; rmdir "$T/d"; fi

# Detect crypto miners using the Stratum protocol
if attack; then /bin/echo stratum+tcp://127.0.0.1:3333; else /bin/echo tcp://127.0.0.1:3333; fi > /dev/null

# Decoding Payload in Container
if attack; then echo aGVsbG8= | base64 -d; else echo hello | base64; fi > /dev/null

# Kubernetes Client Tool Launched in Container (no server contacted)
if attack; then kubectl version --client; else /bin/echo kubectl; fi > /dev/null 2>&1
# Exfiltrating Artifacts via Kubernetes Control Plane ("kubectl cp": tar started by the container runtime,
# no terminal, reading a non-system file); benign: tar started by a shell
cp /bin/dash "$T/conmon"; echo data > "$T/artifact"
# (into a file: GNU tar does not read what it would archive to /dev/null)
if attack; then "$T/conmon" -c "tar cf - $T/artifact; true"; else tar cf - "$T/artifact"; fi > "$T/a.tar" 2>/dev/null

# Container Access to Host Sensitive Paths (a file below /host, /hostfs or /rootfs); benign: the same below $T
mkdir -p "$T/$HOSTDIR"; echo x > "$T/$HOSTDIR/f"
if attack; then [ ! -e "$HOSTDIR" ] && mkdir "$HOSTDIR" && echo x > "$HOSTDIR/vigil-st-$R" && cat "$HOSTDIR/vigil-st-$R" > /dev/null
  rm -rf "$HOSTDIR"
else cat "$T/$HOSTDIR/f" > /dev/null; fi
echo "files $MODE done"
