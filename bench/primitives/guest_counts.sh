#!/usr/bin/env bash
# Guest instruction counts of single primitives on RV64IM, measured under qemu-riscv64:
# -singlestep with -d exec,nochain logs one "Trace" line per executed instruction. Each
# primitive runs once and twice; the difference is its cost alone (start-up excluded).
# Usage: bench/primitives/guest_counts.sh [build-dir]   (needs build/guest/tests/guest/prim_bench)
set -euo pipefail
build=${1:-build}
elf=$build/guest/tests/guest/prim_bench.linux.elf
[ -f "$elf" ] || { echo "missing $elf: build first" >&2; exit 1; }
# secp256k1 signature of the message 01..20 by private key 1 (r ‖ s ‖ recid), from libsecp256k1.
sig=d5ebc88d029956fde425fcd18bcd79824ca3d8b1fde30743ec8add79f07abf331d0cbe5f24aac4c3366d72c8f717ff8815fc0074060f168401d7967bbae7a808
recid=00

count() {  # op count -> executed instructions
  local op=$1 n=$2
  python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' \
    "$(printf '%02x%02x000000%s%s' "$op" "$n" "$sig" "$recid")" |
    qemu-riscv64 -singlestep -d exec,nochain -D /dev/stderr "$elf" 2>&1 >/dev/null |
    grep -c '^Trace'
}

echo "| primitive (RV64IM, software) | instructions |"
echo "|---|---|"
for entry in "1:Keccak-f[1600] permutation" "3:100 secp256k1 field multiplications (4x64, reduced)" \
             "2:secp256k1 public-key recovery" "5:modexp 256-bit base/exponent/modulus" \
             "4:MPT root of 1,000 random 32-byte keys"; do
  op=${entry%%:*}
  name=${entry#*:}
  one=$(count "$op" 1)
  two=$(count "$op" 2)
  echo "| $name | $((two - one)) |"
done
