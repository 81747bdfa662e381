// Short-Weierstrass curves y² = x³ + b (a = 0) over a field F (Fp or Fp2): affine points for
// the encodings, Jacobian points for arithmetic, windowed scalar multiplication and a
// Pippenger multi-scalar multiplication.
#pragma once

#include <vector>

#include "fp.hpp"

namespace stele::crypto::ff
{
template <typename F>
struct Affine
{
    F x, y;
    bool infinity = true;

    friend constexpr bool operator==(const Affine& a, const Affine& b) noexcept
    {
        if (a.infinity || b.infinity)
            return a.infinity == b.infinity;
        return a.x == b.x && a.y == b.y;
    }
    [[nodiscard]] constexpr bool on_curve(const F& b) const noexcept
    {
        return infinity || y.square() == x.square() * x + b;
    }
    [[nodiscard]] constexpr Affine neg() const noexcept
    {
        return {x, -y, infinity};
    }
};

template <typename F>
struct Jacobian
{
    F x = F::one(), y = F::one(), z = F::zero();  // z = 0: infinity

    [[nodiscard]] static constexpr Jacobian infinity() noexcept
    {
        return {};
    }
    [[nodiscard]] static constexpr Jacobian from(const Affine<F>& a) noexcept
    {
        if (a.infinity)
            return {};
        return {a.x, a.y, F::one()};
    }
    [[nodiscard]] constexpr bool is_infinity() const noexcept
    {
        return z.is_zero();
    }

    [[nodiscard]] constexpr Affine<F> to_affine() const noexcept
    {
        if (is_infinity())
            return {};
        const F zi = z.inv();
        const F zi2 = zi.square();
        return {x * zi2, y * zi2 * zi, false};
    }
    [[nodiscard]] constexpr Jacobian neg() const noexcept
    {
        return {x, -y, z};
    }

    // dbl-2009-l (a = 0).
    [[nodiscard]] constexpr Jacobian dbl() const noexcept
    {
        if (is_infinity())
            return *this;
        const F a = x.square();
        const F b = y.square();
        const F c = b.square();
        const F d = ((x + b).square() - a - c).dbl();
        const F e = a.dbl() + a;
        const F f = e.square();
        Jacobian r;
        r.x = f - d.dbl();
        r.y = e * (d - r.x) - c.dbl().dbl().dbl();
        r.z = (y * z).dbl();
        return r;
    }

    // add-2007-bl, complete for the special cases.
    [[nodiscard]] constexpr Jacobian add(const Jacobian& q) const noexcept
    {
        if (is_infinity())
            return q;
        if (q.is_infinity())
            return *this;
        const F z1z1 = z.square();
        const F z2z2 = q.z.square();
        const F u1 = x * z2z2;
        const F u2 = q.x * z1z1;
        const F s1 = y * q.z * z2z2;
        const F s2 = q.y * z * z1z1;
        const F h = u2 - u1;
        F r = s2 - s1;
        if (h.is_zero())
            return r.is_zero() ? dbl() : Jacobian{};
        const F i = h.dbl().square();
        const F j = h * i;
        r = r.dbl();
        const F v = u1 * i;
        Jacobian o;
        o.x = r.square() - j - v.dbl();
        o.y = r * (v - o.x) - (s1 * j).dbl();
        o.z = ((z + q.z).square() - z1z1 - z2z2) * h;
        return o;
    }

    // madd-2007-bl: this + affine q.
    [[nodiscard]] constexpr Jacobian add(const Affine<F>& q) const noexcept
    {
        if (q.infinity)
            return *this;
        if (is_infinity())
            return from(q);
        const F z1z1 = z.square();
        const F u2 = q.x * z1z1;
        const F s2 = q.y * z * z1z1;
        const F h = u2 - x;
        F r = s2 - y;
        if (h.is_zero())
            return r.is_zero() ? dbl() : Jacobian{};
        const F hh = h.square();
        const F i = hh.dbl().dbl();
        const F j = h * i;
        r = r.dbl();
        const F v = x * i;
        Jacobian o;
        o.x = r.square() - j - v.dbl();
        o.y = r * (v - o.x) - (y * j).dbl();
        o.z = (z + h).square() - z1z1 - hh;
        return o;
    }

    // Projective equality.
    [[nodiscard]] constexpr bool equals(const Jacobian& q) const noexcept
    {
        if (is_infinity() || q.is_infinity())
            return is_infinity() == q.is_infinity();
        const F z1z1 = z.square();
        const F z2z2 = q.z.square();
        return x * z2z2 == q.x * z1z1 && y * q.z * z2z2 == q.y * z * z1z1;
    }

    // Scalar multiplication by a big-endian byte string (any length), 4-bit fixed window.
    [[nodiscard]] Jacobian mul_be(const uint8_t* s, size_t len) const noexcept
    {
        Jacobian table[16];
        table[1] = *this;
        for (int i = 2; i < 16; ++i)
            table[i] = (i % 2 == 0) ? table[i / 2].dbl() : table[i - 1].add(*this);
        Jacobian r;
        bool started = false;
        for (size_t i = 0; i < len; ++i)
        {
            for (int half = 0; half < 2; ++half)
            {
                const unsigned nib = half == 0 ? (s[i] >> 4) : (s[i] & 15);
                if (started)
                    r = r.dbl().dbl().dbl().dbl();
                if (nib != 0)
                {
                    r = r.add(table[nib]);
                    started = true;
                }
            }
        }
        return r;
    }

    template <size_t M>
    [[nodiscard]] constexpr Jacobian mul_limbs(const Limbs<M>& e) const noexcept
    {
        Jacobian r;
        for (size_t i = bit_length(e); i-- > 0;)
        {
            r = r.dbl();
            if (test_bit(e, i))
                r = r.add(*this);
        }
        return r;
    }
};

// Pippenger bucket method over 32-byte big-endian scalars, with signed window digits
// (2^(c-1) buckets per window; a negative digit adds the negated point).
template <typename F>
[[nodiscard]] Jacobian<F> msm(
    const Affine<F>* points, const uint8_t (*scalars)[32], size_t n) noexcept
{
    using J = Jacobian<F>;
    if (n == 0)
        return J{};
    if (n == 1)
        return J::from(points[0]).mul_be(scalars[0], 32);
    // Window width by cost: per window, n mixed additions into buckets plus about 2·2^(c-1)
    // additions to sum the buckets (a full addition costs ~1.5 mixed ones).
    unsigned c = 1;
    uint64_t best = ~uint64_t{0};
    for (unsigned w = 2; w <= 16; ++w)
    {
        const uint64_t cost = uint64_t(256 / w + 1) * (2 * n + 6 * (uint64_t{1} << (w - 1)));
        if (cost < best)
        {
            best = cost;
            c = w;
        }
    }
    const unsigned windows = 256 / c + 1;  // one more for the final carry
    auto bits = [&](size_t idx, unsigned lo) -> int64_t
    {
        int64_t v = 0;
        for (unsigned b = 0; b < c; ++b)
        {
            const unsigned bit = lo + b;
            if (bit >= 256)
                break;
            const uint8_t byte = scalars[idx][31 - bit / 8];
            v |= int64_t((byte >> (bit % 8)) & 1) << b;
        }
        return v;
    };
    const int64_t half = int64_t{1} << (c - 1);
    std::vector<int32_t> digits(n * windows);
    for (size_t i = 0; i < n; ++i)
    {
        int64_t carry = 0;
        for (unsigned w = 0; w < windows; ++w)
        {
            int64_t v = bits(i, w * c) + carry;
            carry = 0;
            if (v > half)
            {
                v -= 2 * half;
                carry = 1;
            }
            digits[i * windows + w] = int32_t(v);
        }
    }
    std::vector<J> buckets(size_t(half) + 1);
    J acc;
    for (unsigned w = windows; w-- > 0;)
    {
        for (unsigned k = 0; k < c; ++k)
            acc = acc.dbl();
        for (auto& b : buckets)
            b = J{};
        for (size_t i = 0; i < n; ++i)
        {
            const int32_t d = digits[i * windows + w];
            if (d > 0)
                buckets[size_t(d)] = buckets[size_t(d)].add(points[i]);
            else if (d < 0)
                buckets[size_t(-d)] = buckets[size_t(-d)].add(points[i].neg());
        }
        J running, sum;
        for (size_t d = buckets.size() - 1; d >= 1; --d)
        {
            running = running.add(buckets[d]);
            sum = sum.add(running);
        }
        acc = acc.add(sum);
    }
    return acc;
}
}  // namespace stele::crypto::ff
