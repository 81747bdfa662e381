// Prime-field arithmetic in Montgomery form with a fixed number of 64-bit limbs, shared by
// BN254 (4 limbs) and BLS12-381 (6 limbs). Freestanding, constexpr where possible so that curve
// constants are converted at compile time. Not constant-time: the precompiles only handle
// public data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if defined(__x86_64__)
#include <x86intrin.h>  // _addcarry_u64 / _subborrow_u64: plain ADC/SBB, no ISA extension

#include "mont_x86.hpp"
#endif

namespace stele::crypto::ff
{
using u128 = unsigned __int128;

template <size_t N>
using Limbs = std::array<uint64_t, N>;

// Little-endian limbs from a big-endian hex string ("0x..." or bare).
template <size_t N>
[[nodiscard]] constexpr Limbs<N> parse_hex(const char* s) noexcept
{
    Limbs<N> r{};
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t len = 0;
    while (s[len] != 0)
        ++len;
    for (size_t i = 0; i < len && i < 16 * N; ++i)
    {
        const char c = s[len - 1 - i];
        const uint64_t d =
            (c >= '0' && c <= '9') ? uint64_t(c - '0') : uint64_t((c | 0x20) - 'a' + 10);
        r[i / 16] |= d << (4 * (i % 16));
    }
    return r;
}

// Keeps a value in a general-purpose register. GCC otherwise vectorises the limb-wise masked
// selects below into SSE operations that reload just-stored limbs, stalling store forwarding.
[[nodiscard]] constexpr uint64_t scalar_barrier(uint64_t v) noexcept
{
#if defined(__x86_64__)
    if (!std::is_constant_evaluated())
        asm("" : "+r"(v));
#endif
    return v;
}

template <size_t N>
constexpr uint64_t add_limbs(Limbs<N>& r, const Limbs<N>& a, const Limbs<N>& b) noexcept
{
#if defined(__x86_64__)
    if (!std::is_constant_evaluated())
    {
        unsigned char c = 0;
        for (size_t i = 0; i < N; ++i)
        {
            unsigned long long s;
            c = _addcarry_u64(c, a[i], b[i], &s);
            r[i] = s;
        }
        return c;
    }
#endif
    bool carry = false;
    for (size_t i = 0; i < N; ++i)
    {
        uint64_t s;
        const bool c1 = __builtin_add_overflow(a[i], b[i], &s);
        const bool c2 = __builtin_add_overflow(s, uint64_t(carry), &s);
        r[i] = s;
        carry = c1 || c2;
    }
    return carry;
}

template <size_t N>
constexpr uint64_t sub_limbs(Limbs<N>& r, const Limbs<N>& a, const Limbs<N>& b) noexcept
{
#if defined(__x86_64__)
    if (!std::is_constant_evaluated())
    {
        unsigned char c = 0;
        for (size_t i = 0; i < N; ++i)
        {
            unsigned long long d;
            c = _subborrow_u64(c, a[i], b[i], &d);
            r[i] = d;
        }
        return c;
    }
#endif
    bool borrow = false;
    for (size_t i = 0; i < N; ++i)
    {
        uint64_t d;
        const bool b1 = __builtin_sub_overflow(a[i], b[i], &d);
        const bool b2 = __builtin_sub_overflow(d, uint64_t(borrow), &d);
        r[i] = d;
        borrow = b1 || b2;
    }
    return borrow;
}

template <size_t N>
[[nodiscard]] constexpr bool less_limbs(const Limbs<N>& a, const Limbs<N>& b) noexcept
{
    for (size_t i = N; i-- > 0;)
        if (a[i] != b[i])
            return a[i] < b[i];
    return false;
}

template <size_t N>
[[nodiscard]] constexpr bool is_zero_limbs(const Limbs<N>& a) noexcept
{
    uint64_t acc = 0;
    for (auto x : a)
        acc |= x;
    return acc == 0;
}

template <size_t N>
[[nodiscard]] constexpr size_t bit_length(const Limbs<N>& a) noexcept
{
    for (size_t i = N; i-- > 0;)
        if (a[i] != 0)
            return 64 * i + 64 - size_t(__builtin_clzll(a[i]));
    return 0;
}

template <size_t N>
[[nodiscard]] constexpr bool test_bit(const Limbs<N>& a, size_t i) noexcept
{
    return ((a[i / 64] >> (i % 64)) & 1) != 0;
}

template <size_t N>
[[nodiscard]] constexpr Limbs<N> shr_limbs(const Limbs<N>& a, unsigned k) noexcept
{
    Limbs<N> r{};
    for (size_t i = 0; i < N; ++i)
    {
        r[i] = a[i] >> k;
        if (i + 1 < N && k != 0)
            r[i] |= a[i + 1] << (64 - k);
    }
    return r;
}

// Division by a small integer (exact or truncating).
template <size_t N>
[[nodiscard]] constexpr Limbs<N> div_small(const Limbs<N>& a, uint64_t d) noexcept
{
    Limbs<N> r{};
    u128 rem = 0;
    for (size_t i = N; i-- > 0;)
    {
        const u128 cur = (rem << 64) | a[i];
        r[i] = uint64_t(cur / d);
        rem = cur % d;
    }
    return r;
}

template <size_t N>
[[nodiscard]] constexpr Limbs<N> add_small(const Limbs<N>& a, uint64_t v) noexcept
{
    Limbs<N> b{};
    b[0] = v;
    Limbs<N> r{};
    add_limbs(r, a, b);
    return r;
}

template <size_t N>
[[nodiscard]] constexpr Limbs<N> sub_small(const Limbs<N>& a, uint64_t v) noexcept
{
    Limbs<N> b{};
    b[0] = v;
    Limbs<N> r{};
    sub_limbs(r, a, b);
    return r;
}

// P provides: static constexpr size_t N; static constexpr Limbs<N> MOD (odd, top bit clear).
template <typename P>
class Fp
{
public:
    static constexpr size_t N = P::N;
    static constexpr size_t BYTES = 8 * N;
    using L = Limbs<N>;
    static constexpr L MOD = P::MOD;

private:
    static constexpr uint64_t compute_inv() noexcept
    {
        uint64_t inv = 1;
        for (int i = 0; i < 7; ++i)
            inv *= 2 - MOD[0] * inv;
        return ~inv + 1;  // -p^-1 mod 2^64
    }
    static constexpr L pow2_mod(size_t k) noexcept
    {
        L r{};
        r[0] = 1;
        for (size_t i = 0; i < k; ++i)
        {
            L t{};
            const uint64_t carry = add_limbs(t, r, r);
            if (carry != 0 || !less_limbs(t, MOD))
                sub_limbs(t, t, MOD);
            r = t;
        }
        return r;
    }

public:
    static constexpr uint64_t INV = compute_inv();
    static constexpr L R1 = pow2_mod(64 * N);
    static constexpr L R2 = pow2_mod(128 * N);

    L m{};  // Montgomery representation a·R mod p

    // CIOS Montgomery multiplication, in the variant without an extra carry word: exact while
    // every intermediate stays below 2^(64N), which p < 2^(64N−2) (static_assert; both our
    // moduli) guarantees for inputs up to 2p. The result is then below ab/R + p < 2p before
    // the final conditional subtraction, so unreduced sums may be multiplied directly.
    // On x86-64 with BMI2 and ADX the same algorithm runs as MULX/ADCX/ADOX assembly.
    [[nodiscard]] static constexpr L mont_mul(const L& a, const L& b) noexcept
    {
        L r;
        mont_mul_into(r, a, b);
        return r;
    }
    // Writes the product straight into its destination: a returned array would be copied with
    // SSE loads that straddle the just-stored limbs and stall store forwarding.
    static constexpr void mont_mul_into(L& out, const L& a, const L& b) noexcept
    {
        static_assert(MOD[N - 1] < (uint64_t{1} << 62));
#if defined(__x86_64__)
        if (!std::is_constant_evaluated() && x86::HAS_BMI2_ADX)
        {
            if constexpr (N == 4 || N == 6)
            {
                L r;
                if constexpr (N == 4)
                    x86::mont_mul_4(r.data(), a.data(), b.data(), MOD.data(), INV);
                else
                    x86::mont_mul_6(r.data(), a.data(), b.data(), MOD.data(), INV);
                reduce_once_into(out, r);
                return;
            }
        }
#endif
        reduce_once_into(out, mont_mul_portable(a, b));
    }
    // Before the final subtraction: < 2p.
    [[nodiscard]] static constexpr L mont_mul_portable(const L& a, const L& b) noexcept
    {
        uint64_t t[N]{};
        // lo:hi += x, with the carry folded into hi (cannot overflow: a product plus two words
        // fits in 128 bits).
        auto acc = [](uint64_t& lo, uint64_t& hi, uint64_t x)
        {
            lo += x;
            hi += lo < x;
        };
#pragma GCC unroll 8
        for (size_t i = 0; i < N; ++i)
        {
            u128 p = u128(a[0]) * b[i];
            uint64_t lo = uint64_t(p), hi_a = uint64_t(p >> 64);
            acc(lo, hi_a, t[0]);
            const uint64_t m = lo * INV;
            p = u128(m) * MOD[0];
            uint64_t qlo = uint64_t(p), hi_c = uint64_t(p >> 64);
            acc(qlo, hi_c, lo);
#pragma GCC unroll 8
            for (size_t j = 1; j < N; ++j)
            {
                p = u128(a[j]) * b[i];
                lo = uint64_t(p);
                uint64_t hi = uint64_t(p >> 64);
                acc(lo, hi, t[j]);
                acc(lo, hi, hi_a);
                hi_a = hi;
                p = u128(m) * MOD[j];
                qlo = uint64_t(p);
                uint64_t qhi = uint64_t(p >> 64);
                acc(qlo, qhi, lo);
                acc(qlo, qhi, hi_c);
                hi_c = qhi;
                t[j - 1] = qlo;
            }
            t[N - 1] = hi_c + hi_a;
        }
        L r{};
        for (size_t i = 0; i < N; ++i)
            r[i] = t[i];
        return r;
    }

    // x − p if x ≥ p, else x; x < 2p. Branch-free: the select is cheaper than a mispredict.
    [[nodiscard]] static constexpr L reduce_once(const L& x) noexcept
    {
        L d;
        reduce_once_into(d, x);
        return d;
    }
    // out may alias x.
    static constexpr void reduce_once_into(L& out, const L& x) noexcept
    {
        L d{};
        const uint64_t mask = uint64_t{0} - sub_limbs(d, x, MOD);  // all ones when x < p
        for (size_t i = 0; i < N; ++i)
            out[i] = scalar_barrier((x[i] & mask) | (d[i] & ~mask));
    }

    [[nodiscard]] static constexpr Fp zero() noexcept
    {
        return Fp{};
    }
    [[nodiscard]] static constexpr Fp one() noexcept
    {
        Fp r;
        r.m = R1;
        return r;
    }
    // raw must be < p.
    [[nodiscard]] static constexpr Fp from_limbs(const L& raw) noexcept
    {
        Fp r;
        r.m = mont_mul(raw, R2);
        return r;
    }
    [[nodiscard]] static constexpr Fp from_u64(uint64_t v) noexcept
    {
        L raw{};
        raw[0] = v;
        return from_limbs(raw);
    }
    [[nodiscard]] static constexpr Fp from_hex(const char* s) noexcept
    {
        return from_limbs(parse_hex<N>(s));
    }
    [[nodiscard]] constexpr L to_limbs() const noexcept
    {
        L one_raw{};
        one_raw[0] = 1;
        return mont_mul(m, one_raw);
    }

    // Big-endian, exactly BYTES bytes; fails when the value is not below p.
    [[nodiscard]] static constexpr bool from_be(const uint8_t* in, Fp& out) noexcept
    {
        L raw{};
        for (size_t i = 0; i < BYTES; ++i)
            raw[(BYTES - 1 - i) / 8] |= uint64_t(in[i]) << (8 * ((BYTES - 1 - i) % 8));
        if (!less_limbs(raw, MOD))
            return false;
        out = from_limbs(raw);
        return true;
    }
    constexpr void to_be(uint8_t* out) const noexcept
    {
        const L raw = to_limbs();
        for (size_t i = 0; i < BYTES; ++i)
            out[i] = uint8_t(raw[(BYTES - 1 - i) / 8] >> (8 * ((BYTES - 1 - i) % 8)));
    }

    [[nodiscard]] constexpr bool is_zero() const noexcept
    {
        return is_zero_limbs(m);
    }
    [[nodiscard]] constexpr bool is_one() const noexcept
    {
        return m == R1;
    }
    friend constexpr bool operator==(const Fp& a, const Fp& b) noexcept
    {
        return a.m == b.m;
    }

    friend constexpr Fp operator+(const Fp& a, const Fp& b) noexcept
    {
        Fp r;
        add_limbs(r.m, a.m, b.m);  // < 2p < 2^(64N): the top bit of p is free
        reduce_once_into(r.m, r.m);
        return r;
    }
    friend constexpr Fp operator-(const Fp& a, const Fp& b) noexcept
    {
        Fp r;
        const uint64_t mask = uint64_t{0} - sub_limbs(r.m, a.m, b.m);
        L m{};
        for (size_t i = 0; i < N; ++i)
            m[i] = scalar_barrier(MOD[i] & mask);
        add_limbs(r.m, r.m, m);
        return r;
    }
    friend constexpr Fp operator-(const Fp& a) noexcept
    {
        return zero() - a;
    }
    friend constexpr Fp operator*(const Fp& a, const Fp& b) noexcept
    {
        Fp r;
        mont_mul_into(r.m, a.m, b.m);
        return r;
    }
    // (a0 + a1)·(b0 + b1), the sums left unreduced (< 2p, which mont_mul accepts).
    [[nodiscard]] static constexpr Fp mul_sums(
        const Fp& a0, const Fp& a1, const Fp& b0, const Fp& b1) noexcept
    {
        L sa{}, sb{};
        add_limbs(sa, a0.m, a1.m);
        add_limbs(sb, b0.m, b1.m);
        Fp r;
        mont_mul_into(r.m, sa, sb);
        return r;
    }
    // (a0 + a1)·b, the sum left unreduced.
    [[nodiscard]] static constexpr Fp mul_sum(const Fp& a0, const Fp& a1, const Fp& b) noexcept
    {
        L sa{};
        add_limbs(sa, a0.m, a1.m);
        Fp r;
        mont_mul_into(r.m, sa, b.m);
        return r;
    }

    // Double-width products for lazy reduction: sums and differences of products are
    // accumulated in 2N limbs and reduced once (Montgomery reduction of a value < p·2^(64N)).
    using W = Limbs<2 * N>;
    // out must not alias a or b.
    static constexpr void mul_wide(W& out, const L& a, const L& b) noexcept
    {
#if defined(__x86_64__)
        if (!std::is_constant_evaluated() && x86::HAS_BMI2_ADX)
        {
            if constexpr (N == 4)
                return x86::mul_wide_4(out.data(), a.data(), b.data());
            else if constexpr (N == 6)
                return x86::mul_wide_6(out.data(), a.data(), b.data());
        }
#endif
        W t{};
        for (size_t i = 0; i < N; ++i)
        {
            uint64_t carry = 0;
            for (size_t j = 0; j < N; ++j)
            {
                const u128 v = u128(a[j]) * b[i] + t[i + j] + carry;
                t[i + j] = uint64_t(v);
                carry = uint64_t(v >> 64);
            }
            t[i + N] = carry;
        }
        out = t;
    }
    // x < p·2^(64N).
    static constexpr void redc_into(L& out, const W& x) noexcept
    {
#if defined(__x86_64__)
        if (!std::is_constant_evaluated() && x86::HAS_BMI2_ADX)
        {
            if constexpr (N == 4 || N == 6)
            {
                L r;
                if constexpr (N == 4)
                    x86::redc_4(r.data(), x.data(), MOD.data(), INV);
                else
                    x86::redc_6(r.data(), x.data(), MOD.data(), INV);
                reduce_once_into(out, r);
                return;
            }
        }
#endif
        W t = x;
        uint64_t top = 0;  // carry out of t[i + N], at most 1
        for (size_t i = 0; i < N; ++i)
        {
            const uint64_t m = t[i] * INV;
            uint64_t carry = 0;
            for (size_t j = 0; j < N; ++j)
            {
                const u128 v = u128(m) * MOD[j] + t[i + j] + carry;
                t[i + j] = uint64_t(v);
                carry = uint64_t(v >> 64);
            }
            const u128 v = u128(t[i + N]) + carry + top;
            t[i + N] = uint64_t(v);
            top = uint64_t(v >> 64);
        }
        for (size_t i = 0; i < N; ++i)
            out[i] = t[i + N];  // < 2p: (x + m·p) / 2^(64N) < 2p
        reduce_once_into(out, out);
    }
    // a − b, plus p·2^(64N) when negative; a, b < p·2^(64N).
    static constexpr void sub_wide(W& out, const W& a, const W& b) noexcept
    {
        const uint64_t mask = uint64_t{0} - sub_limbs(out, a, b);
        L hi{}, m{};
        for (size_t i = 0; i < N; ++i)
        {
            hi[i] = out[N + i];
            m[i] = scalar_barrier(MOD[i] & mask);
        }
        add_limbs(hi, hi, m);
        for (size_t i = 0; i < N; ++i)
            out[N + i] = hi[i];
    }

private:
    // Reduction of t < (K+1)·p by a quotient read from a table indexed by t >> S, where
    // 2^S ≤ p < 2^(S+1): q = ⌊(t >> S)·2^S / p⌋ leaves t − q·p < p + 2^S ≤ 2p, so one
    // conditional subtraction finishes it. Both moduli have S in the top limb.
    static constexpr size_t S = bit_length(MOD) - 1;
    static_assert(S / 64 == N - 1 && S % 64 != 0);
    template <uint64_t K>
    static constexpr std::array<uint8_t, 2 * (K + 1)> make_quotients() noexcept
    {
        std::array<uint8_t, 2 * (K + 1)> qt{};
        for (size_t i = 0; i < qt.size(); ++i)
        {
            Limbs<N + 1> v{};  // i·2^S
            v[N - 1] = uint64_t(i) << (S % 64);
            v[N] = uint64_t(i) >> (64 - S % 64);
            Limbs<N + 1> p{};
            for (size_t j = 0; j < N; ++j)
                p[j] = MOD[j];
            Limbs<N + 1> multiple{};  // (q+1)·p
            add_limbs(multiple, multiple, p);
            uint8_t q = 0;
            while (!less_limbs(v, multiple))
            {
                ++q;
                add_limbs(multiple, multiple, p);
            }
            qt[i] = q;
        }
        return qt;
    }
    template <uint64_t K>
    static constexpr std::array<uint8_t, 2 * (K + 1)> QUOTIENTS = make_quotients<K>();

public:
    // K·a + b for a small constant K; a, b < p. Cheaper than K − 1 modular additions.
    template <uint64_t K>
    [[nodiscard]] static constexpr Fp mul_small_add(const Fp& a, const Fp& b) noexcept
    {
        static_assert(K >= 1 && K < 64);
        uint64_t t[N + 1]{};
        uint64_t carry = 0;
        for (size_t i = 0; i < N; ++i)
        {
            const u128 v = u128(a.m[i]) * K + b.m[i] + carry;
            t[i] = uint64_t(v);
            carry = uint64_t(v >> 64);
        }
        t[N] = carry;
        const size_t idx = size_t((t[N - 1] >> (S % 64)) | (t[N] << (64 - S % 64)));
        const uint64_t q = QUOTIENTS<K>[idx];
        uint64_t borrow = 0;
        Fp r;
        for (size_t i = 0; i < N; ++i)
        {
            const u128 qp = u128(MOD[i]) * q + borrow;  // borrow carries q·p's high word too
            const uint64_t lo = uint64_t(qp);
            borrow = uint64_t(qp >> 64) + (t[i] < lo ? 1 : 0);
            r.m[i] = t[i] - lo;
        }
        reduce_once_into(r.m, r.m);
        return r;
    }
    constexpr Fp& operator+=(const Fp& b) noexcept
    {
        return *this = *this + b;
    }
    constexpr Fp& operator-=(const Fp& b) noexcept
    {
        return *this = *this - b;
    }
    constexpr Fp& operator*=(const Fp& b) noexcept
    {
        return *this = *this * b;
    }

    [[nodiscard]] constexpr Fp dbl() const noexcept
    {
        return *this + *this;
    }
    [[nodiscard]] constexpr Fp square() const noexcept
    {
        return *this * *this;
    }

    template <size_t M>
    [[nodiscard]] constexpr Fp pow(const Limbs<M>& e) const noexcept
    {
        Fp r = one();
        for (size_t i = bit_length(e); i-- > 0;)
        {
            r = r.square();
            if (test_bit(e, i))
                r = r * *this;
        }
        return r;
    }

    static constexpr L P_MINUS_2 = sub_small(MOD, 2);
    static constexpr L P_MINUS_1_HALF = shr_limbs(MOD, 1);
    static constexpr L P_PLUS_1_QUARTER = shr_limbs(add_small(MOD, 1), 2);  // p ≡ 3 mod 4

    // Zero maps to zero (inv0 of RFC 9380).
    [[nodiscard]] constexpr Fp inv() const noexcept
    {
        return pow(P_MINUS_2);
    }

    // Legendre symbol: true for zero and the nonzero squares.
    [[nodiscard]] constexpr bool is_square() const noexcept
    {
        const Fp l = pow(P_MINUS_1_HALF);
        return l.is_zero() || l.is_one();
    }
    // A square root when one exists (p ≡ 3 mod 4).
    [[nodiscard]] constexpr bool sqrt(Fp& out) const noexcept
    {
        const Fp r = pow(P_PLUS_1_QUARTER);
        if (!(r.square() == *this))
            return false;
        out = r;
        return true;
    }
    // sgn0 of RFC 9380: parity of the canonical integer.
    [[nodiscard]] constexpr bool sgn0() const noexcept
    {
        return (to_limbs()[0] & 1) != 0;
    }
    // "Lexicographically largest" of the ZCash serialization: a > (p-1)/2.
    [[nodiscard]] constexpr bool lexicographically_largest() const noexcept
    {
        return less_limbs(P_MINUS_1_HALF, to_limbs());
    }
};
}  // namespace stele::crypto::ff
