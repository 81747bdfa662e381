#!/usr/bin/env python3
"""Checks of sharded `stele spec run --jsonl` output (used by tests/shard/shard_test.sh).

  compare.py partition WHOLE.jsonl SHARD.jsonl...
      the shards' test (and guest block) entries are pairwise disjoint, their union is exactly
      the whole run's, each shard holds only tests of its own index, and every shard is non-empty
  compare.py summary WHOLE.json MERGED.json
      `report merge --format json` totals and per-fork counts equal the unsharded `--json` report
  compare.py guest WHOLE.jsonl MERGED.json
      the merged guest totals (blocks, gas, cycles, cost) equal the sums over the whole run's
      block lines, and every block the guest ran has cycles, regions and cost >= cycles
  compare.py same SHARD_A.jsonl SHARD_B.jsonl
      the two files hold the same entries (a shard run with other -j or another mount point)
"""
import json
import sys


def entries(path):
    header, tests, blocks = None, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            if j["type"] == "header":
                header = j
            elif j["type"] == "test":
                key = (j["file"], j["test"])
                assert key not in tests, f"{path}: {key} twice"
                tests[key] = j["verdict"]
            elif j["type"] == "block":
                key = (j["file"], j["test"], j["block"])
                assert key not in blocks, f"{path}: block {key} twice"
                blocks[key] = j
    assert header is not None, f"{path}: no header"
    return header, tests, blocks


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def partition(whole_path, shard_paths):
    _, whole, whole_blocks = entries(whole_path)
    union, union_blocks = {}, {}
    for p in shard_paths:
        h, tests, blocks = entries(p)
        if not tests:
            fail(f"{p}: shard {h['shard']} holds no tests (the sample is too small to show much)")
        for k, v in tests.items():
            if k in union:
                fail(f"{k} in two shards")
            union[k] = v
        for k in blocks:
            if k in union_blocks:
                fail(f"block {k} in two shards")
            union_blocks[k] = blocks[k]
        print(f"{p}: shard {h['shard']['index']}/{h['shard']['count']}: {len(tests)} tests, "
              f"{len(blocks)} guest blocks")
    if union != whole:
        only_whole = set(whole) - set(union)
        only_shards = set(union) - set(whole)
        fail(f"union of shards != whole run: {len(only_whole)} only unsharded, "
             f"{len(only_shards)} only in shards, verdicts differ: "
             f"{sum(1 for k in set(whole) & set(union) if whole[k] != union[k])}")
    if set(union_blocks) != set(whole_blocks):
        fail("guest blocks of the shards != the whole run's")
    for k, b in whole_blocks.items():
        s = union_blocks[k]
        for field in ("verdict", "gas_used", "cycles", "cost"):
            if b[field] != s[field]:
                fail(f"block {k}: {field} {b[field]} unsharded, {s[field]} sharded")
    print(f"partition ok: {len(whole)} tests, {len(whole_blocks)} guest blocks in "
          f"{len(shard_paths)} disjoint shards")


def summary(whole_json, merged_json):
    whole = json.load(open(whole_json, encoding="utf-8"))
    merged = json.load(open(merged_json, encoding="utf-8"))
    for k in ("passed", "failed", "skipped"):
        if whole[k] != merged[k]:
            fail(f"{k}: {whole[k]} unsharded, {merged[k]} merged")
    if whole["per_fork"] != merged["per_fork"]:
        fail(f"per_fork differs:\n{whole['per_fork']}\n{merged['per_fork']}")
    failed = sorted(t["name"] for t in whole["tests"] if t["outcome"] == "failed")
    if failed != sorted(f["test"] for f in merged["failures"]):
        fail("the failures listed differ")
    if len(whole["missing_files"]) != len(merged["missing_files"]):
        fail("missing files differ")
    if not merged["complete"]:
        fail(f"merge says incomplete: {merged['problems']}")
    print(f"summary ok: {merged['passed']} passed, {merged['failed']} failed, "
          f"{merged['skipped']} skipped, {len(merged['per_fork'])} forks")


def guest(whole_jsonl, merged_json):
    _, _, blocks = entries(whole_jsonl)
    merged = json.load(open(merged_json, encoding="utf-8"))["guest"]
    ran = [b for b in blocks.values() if b["verdict"] != "skipped"]
    if not ran:
        fail("no guest block ran")
    for b in ran:
        if b["cycles"] <= 0 or b["cost"] < b["cycles"] or not b["regions"]:
            fail(f"block without cycles, cost or regions: {b}")
    if any(b["gas_used"] for b in blocks.values() if not b["valid"]):
        fail("a rejected block with gas")
    if not any(b["gas_used"] for b in ran if b["valid"]):
        fail("no accepted block with gas")
    want = {
        "blocks": len(blocks),
        "agreed": sum(b["verdict"] == "agreed" for b in blocks.values()),
        "skipped": len(blocks) - len(ran),
        "gas": sum(b["gas_used"] for b in ran),
        "cycles": sum(b["cycles"] for b in ran),
        "cost": sum(b["cost"] for b in ran),
    }
    for k, v in want.items():
        if merged[k] != v:
            fail(f"guest {k}: {merged[k]} merged, {v} in the unsharded lines")
    print(f"guest ok: {want}")


def same(a, b):
    ha, ta, ba = entries(a)
    hb, tb, bb = entries(b)
    if ta != tb or set(ba) != set(bb):
        fail(f"{a} and {b} hold different entries ({len(ta)} / {len(tb)} tests)")
    print(f"same ok: {len(ta)} tests")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "partition":
        partition(args[0], args[1:])
    elif cmd == "summary":
        summary(*args)
    elif cmd == "guest":
        guest(*args)
    elif cmd == "same":
        same(*args)
    else:
        fail(f"unknown check {cmd}")
