#!/usr/bin/env python3
"""Fits stelevm's accelerator prices from what the same work costs in software in our guest.

Input: the file `stele spec run --mode guest --calibrate FILE` writes, one line per block:
  software_cycles accelerated_cycles (calls input_bytes work) x 19 accelerators
Both builds run the same engine on the same input; only the 19 primitives differ (computed in
RV64IM code, or one ecall each). So software - accelerated is the software cost of the work the
ecalls did, and a non-negative least-squares fit (relative error per block) of
  software - accelerated = sum_k calls_k * per_call_k + work_k * per_work_k
gives per accelerator a price per call and per unit of work (hash bytes, blake2f rounds,
pairing / MSM pairs, modexp modulus words^2 x exponent bits). Output: the price table
(`--accel-cost` format) and how well it predicts the blocks.

The fit is staged (see fit_staged); --joint fits everything at once instead.
Usage: bench/guest/calibrate.py CALIBRATION_FILE [--cpp] [--joint]
"""
import math
import sys

NAMES = ["keccak256", "secp256k1_verify", "secp256k1_ecrecover", "sha256", "ripemd160",
         "modexp", "bn254_g1_add", "bn254_g1_mul", "bn254_pairing", "blake2f",
         "kzg_point_eval", "bls12_g1_add", "bls12_g1_msm", "bls12_g2_add", "bls12_g2_msm",
         "bls12_pairing", "bls12_map_fp_to_g1", "bls12_map_fp2_to_g2", "secp256r1_verify"]


def read(path):
    rows = []
    with open(path) as f:
        for line in f:
            v = [int(x) for x in line.split()]
            if len(v) != 2 + 3 * len(NAMES):
                continue
            rows.append(v)
    return rows


def features(v):
    # Per accelerator: calls, then work (0 for the fixed-size ones).
    x = []
    for k in range(len(NAMES)):
        calls, _bytes, work = v[2 + 3 * k: 5 + 3 * k]
        x += [calls, work]
    return x


COMMON = [0, 1, 2, 3]  # keccak256, secp256k1 verify / ecrecover, sha256: in most blocks


def called(v, k):
    return v[2 + 3 * k] > 0


def fit_staged(rows):
    """Two stages, so that accelerators that always come together in a test do not trade their
    prices: first the common ones on the blocks that call nothing else, then each other one on
    the blocks where it is the only other accelerator, on what the first stage leaves."""
    coef = [0.0] * (2 * len(NAMES))
    base = [v for v in rows if not any(called(v, k) for k in range(len(NAMES)) if k not in COMMON)]
    c0, _ = nnls(base, [2 * k + j for k in COMMON for j in (0, 1)])
    for k in COMMON:
        coef[2 * k], coef[2 * k + 1] = c0[2 * k], c0[2 * k + 1]
    for k in range(len(NAMES)):
        if k in COMMON:
            continue
        sub = [v for v in rows if called(v, k) and not any(
            called(v, j) for j in range(len(NAMES)) if j != k and j not in COMMON)]
        if not sub:
            continue
        ck, _ = nnls(sub, [2 * k, 2 * k + 1], offset=coef)
        coef[2 * k], coef[2 * k + 1] = ck[2 * k], ck[2 * k + 1]
    return coef


def nnls(rows, only=None, offset=None):
    xs = [features(v) for v in rows]
    ys = [v[0] - v[1] for v in rows]
    if offset is not None:
        # What the already-fitted columns explain is taken off first.
        ys = [y - sum(c * f for j, (c, f) in enumerate(zip(offset, x)) if j not in only)
              for x, y in zip(xs, ys)]
    n = len(xs[0])
    # Relative error per block: weight 1 / software cycles.
    ws = [1.0 / max(v[0], 1) for v in rows]
    used = [j for j in range(n) if any(x[j] for x in xs) and (only is None or j in only)]
    # Column scaling for conditioning.
    scale = {j: max(abs(x[j]) for x in xs) or 1 for j in used}
    a = {(i, j): 0.0 for i in used for j in used}
    b = {j: 0.0 for j in used}
    for x, y, w in zip(xs, ys, ws):
        w2 = w * w
        for i in used:
            if not x[i]:
                continue
            xi = x[i] / scale[i]
            b[i] += w2 * xi * y
            for j in used:
                if x[j]:
                    a[(i, j)] += w2 * xi * x[j] / scale[j]
    beta = {j: 0.0 for j in used}
    for _ in range(20000):
        delta = 0.0
        for j in used:
            if a[(j, j)] <= 0:
                continue
            r = b[j] - sum(a[(j, k)] * beta[k] for k in used if k != j)
            new = max(0.0, r / a[(j, j)])
            delta = max(delta, abs(new - beta[j]) * (abs(a[(j, j)]) ** 0.5))
            beta[j] = new
        if delta < 1e-9:
            break
    coef = [0.0] * n
    for j in used:
        coef[j] = beta[j] / scale[j]
    return coef, used


def main():
    rows = read(sys.argv[1])
    if not rows:
        sys.exit("no calibration rows in " + sys.argv[1])
    coef = fit_staged(rows) if "--joint" not in sys.argv else nnls(rows)[0]
    calls = [sum(v[2 + 3 * k] for v in rows) for k in range(len(NAMES))]
    errs = []
    for v in rows:
        x = features(v)
        pred = sum(c * f for c, f in zip(coef, x))
        real = v[0] - v[1]
        if real > 0:
            errs.append(abs(pred - real) / real)
    errs.sort()
    sw = sum(v[0] for v in rows)
    ac = sum(v[1] for v in rows)
    print(f"# stelevm accelerator prices, fitted from {len(rows)} blocks "
          f"(software {sw:,} cycles, accelerated {ac:,})")
    print(f"# prediction of software - accelerated per block: median error "
          f"{100 * errs[len(errs) // 2]:.1f} %, p90 {100 * errs[int(len(errs) * 0.9)]:.1f} %")
    print("# NAME PER_CALL PER_INPUT_BYTE PER_WORK   (calls in the corpus)")
    for k, name in enumerate(NAMES):
        c, w = coef[2 * k], coef[2 * k + 1]
        note = "" if calls[k] else "   # not called in the corpus: unpriced"
        print(f"{name} {round(c)} 0 {w:.4g}   # {calls[k]:,} calls{note}")
    if "--cpp" in sys.argv:
        for k, name in enumerate(NAMES):
            print(f"    {{{round(coef[2 * k])}, 0, {coef[2 * k + 1]:.6g}}},  // {name}")


if __name__ == "__main__":
    main()
