#!/usr/bin/env bash
# One shard of a `stele spec run` per Slurm array task: task I of an array 0..N-1 runs
#   stele spec run --shard I/N --jsonl OUTDIR/shard-I.jsonl -j CPUS [OPTIONS...] FIXTURES
# the same command that GNU parallel and the Kubernetes Indexed Job (k8s-indexed-job.yaml) run.
#
#   jid=$(sbatch --parsable --array=0-15 scripts/shard/slurm-array.sh \
#           /shared/fixtures/blockchain_tests /shared/stele-out --mode guest)
#   sbatch --dependency=afterany:$jid --wrap \
#     "stele report merge /shared/stele-out/shard-*.jsonl --format markdown --out /shared/stele-out/summary.md"
#
# The array must be exactly 0-(N-1) (a throttle such as --array=0-15%4 is fine): N is the
# array's task count, and the script refuses other index sets rather than silently leaving tests
# out. FIXTURES and OUTDIR must be on a file system every node sees. STELE names the binary
# (default: `stele` on PATH; for --mode guest use the build tree's build/cli/stele, which finds
# the validator ELF next to it, or pass --guest-elf FILE). A shard whose tests fail still ends
# the task successfully (its JSON lines record the failures; `stele report merge` exits 1 on
# them); a crash, a usage error or a kill fails the task, and the merge then reports the shard
# as missing or unfinished.
#SBATCH --job-name=stele-spec
#SBATCH --cpus-per-task=4
#SBATCH --time=04:00:00
#SBATCH --output=stele-spec-%A_%a.log
set -euo pipefail

usage="usage: sbatch --array=0-(N-1) $0 FIXTURES OUTDIR [spec run options...]"
fixtures=${1:?$usage}
out=${2:?$usage}
shift 2
: "${SLURM_ARRAY_TASK_ID:?not an array task: $usage}"
n=${SLURM_ARRAY_TASK_COUNT:?not an array task: $usage}
if [ "${SLURM_ARRAY_TASK_MIN:-0}" != 0 ] || [ "${SLURM_ARRAY_TASK_MAX:-$((n - 1))}" != $((n - 1)) ]; then
  echo "slurm-array.sh: the array must be 0-$((n - 1)) (got ${SLURM_ARRAY_TASK_MIN}-${SLURM_ARRAY_TASK_MAX} with $n tasks)" >&2
  exit 2
fi
i=$SLURM_ARRAY_TASK_ID
mkdir -p "$out"
rc=0
"${STELE:-stele}" spec run --shard "$i/$n" --jsonl "$out/shard-$i.jsonl" \
  -j "${SLURM_CPUS_PER_TASK:-1}" "$@" "$fixtures" > "$out/shard-$i.txt" || rc=$?
# 0: all passed; 1: some test failed (recorded in the JSON lines); anything else: a real failure.
[ "$rc" -le 1 ]
