#!/bin/sh
# Installs the SSZ oracle's pinned npm dependencies into $1 (the build tree). A failure (no npm
# registry) is reported but does not stop the build: the oracle test then fails and says why.
cd "$1" || exit 1
npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
  echo "tests/ssz: npm ci failed in $1; the SSZ oracle test will fail"
exit 0
