# Sourced by ./vigil, scripts/test and .ci/run: sets JAVA_HOME to a JDK >= 22 (FFM is final from 22; the
# build targets 25). Order: $JAVA_HOME if it qualifies, then the JDKs installed under /usr/lib/jvm and
# /opt, newest first. Prints a clear error and returns 1 when there is none.
vigil_jdk_major() { # JDK home -> major version, or nothing
    local rel="$1/release" v
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$rel" ] || return 0
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
    echo "$v"
}
vigil_find_jdk() {
    local want=${VIGIL_MIN_JDK:-25} cand m
    if [ -n "${JAVA_HOME:-}" ]; then
        m=$(vigil_jdk_major "$JAVA_HOME")
        if [ -n "$m" ] && [ "$m" -ge "$want" ]; then export JAVA_HOME; return 0; fi
    fi
    for cand in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
        m=$(vigil_jdk_major "$cand")
        if [ -n "$m" ] && [ "$m" -ge "$want" ]; then export JAVA_HOME="$cand"; return 0; fi
    done
    echo "vigil: no JDK >= $want found (looked at JAVA_HOME and /usr/lib/jvm, /opt). Install a Temurin 25 JDK or set JAVA_HOME." >&2
    return 1
}
# Maven 3.8's bundled Guava warns on Java 25; the warning is noise, not a problem of ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
