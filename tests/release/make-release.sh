#!/usr/bin/env bash
# Test fixture: a throwaway minisign key pair (never committed) and a release signed with it.
# Usage: make-release.sh SOURCE_DIR WORK_DIR  -> WORK_DIR/{test.key,test.pub,release/}
set -euo pipefail
src="$1" work="$2"
rm -rf "$work"
mkdir -p "$work"
minisign -G -W -p "$work/test.pub" -s "$work/test.key" >/dev/null
# --allow-dirty: tests also run in working trees with uncommitted changes.
"$src/scripts/release" --key "$work/test.key" --out "$work/release" --build-dir "$work/build" \
  --allow-dirty
