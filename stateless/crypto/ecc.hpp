// Short Weierstrass curves y^2 = x^3 + ax + b with a = 0 (secp256k1) or a = -3 (P-256), in
// Jacobian coordinates over a field policy F (internal to the crypto code). The double-scalar
// multiplication u1*G + u2*P (the work of ECDSA verification and recovery) interleaves a wNAF
// of u1 over a precomputed table of G and a wNAF of u2 over odd multiples of P, so both share
// one chain of doublings.
#pragma once

#include "field256.hpp"

namespace stele::crypto::ecc
{
template <class F>
struct Affine
{
    U4 x, y;
};

template <class F>
struct Jacobian
{
    U4 x, y, z;
    bool inf = true;
};

// Signed-digit width-w NAF of a 256-bit scalar: digits odd in (-2^(w-1), 2^(w-1)) or zero.
// Returns the number of digits (at most 257).
inline int wnaf(int8_t out[257], const U4& k, int w) noexcept
{
    uint64_t v[5] = {k.v[0], k.v[1], k.v[2], k.v[3], 0};
    const int window = 1 << w;
    int len = 0;
    for (int i = 0; i < 257; ++i)
        out[i] = 0;
    int pos = 0;
    while ((v[0] | v[1] | v[2] | v[3] | v[4]) != 0)
    {
        if (v[0] & 1)
        {
            int d = static_cast<int>(v[0] & static_cast<uint64_t>(window - 1));
            if (d >= window / 2)
                d -= window;
            out[pos] = static_cast<int8_t>(d);
            // v -= d
            if (d > 0)
            {
                uint64_t borrow = static_cast<uint64_t>(d);
                for (int i = 0; i < 5 && borrow; ++i)
                {
                    const uint64_t t = v[i];
                    v[i] = t - borrow;
                    borrow = t < borrow;
                }
            }
            else
            {
                uint64_t carry = static_cast<uint64_t>(-d);
                for (int i = 0; i < 5 && carry; ++i)
                {
                    v[i] += carry;
                    carry = v[i] < carry;
                }
            }
        }
        // v >>= 1
        for (int i = 0; i < 4; ++i)
            v[i] = (v[i] >> 1) | (v[i + 1] << 63);
        v[4] >>= 1;
        ++pos;
        len = pos;
    }
    return len;
}

template <class F>
void dbl(Jacobian<F>& p) noexcept
{
    if (p.inf)
        return;
    if constexpr (F::a_is_minus3)
    {
        // dbl-2001-b
        const U4 delta = F::sqr(p.z);
        const U4 gamma = F::sqr(p.y);
        const U4 beta = F::mul(p.x, gamma);
        const U4 t = F::mul(F::sub(p.x, delta), F::add(p.x, delta));
        const U4 alpha = F::add(F::add(t, t), t);
        const U4 beta4 = F::add(F::add(beta, beta), F::add(beta, beta));
        const U4 x3 = F::sub(F::sqr(alpha), F::add(beta4, beta4));
        const U4 z3 = F::sub(F::sub(F::sqr(F::add(p.y, p.z)), gamma), delta);
        const U4 g2 = F::sqr(gamma);
        const U4 g8 =
            F::add(F::add(F::add(g2, g2), F::add(g2, g2)), F::add(F::add(g2, g2), F::add(g2, g2)));
        p.y = F::sub(F::mul(alpha, F::sub(beta4, x3)), g8);
        p.x = x3;
        p.z = z3;
    }
    else
    {
        // dbl-2009-l
        const U4 a = F::sqr(p.x);
        const U4 b = F::sqr(p.y);
        const U4 c = F::sqr(b);
        U4 d = F::sub(F::sub(F::sqr(F::add(p.x, b)), a), c);
        d = F::add(d, d);
        const U4 e = F::add(F::add(a, a), a);
        const U4 f = F::sqr(e);
        const U4 x3 = F::sub(f, F::add(d, d));
        const U4 c8 = F::mul_small(c, 8);
        const U4 z3 = F::mul(F::add(p.y, p.y), p.z);
        p.y = F::sub(F::mul(e, F::sub(d, x3)), c8);
        p.x = x3;
        p.z = z3;
    }
    if (F::is_zero(p.z))
        p.inf = true;
}

// p += q (q affine, negated when `negate`).
template <class F>
void add_mixed(Jacobian<F>& p, const Affine<F>& q, bool negate) noexcept
{
    const U4 qy = negate ? F::neg(q.y) : q.y;
    if (p.inf)
    {
        p.x = q.x;
        p.y = qy;
        p.z = F::one();
        p.inf = false;
        return;
    }
    // madd-2007-bl
    const U4 z1z1 = F::sqr(p.z);
    const U4 u2 = F::mul(q.x, z1z1);
    const U4 s2 = F::mul(qy, F::mul(p.z, z1z1));
    const U4 h = F::sub(u2, p.x);
    const U4 r0 = F::sub(s2, p.y);
    if (F::is_zero(h))
    {
        if (F::is_zero(r0))
            dbl(p);
        else
            p.inf = true;
        return;
    }
    const U4 hh = F::sqr(h);
    const U4 i = F::add(F::add(hh, hh), F::add(hh, hh));
    const U4 j = F::mul(h, i);
    const U4 r = F::add(r0, r0);
    const U4 v = F::mul(p.x, i);
    const U4 x3 = F::sub(F::sub(F::sqr(r), j), F::add(v, v));
    const U4 y1j = F::mul(p.y, j);
    const U4 y3 = F::sub(F::mul(r, F::sub(v, x3)), F::add(y1j, y1j));
    const U4 z3 = F::sub(F::sub(F::sqr(F::add(p.z, h)), z1z1), hh);
    p.x = x3;
    p.y = y3;
    p.z = z3;
}

// p += q (both Jacobian; q negated when `negate`).
template <class F>
void add_full(Jacobian<F>& p, const Jacobian<F>& q, bool negate) noexcept
{
    if (q.inf)
        return;
    const U4 qy = negate ? F::neg(q.y) : q.y;
    if (p.inf)
    {
        p = q;
        p.y = qy;
        return;
    }
    // add-2007-bl
    const U4 z1z1 = F::sqr(p.z);
    const U4 z2z2 = F::sqr(q.z);
    const U4 u1 = F::mul(p.x, z2z2);
    const U4 u2 = F::mul(q.x, z1z1);
    const U4 s1 = F::mul(p.y, F::mul(q.z, z2z2));
    const U4 s2 = F::mul(qy, F::mul(p.z, z1z1));
    const U4 h = F::sub(u2, u1);
    const U4 r0 = F::sub(s2, s1);
    if (F::is_zero(h))
    {
        if (F::is_zero(r0))
            dbl(p);
        else
            p.inf = true;
        return;
    }
    const U4 h2 = F::add(h, h);
    const U4 i = F::sqr(h2);
    const U4 j = F::mul(h, i);
    const U4 r = F::add(r0, r0);
    const U4 v = F::mul(u1, i);
    const U4 x3 = F::sub(F::sub(F::sqr(r), j), F::add(v, v));
    const U4 s1j = F::mul(s1, j);
    const U4 y3 = F::sub(F::mul(r, F::sub(v, x3)), F::add(s1j, s1j));
    const U4 z3 = F::mul(F::sub(F::sub(F::sqr(F::add(p.z, q.z)), z1z1), z2z2), h);
    p.x = x3;
    p.y = y3;
    p.z = z3;
}

inline constexpr int kPointWindow = 5;  // odd multiples 1P .. 15P

// u1*G + u2*P, with G given as its table of odd multiples (window kGeneratorWindow).
template <class F>
Jacobian<F> double_mul(
    const U4& u1, const U4 (*g_table)[2], int g_window, const U4& u2, const Affine<F>& p) noexcept
{
    Jacobian<F> table[1 << (kPointWindow - 2)];
    table[0] = {p.x, p.y, F::one(), false};
    Jacobian<F> p2 = table[0];
    dbl(p2);
    for (int i = 1; i < (1 << (kPointWindow - 2)); ++i)
    {
        table[i] = table[i - 1];
        add_full(table[i], p2, false);
    }
    int8_t n1[257], n2[257];
    const int l1 = wnaf(n1, u1, g_window);
    const int l2 = wnaf(n2, u2, kPointWindow);
    Jacobian<F> acc;
    for (int i = (l1 > l2 ? l1 : l2) - 1; i >= 0; --i)
    {
        dbl(acc);
        if (const int d = n1[i]; d != 0)
        {
            const auto& e = g_table[(d > 0 ? d : -d) / 2];
            add_mixed(acc, Affine<F>{e[0], e[1]}, d < 0);
        }
        if (const int d = n2[i]; d != 0)
            add_full(acc, table[(d > 0 ? d : -d) / 2], d < 0);
    }
    return acc;
}

template <class F>
bool to_affine(const Jacobian<F>& p, Affine<F>& out) noexcept
{
    if (p.inf || F::is_zero(p.z))
        return false;
    const U4 zi = F::inv(p.z);
    const U4 zi2 = F::sqr(zi);
    out.x = F::mul(p.x, zi2);
    out.y = F::mul(p.y, F::mul(zi2, zi));
    return true;
}
}  // namespace stele::crypto::ecc
