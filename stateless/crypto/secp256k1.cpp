#include "secp256k1.hpp"

#include <algorithm>

#include "../core/accelerators.hpp"
#include "../core/keccak.hpp"
#include "ecc.hpp"
#include "ecc_tables.hpp"

namespace stele::crypto
{
using namespace ecc;

const uint8_t kSecp256k1Order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2,
    0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
const uint8_t kSecp256k1HalfOrder[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9,
    0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

namespace
{
struct K1Field
{
    static constexpr bool a_is_minus3 = false;
    static U4 mul(const U4& a, const U4& b) noexcept
    {
        return k1::mul(a, b);
    }
    static U4 sqr(const U4& a) noexcept
    {
        return k1::sqr(a);
    }
    static U4 add(const U4& a, const U4& b) noexcept
    {
        return k1::add(a, b);
    }
    static U4 sub(const U4& a, const U4& b) noexcept
    {
        return k1::sub(a, b);
    }
    static U4 neg(const U4& a) noexcept
    {
        return k1::neg(a);
    }
    static U4 mul_small(const U4& a, uint64_t k) noexcept
    {
        return k1::mul_small(a, k);
    }
    static bool is_zero(const U4& a) noexcept
    {
        return k1::is_zero_mod(a);
    }
    static U4 one() noexcept
    {
        return U4{{1, 0, 0, 0}};
    }
    static U4 inv(const U4& a) noexcept
    {
        return k1::inv(a);
    }
};

const MontParams& N = kSecp256k1N;

bool scalar_in_range(const U4& v) noexcept
{
    return !is_zero(v) && less(v, N.m);
}

// The message hash as a scalar: reduced mod n (hash < 2^256 < 2n, one subtraction).
U4 message_scalar(const hash256& msg) noexcept
{
    U4 z = load_be(msg.bytes);
    if (!less(z, N.m))
        sub_to(z, z, N.m);
    return z;
}

// GLV: k*P = k1*P + k2*(lambda P) with |k1|, |k2| < 2^128, and lambda (x, y) = (beta x, y):
// half the doublings of a plain double-scalar multiplication.
struct GlvSplit
{
    U4 k1, k2;
    bool neg1 = false, neg2 = false;
};

// round(k * g / 2^384) for the precomputed g = round(2^384 * b / n).
U4 mul_shift_384(const U4& k, const U4& g) noexcept
{
    uint64_t t[8];
    mul_wide(k, g, t);
    const uint64_t half = 1ull << 63;  // 2^383 for rounding
    t[5] += half;
    const uint64_t c5 = t[5] < half;
    t[6] += c5;
    const uint64_t c6 = t[6] < c5;
    t[7] += c6;
    return U4{{t[6], t[7], 0, 0}};
}

GlvSplit glv_split(const U4& k) noexcept
{
    const U4 c1 = mul_shift_384(k, kGlvG1);  // < 2^126
    const U4 c2 = mul_shift_384(k, kGlvG2);  // < 2^128
    uint64_t t[8];
    mul_wide(c1, kGlvMinusB1, t);  // < 2^254 < n
    const U4 x{{t[0], t[1], t[2], t[3]}};
    mul_wide(c2, kGlvB2, t);
    const U4 y{{t[0], t[1], t[2], t[3]}};
    GlvSplit s;
    s.k2 = mont_sub(x, y, N);
    // k1 = k - k2 * lambda; mont_mul with lambda in Montgomery form yields the plain product.
    s.k1 = mont_sub(k, mont_mul(s.k2, kGlvLambdaMont, N), N);
    U4 half = N.m;
    for (int i = 0; i < 4; ++i)
        half.v[i] = (half.v[i] >> 1) | (i < 3 ? half.v[i + 1] << 63 : 0);
    if (less(half, s.k1))
    {
        sub_to(s.k1, N.m, s.k1);
        s.neg1 = true;
    }
    if (less(half, s.k2))
    {
        sub_to(s.k2, N.m, s.k2);
        s.neg2 = true;
    }
    return s;
}

// u1*G + u2*P.
Jacobian<K1Field> glv_double_mul(const U4& u1, const U4& u2, const Affine<K1Field>& p) noexcept
{
    constexpr int kTable = 1 << (kPointWindow - 2);
    Jacobian<K1Field> tp[kTable], tl[kTable];
    tp[0] = {p.x, p.y, K1Field::one(), false};
    Jacobian<K1Field> p2 = tp[0];
    dbl(p2);
    for (int i = 1; i < kTable; ++i)
    {
        tp[i] = tp[i - 1];
        add_full(tp[i], p2, false);
    }
    for (int i = 0; i < kTable; ++i)
        tl[i] = {k1::mul(kSecp256k1Beta, tp[i].x), tp[i].y, tp[i].z, tp[i].inf};

    const auto a = glv_split(u1);
    const auto b = glv_split(u2);
    int8_t na1[257], na2[257], nb1[257], nb2[257];
    int len = wnaf(na1, a.k1, kGeneratorWindow);
    len = std::max(len, wnaf(na2, a.k2, kGeneratorWindow));
    len = std::max(len, wnaf(nb1, b.k1, kPointWindow));
    len = std::max(len, wnaf(nb2, b.k2, kPointWindow));

    Jacobian<K1Field> acc;
    for (int i = len - 1; i >= 0; --i)
    {
        dbl(acc);
        if (const int d = na1[i]; d != 0)
        {
            const auto& e = kSecp256k1G[(d > 0 ? d : -d) / 2];
            add_mixed(acc, Affine<K1Field>{e[0], e[1]}, (d < 0) != a.neg1);
        }
        if (const int d = na2[i]; d != 0)
        {
            const auto& e = kSecp256k1LambdaG[(d > 0 ? d : -d) / 2];
            add_mixed(acc, Affine<K1Field>{e[0], e[1]}, (d < 0) != a.neg2);
        }
        if (const int d = nb1[i]; d != 0)
            add_full(acc, tp[(d > 0 ? d : -d) / 2], (d < 0) != b.neg1);
        if (const int d = nb2[i]; d != 0)
            add_full(acc, tl[(d > 0 ? d : -d) / 2], (d < 0) != b.neg2);
    }
    return acc;
}

bool lift_x(const U4& x, bool odd, Affine<K1Field>& out) noexcept
{
    const U4 y2 = k1::add(k1::mul(k1::sqr(x), x), U4{{7, 0, 0, 0}});
    U4 y = k1::sqrt_candidate(y2);
    if (!k1::eq_mod(k1::sqr(y), y2))
        return false;
    y = k1::normalize(y);
    if (static_cast<bool>(y.v[0] & 1) != odd)
        y = k1::normalize(k1::neg(y));
    out = {x, y};
    return true;
}
}  // namespace

bool is_valid_scalar(const uint8_t v[32]) noexcept
{
    return scalar_in_range(load_be(v));
}

bool is_low_s(const uint8_t s[32]) noexcept
{
    return !less(load_be(kSecp256k1HalfOrder), load_be(s));
}

std::optional<Secp256k1Pubkey> secp256k1_recover_software(
    const hash256& msg, const uint8_t sig[64], uint8_t recid) noexcept
{
    const U4 r = load_be(sig);
    const U4 s = load_be(sig + 32);
    if (recid > 1 || !scalar_in_range(r) || !scalar_in_range(s))
        return std::nullopt;
    // R = (r, y) with y's parity from recid; r < n < p, so r is a field element as it is.
    Affine<K1Field> R;
    if (!lift_x(r, recid & 1, R))
        return std::nullopt;
    // Q = r^-1 (s R - z G) = (-z/r) G + (s/r) R
    const U4 rinv = mont_inv(to_mont(r, N), N);
    const U4 zm = to_mont(message_scalar(msg), N);
    const U4 u1 = from_mont(mont_mul(mont_sub(U4{{0, 0, 0, 0}}, zm, N), rinv, N), N);
    const U4 u2 = from_mont(mont_mul(to_mont(s, N), rinv, N), N);
    const auto q = glv_double_mul(u1, u2, R);
    Affine<K1Field> a;
    if (!to_affine(q, a))
        return std::nullopt;
    Secp256k1Pubkey out;
    store_be(k1::normalize(a.x), out.bytes);
    store_be(k1::normalize(a.y), out.bytes + 32);
    return out;
}

bool secp256k1_is_on_curve(const Secp256k1Pubkey& pubkey) noexcept
{
    const U4 x = load_be(pubkey.bytes);
    const U4 y = load_be(pubkey.bytes + 32);
    if (!less(x, k1::kP) || !less(y, k1::kP))
        return false;
    const U4 rhs = k1::add(k1::mul(k1::sqr(x), x), U4{{7, 0, 0, 0}});
    return k1::eq_mod(k1::sqr(y), rhs);
}

bool secp256k1_verify_software(
    const hash256& msg, const uint8_t sig[64], const Secp256k1Pubkey& pubkey) noexcept
{
    const U4 r = load_be(sig);
    const U4 s = load_be(sig + 32);
    if (!scalar_in_range(r) || !scalar_in_range(s) || !secp256k1_is_on_curve(pubkey))
        return false;
    const Affine<K1Field> Q{load_be(pubkey.bytes), load_be(pubkey.bytes + 32)};
    const U4 sinv = mont_inv(to_mont(s, N), N);
    const U4 u1 = from_mont(mont_mul(to_mont(message_scalar(msg), N), sinv, N), N);
    const U4 u2 = from_mont(mont_mul(to_mont(r, N), sinv, N), N);
    const auto X = glv_double_mul(u1, u2, Q);
    if (X.inf)
        return false;
    // x(X) mod n == r, checked projectively: r * Z^2 == X.x, or (r + n) * Z^2 when r + n < p.
    const U4 z2 = k1::sqr(X.z);
    if (k1::eq_mod(k1::mul(r, z2), X.x))
        return true;
    U4 rn;
    if (add_to(rn, r, N.m) == 0 && less(rn, k1::kP))
        return k1::eq_mod(k1::mul(rn, z2), X.x);
    return false;
}

std::optional<Secp256k1Pubkey> secp256k1_recover(
    const hash256& msg, const uint8_t sig[64], uint8_t recid) noexcept
{
#if STELE_ACCELERATED
    zkvm_secp256k1_hash h;
    zkvm_secp256k1_signature sg;
    zkvm_secp256k1_pubkey out;
    std::memcpy(h.data, msg.bytes, 32);
    std::memcpy(sg.data, sig, 64);
    if (recid > 1 || !is_valid_scalar(sig) || !is_valid_scalar(sig + 32))
        return std::nullopt;
    if (zkvm_secp256k1_ecrecover(&h, &sg, recid, &out) != ZKVM_EOK)
        return std::nullopt;
    return Secp256k1Pubkey::from({out.data, 64});
#else
    return secp256k1_recover_software(msg, sig, recid);
#endif
}

bool secp256k1_verify(
    const hash256& msg, const uint8_t sig[64], const Secp256k1Pubkey& pubkey) noexcept
{
#if STELE_ACCELERATED
    zkvm_secp256k1_hash h;
    zkvm_secp256k1_signature sg;
    zkvm_secp256k1_pubkey pk;
    std::memcpy(h.data, msg.bytes, 32);
    std::memcpy(sg.data, sig, 64);
    std::memcpy(pk.data, pubkey.bytes, 64);
    bool ok = false;
    return zkvm_secp256k1_verify(&h, &sg, &pk, &ok) == ZKVM_EOK && ok;
#else
    return secp256k1_verify_software(msg, sig, pubkey);
#endif
}

address pubkey_to_address(const Secp256k1Pubkey& pubkey) noexcept
{
    const auto h = keccak256(pubkey.view());
    return address::from({h.bytes + 12, 20});
}

std::optional<address> recover_signer(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s) noexcept
{
    uint8_t sig[64];
    store_be(sig, r);
    store_be(sig + 32, s);
    const auto pub = secp256k1_recover(msg, sig, y_parity);
    if (!pub)
        return std::nullopt;
    return pubkey_to_address(*pub);
}
}  // namespace stele::crypto
