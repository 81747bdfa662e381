#!/usr/bin/env bash
# Sharded corpus runs: `stele spec run --shard I/N --jsonl` and `stele report merge` on a sample
# of the EEST blockchain tests, run directly, through GNU parallel, through the Slurm array
# script and through the Kubernetes Indexed Job's command (scripts/shard/).
#   shard_test.sh CHECK STELE SOURCE_DIR EEST_BLOCKCHAIN_TESTS WORK_DIR
# CHECK: arguments | partition | guest | parallel | slurm | k8s. Exit 77: skipped (reason printed).
set -euo pipefail
check=$1 stele=$2 src=$3 eest=$4 work=$5/$1
compare="python3 $src/tests/shard/compare.py"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() {
  echo "FAIL: $*"
  exit 1
}
# run EXPECTED_RC CMD...: runs CMD, output to stdout, and requires its exit code.
run() {
  local want=$1 rc=0
  shift
  "$@" > out.txt 2>&1 || rc=$?
  cat out.txt
  [ "$rc" = "$want" ] || fail "exit code $rc, expected $want: $*"
}
expect_in_output() {
  grep -qF -- "$1" out.txt || fail "output lacks: $1"
}

# The sample for the stateful checks: shanghai/ and berlin/ (587 tests), plus one test made to
# fail, one file that does not parse and one Git LFS pointer, copied into the work tree.
make_sample() {
  mkdir -p sample/blockchain_tests/extra
  cp -r "$eest/shanghai" "$eest/berlin" sample/blockchain_tests/
  python3 - "$eest/berlin/eip2929_gas_cost_increases/test_call_insufficient_balance.json" \
    sample/blockchain_tests/extra/corrupted.json <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
name = next(iter(d))
d[name]["lastblockhash"] = "0x" + "ab" * 32
json.dump({name + "[corrupted]": d[name]}, open(sys.argv[2], "w"))
EOF
  echo '{ "not": json' > sample/blockchain_tests/extra/broken.json
  printf 'version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n' \
    > sample/blockchain_tests/extra/lfs.json
}

case $check in
arguments)
  for bad in "3/2:index out of range" "2/2:index out of range" "0/0:zero shards" \
    "a/b:malformed" "1-of-2:malformed" "-1/2:malformed" "1/:malformed" "/3:malformed" \
    "0/3/4:malformed" "0/1000001:too many shards" " 0/2:malformed"; do
    run 2 "$stele" spec run --shard "${bad%%:*}" "$eest/berlin"
    expect_in_output "${bad#*:}"
  done
  run 0 "$stele" spec run --help
  expect_in_output "--shard I/N"
  expect_in_output "2 a usage error (including a malformed --shard"
  run 0 "$stele" report merge --help
  expect_in_output "3 the files are not one whole run"
  ;;

partition)
  make_sample
  s=sample/blockchain_tests
  run 1 "$stele" spec run -j2 "$s" --jsonl whole.jsonl --json whole.json
  expect_in_output "spec: 587 passed, 2 failed, 0 skipped (26 files, 1 files missing)"
  for i in 0 1 2; do
    rc=0
    "$stele" spec run -j2 --shard "$i/3" "$s" --jsonl "s$i.jsonl" > "s$i.txt" || rc=$?
    [ "$rc" -le 1 ] || fail "shard $i/3 exited $rc"
    tail -1 "s$i.txt"
  done
  $compare partition whole.jsonl s0.jsonl s1.jsonl s2.jsonl
  # Independent of -j and of where (and in which directory order) the fixtures lie.
  "$stele" spec run -j1 --shard 1/3 "$s" --jsonl s1-j1.jsonl > /dev/null || true
  $compare same s1.jsonl s1-j1.jsonl
  mkdir -p elsewhere/mnt
  cp -r "$s" elsewhere/mnt/
  "$stele" spec run -j2 --shard 1/3 elsewhere/mnt/blockchain_tests --jsonl s1-moved.jsonl \
    > /dev/null || true
  $compare same s1.jsonl s1-moved.jsonl
  # The merge equals the unsharded run, in every format.
  run 1 "$stele" report merge s2.jsonl s0.jsonl s1.jsonl --format json --out merged.json
  $compare summary whole.json merged.json
  run 1 "$stele" report merge s0.jsonl s1.jsonl s2.jsonl
  expect_in_output "merged 3 file(s) of a stateful run: all 3 shards present"
  expect_in_output "merged: 587 passed, 2 failed, 0 skipped (589 tests, 1 files missing)"
  expect_in_output "lastblockhash"
  expect_in_output "JSON does not parse"
  run 1 "$stele" report merge s0.jsonl s1.jsonl s2.jsonl --format markdown
  expect_in_output "**587 passed, 2 failed, 0 skipped**"
  expect_in_output "## Failures"
  expect_in_output "| Shanghai |"
  run 1 "$stele" report merge whole.jsonl
  expect_in_output "all 1 shards present"
  # What does not make one whole run.
  run 3 "$stele" report merge s0.jsonl s2.jsonl
  expect_in_output "MISSING shards 1/3"
  expect_in_output "INCOMPLETE OR INCONSISTENT"
  run 3 "$stele" report merge s0.jsonl s1.jsonl s2.jsonl s1.jsonl
  expect_in_output "shard 1/3 is given twice"
  expect_in_output "problem: duplicate test: "
  head -n -1 s1.jsonl > s1-killed.jsonl
  printf '{"type":"test","file":"shang' >> s1-killed.jsonl
  run 3 "$stele" report merge s0.jsonl s1-killed.jsonl s2.jsonl
  expect_in_output "has no end line: it was killed or is still running"
  expect_in_output "the last line is cut short"
  "$stele" spec run --mode stateless -j2 --shard 2/3 "$s" --jsonl s2-stateless.jsonl \
    > /dev/null || true
  run 3 "$stele" report merge s0.jsonl s1.jsonl s2-stateless.jsonl
  expect_in_output 'mixed runs: mode is "stateful" in s0.jsonl but "stateless" in s2-stateless.jsonl'
  "$stele" spec run -j2 --shard 1/2 "$s" --jsonl half.jsonl > /dev/null || true
  run 3 "$stele" report merge s0.jsonl s1.jsonl s2.jsonl half.jsonl
  expect_in_output "mixed shard counts"
  run 2 "$stele" report merge whole.json
  expect_in_output "not a \`stele spec run --jsonl\` file"
  run 2 "$stele" report merge nonexistent.jsonl
  ;;

guest)
  # shanghai/ through the accelerated validator ELF: 550 blocks, 534 run in stelevm.
  run 0 "$stele" spec run --mode guest -j2 "$eest/shanghai" --jsonl whole.jsonl --json whole.json
  expect_in_output "guest: 534 blocks run, 534 agreed with the host, 16 skipped"
  for i in 0 1; do
    run 0 "$stele" spec run --mode guest -j2 --shard "$i/2" "$eest/shanghai" --jsonl "g$i.jsonl"
  done
  $compare partition whole.jsonl g0.jsonl g1.jsonl
  run 0 "$stele" report merge g1.jsonl g0.jsonl --format json --out merged.json
  $compare summary whole.json merged.json
  $compare guest whole.jsonl merged.json
  run 0 "$stele" report merge g0.jsonl g1.jsonl
  expect_in_output "guest validator_accel.stelevm.elf (cost model stele-cost-v1; gas of the blocks"
  expect_in_output "guest region execution"
  ;;

parallel)
  if ! command -v parallel > /dev/null; then
    echo "SKIP: GNU parallel is not installed (scripts/setup installs the Debian package parallel)"
    exit 77
  fi
  parallel --version | head -1
  dirs=("$eest/shanghai" "$eest/berlin")
  run 0 "$stele" spec run -j2 "${dirs[@]}" --json whole.json --jsonl whole.jsonl
  # Locally: 3 shards, 2 at a time (the README's command).
  run 0 parallel -j2 "$stele" spec run --shard {}/3 --jsonl local-{}.jsonl -j1 "${dirs[@]}" \
    '>' local-{}.txt ::: 0 1 2
  $compare partition whole.jsonl local-0.jsonl local-1.jsonl local-2.jsonl
  run 0 "$stele" report merge local-*.jsonl --format json --out merged-local.json
  $compare summary whole.json merged-local.json
  # The --sshlogin form used across hosts, with ':' (this machine, no ssh) as the one login;
  # the output lands on the shared file system, as the README's multi-host command assumes.
  run 0 parallel --sshlogin 2/: --workdir "$PWD" "$stele" spec run --shard {}/4 \
    --jsonl ssh-{}.jsonl -j1 "${dirs[@]}" '>' ssh-{}.txt ::: 0 1 2 3
  $compare partition whole.jsonl ssh-0.jsonl ssh-1.jsonl ssh-2.jsonl ssh-3.jsonl
  run 0 "$stele" report merge ssh-*.jsonl --format json --out merged-ssh.json
  $compare summary whole.json merged-ssh.json
  ;;

slurm)
  script=$src/scripts/shard/slurm-array.sh
  bash -n "$script"
  run 0 "$stele" spec run -j2 "$eest/shanghai" --json whole.json --jsonl whole.jsonl
  # The array tasks 0..2 as Slurm would start them (its environment), one after the other.
  for i in 0 1 2; do
    run 0 env SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=0 \
      SLURM_ARRAY_TASK_MAX=2 SLURM_CPUS_PER_TASK=2 STELE="$stele" bash "$script" \
      "$eest/shanghai" out
  done
  $compare partition whole.jsonl out/shard-0.jsonl out/shard-1.jsonl out/shard-2.jsonl
  run 0 "$stele" report merge out/shard-*.jsonl --format json --out merged.json
  $compare summary whole.json merged.json
  run 2 env SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=3 STELE="$stele" bash "$script" "$eest/shanghai" out
  expect_in_output "the array must be 0-2"
  ;;

k8s)
  # The manifest's shard count, completions and container command; then that command, run as
  # each indexed pod would (JOB_COMPLETION_INDEX), with the volumes as local directories.
  # Read with PyYAML where it is installed, and always textually as well; both must agree.
  cat > read_manifest.py <<'EOF'
import re, shlex, sys
text = open(sys.argv[1]).read()
assert "\t" not in text, "tab in YAML"
if sys.argv[2] == "yaml":
    import yaml
    doc = yaml.safe_load(text)
    spec = doc["spec"]
    c = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in c["env"]}
    args, mode, completions = c["args"][0], spec["completionMode"], spec["completions"]
    mounts = {m["mountPath"] for m in c["volumeMounts"]}
    assert doc["kind"] == "Job" and c["command"] == ["/bin/sh", "-c"], "not a Job running sh -c"
else:
    env = dict(re.findall(r'- name: (\w+)\n\s+value: "([^"]*)"', text))
    mode = re.search(r"^  completionMode: (\w+)$", text, re.M).group(1)
    completions = int(re.search(r"^  completions: (\d+)$", text, re.M).group(1))
    block = re.search(r"args:\n(\s+)- \|\n((?:\1  .*\n)+)", text)
    args = "".join(l[len(block.group(1)) + 2:] + "\n" for l in block.group(2).splitlines())
    mounts = set(re.findall(r"mountPath: (\S+)", text))
assert mode == "Indexed", mode
assert int(env["SHARDS"]) == completions, (env["SHARDS"], completions)
assert mounts == {"/fixtures", "/out"}, mounts
assert '--shard "$i/$SHARDS"' in args and "JOB_COMPLETION_INDEX" in args, args
for k in ("SHARDS", "STELE_ARGS"):
    print(f"{k}={shlex.quote(env[k])}")
print(f"ARGS={shlex.quote(args)}")
EOF
  manifest=$src/scripts/shard/k8s-indexed-job.yaml
  python3 read_manifest.py "$manifest" text > manifest.env
  if python3 -c 'import yaml' 2> /dev/null; then
    python3 read_manifest.py "$manifest" yaml > manifest-yaml.env
    cmp manifest.env manifest-yaml.env || fail "PyYAML and the textual reading disagree"
    echo "manifest parsed with PyYAML and textually: the same"
  else
    echo "manifest read textually only (PyYAML is not installed)"
  fi
  cat manifest.env
  . ./manifest.env
  mkdir -p out fixtures
  ln -s "$eest/shanghai" fixtures/blockchain_tests
  args=${ARGS//\/out\//$PWD/out/}
  args=${args//\/fixtures\//$PWD/fixtures/}
  # shellcheck disable=SC2086
  run 0 "$stele" spec run -j2 $STELE_ARGS fixtures/blockchain_tests --json whole.json \
    --jsonl whole.jsonl
  for ((i = 0; i < SHARDS; i++)); do
    run 0 env PATH="$(dirname "$stele"):$PATH" JOB_COMPLETION_INDEX=$i SHARDS="$SHARDS" \
      JOBS=2 STELE_ARGS="$STELE_ARGS" sh -c "$args"
  done
  shards=()
  for ((i = 0; i < SHARDS; i++)); do shards+=("out/shard-$i.jsonl"); done
  $compare partition whole.jsonl "${shards[@]}"
  run 0 "$stele" report merge "${shards[@]}" --format json --out merged.json
  $compare summary whole.json merged.json
  ;;

*)
  fail "unknown check $check"
  ;;
esac
echo "shard $check: ok"
