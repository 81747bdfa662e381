#include "p256.hpp"

#include "../core/accelerators.hpp"
#include "ecc.hpp"
#include "ecc_tables.hpp"

namespace stele::crypto
{
using namespace ecc;

namespace
{
const MontParams& P = kP256P;
const MontParams& N = kP256N;

struct P256Field
{
    static constexpr bool a_is_minus3 = true;
    static U4 mul(const U4& a, const U4& b) noexcept
    {
        return mont_mul(a, b, P);
    }
    static U4 sqr(const U4& a) noexcept
    {
        return mont_mul(a, a, P);
    }
    static U4 add(const U4& a, const U4& b) noexcept
    {
        return mont_add(a, b, P);
    }
    static U4 sub(const U4& a, const U4& b) noexcept
    {
        return mont_sub(a, b, P);
    }
    static U4 neg(const U4& a) noexcept
    {
        return mont_sub(U4{{0, 0, 0, 0}}, a, P);
    }
    static bool is_zero(const U4& a) noexcept
    {
        return ecc::is_zero(a);
    }
    static U4 one() noexcept
    {
        return P.one;
    }
    static U4 inv(const U4& a) noexcept
    {
        return mont_inv(a, P);
    }
};

// The curve coefficient b (plain; converted where used).
const U4 kB = {
    {0x3bce3c3e27d2604bull, 0x651d06b0cc53b0f6ull, 0xb3ebbd55769886bcull, 0x5ac635d8aa3a93e7ull}};

bool in_range(const U4& v, const U4& m) noexcept
{
    return less(v, m);
}
}  // namespace

bool p256_verify_software(const uint8_t h[32], const uint8_t r_be[32], const uint8_t s_be[32],
    const uint8_t qx_be[32], const uint8_t qy_be[32]) noexcept
{
    const U4 r = load_be(r_be);
    const U4 s = load_be(s_be);
    const U4 qx = load_be(qx_be);
    const U4 qy = load_be(qy_be);
    if (is_zero(r) || is_zero(s) || !in_range(r, N.m) || !in_range(s, N.m))
        return false;
    if (!in_range(qx, P.m) || !in_range(qy, P.m))
        return false;
    if (is_zero(qx) && is_zero(qy))
        return false;  // the encoding of the point at infinity
    // y^2 = x^3 - 3x + b
    const U4 x = to_mont(qx, P);
    const U4 y = to_mont(qy, P);
    const U4 x3 = mont_mul(mont_mul(x, x, P), x, P);
    const U4 three_x = mont_add(mont_add(x, x, P), x, P);
    const U4 rhs = mont_add(mont_sub(x3, three_x, P), to_mont(kB, P), P);
    if (!eq(mont_mul(y, y, P), rhs))
        return false;

    U4 z = load_be(h);
    if (!less(z, N.m))
        sub_to(z, z, N.m);
    const U4 sinv = mont_inv(to_mont(s, N), N);
    const U4 u1 = from_mont(mont_mul(to_mont(z, N), sinv, N), N);
    const U4 u2 = from_mont(mont_mul(to_mont(r, N), sinv, N), N);
    const auto X = double_mul<P256Field>(u1, kP256G, kGeneratorWindow, u2, Affine<P256Field>{x, y});
    Affine<P256Field> a;
    if (!to_affine(X, a))
        return false;
    U4 xr = from_mont(a.x, P);
    if (!less(xr, N.m))
        sub_to(xr, xr, N.m);
    return eq(xr, r);
}

bool p256_verify(const uint8_t h[32], const uint8_t r[32], const uint8_t s[32],
    const uint8_t qx[32], const uint8_t qy[32]) noexcept
{
#if STELE_ACCELERATED
    zkvm_secp256r1_hash hh;
    zkvm_secp256r1_signature sig;
    zkvm_secp256r1_pubkey pk;
    std::memcpy(hh.data, h, 32);
    std::memcpy(sig.data, r, 32);
    std::memcpy(sig.data + 32, s, 32);
    std::memcpy(pk.data, qx, 32);
    std::memcpy(pk.data + 32, qy, 32);
    bool ok = false;
    return zkvm_secp256r1_verify(&hh, &sig, &pk, &ok) == ZKVM_EOK && ok;
#else
    return p256_verify_software(h, r, s, qx, qy);
#endif
}
}  // namespace stele::crypto
