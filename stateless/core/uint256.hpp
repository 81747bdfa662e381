// 256-bit unsigned integer for the EVM, in the spirit of intx: four little-endian 64-bit words,
// allocation-free, noexcept, usable freestanding (RV64IM has __int128 via guest-rt builtins).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "bswap.hpp"

namespace stele
{
struct uint256
{
    uint64_t w[4]{};  // w[0] least significant

    constexpr uint256() noexcept = default;
    constexpr uint256(uint64_t v) noexcept : w{v, 0, 0, 0} {}  // NOLINT: implicit by design
    constexpr uint256(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3) noexcept
        : w{w0, w1, w2, w3}
    {
    }

    [[nodiscard]] constexpr uint64_t& operator[](size_t i) noexcept
    {
        return w[i];
    }
    [[nodiscard]] constexpr const uint64_t& operator[](size_t i) const noexcept
    {
        return w[i];
    }

    [[nodiscard]] constexpr bool is_zero() const noexcept
    {
        return (w[0] | w[1] | w[2] | w[3]) == 0;
    }
    [[nodiscard]] constexpr explicit operator bool() const noexcept
    {
        return !is_zero();
    }
    // True when the value fits in 64 bits.
    [[nodiscard]] constexpr bool fits_u64() const noexcept
    {
        return (w[1] | w[2] | w[3]) == 0;
    }

    friend constexpr bool operator==(const uint256& a, const uint256& b) noexcept
    {
        return ((a.w[0] ^ b.w[0]) | (a.w[1] ^ b.w[1]) | (a.w[2] ^ b.w[2]) | (a.w[3] ^ b.w[3])) == 0;
    }
};

struct uint512
{
    uint64_t w[8]{};
};

// ---- comparisons ---------------------------------------------------------------------------

[[nodiscard]] constexpr bool operator<(const uint256& a, const uint256& b) noexcept
{
    // Borrow chain of a - b on plain 64-bit words (no 128-bit temporaries to spill).
    uint64_t borrow = a.w[0] < b.w[0];
    for (int i = 1; i < 4; ++i)
    {
        const uint64_t d = a.w[i] - b.w[i];
        borrow = (a.w[i] < b.w[i]) | (d < borrow);
    }
    return borrow != 0;
}
[[nodiscard]] constexpr bool operator>(const uint256& a, const uint256& b) noexcept
{
    return b < a;
}
[[nodiscard]] constexpr bool operator<=(const uint256& a, const uint256& b) noexcept
{
    return !(b < a);
}
[[nodiscard]] constexpr bool operator>=(const uint256& a, const uint256& b) noexcept
{
    return !(a < b);
}

// Signed (two's complement) less-than.
[[nodiscard]] constexpr bool slt(const uint256& a, const uint256& b) noexcept
{
    const bool an = (a.w[3] >> 63) != 0;
    const bool bn = (b.w[3] >> 63) != 0;
    if (an != bn)
        return an;
    return a < b;
}

// ---- bitwise -------------------------------------------------------------------------------

[[nodiscard]] constexpr uint256 operator&(const uint256& a, const uint256& b) noexcept
{
    return {a.w[0] & b.w[0], a.w[1] & b.w[1], a.w[2] & b.w[2], a.w[3] & b.w[3]};
}
[[nodiscard]] constexpr uint256 operator|(const uint256& a, const uint256& b) noexcept
{
    return {a.w[0] | b.w[0], a.w[1] | b.w[1], a.w[2] | b.w[2], a.w[3] | b.w[3]};
}
[[nodiscard]] constexpr uint256 operator^(const uint256& a, const uint256& b) noexcept
{
    return {a.w[0] ^ b.w[0], a.w[1] ^ b.w[1], a.w[2] ^ b.w[2], a.w[3] ^ b.w[3]};
}
[[nodiscard]] constexpr uint256 operator~(const uint256& a) noexcept
{
    return {~a.w[0], ~a.w[1], ~a.w[2], ~a.w[3]};
}

// ---- add / sub -----------------------------------------------------------------------------

[[nodiscard]] constexpr uint256 operator+(const uint256& a, const uint256& b) noexcept
{
    uint256 r;
    uint64_t carry = 0;
    for (int i = 0; i < 4; ++i)
    {
        const uint64_t t = a.w[i] + carry;
        const uint64_t c1 = t < carry;
        r.w[i] = t + b.w[i];
        carry = c1 | (r.w[i] < t);
    }
    return r;
}

[[nodiscard]] constexpr uint256 operator-(const uint256& a, const uint256& b) noexcept
{
    uint256 r;
    uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i)
    {
        const uint64_t t = a.w[i] - b.w[i];
        const uint64_t b1 = a.w[i] < b.w[i];
        r.w[i] = t - borrow;
        borrow = b1 | (t < borrow);
    }
    return r;
}

[[nodiscard]] constexpr uint256 operator-(const uint256& a) noexcept
{
    return uint256{} - a;
}

// Addition reporting the carry out.
[[nodiscard]] constexpr uint256 add_with_carry(
    const uint256& a, const uint256& b, bool& carry_out) noexcept
{
    uint256 r;
    uint64_t carry = 0;
    for (int i = 0; i < 4; ++i)
    {
        const unsigned __int128 t = static_cast<unsigned __int128>(a.w[i]) + b.w[i] + carry;
        r.w[i] = static_cast<uint64_t>(t);
        carry = static_cast<uint64_t>(t >> 64);
    }
    carry_out = carry != 0;
    return r;
}

// ---- mul -----------------------------------------------------------------------------------

[[nodiscard]] constexpr uint256 operator*(const uint256& a, const uint256& b) noexcept
{
    // Truncated schoolbook: only the products that land in the low 256 bits.
    uint256 r;
    for (int j = 0; j < 4; ++j)
    {
        uint64_t carry = 0;
        for (int i = 0; i + j < 4; ++i)
        {
            const unsigned __int128 t =
                static_cast<unsigned __int128>(a.w[i]) * b.w[j] + r.w[i + j] + carry;
            r.w[i + j] = static_cast<uint64_t>(t);
            carry = static_cast<uint64_t>(t >> 64);
        }
    }
    return r;
}

// Full 512-bit product.
[[nodiscard]] constexpr uint512 umul(const uint256& a, const uint256& b) noexcept
{
    uint512 r;
    for (int j = 0; j < 4; ++j)
    {
        uint64_t carry = 0;
        for (int i = 0; i < 4; ++i)
        {
            const unsigned __int128 t =
                static_cast<unsigned __int128>(a.w[i]) * b.w[j] + r.w[i + j] + carry;
            r.w[i + j] = static_cast<uint64_t>(t);
            carry = static_cast<uint64_t>(t >> 64);
        }
        r.w[j + 4] = carry;
    }
    return r;
}

// ---- shifts --------------------------------------------------------------------------------

[[nodiscard]] constexpr uint256 shl(const uint256& a, uint64_t s) noexcept
{
    if (s >= 256)
        return {};
    // Zero-padded word window: no branches on the word or bit offset.
    const uint64_t w[8] = {0, 0, 0, 0, a.w[0], a.w[1], a.w[2], a.w[3]};
    const unsigned ws = static_cast<unsigned>(s / 64);
    const unsigned bs = static_cast<unsigned>(s % 64);
    uint256 r;
    for (unsigned i = 0; i < 4; ++i)
        r.w[i] = (w[4 + i - ws] << bs) | ((w[3 + i - ws] >> 1) >> (63 - bs));
    return r;
}

[[nodiscard]] constexpr uint256 shr(const uint256& a, uint64_t s) noexcept
{
    if (s >= 256)
        return {};
    const uint64_t w[8] = {a.w[0], a.w[1], a.w[2], a.w[3], 0, 0, 0, 0};
    const unsigned ws = static_cast<unsigned>(s / 64);
    const unsigned bs = static_cast<unsigned>(s % 64);
    uint256 r;
    for (unsigned i = 0; i < 4; ++i)
        r.w[i] = (w[i + ws] >> bs) | ((w[i + ws + 1] << 1) << (63 - bs));
    return r;
}

[[nodiscard]] constexpr uint256 shl(const uint256& a, const uint256& s) noexcept
{
    return s.fits_u64() ? shl(a, s.w[0]) : uint256{};
}
[[nodiscard]] constexpr uint256 shr(const uint256& a, const uint256& s) noexcept
{
    return s.fits_u64() ? shr(a, s.w[0]) : uint256{};
}

// Arithmetic shift right (EVM SAR).
[[nodiscard]] constexpr uint256 sar(const uint256& a, const uint256& s) noexcept
{
    const bool neg = (a.w[3] >> 63) != 0;
    if (!neg)
        return shr(a, s);
    const uint256 all = ~uint256{};
    if (!s.fits_u64() || s.w[0] >= 256)
        return all;
    // ~(~a >> s)
    return ~shr(~a, s.w[0]);
}

// ---- counting ------------------------------------------------------------------------------

[[nodiscard]] constexpr unsigned clz(const uint256& a) noexcept
{
    for (int i = 3; i >= 0; --i)
        if (a.w[i] != 0)
            return static_cast<unsigned>((3 - i) * 64 + __builtin_clzll(a.w[i]));
    return 256;
}

// Number of significant bytes.
[[nodiscard]] constexpr unsigned count_significant_bytes(const uint256& a) noexcept
{
    return (256 - clz(a) + 7) / 8;
}

// ---- division ------------------------------------------------------------------------------

struct Div256
{
    uint256 quot;
    uint256 rem;
};

// Unsigned division; division by zero yields {0, 0} (EVM semantics).
[[nodiscard]] Div256 udivrem(const uint256& u, const uint256& v) noexcept;

// Remainder of a 512-bit value modulo a non-zero 256-bit one.
[[nodiscard]] uint256 umod512(const uint512& u, const uint256& v) noexcept;

// Signed (two's complement) division, EVM semantics (x/0 = 0, MIN/-1 = MIN).
[[nodiscard]] Div256 sdivrem(const uint256& u, const uint256& v) noexcept;

[[nodiscard]] inline uint256 operator/(const uint256& a, const uint256& b) noexcept
{
    return udivrem(a, b).quot;
}
[[nodiscard]] inline uint256 operator%(const uint256& a, const uint256& b) noexcept
{
    return udivrem(a, b).rem;
}

// (a + b) % m with the 257-bit intermediate; 0 when m == 0.
[[nodiscard]] uint256 addmod(const uint256& a, const uint256& b, const uint256& m) noexcept;
// (a * b) % m with the 512-bit intermediate; 0 when m == 0.
[[nodiscard]] uint256 mulmod(const uint256& a, const uint256& b, const uint256& m) noexcept;
// base ** exponent mod 2**256.
[[nodiscard]] uint256 exp(uint256 base, uint256 exponent) noexcept;

// ---- EVM byte operations -------------------------------------------------------------------

// BYTE: the i-th byte counting from the most significant.
[[nodiscard]] constexpr uint256 byte_at(const uint256& i, const uint256& x) noexcept
{
    if (!i.fits_u64() || i.w[0] >= 32)
        return {};
    const unsigned n = 31 - static_cast<unsigned>(i.w[0]);  // byte index from the low end
    return uint256{(x.w[n / 8] >> ((n % 8) * 8)) & 0xff};
}

// SIGNEXTEND: extend the sign of byte b (counted from the low end) of x.
[[nodiscard]] constexpr uint256 signextend(const uint256& b, const uint256& x) noexcept
{
    if (!b.fits_u64() || b.w[0] >= 31)
        return x;
    const unsigned bit = static_cast<unsigned>(b.w[0]) * 8 + 7;
    const bool neg = ((x.w[bit / 64] >> (bit % 64)) & 1) != 0;
    const uint256 mask = shl(~uint256{}, bit + 1);  // bits above the sign bit
    return neg ? (x | mask) : (x & ~mask);
}

// ---- big-endian load / store ---------------------------------------------------------------

[[nodiscard]] inline uint256 load_be(const uint8_t* p) noexcept  // 32 bytes
{
    uint256 r;
    for (int i = 0; i < 4; ++i)
        r.w[i] = load_be64(p + (3 - i) * 8);
    return r;
}

// Loads up to 32 bytes as a big-endian number (n <= 32).
[[nodiscard]] inline uint256 load_be(const uint8_t* p, size_t n) noexcept
{
    // Whole words from the least significant end, then the leading partial word.
    uint256 r;
    size_t end = n;
    for (int w = 0; w < 4 && end != 0; ++w)
    {
        if (end >= 8)
        {
            end -= 8;
            r.w[w] = load_be64(p + end);
        }
        else
        {
            uint64_t v = 0;
            for (size_t i = 0; i < end; ++i)
                v = (v << 8) | p[i];
            r.w[w] = v;
            end = 0;
        }
    }
    return r;
}

inline void store_be(uint8_t* p, const uint256& v) noexcept  // 32 bytes
{
    for (int i = 0; i < 4; ++i)
        store_be64(p + i * 8, v.w[3 - i]);
}
}  // namespace stele
