// 256-bit modular arithmetic on four 64-bit limbs (internal to the crypto code).
//  - secp256k1's base field p = 2^256 - 0x1000003D1 with its fast reduction (fold the high half
//    times 0x1000003D1), values kept weakly reduced (< 2^256) between operations;
//  - a generic Montgomery field for any odd modulus < 2^256 (secp256k1's order n, P-256's p
//    and n), values in Montgomery form, fully reduced.
// No allocation, no branches on secret-independent data only where noted: the engine verifies
// public data (signatures, keys), so constant time is not a goal here; correctness and speed are.
#pragma once

#include <cstdint>
#include <cstring>

namespace stele::crypto::ecc
{
using u128 = unsigned __int128;

struct U4
{
    uint64_t v[4];
};

inline U4 load_be(const uint8_t* p) noexcept
{
    U4 r;
    for (int i = 0; i < 4; ++i)
    {
        uint64_t w = 0;
        for (int j = 0; j < 8; ++j)
            w = (w << 8) | p[(3 - i) * 8 + j];
        r.v[i] = w;
    }
    return r;
}

inline void store_be(const U4& a, uint8_t* p) noexcept
{
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 8; ++j)
            p[(3 - i) * 8 + j] = static_cast<uint8_t>(a.v[i] >> (56 - 8 * j));
}

inline bool is_zero(const U4& a) noexcept
{
    return (a.v[0] | a.v[1] | a.v[2] | a.v[3]) == 0;
}

inline bool eq(const U4& a, const U4& b) noexcept
{
    return ((a.v[0] ^ b.v[0]) | (a.v[1] ^ b.v[1]) | (a.v[2] ^ b.v[2]) | (a.v[3] ^ b.v[3])) == 0;
}

// a < b
inline bool less(const U4& a, const U4& b) noexcept
{
    for (int i = 3; i >= 0; --i)
        if (a.v[i] != b.v[i])
            return a.v[i] < b.v[i];
    return false;
}

inline uint64_t add_to(U4& r, const U4& a, const U4& b) noexcept
{
    u128 c = 0;
    for (int i = 0; i < 4; ++i)
    {
        c += static_cast<u128>(a.v[i]) + b.v[i];
        r.v[i] = static_cast<uint64_t>(c);
        c >>= 64;
    }
    return static_cast<uint64_t>(c);
}

inline uint64_t sub_to(U4& r, const U4& a, const U4& b) noexcept
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i)
    {
        const uint64_t d = a.v[i] - b.v[i];
        const uint64_t nb = (a.v[i] < b.v[i]) | (d < borrow);
        r.v[i] = d - borrow;
        borrow = nb;
    }
    return borrow;
}

// t = a * b (512 bits).
inline void mul_wide(const U4& a, const U4& b, uint64_t t[8]) noexcept
{
    for (int i = 0; i < 8; ++i)
        t[i] = 0;
    for (int i = 0; i < 4; ++i)
    {
        uint64_t carry = 0;
        for (int j = 0; j < 4; ++j)
        {
            const u128 c = static_cast<u128>(a.v[i]) * b.v[j] + t[i + j] + carry;
            t[i + j] = static_cast<uint64_t>(c);
            carry = static_cast<uint64_t>(c >> 64);
        }
        t[i + 4] = carry;
    }
}

inline bool bit(const U4& a, int i) noexcept
{
    return (a.v[i >> 6] >> (i & 63)) & 1;
}

// ---- secp256k1 base field ----------------------------------------------------------------------

namespace k1
{
inline constexpr uint64_t kC = 0x1000003D1ull;  // 2^256 mod p
inline constexpr U4 kP = {{0xFFFFFFFEFFFFFC2Full, ~0ull, ~0ull, ~0ull}};

// r = (lo + hi * 2^256) mod p, weakly reduced; hi is the upper four limbs of a product.
inline U4 reduce512(const uint64_t t[8]) noexcept
{
    U4 r;
    u128 acc = static_cast<u128>(t[4]) * kC + t[0];
    r.v[0] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += static_cast<u128>(t[5]) * kC + t[1];
    r.v[1] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += static_cast<u128>(t[6]) * kC + t[2];
    r.v[2] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += static_cast<u128>(t[7]) * kC + t[3];
    r.v[3] = static_cast<uint64_t>(acc);
    const uint64_t top = static_cast<uint64_t>(acc >> 64);  // < 2^34
    acc = static_cast<u128>(top) * kC + r.v[0];
    r.v[0] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += r.v[1];
    r.v[1] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += r.v[2];
    r.v[2] = static_cast<uint64_t>(acc);
    acc >>= 64;
    acc += r.v[3];
    r.v[3] = static_cast<uint64_t>(acc);
    // A last carry leaves a tiny value below: adding kC cannot carry again.
    r.v[0] += static_cast<uint64_t>(acc >> 64) * kC;
    return r;
}

inline U4 mul(const U4& a, const U4& b) noexcept
{
    uint64_t t[8];
    u128 c;
    uint64_t carry;
    // Row-wise schoolbook product.
    carry = 0;
    for (int j = 0; j < 4; ++j)
    {
        c = static_cast<u128>(a.v[0]) * b.v[j] + carry;
        t[j] = static_cast<uint64_t>(c);
        carry = static_cast<uint64_t>(c >> 64);
    }
    t[4] = carry;
    for (int i = 1; i < 4; ++i)
    {
        carry = 0;
        for (int j = 0; j < 4; ++j)
        {
            c = static_cast<u128>(a.v[i]) * b.v[j] + t[i + j] + carry;
            t[i + j] = static_cast<uint64_t>(c);
            carry = static_cast<uint64_t>(c >> 64);
        }
        t[i + 4] = carry;
    }
    return reduce512(t);
}

inline U4 sqr(const U4& a) noexcept
{
    // Off-diagonal products once, doubled, plus the squares.
    uint64_t t[8] = {};
    u128 c;
    uint64_t carry;
    for (int i = 0; i < 3; ++i)
    {
        carry = 0;
        for (int j = i + 1; j < 4; ++j)
        {
            c = static_cast<u128>(a.v[i]) * a.v[j] + t[i + j] + carry;
            t[i + j] = static_cast<uint64_t>(c);
            carry = static_cast<uint64_t>(c >> 64);
        }
        t[i + 4] = carry;
    }
    uint64_t top = 0;
    for (int i = 0; i < 8; ++i)
    {
        const uint64_t nt = t[i] >> 63;
        t[i] = (t[i] << 1) | top;
        top = nt;
    }
    carry = 0;
    for (int i = 0; i < 4; ++i)
    {
        c = static_cast<u128>(a.v[i]) * a.v[i] + t[2 * i] + carry;
        t[2 * i] = static_cast<uint64_t>(c);
        c = static_cast<u128>(t[2 * i + 1]) + static_cast<uint64_t>(c >> 64);
        t[2 * i + 1] = static_cast<uint64_t>(c);
        carry = static_cast<uint64_t>(c >> 64);
    }
    return reduce512(t);
}

inline U4 add(const U4& a, const U4& b) noexcept
{
    U4 r;
    uint64_t c = add_to(r, a, b);
    // Overflow past 2^256 is worth kC; a second overflow leaves a tiny value.
    u128 acc = static_cast<u128>(r.v[0]) + c * kC;
    r.v[0] = static_cast<uint64_t>(acc);
    for (int i = 1; i < 4 && (acc >> 64); ++i)
    {
        acc = static_cast<u128>(r.v[i]) + 1;
        r.v[i] = static_cast<uint64_t>(acc);
    }
    if (acc >> 64)
        r.v[0] += kC;
    return r;
}

inline U4 sub(const U4& a, const U4& b) noexcept
{
    U4 r;
    if (sub_to(r, a, b))
    {
        // r holds a - b + 2^256; the true difference is congruent to r - kC.
        const U4 c = {{kC, 0, 0, 0}};
        if (sub_to(r, r, c))
            sub_to(r, r, c);
    }
    return r;
}

inline U4 mul_small(const U4& a, uint64_t k) noexcept
{
    uint64_t t[8] = {};
    u128 c = 0;
    for (int i = 0; i < 4; ++i)
    {
        c += static_cast<u128>(a.v[i]) * k;
        t[i] = static_cast<uint64_t>(c);
        c >>= 64;
    }
    t[4] = static_cast<uint64_t>(c);
    return reduce512(t);
}

// The canonical representative (< p).
inline U4 normalize(const U4& a) noexcept
{
    U4 r = a;
    if (!less(r, kP))
        sub_to(r, r, kP);
    return r;
}

inline bool is_zero_mod(const U4& a) noexcept
{
    return is_zero(normalize(a));
}

inline bool eq_mod(const U4& a, const U4& b) noexcept
{
    return eq(normalize(a), normalize(b));
}

inline U4 neg(const U4& a) noexcept
{
    return sub(U4{{0, 0, 0, 0}}, a);
}

inline U4 sqr_n(U4 a, int n) noexcept
{
    for (int i = 0; i < n; ++i)
        a = sqr(a);
    return a;
}

// x^(2^k - 1) blocks shared by the inverse and the square root (p has long runs of ones).
struct PowChain
{
    U4 x1, x2, x3, x22, x223;
};

inline PowChain pow_chain(const U4& x) noexcept
{
    PowChain c;
    c.x1 = x;
    c.x2 = mul(sqr(x), x);
    c.x3 = mul(sqr(c.x2), x);
    const U4 x6 = mul(sqr_n(c.x3, 3), c.x3);
    const U4 x9 = mul(sqr_n(x6, 3), c.x3);
    const U4 x11 = mul(sqr_n(x9, 2), c.x2);
    c.x22 = mul(sqr_n(x11, 11), x11);
    const U4 x44 = mul(sqr_n(c.x22, 22), c.x22);
    const U4 x88 = mul(sqr_n(x44, 44), x44);
    const U4 x176 = mul(sqr_n(x88, 88), x88);
    const U4 x220 = mul(sqr_n(x176, 44), x44);
    c.x223 = mul(sqr_n(x220, 3), c.x3);
    return c;
}

// x^(p-2): p - 2 = 2^256 - 2^32 - 979, i.e. 223 ones, a zero, 22 ones, 0000101101 in binary.
inline U4 inv(const U4& x) noexcept
{
    const auto c = pow_chain(x);
    U4 t = mul(sqr_n(c.x223, 23), c.x22);
    t = mul(sqr_n(t, 5), x);
    t = mul(sqr_n(t, 3), c.x2);
    t = mul(sqr_n(t, 2), x);
    return t;
}

// x^((p+1)/4), the square root when one exists (p = 3 mod 4); the caller checks it.
inline U4 sqrt_candidate(const U4& x) noexcept
{
    const auto c = pow_chain(x);
    U4 t = mul(sqr_n(c.x223, 23), c.x22);
    t = mul(sqr_n(t, 6), c.x2);
    return sqr_n(t, 2);
}
}  // namespace k1

// ---- Montgomery arithmetic for a general odd modulus -------------------------------------------

struct MontParams
{
    U4 m;         // modulus
    U4 r2;        // 2^512 mod m
    uint64_t n0;  // -m^-1 mod 2^64
    U4 one;       // 2^256 mod m: 1 in Montgomery form
};

inline U4 mont_mul(const U4& a, const U4& b, const MontParams& P) noexcept
{
    uint64_t t[6] = {};
    for (int i = 0; i < 4; ++i)
    {
        uint64_t carry = 0;
        for (int j = 0; j < 4; ++j)
        {
            const u128 x = static_cast<u128>(a.v[j]) * b.v[i] + t[j] + carry;
            t[j] = static_cast<uint64_t>(x);
            carry = static_cast<uint64_t>(x >> 64);
        }
        u128 x = static_cast<u128>(t[4]) + carry;
        t[4] = static_cast<uint64_t>(x);
        t[5] = static_cast<uint64_t>(x >> 64);
        const uint64_t m = t[0] * P.n0;
        x = static_cast<u128>(m) * P.m.v[0] + t[0];
        carry = static_cast<uint64_t>(x >> 64);
        for (int j = 1; j < 4; ++j)
        {
            x = static_cast<u128>(m) * P.m.v[j] + t[j] + carry;
            t[j - 1] = static_cast<uint64_t>(x);
            carry = static_cast<uint64_t>(x >> 64);
        }
        x = static_cast<u128>(t[4]) + carry;
        t[3] = static_cast<uint64_t>(x);
        t[4] = t[5] + static_cast<uint64_t>(x >> 64);
    }
    U4 r = {{t[0], t[1], t[2], t[3]}};
    if (t[4] != 0 || !less(r, P.m))
        sub_to(r, r, P.m);
    return r;
}

inline U4 mont_add(const U4& a, const U4& b, const MontParams& P) noexcept
{
    U4 r;
    const uint64_t c = add_to(r, a, b);
    if (c || !less(r, P.m))
        sub_to(r, r, P.m);
    return r;
}

inline U4 mont_sub(const U4& a, const U4& b, const MontParams& P) noexcept
{
    U4 r;
    if (sub_to(r, a, b))
        add_to(r, r, P.m);
    return r;
}

inline U4 to_mont(const U4& a, const MontParams& P) noexcept
{
    return mont_mul(a, P.r2, P);
}

inline U4 from_mont(const U4& a, const MontParams& P) noexcept
{
    return mont_mul(a, U4{{1, 0, 0, 0}}, P);
}

inline U4 mont_one(const MontParams& P) noexcept
{
    return P.one;
}

// a^e (a in Montgomery form, e plain) with a fixed 4-bit window.
inline U4 mont_pow(const U4& a, const U4& e, const MontParams& P) noexcept
{
    U4 table[16];
    table[0] = mont_one(P);
    for (int i = 1; i < 16; ++i)
        table[i] = mont_mul(table[i - 1], a, P);
    U4 r = table[0];
    for (int i = 63; i >= 0; --i)
    {
        for (int k = 0; k < 4; ++k)
            r = mont_mul(r, r, P);
        const unsigned d = static_cast<unsigned>(e.v[i / 16] >> (4 * (i % 16))) & 15;
        if (d)
            r = mont_mul(r, table[d], P);
    }
    return r;
}

// a^-1 by Fermat (m prime); a != 0.
inline U4 mont_inv(const U4& a, const MontParams& P) noexcept
{
    U4 e = P.m;
    sub_to(e, e, U4{{2, 0, 0, 0}});
    return mont_pow(a, e, P);
}
}  // namespace stele::crypto::ecc
