// The extension tower shared by BN254 and BLS12-381:
//   Fp2  = Fp[u] / (u² + 1)
//   Fp6  = Fp2[v] / (v³ − ξ),  ξ = K + u  (K = 9 for BN254, 1 for BLS12-381)
//   Fp12 = Fp6[w] / (w² − v)
#pragma once

#include "fp.hpp"

namespace stele::crypto::ff
{
template <typename F, uint64_t K>
struct Fp2
{
    using Base = F;
    static constexpr uint64_t XI_K = K;
    F c0, c1;

    [[nodiscard]] static constexpr Fp2 zero() noexcept
    {
        return {};
    }
    [[nodiscard]] static constexpr Fp2 one() noexcept
    {
        return {F::one(), F::zero()};
    }
    [[nodiscard]] constexpr bool is_zero() const noexcept
    {
        return c0.is_zero() && c1.is_zero();
    }
    [[nodiscard]] constexpr bool is_one() const noexcept
    {
        return c0.is_one() && c1.is_zero();
    }
    friend constexpr bool operator==(const Fp2& a, const Fp2& b) noexcept
    {
        return a.c0 == b.c0 && a.c1 == b.c1;
    }
    friend constexpr Fp2 operator+(const Fp2& a, const Fp2& b) noexcept
    {
        return {a.c0 + b.c0, a.c1 + b.c1};
    }
    friend constexpr Fp2 operator-(const Fp2& a, const Fp2& b) noexcept
    {
        return {a.c0 - b.c0, a.c1 - b.c1};
    }
    friend constexpr Fp2 operator-(const Fp2& a) noexcept
    {
        return {-a.c0, -a.c1};
    }
    friend constexpr Fp2 operator*(const Fp2& a, const Fp2& b) noexcept
    {
        // Karatsuba with lazy reduction: three double-width products, two reductions.
        typename F::W v0, v1, s;
        F::mul_wide(v0, a.c0.m, b.c0.m);
        F::mul_wide(v1, a.c1.m, b.c1.m);
        typename F::L sa{}, sb{};
        add_limbs(sa, a.c0.m, a.c1.m);  // < 2p: (a0 + a1)(b0 + b1) < 4p² < p·2^(64N)
        add_limbs(sb, b.c0.m, b.c1.m);
        F::mul_wide(s, sa, sb);
        sub_limbs(s, s, v0);  // a0·b1 + a1·b0, never negative
        sub_limbs(s, s, v1);
        F::sub_wide(v0, v0, v1);
        Fp2 r;
        F::redc_into(r.c0.m, v0);
        F::redc_into(r.c1.m, s);
        return r;
    }
    constexpr Fp2& operator+=(const Fp2& b) noexcept
    {
        return *this = *this + b;
    }
    constexpr Fp2& operator-=(const Fp2& b) noexcept
    {
        return *this = *this - b;
    }
    constexpr Fp2& operator*=(const Fp2& b) noexcept
    {
        return *this = *this * b;
    }

    [[nodiscard]] constexpr Fp2 mul_fp(const F& s) const noexcept
    {
        return {c0 * s, c1 * s};
    }
    [[nodiscard]] constexpr Fp2 dbl() const noexcept
    {
        return {c0.dbl(), c1.dbl()};
    }
    [[nodiscard]] constexpr Fp2 square() const noexcept
    {
        const F t = c0 * c1;
        return {F::mul_sum(c0, c1, c0 - c1), t.dbl()};
    }
    [[nodiscard]] constexpr Fp2 conj() const noexcept
    {
        return {c0, -c1};
    }
    [[nodiscard]] constexpr Fp2 inv() const noexcept
    {
        const F t = (c0.square() + c1.square()).inv();
        return {c0 * t, -(c1 * t)};
    }
    // Multiplication by ξ = K + u.
    [[nodiscard]] constexpr Fp2 mul_xi() const noexcept
    {
        if constexpr (K == 1)
            return {c0 - c1, c0 + c1};
        else
            return {F::template mul_small_add<K>(c0, -c1), F::template mul_small_add<K>(c1, c0)};
    }
    template <size_t M>
    [[nodiscard]] constexpr Fp2 pow(const Limbs<M>& e) const noexcept
    {
        Fp2 r = one();
        for (size_t i = bit_length(e); i-- > 0;)
        {
            r = r.square();
            if (test_bit(e, i))
                r = r * *this;
        }
        return r;
    }
    // sgn0 of RFC 9380 for m = 2.
    [[nodiscard]] constexpr bool sgn0() const noexcept
    {
        const bool sign0 = c0.sgn0();
        return sign0 || (c0.is_zero() && c1.sgn0());
    }
    [[nodiscard]] constexpr bool is_square() const noexcept
    {
        // a is a square in Fp2 iff its norm is a square in Fp.
        return (c0.square() + c1.square()).is_square();
    }
    // Square root for p ≡ 3 mod 4 (Adj & Rodríguez-Henríquez, eprint 2012/685, algorithm 9).
    [[nodiscard]] constexpr bool sqrt(Fp2& out) const noexcept
    {
        if (is_zero())
        {
            out = zero();
            return true;
        }
        constexpr auto e1 = shr_limbs(sub_small(F::MOD, 3), 2);  // (p-3)/4
        const Fp2 a1 = pow(e1);
        const Fp2 alpha = a1.square() * *this;
        const Fp2 x0 = a1 * *this;
        Fp2 x;
        if (alpha == -one())
            x = Fp2{-x0.c1, x0.c0};  // u·x0
        else
        {
            constexpr auto e2 = F::P_MINUS_1_HALF;
            const Fp2 b = (one() + alpha).pow(e2);
            x = b * x0;
        }
        if (!(x.square() == *this))
            return false;
        out = x;
        return true;
    }
};

template <typename F2>
struct Fp6
{
    F2 c0, c1, c2;

    [[nodiscard]] static constexpr Fp6 zero() noexcept
    {
        return {};
    }
    [[nodiscard]] static constexpr Fp6 one() noexcept
    {
        return {F2::one(), F2{}, F2{}};
    }
    [[nodiscard]] constexpr bool is_zero() const noexcept
    {
        return c0.is_zero() && c1.is_zero() && c2.is_zero();
    }
    friend constexpr bool operator==(const Fp6& a, const Fp6& b) noexcept
    {
        return a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2;
    }
    friend constexpr Fp6 operator+(const Fp6& a, const Fp6& b) noexcept
    {
        return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2};
    }
    friend constexpr Fp6 operator-(const Fp6& a, const Fp6& b) noexcept
    {
        return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2};
    }
    friend constexpr Fp6 operator-(const Fp6& a) noexcept
    {
        return {-a.c0, -a.c1, -a.c2};
    }
    friend constexpr Fp6 operator*(const Fp6& a, const Fp6& b) noexcept
    {
        const F2 aa = a.c0 * b.c0;
        const F2 bb = a.c1 * b.c1;
        const F2 cc = a.c2 * b.c2;
        const F2 t1 = ((a.c1 + a.c2) * (b.c1 + b.c2) - bb - cc).mul_xi() + aa;
        const F2 t2 = (a.c0 + a.c1) * (b.c0 + b.c1) - aa - bb + cc.mul_xi();
        const F2 t3 = (a.c0 + a.c2) * (b.c0 + b.c2) - aa + bb - cc;
        return {t1, t2, t3};
    }
    [[nodiscard]] constexpr Fp6 square() const noexcept
    {
        // CH-SQR2 (Chung–Hasan).
        const F2 s0 = c0.square();
        const F2 ab = c0 * c1;
        const F2 s1 = ab.dbl();
        const F2 s2 = (c0 - c1 + c2).square();
        const F2 bc = c1 * c2;
        const F2 s3 = bc.dbl();
        const F2 s4 = c2.square();
        return {s3.mul_xi() + s0, s4.mul_xi() + s1, s1 + s2 + s3 - s0 - s4};
    }
    // Multiplication by v.
    [[nodiscard]] constexpr Fp6 mul_v() const noexcept
    {
        return {c2.mul_xi(), c0, c1};
    }
    // Multiplication by b0 + b1·v.
    [[nodiscard]] constexpr Fp6 mul_01(const F2& b0, const F2& b1) const noexcept
    {
        const F2 aa = c0 * b0;
        const F2 bb = c1 * b1;
        const F2 t1 = ((c1 + c2) * b1 - bb).mul_xi() + aa;
        const F2 t2 = (b0 + b1) * (c0 + c1) - aa - bb;
        const F2 t3 = (c0 + c2) * b0 - aa + bb;
        return {t1, t2, t3};
    }
    // Multiplication by b1·v.
    [[nodiscard]] constexpr Fp6 mul_1(const F2& b1) const noexcept
    {
        return {(c2 * b1).mul_xi(), c0 * b1, c1 * b1};
    }
    [[nodiscard]] constexpr Fp6 mul_fp2(const F2& b) const noexcept
    {
        return {c0 * b, c1 * b, c2 * b};
    }
    [[nodiscard]] constexpr Fp6 inv() const noexcept
    {
        const F2 t0 = c0.square() - (c1 * c2).mul_xi();
        const F2 t1 = c2.square().mul_xi() - c0 * c1;
        const F2 t2 = c1.square() - c0 * c2;
        const F2 d = (c0 * t0 + (c2 * t1 + c1 * t2).mul_xi()).inv();
        return {t0 * d, t1 * d, t2 * d};
    }
};

template <typename F2>
struct Fp12
{
    using F6 = Fp6<F2>;
    F6 c0, c1;

    [[nodiscard]] static constexpr Fp12 one() noexcept
    {
        return {F6::one(), F6{}};
    }
    [[nodiscard]] constexpr bool is_one() const noexcept
    {
        return c0 == F6::one() && c1.is_zero();
    }
    friend constexpr bool operator==(const Fp12& a, const Fp12& b) noexcept
    {
        return a.c0 == b.c0 && a.c1 == b.c1;
    }
    friend constexpr Fp12 operator*(const Fp12& a, const Fp12& b) noexcept
    {
        const F6 aa = a.c0 * b.c0;
        const F6 bb = a.c1 * b.c1;
        return {aa + bb.mul_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - aa - bb};
    }
    constexpr Fp12& operator*=(const Fp12& b) noexcept
    {
        return *this = *this * b;
    }
    [[nodiscard]] constexpr Fp12 square() const noexcept
    {
        const F6 ab = c0 * c1;
        const F6 t = (c0 + c1) * (c0 + c1.mul_v()) - ab - ab.mul_v();
        return {t, ab + ab};
    }
    [[nodiscard]] constexpr Fp12 conj() const noexcept
    {
        return {c0, -c1};
    }
    [[nodiscard]] constexpr Fp12 inv() const noexcept
    {
        const F6 t = (c0.square() - c1.square().mul_v()).inv();
        return {c0 * t, -(c1 * t)};
    }
    // Multiplication by a sparse element with w-coefficients at positions 0, 1 and 4 of the
    // (c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2) = (0, 1, 2, 3, 4, 5) layout: d0 + d1·v + d4·v·w
    // (lines of an M-type twist).
    [[nodiscard]] constexpr Fp12 mul_014(const F2& d0, const F2& d1, const F2& d4) const noexcept
    {
        const F6 aa = c0.mul_01(d0, d1);
        const F6 bb = c1.mul_1(d4);
        const F6 t = (c0 + c1).mul_01(d0, d1 + d4) - aa - bb;
        return {bb.mul_v() + aa, t};
    }
    // d0 + (d3 + d4·v)·w (lines of a D-type twist).
    [[nodiscard]] constexpr Fp12 mul_034(const F2& d0, const F2& d3, const F2& d4) const noexcept
    {
        const F6 aa = c0.mul_fp2(d0);
        const F6 bb = c1.mul_01(d3, d4);
        const F6 t = (c0 + c1).mul_01(d0 + d3, d4) - aa - bb;
        return {bb.mul_v() + aa, t};
    }
    // Squaring in the cyclotomic subgroup (Granger–Scott), valid after the easy part of the
    // final exponentiation.
    [[nodiscard]] constexpr Fp12 cyclotomic_square() const noexcept
    {
        F2 z0 = c0.c0, z4 = c0.c1, z3 = c0.c2, z2 = c1.c0, z1 = c1.c1, z5 = c1.c2;
        auto sq4 = [](const F2& a, const F2& b, F2& r0, F2& r1)
        {
            const F2 t = a * b;
            r0 = (a + b) * (a + b.mul_xi()) - t - t.mul_xi();
            r1 = t.dbl();
        };
        F2 t0, t1, t2, t3, t4, t5;
        sq4(z0, z1, t0, t1);
        sq4(z2, z3, t2, t3);
        sq4(z4, z5, t4, t5);
        z0 = (t0 - z0).dbl() + t0;
        z1 = (t1 + z1).dbl() + t1;
        const F2 xt5 = t5.mul_xi();
        z2 = (xt5 + z2).dbl() + xt5;
        z3 = (t4 - z3).dbl() + t4;
        z4 = (t2 - z4).dbl() + t2;
        z5 = (t3 + z5).dbl() + t3;
        return {{z0, z4, z3}, {z2, z1, z5}};
    }
};
}  // namespace stele::crypto::ff
