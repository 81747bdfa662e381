// The stelevm accelerators against the engine's software implementations, inside the guest: for
// seeded random and edge-case inputs of every zkvm_accelerators.h function, the ecall (served by
// stelevm on the host) and the software path (compiled for RV64IM) must agree on status and
// output. Rules of the reference semantics (shared/reference/zkvm-standards.md §1.3) are checked
// on top: EFAIL cases, infinity, 0 pairs, no output written on EFAIL, published vectors.
//
// Input: an optional 8-byte little-endian seed. Output: one line per accelerator,
// "name cases eok efail mismatches", then "rules <checked> <failed>". Details of every mismatch
// go to the log. Exit code 0 iff nothing mismatched.
#include <stele/guest.h>
#include <stele/zkvm_accelerators.h>
#include <stele/zkvm_io.h>

#include <cstring>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/blake2f.hpp>
#include <stateless/crypto/bls12_381.hpp>
#include <stateless/crypto/bn254.hpp>
#include <stateless/crypto/kzg.hpp>
#include <stateless/crypto/modexp.hpp>
#include <stateless/crypto/p256.hpp>
#include <stateless/crypto/ripemd160.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/crypto/sha256.hpp>
#include <string>
#include <vector>

using namespace stele;
using namespace stele::crypto;

namespace
{
enum Accel : unsigned
{
    KECCAK = 1,
    K1_VERIFY,
    K1_RECOVER,
    SHA256,
    RIPEMD160,
    MODEXP,
    BN_ADD,
    BN_MUL,
    BN_PAIRING,
    BLAKE2F,
    KZG,
    BLS_G1_ADD,
    BLS_G1_MSM,
    BLS_G2_ADD,
    BLS_G2_MSM,
    BLS_PAIRING,
    BLS_MAP_G1,
    BLS_MAP_G2,
    R1_VERIFY,
    COUNT
};
constexpr const char* kNames[COUNT] = {"", "keccak256", "secp256k1_verify", "secp256k1_ecrecover",
    "sha256", "ripemd160", "modexp", "bn254_g1_add", "bn254_g1_mul", "bn254_pairing", "blake2f",
    "kzg_point_eval", "bls12_g1_add", "bls12_g1_msm", "bls12_g2_add", "bls12_g2_msm",
    "bls12_pairing", "bls12_map_fp_to_g1", "bls12_map_fp2_to_g2", "secp256r1_verify"};

struct Tally
{
    uint32_t cases = 0, eok = 0, efail = 0, mismatches = 0;
};
Tally g_tally[COUNT];
uint32_t g_rules = 0, g_rules_failed = 0;
constexpr uint8_t kSentinel = 0xA5;

void log_line(const std::string& s)
{
    const std::string line = s + "\n";
    write_log(reinterpret_cast<const uint8_t*>(line.data()), line.size());
}

std::string hexs(const uint8_t* p, size_t n)
{
    static constexpr char d[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i)
    {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

// One differential case: the accelerator's status and output against the software result.
// On EFAIL the accelerator must not have written its output (still the sentinel).
void compare(unsigned n, const char* label, zkvm_status st, bool sw_ok, const uint8_t* acc_out,
    const uint8_t* sw_out, size_t len)
{
    Tally& t = g_tally[n];
    const uint32_t c = t.cases++;
    st == ZKVM_EOK ? ++t.eok : ++t.efail;
    bool good = (st == ZKVM_EOK) == sw_ok;
    if (good && sw_ok)
        good = std::memcmp(acc_out, sw_out, len) == 0;
    if (good && !sw_ok)
        for (size_t i = 0; i < len; ++i)
            good = good && acc_out[i] == kSentinel;
    if (!good)
    {
        ++t.mismatches;
        log_line(std::string{"MISMATCH "} + kNames[n] + " case " + std::to_string(c) + " (" +
                 label + "): accel " + (st == ZKVM_EOK ? "EOK " : "EFAIL ") + hexs(acc_out, len) +
                 ", software " + (sw_ok ? "ok " : "fail ") +
                 (sw_ok ? hexs(sw_out, len) : std::string{}));
    }
}

// A rule of the reference semantics.
void rule(unsigned n, bool ok, const char* what)
{
    ++g_rules;
    if (!ok)
    {
        ++g_rules_failed;
        ++g_tally[n].mismatches;
        log_line(std::string{"RULE "} + kNames[n] + ": " + what);
    }
}

// splitmix64
uint64_t g_state = 0x57e1e5eedULL;
uint64_t rnd()
{
    uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
void fill(uint8_t* p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = static_cast<uint8_t>(rnd());
}
void parse_hex(const char* s, uint8_t* out, size_t n)
{
    auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (size_t i = 0; i < n; ++i)
        out[i] = static_cast<uint8_t>(v(s[2 * i]) << 4 | v(s[2 * i + 1]));
}
// out = a - b for big-endian 32-byte values (a >= b).
void sub32(const uint8_t* a, const uint8_t* b, uint8_t* out)
{
    int borrow = 0;
    for (int i = 31; i >= 0; --i)
    {
        const int d = a[i] - b[i] - borrow;
        out[i] = static_cast<uint8_t>(d);
        borrow = d < 0;
    }
}

template <typename T>
void poison(T& v)
{
    std::memset(v.data, kSentinel, sizeof v.data);
}

// ---- hashes ---------------------------------------------------------------------------------

void hashes_cases()
{
    std::vector<uint8_t> buf(1100);
    const size_t lens[] = {0, 1, 31, 32, 55, 56, 63, 64, 119, 135, 136, 137, 200, 1024};
    std::vector<size_t> all(std::begin(lens), std::end(lens));
    for (int i = 0; i < 10; ++i)
        all.push_back(rnd() % 1000);
    for (const size_t len : all)
    {
        const size_t off = rnd() % 8;  // unaligned data pointers too
        fill(buf.data() + off, len);
        const bytes_view d{buf.data() + off, len};
        zkvm_bytes_32 out;
        poison(out);
        zkvm_status st = zkvm_keccak256(d.data(), len, &out);
        compare(KECCAK, "random", st, true, out.data, keccak256_software(d).bytes, 32);
        poison(out);
        st = zkvm_sha256(d.data(), len, &out);
        compare(SHA256, "random", st, true, out.data, sha256_software(d).bytes, 32);
        poison(out);
        st = zkvm_ripemd160(d.data(), len, &out);
        uint8_t sw[32] = {};  // right-aligned: 12 zero bytes, then the digest
        std::memcpy(sw + 12, ripemd160_software(d).bytes, 20);
        compare(RIPEMD160, "random", st, true, out.data, sw, 32);
    }
}

// ---- secp256k1 ------------------------------------------------------------------------------

bool k1_verify_case(const char* label, const uint8_t* msg, const uint8_t* sig, const uint8_t* pub)
{
    zkvm_secp256k1_hash h;
    zkvm_secp256k1_signature s;
    zkvm_secp256k1_pubkey k;
    std::memcpy(h.data, msg, 32);
    std::memcpy(s.data, sig, 64);
    std::memcpy(k.data, pub, 64);
    bool verified = true;
    const zkvm_status st = zkvm_secp256k1_verify(&h, &s, &k, &verified);
    const bool sw =
        secp256k1_verify_software(hash256::from({msg, 32}), sig, Secp256k1Pubkey::from({pub, 64}));
    // verify never fails: an invalid signature or key is EOK with verified = false.
    const uint8_t acc = verified, exp = sw;
    compare(K1_VERIFY, label, st, true, &acc, &exp, 1);
    return sw;
}

std::optional<Secp256k1Pubkey> k1_recover_case(
    const char* label, const uint8_t* msg, const uint8_t* sig, uint8_t recid)
{
    zkvm_secp256k1_hash h;
    zkvm_secp256k1_signature s;
    zkvm_secp256k1_pubkey out;
    std::memcpy(h.data, msg, 32);
    std::memcpy(s.data, sig, 64);
    poison(out);
    const zkvm_status st = zkvm_secp256k1_ecrecover(&h, &s, recid, &out);
    const auto sw = secp256k1_recover_software(hash256::from({msg, 32}), sig, recid);
    compare(K1_RECOVER, label, st, sw.has_value(), out.data, sw ? sw->bytes : nullptr, 64);
    return sw;
}

void secp256k1_cases()
{
    const uint8_t* n = kSecp256k1Order;
    int valid = 0;
    bool edges_done = false;
    for (int i = 0; i < 16; ++i)
    {
        uint8_t msg[32], sig[64];
        fill(msg, 32);
        fill(sig, 64);
        const uint8_t recid = rnd() & 1;
        // A signature whose recovery succeeds is a valid signature of the recovered key.
        const auto key = k1_recover_case("random", msg, sig, recid);
        if (!key)
        {
            uint8_t zero[64] = {};
            k1_verify_case("random key", msg, sig, zero);
            continue;
        }
        ++valid;
        rule(K1_VERIFY, k1_verify_case("valid", msg, sig, key->bytes), "recovered key verifies");
        // High s: (r, n - s) is the same signature with R negated.
        uint8_t high[64];
        std::memcpy(high, sig, 32);
        sub32(n, sig + 32, high + 32);
        rule(K1_VERIFY, k1_verify_case("high s", msg, high, key->bytes), "high s verifies");
        const auto flipped = k1_recover_case("high s", msg, high, recid ^ 1);
        rule(K1_RECOVER, flipped && *flipped == *key, "high s with flipped recid, same key");
        uint8_t bad_msg[32];
        std::memcpy(bad_msg, msg, 32);
        bad_msg[rnd() % 32] ^= static_cast<uint8_t>(1 + rnd() % 255);
        rule(K1_VERIFY, !k1_verify_case("tampered msg", bad_msg, sig, key->bytes),
            "tampered message fails");
        uint8_t off_curve[64];
        std::memcpy(off_curve, key->bytes, 64);
        off_curve[63] ^= 1;
        rule(K1_VERIFY, !k1_verify_case("key off curve", msg, sig, off_curve),
            "off-curve key fails");
        if (!edges_done)
        {
            edges_done = true;
            // r or s zero or >= n; recid 2, 3, 27, 255: EFAIL.
            uint8_t s2[64];
            const uint8_t recids[] = {2, 3, 27, 255};
            for (const uint8_t r : recids)
            {
                zkvm_secp256k1_hash h;
                zkvm_secp256k1_signature s;
                zkvm_secp256k1_pubkey out;
                std::memcpy(h.data, msg, 32);
                std::memcpy(s.data, sig, 64);
                poison(out);
                const zkvm_status st = zkvm_secp256k1_ecrecover(&h, &s, r, &out);
                compare(K1_RECOVER, "bad recid", st, false, out.data, nullptr, 64);
                rule(K1_RECOVER, st == ZKVM_EFAIL, "recid > 1 is EFAIL");
            }
            for (int which = 0; which < 4; ++which)
            {
                std::memcpy(s2, sig, 64);
                uint8_t* v = s2 + (which & 1) * 32;
                if (which < 2)
                    std::memset(v, 0, 32);
                else
                    std::memcpy(v, n, 32);
                const auto r = k1_recover_case("r or s zero or n", msg, s2, recid);
                rule(K1_RECOVER, !r, "r or s of 0 or n fails");
                rule(K1_VERIFY, !k1_verify_case("r or s zero or n", msg, s2, key->bytes),
                    "r or s of 0 or n does not verify");
            }
            uint8_t zero[64] = {};
            rule(K1_VERIFY, !k1_verify_case("zero key", msg, sig, zero), "zero key fails");
        }
    }
    rule(K1_RECOVER, valid >= 4, "enough random signatures recover");
}

// ---- secp256r1 ------------------------------------------------------------------------------

// (hash, r ‖ s, x ‖ y), signed with Python cryptography (ECDSA P-256, prehashed SHA-256).
constexpr const char* kP256Valid[][3] = {
    {"197134ee37286964c8ce13ec952bb6ceb278850dabfb91e457bf00d5ff7a6dd7",
        "15ca8396fe2e58aff83abbc100fec5b4f2459303d04a32ddcaeadd336a767585f1431f10e82f64f4225a96c105"
        "fa928d8d9cad27c91bcfb4f29d674799a00f1a",
        "7f649f5c18e1fac91179a4dcaa42cd578280fbec6fcc2ad501f2a57a873f8ddc8b15aba32499576fd5db1417af"
        "ef1904e259057821e984df138540c57378e6aa"},
    {"7d874ce221fdf4bcf1770fbfb52250eff80c5345947f542c3a85f7d7ffa5aa1b",
        "359cdd31b26749ccffe6173524ed7bde93ce58d092d362913cd3cfab9a093ebcc7a97aef3ec7997110aadad822"
        "5426f4df1fb9c74b1ec6407bea43bfa4da8710",
        "065a5282ba9f98ddb1665fb64257bb56e6c4266eaf87cc2a2e577ed9ce832d8424d36dfae5a68cc5171542fa44"
        "37f609b19ef48d2b23f26a79ed01fff3de312b"},
    {"48c44ef4c3d8d9c42082cf7a0c2328c814edf620ef0f79863eefce5f1d3d80e9",
        "ee88f5e2718addda72b2b1225b45a80309f23fcd06f1b136053ebedd658d1271fef779d0853ce38e4cfa186d25"
        "c642803843db8b76fa5c202abd3fde83f9a503",
        "c30f86f41d63aca864d0bd1b0900cd01a27bb710de10fab907fdb096ecb4d39bf25af35570939eefeafeba8be4"
        "9c59124e84a7ede3b9682ae3d08546518eed95"},
};

bool r1_case(const char* label, const uint8_t* msg, const uint8_t* sig, const uint8_t* pub)
{
    zkvm_secp256r1_hash h;
    zkvm_secp256r1_signature s;
    zkvm_secp256r1_pubkey k;
    std::memcpy(h.data, msg, 32);
    std::memcpy(s.data, sig, 64);
    std::memcpy(k.data, pub, 64);
    bool verified = true;
    const zkvm_status st = zkvm_secp256r1_verify(&h, &s, &k, &verified);
    const bool sw = p256_verify_software(msg, sig, sig + 32, pub, pub + 32);
    const uint8_t acc = verified, exp = sw;
    compare(R1_VERIFY, label, st, true, &acc, &exp, 1);
    return sw;
}

void secp256r1_cases()
{
    uint8_t n[32];
    parse_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", n, 32);
    for (const auto& v : kP256Valid)
    {
        uint8_t msg[32], sig[64], pub[64], t[64];
        parse_hex(v[0], msg, 32);
        parse_hex(v[1], sig, 64);
        parse_hex(v[2], pub, 64);
        rule(R1_VERIFY, r1_case("valid", msg, sig, pub), "published-by-us vector verifies");
        std::memcpy(t, sig, 32);
        sub32(n, sig + 32, t + 32);
        rule(R1_VERIFY, r1_case("high s", msg, t, pub), "high s verifies (EIP-7951)");
        uint8_t m2[32];
        std::memcpy(m2, msg, 32);
        m2[rnd() % 32] ^= 0x40;
        rule(R1_VERIFY, !r1_case("tampered", m2, sig, pub), "tampered message fails");
        std::memcpy(t, sig, 64);
        std::memset(t, 0, 32);
        rule(R1_VERIFY, !r1_case("r = 0", msg, t, pub), "r = 0 fails");
        std::memcpy(t, sig, 64);
        std::memcpy(t + 32, n, 32);
        rule(R1_VERIFY, !r1_case("s = n", msg, t, pub), "s = n fails");
        std::memcpy(t, pub, 64);
        t[63] ^= 1;
        rule(R1_VERIFY, !r1_case("key off curve", msg, sig, t), "off-curve key fails");
        std::memset(t, 0, 64);
        rule(R1_VERIFY, !r1_case("zero key", msg, sig, t), "zero key fails");
    }
    for (int i = 0; i < 6; ++i)
    {
        uint8_t msg[32], sig[64], pub[64];
        fill(msg, 32);
        fill(sig, 64);
        fill(pub, 64);
        r1_case("random", msg, sig, pub);
    }
}

// ---- modexp ---------------------------------------------------------------------------------

bool modexp_case(const char* label, const std::vector<uint8_t>& b, const std::vector<uint8_t>& e,
    const std::vector<uint8_t>& m, std::vector<uint8_t>* result = nullptr)
{
    std::vector<uint8_t> out(m.size() + 8, kSentinel);  // + 8: nothing past mod_len is written
    const zkvm_status st =
        zkvm_modexp(b.data(), b.size(), e.data(), e.size(), m.data(), m.size(), out.data());
    bytes sw;
    modexp_software(b, e, m, sw);
    compare(MODEXP, label, st, true, out.data(), sw.data(), m.size());
    bool tail = true;
    for (size_t i = m.size(); i < out.size(); ++i)
        tail = tail && out[i] == kSentinel;
    rule(MODEXP, tail, "only mod_len bytes are written");
    if (result)
        result->assign(out.begin(), out.begin() + static_cast<long>(m.size()));
    return st == ZKVM_EOK;
}

void modexp_cases()
{
    auto rv = [](size_t n)
    {
        std::vector<uint8_t> v(n);
        fill(v.data(), n);
        return v;
    };
    for (int i = 0; i < 16; ++i)
    {
        auto b = rv(rnd() % 70), e = rv(rnd() % 40), m = rv(1 + rnd() % 70);
        if (i % 3 == 0)
            m[0] = 0;  // leading zero bytes in the modulus
        if (i % 2 == 0)
            m.back() |= 1;  // odd and even moduli
        modexp_case("random", b, e, m);
    }
    modexp_case("2048-bit modulus", rv(256), rv(32), rv(256));
    std::vector<uint8_t> r;
    modexp_case("zero modulus", rv(32), rv(32), std::vector<uint8_t>(32), &r);
    rule(MODEXP, r == std::vector<uint8_t>(32), "zero modulus gives zeros");
    auto m = rv(32);
    m[0] |= 0x80;
    modexp_case("empty exponent", rv(32), {}, m, &r);
    std::vector<uint8_t> one(32);
    one[31] = 1;
    rule(MODEXP, r == one, "empty exponent gives 1 mod m");
    modexp_case("0^0", {}, {}, m, &r);
    rule(MODEXP, r == one, "0^0 = 1");
    modexp_case("modulus 1", rv(5), rv(5), {0, 0, 1}, &r);
    rule(MODEXP, r == std::vector<uint8_t>(3), "x mod 1 = 0");
    modexp_case("mod_len 0", rv(4), rv(4), {});
    modexp_case("all empty", {}, {}, {});
}

// ---- BN254 ----------------------------------------------------------------------------------

namespace bn = stele::crypto::bn254;

constexpr const char* kBnG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";

struct Bn
{
    uint8_t g1[64] = {};
    uint8_t g2[128];
    uint8_t p[32];  // the field modulus, big-endian
    uint8_t r[32];  // the group order
};

void bn_g1_mul_sw(const uint8_t* p, const uint8_t* s, uint8_t* out)
{
    if (!bn::g1_mul(p, s, out))
        stele_panic("accel_oracle: bn254 g1_mul of a valid point failed");
}

void bn_g2_mul(const uint8_t* q, const uint8_t* s, uint8_t* out)
{
    bn::G2 a;
    if (bn::decode_g2(q, a) != bn::Status::ok)
        stele_panic("accel_oracle: bn254 G2 generator does not decode");
    bn::encode_g2(bn::G2J::from(a).mul_be(s, 32).to_affine(), out);
}

// A point on the twist y² = x³ + 3/ξ outside the order-r subgroup (random x; the cofactor is
// huge, so a random point is outside with overwhelming probability).
void bn_g2_non_subgroup(uint8_t* out)
{
    const bn::Fp2 b = bn::Fp2{bn::Fp::from_u64(3), bn::Fp::zero()} *
                      bn::Fp2{bn::Fp::from_u64(9), bn::Fp::from_u64(1)}.inv();
    for (;;)
    {
        const bn::Fp2 x{bn::Fp::from_u64(rnd()), bn::Fp::from_u64(rnd())};
        bn::Fp2 y;
        if (!(x.square() * x + b).sqrt(y))
            continue;
        const bn::G2 q{x, y, false};
        if (bn::g2_in_subgroup(q))
            continue;
        bn::encode_g2(q, out);
        return;
    }
}

void bn_add_case(const char* label, const uint8_t* a, const uint8_t* b)
{
    zkvm_bn254_g1_point p1, p2, out;
    std::memcpy(p1.data, a, 64);
    std::memcpy(p2.data, b, 64);
    poison(out);
    const zkvm_status st = zkvm_bn254_g1_add(&p1, &p2, &out);
    uint8_t sw[64];
    const bool ok = bn::g1_add(a, b, sw);
    compare(BN_ADD, label, st, ok, out.data, sw, 64);
}

void bn_mul_case(const char* label, const uint8_t* a, const uint8_t* s)
{
    zkvm_bn254_g1_point p, out;
    zkvm_bn254_scalar k;
    std::memcpy(p.data, a, 64);
    std::memcpy(k.data, s, 32);
    poison(out);
    const zkvm_status st = zkvm_bn254_g1_mul(&p, &k, &out);
    uint8_t sw[64];
    const bool ok = bn::g1_mul(a, s, sw);
    compare(BN_MUL, label, st, ok, out.data, sw, 64);
}

// Returns the accelerator's (status, verified) as 0 = EFAIL, 1 = false, 2 = true.
int bn_pairing_case(const char* label, const std::vector<uint8_t>& pairs)
{
    const size_t n = pairs.size() / 192;
    std::vector<zkvm_bn254_pairing_pair> buf(n + 1);
    std::memcpy(buf.data(), pairs.data(), pairs.size());
    uint8_t verified = kSentinel;
    const zkvm_status st = zkvm_bn254_pairing(buf.data(), n, reinterpret_cast<bool*>(&verified));
    bool sw_v = false;
    const bool ok = bn::pairing_check(pairs.data(), n, sw_v);
    const uint8_t exp = sw_v;
    compare(BN_PAIRING, label, st, ok, &verified, &exp, 1);
    return st != ZKVM_EOK ? 0 : verified == 1 ? 2 : 1;
}

void bn254_cases()
{
    Bn c;
    c.g1[31] = 1;
    c.g1[63] = 2;
    parse_hex(kBnG2, c.g2, 128);
    parse_hex("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", c.p, 32);
    parse_hex("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", c.r, 32);
    const uint8_t zero[64] = {};

    uint8_t pts[6][64];
    for (auto& p : pts)
    {
        uint8_t s[32];
        fill(s, 32);
        bn_g1_mul_sw(c.g1, s, p);
    }
    for (int i = 0; i < 5; ++i)
        bn_add_case("random", pts[i], pts[i + 1]);
    bn_add_case("doubling", pts[0], pts[0]);
    uint8_t neg[64];
    std::memcpy(neg, pts[0], 32);
    sub32(c.p, pts[0] + 32, neg + 32);
    bn_add_case("P + -P", pts[0], neg);
    bn_add_case("inf + P", zero, pts[1]);
    bn_add_case("inf + inf", zero, zero);
    uint8_t bad[64];
    std::memcpy(bad, c.g1, 64);
    bad[63] = 3;
    bn_add_case("off curve", pts[0], bad);
    // x = p + 1 (non-canonical encoding of the generator's x = 1).
    std::memcpy(bad, c.g1, 64);
    std::memcpy(bad, c.p, 32);
    bad[31] += 1;
    bn_add_case("x >= p", bad, pts[0]);
    std::memcpy(bad, c.p, 32);
    std::memset(bad + 32, 0, 32);
    bn_add_case("x = p, y = 0", pts[2], bad);

    for (int i = 0; i < 4; ++i)
    {
        uint8_t s[32];
        fill(s, 32);
        bn_mul_case("random", pts[i], s);
    }
    uint8_t s[32] = {};
    bn_mul_case("scalar 0", pts[0], s);
    bn_mul_case("scalar r", pts[0], c.r);
    std::memset(s, 0xff, 32);
    bn_mul_case("scalar 2^256-1", pts[1], s);
    bn_mul_case("inf", zero, s);
    std::memcpy(bad, c.g1, 64);
    bad[63] = 3;
    bn_mul_case("off curve", bad, s);

    // e(aG, Q) · e(-G, aQ) = 1.
    uint8_t a[32], aG[64], aQ[128], negG[64];
    fill(a, 32);
    bn_g1_mul_sw(c.g1, a, aG);
    bn_g2_mul(c.g2, a, aQ);
    std::memcpy(negG, c.g1, 64);
    sub32(c.p, c.g1 + 32, negG + 32);
    auto pair = [](std::vector<uint8_t>& v, const uint8_t* g1, const uint8_t* g2)
    {
        v.insert(v.end(), g1, g1 + 64);
        v.insert(v.end(), g2, g2 + 128);
    };
    std::vector<uint8_t> v;
    rule(BN_PAIRING, bn_pairing_case("0 pairs", v) == 2, "0 pairs verify");
    pair(v, aG, c.g2);
    pair(v, negG, aQ);
    rule(BN_PAIRING, bn_pairing_case("bilinear", v) == 2, "e(aG,Q)e(-G,aQ) = 1");
    v.clear();
    pair(v, aG, c.g2);
    pair(v, c.g1, aQ);
    rule(BN_PAIRING, bn_pairing_case("not one", v) == 1, "e(aG,Q)e(G,aQ) != 1");
    v.clear();
    pair(v, zero, c.g2);
    rule(BN_PAIRING, bn_pairing_case("inf g1", v) == 2, "e(inf, Q) = 1");
    v.clear();
    uint8_t q[128];
    bn_g2_non_subgroup(q);
    pair(v, c.g1, q);
    rule(BN_PAIRING, bn_pairing_case("G2 outside the subgroup", v) == 0,
        "G2 outside the subgroup is EFAIL");
    v.clear();
    std::memcpy(q, c.g2, 128);
    q[127] ^= 1;
    pair(v, c.g1, q);
    rule(BN_PAIRING, bn_pairing_case("G2 off curve", v) == 0, "G2 off the curve is EFAIL");
    v.clear();
    std::memcpy(bad, c.g1, 64);
    bad[63] = 3;
    pair(v, bad, c.g2);
    rule(BN_PAIRING, bn_pairing_case("G1 off curve", v) == 0, "G1 off the curve is EFAIL");
}

// ---- BLAKE2f --------------------------------------------------------------------------------

void blake2f_case(const char* label, uint32_t rounds, const uint8_t* h, const uint8_t* m,
    const uint8_t* t, uint8_t f, uint8_t* result = nullptr)
{
    zkvm_blake2f_state hs;
    zkvm_blake2f_message ms;
    zkvm_blake2f_offset ts;
    std::memcpy(hs.data, h, 64);
    std::memcpy(ms.data, m, 128);
    std::memcpy(ts.data, t, 16);
    const zkvm_status st = zkvm_blake2f(rounds, &hs, &ms, &ts, f);
    uint64_t hw[8], mw[16], tw[2];
    std::memcpy(hw, h, 64);  // little-endian words on both sides
    std::memcpy(mw, m, 128);
    std::memcpy(tw, t, 16);
    if (f <= 1)
        blake2f_software(rounds, hw, mw, tw, f == 1);
    if (f > 1)
    {
        // No software counterpart: f must be 0 or 1. h (input and output) must be unchanged.
        Tally& tally = g_tally[BLAKE2F];
        ++tally.cases;
        st == ZKVM_EOK ? ++tally.eok : ++tally.efail;
        rule(BLAKE2F, st == ZKVM_EFAIL, "f > 1 is EFAIL");
        rule(BLAKE2F, std::memcmp(hs.data, h, 64) == 0, "h unchanged on EFAIL");
        return;
    }
    compare(BLAKE2F, label, st, true, hs.data, reinterpret_cast<uint8_t*>(hw), 64);
    if (result)
        std::memcpy(result, hs.data, 64);
}

void blake2f_cases()
{
    for (int i = 0; i < 12; ++i)
    {
        uint8_t h[64], m[128], t[16];
        fill(h, 64);
        fill(m, 128);
        fill(t, 16);
        const uint32_t rounds = i < 3 ? static_cast<uint32_t>(i * 12) : rnd() % 40;
        blake2f_case("random", rounds, h, m, t, static_cast<uint8_t>(i & 1));
        if (i < 2)
            blake2f_case("f = 2", rounds, h, m, t, static_cast<uint8_t>(2 + i * 253));
    }
    // EIP-152 test vector 5: BLAKE2b-512("abc"), 12 rounds.
    uint8_t h[64], m[128] = {'a', 'b', 'c'}, t[16] = {3}, out[64], exp[64];
    parse_hex(
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c"
        "3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b",
        h, 64);
    parse_hex(
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d"
        "5de4533cc9518d38aa8dbf1925ab92386edd4009923",
        exp, 64);
    blake2f_case("EIP-152 vector 5", 12, h, m, t, 1, out);
    rule(BLAKE2F, std::memcmp(out, exp, 64) == 0, "EIP-152 vector 5");
}

// ---- BLS12-381 ------------------------------------------------------------------------------

namespace bls = stele::crypto::bls12_381;

void bls_scalar(uint8_t* s)
{
    fill(s, 32);
}

void bls_g1_rand(uint8_t* out)
{
    uint8_t s[32];
    bls_scalar(s);
    bls::encode_g1(bls::G1J::from(bls::g1_generator()).mul_be(s, 32).to_affine(), out);
}
void bls_g2_rand(uint8_t* out)
{
    uint8_t s[32];
    bls_scalar(s);
    bls::encode_g2(bls::G2J::from(bls::g2_generator()).mul_be(s, 32).to_affine(), out);
}
// Points on the curves outside the order-r subgroup.
void bls_g1_non_subgroup(uint8_t* out)
{
    for (;;)
    {
        const bls::Fp x = bls::Fp::from_u64(rnd());
        bls::Fp y;
        if (!(x.square() * x + bls::Fp::from_u64(4)).sqrt(y))
            continue;
        const bls::G1 p{x, y, false};
        if (bls::g1_in_subgroup(p))
            continue;
        bls::encode_g1(p, out);
        return;
    }
}
void bls_g2_non_subgroup(uint8_t* out)
{
    const bls::Fp2 b{bls::Fp::from_u64(4), bls::Fp::from_u64(4)};
    for (;;)
    {
        const bls::Fp2 x{bls::Fp::from_u64(rnd()), bls::Fp::from_u64(rnd())};
        bls::Fp2 y;
        if (!(x.square() * x + b).sqrt(y))
            continue;
        const bls::G2 q{x, y, false};
        if (bls::g2_in_subgroup(q))
            continue;
        bls::encode_g2(q, out);
        return;
    }
}

template <size_t N, typename Point, auto Accel, auto Sw>
zkvm_status bls_add_case(unsigned n, const char* label, const uint8_t* a, const uint8_t* b)
{
    Point p1, p2, out;
    std::memcpy(p1.data, a, N);
    std::memcpy(p2.data, b, N);
    poison(out);
    const zkvm_status st = Accel(&p1, &p2, &out);
    uint8_t sw[N];
    const bool ok = Sw(a, b, sw);
    compare(n, label, st, ok, out.data, sw, N);
    return st;
}

template <size_t N, size_t Stride, typename Pair, typename Point, auto Accel, auto Sw>
zkvm_status bls_msm_case(
    unsigned n, const char* label, const std::vector<uint8_t>& pairs, uint8_t* result = nullptr)
{
    const size_t k = pairs.size() / Stride;
    std::vector<Pair> buf(k + 1);
    std::memcpy(buf.data(), pairs.data(), pairs.size());
    Point out;
    poison(out);
    const zkvm_status st = Accel(buf.data(), k, &out);
    uint8_t sw[N];
    const bool ok = Sw(pairs.data(), k, sw);
    compare(n, label, st, ok, out.data, sw, N);
    if (result)
        std::memcpy(result, out.data, N);
    return st;
}

auto g1_add_case = bls_add_case<96, zkvm_bls12_381_g1_point, zkvm_bls12_g1_add, bls::g1_add>;
auto g2_add_case = bls_add_case<192, zkvm_bls12_381_g2_point, zkvm_bls12_g2_add, bls::g2_add>;
auto g1_msm_case = bls_msm_case<96, 128, zkvm_bls12_381_g1_msm_pair, zkvm_bls12_381_g1_point,
    zkvm_bls12_g1_msm, bls::g1_msm>;
auto g2_msm_case = bls_msm_case<192, 224, zkvm_bls12_381_g2_msm_pair, zkvm_bls12_381_g2_point,
    zkvm_bls12_g2_msm, bls::g2_msm>;

// The coordinates of an encoded point with its first field element replaced by p (non-canonical).
void set_to_p(uint8_t* fe)
{
    parse_hex(
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9fef"
        "fffffffaaab",
        fe, 48);
}

template <size_t N>
void bls_group(unsigned add, unsigned msm, void (*rand_pt)(uint8_t*),
    void (*non_subgroup)(uint8_t*),
    zkvm_status (*add_case)(unsigned, const char*, const uint8_t*, const uint8_t*),
    zkvm_status (*msm_case)(unsigned, const char*, const std::vector<uint8_t>&, uint8_t*))
{
    const uint8_t zero[N] = {};
    uint8_t pts[5][N];
    for (auto& p : pts)
        rand_pt(p);
    for (int i = 0; i < 4; ++i)
        add_case(add, "random", pts[i], pts[i + 1]);
    add_case(add, "doubling", pts[0], pts[0]);
    add_case(add, "inf + P", zero, pts[0]);
    add_case(add, "inf + inf", zero, zero);
    uint8_t ns[N], bad[N];
    non_subgroup(ns);
    rule(add, add_case(add, "outside the subgroup", ns, pts[1]) == ZKVM_EOK,
        "ADD does not check the subgroup");
    std::memcpy(bad, pts[0], N);
    bad[N - 1] ^= 1;
    rule(add, add_case(add, "off curve", pts[1], bad) == ZKVM_EFAIL, "off curve is EFAIL");
    std::memcpy(bad, pts[0], N);
    set_to_p(bad);
    rule(add, add_case(add, "x = p", bad, pts[1]) == ZKVM_EFAIL, "non-canonical Fp is EFAIL");

    std::vector<uint8_t> v;
    uint8_t out[N];
    rule(msm, msm_case(msm, "0 pairs", v, out) == ZKVM_EOK && std::memcmp(out, zero, N) == 0,
        "MSM of 0 pairs is infinity");
    auto push = [&](const uint8_t* p, bool zero_scalar)
    {
        v.insert(v.end(), p, p + N);
        uint8_t s[32] = {};
        if (!zero_scalar)
            bls_scalar(s);
        v.insert(v.end(), s, s + 32);
    };
    for (size_t k = 1; k <= 4; ++k)
    {
        v.clear();
        for (size_t i = 0; i < k; ++i)
            push(pts[i], false);
        msm_case(msm, "random", v, nullptr);
    }
    v.clear();
    push(pts[0], true);
    push(zero, false);
    msm_case(msm, "zero scalar, inf", v, nullptr);
    v.clear();
    push(pts[0], false);
    push(ns, false);
    rule(msm, msm_case(msm, "outside the subgroup", v, nullptr) == ZKVM_EFAIL,
        "MSM checks the subgroup");
    v.clear();
    push(bad, false);
    rule(msm, msm_case(msm, "x = p", v, nullptr) == ZKVM_EFAIL, "non-canonical Fp is EFAIL");
}

int bls_pairing_case(const char* label, const std::vector<uint8_t>& pairs)
{
    const size_t n = pairs.size() / 288;
    std::vector<zkvm_bls12_381_pairing_pair> buf(n + 1);
    std::memcpy(buf.data(), pairs.data(), pairs.size());
    uint8_t verified = kSentinel;
    const zkvm_status st = zkvm_bls12_pairing(buf.data(), n, reinterpret_cast<bool*>(&verified));
    bool sw_v = false;
    const bool ok = bls::pairing_check(pairs.data(), n, sw_v);
    const uint8_t exp = sw_v;
    compare(BLS_PAIRING, label, st, ok, &verified, &exp, 1);
    return st != ZKVM_EOK ? 0 : verified == 1 ? 2 : 1;
}

void bls_pairing_cases()
{
    uint8_t a[32], aP[96], aQ[192], P[96], negP[96], Q[192];
    bls::encode_g1(bls::g1_generator(), P);
    bls::encode_g1(bls::g1_generator().neg(), negP);
    bls::encode_g2(bls::g2_generator(), Q);
    bls_scalar(a);
    bls::encode_g1(bls::G1J::from(bls::g1_generator()).mul_be(a, 32).to_affine(), aP);
    bls::encode_g2(bls::G2J::from(bls::g2_generator()).mul_be(a, 32).to_affine(), aQ);
    auto pair = [](std::vector<uint8_t>& v, const uint8_t* g1, const uint8_t* g2)
    {
        v.insert(v.end(), g1, g1 + 96);
        v.insert(v.end(), g2, g2 + 192);
    };
    std::vector<uint8_t> v;
    rule(BLS_PAIRING, bls_pairing_case("0 pairs", v) == 2, "0 pairs verify");
    pair(v, aP, Q);
    pair(v, negP, aQ);
    rule(BLS_PAIRING, bls_pairing_case("bilinear", v) == 2, "e(aP,Q)e(-P,aQ) = 1");
    v.clear();
    pair(v, aP, Q);
    pair(v, P, aQ);
    rule(BLS_PAIRING, bls_pairing_case("not one", v) == 1, "e(aP,Q)e(P,aQ) != 1");
    uint8_t ns1[96], ns2[192];
    bls_g1_non_subgroup(ns1);
    bls_g2_non_subgroup(ns2);
    v.clear();
    pair(v, ns1, Q);
    rule(BLS_PAIRING, bls_pairing_case("G1 outside the subgroup", v) == 0,
        "G1 outside the subgroup is EFAIL");
    v.clear();
    pair(v, P, ns2);
    rule(BLS_PAIRING, bls_pairing_case("G2 outside the subgroup", v) == 0,
        "G2 outside the subgroup is EFAIL");
    v.clear();
    std::memcpy(ns1, P, 96);
    set_to_p(ns1 + 48);
    pair(v, ns1, Q);
    rule(BLS_PAIRING, bls_pairing_case("y = p", v) == 0, "non-canonical Fp is EFAIL");
}

template <size_t In, size_t Out, typename Fe, typename Point, auto Accel, auto Sw>
zkvm_status bls_map_case(unsigned n, const char* label, const uint8_t* in)
{
    Fe fe;
    Point out;
    std::memcpy(fe.data, in, In);
    poison(out);
    const zkvm_status st = Accel(&fe, &out);
    uint8_t sw[Out];
    const bool ok = Sw(in, sw);
    compare(n, label, st, ok, out.data, sw, Out);
    return st;
}

void bls_map_cases()
{
    using MapFn = bool (*)(const uint8_t*, uint8_t*);
    auto g1 = bls_map_case<48, 96, zkvm_bls12_381_fp, zkvm_bls12_381_g1_point,
        zkvm_bls12_map_fp_to_g1, static_cast<MapFn>(bls::map_fp_to_g1)>;
    auto g2 = bls_map_case<96, 192, zkvm_bls12_381_fp2, zkvm_bls12_381_g2_point,
        zkvm_bls12_map_fp2_to_g2, static_cast<MapFn>(bls::map_fp2_to_g2)>;
    uint8_t u[96];
    for (int i = 0; i < 5; ++i)
    {
        fill(u, 96);
        u[0] &= 0x19;  // below p's top byte 0x1a
        u[48] &= 0x19;
        g1(BLS_MAP_G1, "random", u);
        g2(BLS_MAP_G2, "random", u);
    }
    std::memset(u, 0, 96);
    g1(BLS_MAP_G1, "zero", u);
    g2(BLS_MAP_G2, "zero", u);
    set_to_p(u);
    rule(BLS_MAP_G1, g1(BLS_MAP_G1, "u = p", u) == ZKVM_EFAIL, "non-canonical Fp is EFAIL");
    std::memset(u, 0, 48);
    set_to_p(u + 48);
    rule(BLS_MAP_G2, g2(BLS_MAP_G2, "c1 = p", u) == ZKVM_EFAIL, "non-canonical Fp2 is EFAIL");
    std::memset(u, 0xff, 96);
    rule(BLS_MAP_G1, g1(BLS_MAP_G1, "all ones", u) == ZKVM_EFAIL, "2^384-1 is EFAIL");
}

// ---- KZG ------------------------------------------------------------------------------------

int kzg_case(
    const char* label, const uint8_t* c, const uint8_t* z, const uint8_t* y, const uint8_t* proof)
{
    zkvm_kzg_commitment cc;
    zkvm_kzg_field_element zz, yy;
    zkvm_kzg_proof pp;
    std::memcpy(cc.data, c, 48);
    std::memcpy(zz.data, z, 32);
    std::memcpy(yy.data, y, 32);
    std::memcpy(pp.data, proof, 48);
    uint8_t verified = kSentinel;
    const zkvm_status st =
        zkvm_kzg_point_eval(&cc, &zz, &yy, &pp, reinterpret_cast<bool*>(&verified));
    bool sw_v = false;
    const bool ok = kzg::verify_kzg_proof(c, z, y, proof, sw_v) == kzg::Status::ok;
    const uint8_t exp = sw_v;
    compare(KZG, label, st, ok, &verified, &exp, 1);
    return st != ZKVM_EOK ? 0 : verified == 1 ? 2 : 1;
}

void kzg_eval_cases()
{
    // The constant polynomial y: commitment [y]G1, and the quotient is 0, so the proof is the
    // point at infinity (0xc0 ‖ zeros) for every z.
    uint8_t y[32], z[32], c[48], proof[48] = {0xc0}, modulus[32];
    parse_hex("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", modulus, 32);
    for (int i = 0; i < 2; ++i)
    {
        fill(y, 32);
        fill(z, 32);
        y[0] &= 0x3f;
        z[0] &= 0x3f;
        bls::compress_g1(bls::G1J::from(bls::g1_generator()).mul_be(y, 32).to_affine(), c);
        rule(KZG, kzg_case("constant polynomial", c, z, y, proof) == 2, "valid proof verifies");
        y[31] ^= 1;
        rule(KZG, kzg_case("wrong y", c, z, y, proof) == 1, "wrong y does not verify");
    }
    rule(KZG, kzg_case("z = modulus", c, modulus, y, proof) == 0, "z >= modulus is EFAIL");
    rule(KZG, kzg_case("y = modulus", c, z, modulus, proof) == 0, "y >= modulus is EFAIL");
    uint8_t junk[48];
    fill(junk, 48);
    junk[0] = (junk[0] & 0x1f) | 0x80;
    kzg_case("random commitment", junk, z, y, proof);
    uint8_t ns[96];
    bls_g1_non_subgroup(ns);
    bls::G1 p;
    (void)bls::decode_g1(ns, p, false);
    bls::compress_g1(p, junk);
    rule(KZG, kzg_case("commitment outside the subgroup", junk, z, y, proof) == 0,
        "commitment outside the subgroup is EFAIL");
}
}  // namespace

int main()
{
    const uint8_t* in = nullptr;
    size_t n = 0;
    read_input(&in, &n);
    if (n >= 8)
        std::memcpy(&g_state, in, 8);

    hashes_cases();
    secp256k1_cases();
    secp256r1_cases();
    modexp_cases();
    bn254_cases();
    blake2f_cases();
    bls_group<96>(
        BLS_G1_ADD, BLS_G1_MSM, bls_g1_rand, bls_g1_non_subgroup, g1_add_case, g1_msm_case);
    bls_group<192>(
        BLS_G2_ADD, BLS_G2_MSM, bls_g2_rand, bls_g2_non_subgroup, g2_add_case, g2_msm_case);
    bls_pairing_cases();
    bls_map_cases();
    kzg_eval_cases();

    std::string out;
    uint32_t mismatches = 0;
    for (unsigned i = 1; i < COUNT; ++i)
    {
        const Tally& t = g_tally[i];
        out += std::string{kNames[i]} + " " + std::to_string(t.cases) + " " +
               std::to_string(t.eok) + " " + std::to_string(t.efail) + " " +
               std::to_string(t.mismatches) + "\n";
        mismatches += t.mismatches;
    }
    out += "rules " + std::to_string(g_rules) + " " + std::to_string(g_rules_failed) + "\n";
    write_output(reinterpret_cast<const uint8_t*>(out.data()), out.size());
    return mismatches == 0 ? 0 : 1;
}
