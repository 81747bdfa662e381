// Differential oracle for tests/pairing: evaluates the pairing-curve precompiles with
// @noble/curves (BN254, BLS12-381) and kzg-wasm (c-kzg-4844, mainnet trusted setup).
// Protocol: one request per stdin line, "<op> <hex>", one answer per stdout line, in order:
// "ok <hex>" (success and output) or "fail" (the precompile fails: all gas consumed).
// The EIP decoding rules (lengths, padding, infinity encodings, which checks apply) are
// restated here from the EIPs; every curve operation is noble's.
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { loadKZG } from 'kzg-wasm';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
// kzg-wasm's package exports hide its copy of the setup; load the file directly.
const here = dirname(fileURLToPath(import.meta.url));
const { default: trustedSetup } = await import(join(here, 'node_modules/kzg-wasm/dist/esm/trustedSetup.js'));

const hexToBytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const bytesToHex = (b) => Buffer.from(b).toString('hex');
const be = (b) => (b.length ? BigInt('0x' + bytesToHex(b)) : 0n);
const toBe = (v, n) => hexToBytes(v.toString(16).padStart(2 * n, '0'));

class Fail extends Error {}
const check = (c) => {
  if (!c) throw new Fail();
};

// ---------------- BN254 (EIP-196 / EIP-197) ----------------
const BN = { p: bn254.fields.Fp.ORDER, r: bn254.fields.Fr.ORDER };
const bnFp2 = bn254.fields.Fp2;
function bnG1(b) {
  const x = be(b.subarray(0, 32)), y = be(b.subarray(32, 64));
  check(x < BN.p && y < BN.p);
  if (x === 0n && y === 0n) return bn254.G1.Point.ZERO;
  try {
    const P = bn254.G1.Point.fromAffine({ x, y });  // noble rejects points off the curve
    P.assertValidity();
    return P;
  } catch { throw new Fail(); }
}
function bnG2(b) {
  const v = [0, 1, 2, 3].map((i) => be(b.subarray(32 * i, 32 * i + 32)));
  v.forEach((c) => check(c < BN.p));
  const x = bnFp2.create({ c0: v[1], c1: v[0] }), y = bnFp2.create({ c0: v[3], c1: v[2] });
  if (v.every((c) => c === 0n)) return bn254.G2.Point.ZERO;
  try {
    const P = bn254.G2.Point.fromAffine({ x, y });
    P.assertValidity();  // on the curve and in the subgroup
    return P;
  } catch { throw new Fail(); }
}
function bnEncG1(P) {
  if (P.is0()) return new Uint8Array(64);
  const a = P.toAffine();
  return Buffer.concat([toBe(a.x, 32), toBe(a.y, 32)]);
}
const pad = (b, n) => { const o = new Uint8Array(n); o.set(b.subarray(0, n)); return o; };
const ops = {
  bn_add(b) {
    b = pad(b, 128);
    return bnEncG1(bnG1(b.subarray(0, 64)).add(bnG1(b.subarray(64, 128))));
  },
  bn_mul(b) {
    b = pad(b, 96);
    const k = be(b.subarray(64, 96)) % BN.r;
    return bnEncG1(bnG1(b.subarray(0, 64)).multiplyUnsafe(k));
  },
  bn_pair(b) {
    check(b.length % 192 === 0);
    const pairs = [];
    for (let i = 0; i < b.length; i += 192) {
      const g1 = bnG1(b.subarray(i, i + 64)), g2 = bnG2(b.subarray(i + 64, i + 192));
      if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
    }
    const f = bn254.pairingBatch(pairs);
    return word(bn254.fields.Fp12.eql(f, bn254.fields.Fp12.ONE));
  },
};
const word = (v) => { const o = new Uint8Array(32); o[31] = v ? 1 : 0; return o; };

// ---------------- BLS12-381 (EIP-2537) ----------------
const BLS = { p: bls12_381.fields.Fp.ORDER, r: bls12_381.fields.Fr.ORDER };
const F1 = bls12_381.fields.Fp, F2 = bls12_381.fields.Fp2;
function fp64(b) {
  check(b.subarray(0, 16).every((x) => x === 0));
  const v = be(b.subarray(16, 64));
  check(v < BLS.p);
  return v;
}
function blsG1(b, subgroup) {
  const x = fp64(b.subarray(0, 64)), y = fp64(b.subarray(64, 128));
  if (x === 0n && y === 0n) return bls12_381.G1.Point.ZERO;
  // the curve equation y² = x³ + 4, checked with noble's field arithmetic
  check(F1.eql(F1.sqr(y), F1.add(F1.mul(F1.sqr(x), x), 4n)));
  const P = bls12_381.G1.Point.fromAffine({ x, y });
  if (subgroup) {
    try { P.assertValidity(); } catch { throw new Fail(); }
  }
  return P;
}
function blsG2(b, subgroup) {
  const v = [0, 1, 2, 3].map((i) => fp64(b.subarray(64 * i, 64 * i + 64)));
  if (v.every((c) => c === 0n)) return bls12_381.G2.Point.ZERO;
  const x = F2.create({ c0: v[0], c1: v[1] }), y = F2.create({ c0: v[2], c1: v[3] });
  const b2 = F2.create({ c0: 4n, c1: 4n });
  check(F2.eql(F2.sqr(y), F2.add(F2.mul(F2.sqr(x), x), b2)));
  const P = bls12_381.G2.Point.fromAffine({ x, y });
  if (subgroup) {
    try { P.assertValidity(); } catch { throw new Fail(); }
  }
  return P;
}
const fpOut = (v) => Buffer.concat([new Uint8Array(16), toBe(v, 48)]);
function blsEncG1(P) {
  if (P.is0()) return new Uint8Array(128);
  const a = P.toAffine();
  return Buffer.concat([fpOut(a.x), fpOut(a.y)]);
}
function blsEncG2(P) {
  if (P.is0()) return new Uint8Array(256);
  const a = P.toAffine();
  return Buffer.concat([fpOut(a.x.c0), fpOut(a.x.c1), fpOut(a.y.c0), fpOut(a.y.c1)]);
}
function msm(b, len, dec, Zero) {
  check(b.length > 0 && b.length % len === 0);
  let acc = Zero;
  for (let i = 0; i < b.length; i += len) {
    const P = dec(b.subarray(i, i + len - 32), true);
    const k = be(b.subarray(i + len - 32, i + len)) % BLS.r;
    acc = acc.add(P.multiplyUnsafe(k));
  }
  return acc;
}
Object.assign(ops, {
  g1add(b) {
    check(b.length === 256);
    return blsEncG1(blsG1(b.subarray(0, 128), false).add(blsG1(b.subarray(128), false)));
  },
  g2add(b) {
    check(b.length === 512);
    return blsEncG2(blsG2(b.subarray(0, 256), false).add(blsG2(b.subarray(256), false)));
  },
  g1msm: (b) => blsEncG1(msm(b, 160, blsG1, bls12_381.G1.Point.ZERO)),
  g2msm: (b) => blsEncG2(msm(b, 288, blsG2, bls12_381.G2.Point.ZERO)),
  blspair(b) {
    check(b.length > 0 && b.length % 384 === 0);
    const pairs = [];
    for (let i = 0; i < b.length; i += 384) {
      const g1 = blsG1(b.subarray(i, i + 128), true), g2 = blsG2(b.subarray(i + 128, i + 384), true);
      if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
    }
    const f = bls12_381.pairingBatch(pairs);
    return word(bls12_381.fields.Fp12.eql(f, bls12_381.fields.Fp12.ONE));
  },
  map1(b) {
    check(b.length === 64);
    return blsEncG1(bls12_381.G1.mapToCurve(fp64(b)));
  },
  map2(b) {
    check(b.length === 128);
    return blsEncG2(bls12_381.G2.mapToCurve([fp64(b.subarray(0, 64)), fp64(b.subarray(64))]));
  },
});

// ---------------- KZG (EIP-4844) ----------------
let kzg;
let G1M_cache;
const G1M_load = () => {
  // [τ^i]G1 of the mainnet setup, for building valid proofs of small random polynomials.
  const s = trustedSetup.g1_monomial;
  const pts = [];
  for (let i = 0; i < 16; i++) pts.push(bls12_381.G1.Point.fromHex(s.slice(96 * i, 96 * i + 96)));
  return pts;
};
Object.assign(ops, {
  kzg(b) {
    check(b.length === 192);
    const commitment = b.subarray(96, 144);
    const vh = createHash('sha256').update(commitment).digest();
    vh[0] = 1;
    check(Buffer.compare(vh, Buffer.from(b.subarray(0, 32))) === 0);
    let ok;
    try {
      ok = kzg.verifyKZGProof('0x' + bytesToHex(commitment), '0x' + bytesToHex(b.subarray(32, 64)),
        '0x' + bytesToHex(b.subarray(64, 96)), '0x' + bytesToHex(b.subarray(144, 192)));
    } catch { throw new Fail(); }
    check(ok === true);
    return Buffer.concat([toBe(4096n, 32), toBe(BLS.r, 32)]);
  },
  // A valid opening of the polynomial with coefficients c_0..c_d (32 bytes each, reduced mod r)
  // at z (the last 32 bytes, reduced mod r): commitment ‖ z ‖ y ‖ proof.
  kzg_gen(b) {
    const words = [];
    for (let i = 0; i < b.length; i += 32) words.push(be(b.subarray(i, i + 32)) % BLS.r);
    const z = words.pop();
    const c = words;
    const r = BLS.r;
    let y = 0n;
    for (let i = c.length - 1; i >= 0; i--) y = (y * z + c[i]) % r;
    // q(X) = (p(X) − y)/(X − z) by synthetic division
    const q = new Array(Math.max(c.length - 1, 0)).fill(0n);
    let carry = 0n;
    for (let i = c.length - 1; i >= 1; i--) {
      carry = (carry * z + c[i]) % r;
      q[i - 1] = carry;
    }
    const G1M = (G1M_cache ??= G1M_load());
    const commit = (coeffs) => coeffs.reduce((acc, k, i) => acc.add(G1M[i].multiplyUnsafe(k)),
      bls12_381.G1.Point.ZERO);
    const C = commit(c), P = commit(q);
    return Buffer.concat([C.toBytes(true), toBe(z, 32), toBe(y, 32), P.toBytes(true)]);
  },
});

async function main() {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  for await (const line of rl) {
    if (!line.trim()) continue;
    const sp = line.indexOf(' ');
    const op = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? '' : line.slice(sp + 1).trim();
    let res;
    if (op === 'kzg' && !kzg) kzg = await loadKZG();
    try {
      res = 'ok ' + bytesToHex(ops[op](hexToBytes(arg)));
    } catch (e) {
      res = e instanceof Fail ? 'fail' : 'error ' + String(e && e.message).replace(/\s+/g, ' ');
    }
    out.push(res);
    if (out.length >= 256) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
  }
  if (out.length) process.stdout.write(out.join('\n') + '\n');
}
main();
