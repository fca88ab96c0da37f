#!/usr/bin/env bash
# Prints the home of an installed JDK of the version the image runs (Java 25), looked for where Linux distributions
# and JDK packages put them; prints nothing when there is none. RELAY_IMAGE_JAVA_HOME, when set, wins.
set -euo pipefail
if [ -n "${RELAY_IMAGE_JAVA_HOME:-}" ]; then
  echo "$RELAY_IMAGE_JAVA_HOME"
  exit 0
fi
for home in /usr/lib/jvm/*-25-* /usr/lib/jvm/*-25 /usr/lib/jvm/jdk-25*; do
  if [ -x "$home/bin/java" ]; then
    echo "$home"
    exit 0
  fi
done
