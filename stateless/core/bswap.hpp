// Byte reversal for big-endian words (EVM stack words, addresses, hashes).
#pragma once

#include <cstdint>
#include <cstring>

namespace stele
{
// Byte reversal. RV64IM has no byte-reverse instruction, and __builtin_bswap64 there is a call
// to __bswapdi2; two mask steps and a rotate are 13 instructions once the masks are loaded.
[[nodiscard]] constexpr uint64_t bswap64(uint64_t x) noexcept
{
#if defined(__riscv) && !defined(__riscv_zbb)
    constexpr uint64_t m8 = 0x00FF00FF00FF00FFull, m16 = 0x0000FFFF0000FFFFull;
    x = ((x >> 8) & m8) | ((x & m8) << 8);
    x = ((x >> 16) & m16) | ((x & m16) << 16);
    return (x >> 32) | (x << 32);
#else
    return __builtin_bswap64(x);
#endif
}

// Big-endian 64-bit load and store at any address. RV64IM code is built for strict alignment,
// so a memcpy of 8 bytes from an unaligned pointer is a library call that copies byte by byte;
// assembling the bytes directly is shorter and needs no byte reversal.
[[nodiscard]] inline uint64_t load_be64(const uint8_t* p) noexcept
{
#if defined(__riscv)
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | p[i];
    return v;
#else
    uint64_t v;
    std::memcpy(&v, p, 8);
    return bswap64(v);
#endif
}

inline void store_be64(uint8_t* p, uint64_t v) noexcept
{
#if defined(__riscv)
    for (int i = 7; i >= 0; --i)
    {
        p[i] = static_cast<uint8_t>(v);
        v >>= 8;
    }
#else
    v = bswap64(v);
    std::memcpy(p, &v, 8);
#endif
}
}  // namespace stele
