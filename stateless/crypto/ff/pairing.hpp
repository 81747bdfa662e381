// Miller-loop building blocks shared by BN254 (D-type twist) and BLS12-381 (M-type twist):
// doubling and addition steps on the twist in homogeneous projective coordinates with their
// line functions (Costello–Lange–Naehrig, eprint 2009/615; formulas 3 and 4 of eprint 2013/722),
// and the sparse multiplication of the accumulator by a line evaluated at the G1 point.
#pragma once

#include "curve.hpp"
#include "tower.hpp"

namespace stele::crypto::ff
{
enum class Twist
{
    M,  // E': y² = x³ + b·ξ   (BLS12-381)
    D,  // E': y² = x³ + b/ξ   (BN254)
};

template <typename F2>
struct G2Proj
{
    F2 x, y, z;
};

template <typename F2>
struct Line
{
    F2 c0, c1, c2;
};

// r ← 2r; returns the tangent line. b is the twist's curve constant.
template <Twist T, typename F2>
[[nodiscard]] constexpr Line<F2> doubling_step(
    G2Proj<F2>& r, const F2& b, const typename F2::Base& two_inv) noexcept
{
    const F2 a = (r.x * r.y).mul_fp(two_inv);
    const F2 bb = r.y.square();
    const F2 c = r.z.square();
    const F2 e = b * (c.dbl() + c);
    const F2 f = e.dbl() + e;
    const F2 g = (bb + f).mul_fp(two_inv);
    const F2 h = (r.y + r.z).square() - (bb + c);
    const F2 i = e - bb;
    const F2 j = r.x.square();
    const F2 e2 = e.square();
    r.x = a * (bb - f);
    r.y = g.square() - (e2.dbl() + e2);
    r.z = bb * h;
    if constexpr (T == Twist::M)
        return {i, j.dbl() + j, -h};
    else
        return {-h, j.dbl() + j, i};
}

// r ← r + q; returns the chord line.
template <Twist T, typename F2>
[[nodiscard]] constexpr Line<F2> addition_step(G2Proj<F2>& r, const Affine<F2>& q) noexcept
{
    const F2 theta = r.y - q.y * r.z;
    const F2 lambda = r.x - q.x * r.z;
    const F2 c = theta.square();
    const F2 d = lambda.square();
    const F2 e = lambda * d;
    const F2 f = r.z * c;
    const F2 g = r.x * d;
    const F2 h = e + f - g.dbl();
    r.x = lambda * h;
    r.y = theta * (g - h) - e * r.y;
    r.z = r.z * e;
    const F2 j = theta * q.x - lambda * q.y;
    if constexpr (T == Twist::M)
        return {j, -theta, lambda};
    else
        return {lambda, -theta, j};
}

// f ← f · ℓ(P).
template <Twist T, typename F2>
[[nodiscard]] constexpr Fp12<F2> ell(
    const Fp12<F2>& f, const Line<F2>& l, const Affine<typename F2::Base>& p) noexcept
{
    if constexpr (T == Twist::M)
        return f.mul_014(l.c0, l.c1.mul_fp(p.x), l.c2.mul_fp(p.y));
    else
        return f.mul_034(l.c0.mul_fp(p.y), l.c1.mul_fp(p.x), l.c2);
}

// Frobenius constants γ[k][j] = ξ^(j·(p^k − 1)/6), k = 1..3, j = 0..5.
template <typename F2>
struct FrobeniusTable
{
    F2 g[4][6];
};

template <typename F2>
[[nodiscard]] constexpr FrobeniusTable<F2> make_frobenius_table() noexcept
{
    using F = typename F2::Base;
    FrobeniusTable<F2> t{};
    const F2 xi{F::from_u64(F2::XI_K), F::one()};
    const auto e = div_small(sub_small(F::MOD, 1), 6);
    const F2 g11 = xi.pow(e);
    t.g[1][0] = F2::one();
    for (int j = 1; j < 6; ++j)
        t.g[1][j] = t.g[1][j - 1] * g11;
    for (int k = 2; k <= 3; ++k)
        for (int j = 0; j < 6; ++j)
            t.g[k][j] = t.g[k - 1][j].conj() * t.g[1][j];
    return t;
}

// f^(p^k) for k = 1, 2, 3.
template <typename F2>
[[nodiscard]] constexpr Fp12<F2> frobenius(
    const Fp12<F2>& f, int k, const FrobeniusTable<F2>& t) noexcept
{
    auto c = [k](const F2& a) { return (k % 2 == 1) ? a.conj() : a; };
    Fp12<F2> r;
    r.c0.c0 = c(f.c0.c0);
    r.c0.c1 = c(f.c0.c1) * t.g[k][2];
    r.c0.c2 = c(f.c0.c2) * t.g[k][4];
    r.c1.c0 = c(f.c1.c0) * t.g[k][1];
    r.c1.c1 = c(f.c1.c1) * t.g[k][3];
    r.c1.c2 = c(f.c1.c2) * t.g[k][5];
    return r;
}

// The easy part f^((p^6 − 1)(p^2 + 1)); the result lies in the cyclotomic subgroup.
// f must be nonzero (the Miller loop never yields zero for valid inputs).
template <typename F2>
[[nodiscard]] constexpr Fp12<F2> final_exp_easy(
    const Fp12<F2>& f, const FrobeniusTable<F2>& t) noexcept
{
    const Fp12<F2> a = f.conj() * f.inv();
    return frobenius(a, 2, t) * a;
}

// a^e in the cyclotomic subgroup for a 64-bit e.
template <typename F2>
[[nodiscard]] constexpr Fp12<F2> cyclotomic_pow(const Fp12<F2>& a, uint64_t e) noexcept
{
    Fp12<F2> r = Fp12<F2>::one();
    bool started = false;
    for (int i = 63; i >= 0; --i)
    {
        if (started)
            r = r.cyclotomic_square();
        if ((e >> i) & 1)
        {
            r = started ? r * a : a;
            started = true;
        }
    }
    return r;
}
}  // namespace stele::crypto::ff
