#include "secp256k1.hpp"

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
    const auto q = double_mul<K1Field>(u1, kSecp256k1G, kGeneratorWindow, u2, R);
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
    const auto X = double_mul<K1Field>(u1, kSecp256k1G, kGeneratorWindow, u2, Q);
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
}  // namespace stele::crypto
