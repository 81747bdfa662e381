// Byte containers of the engine: owned byte strings, views, and fixed-size values (hashes,
// addresses). Freestanding: no exceptions, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "bswap.hpp"

namespace stele
{
using bytes = std::vector<uint8_t>;
using bytes_view = std::span<const uint8_t>;

// A fixed-size big-endian byte value (hash, address, bloom, ...).
template <size_t N>
struct FixedBytes
{
    static constexpr size_t size = N;
    uint8_t bytes[N]{};

    constexpr FixedBytes() noexcept = default;

    [[nodiscard]] static FixedBytes from(bytes_view b) noexcept
    {
        FixedBytes r;
        if (b.size() == N)
            std::memcpy(r.bytes, b.data(), N);
        return r;
    }

    [[nodiscard]] constexpr uint8_t* data() noexcept
    {
        return bytes;
    }
    [[nodiscard]] constexpr const uint8_t* data() const noexcept
    {
        return bytes;
    }
    [[nodiscard]] constexpr uint8_t* begin() noexcept
    {
        return bytes;
    }
    [[nodiscard]] constexpr uint8_t* end() noexcept
    {
        return bytes + N;
    }
    [[nodiscard]] constexpr const uint8_t* begin() const noexcept
    {
        return bytes;
    }
    [[nodiscard]] constexpr const uint8_t* end() const noexcept
    {
        return bytes + N;
    }
    [[nodiscard]] constexpr uint8_t& operator[](size_t i) noexcept
    {
        return bytes[i];
    }
    [[nodiscard]] constexpr const uint8_t& operator[](size_t i) const noexcept
    {
        return bytes[i];
    }
    [[nodiscard]] bytes_view view() const noexcept
    {
        return {bytes, N};
    }
    operator bytes_view() const noexcept
    {
        return view();
    }

    [[nodiscard]] constexpr bool is_zero() const noexcept
    {
        for (uint8_t b : bytes)
            if (b)
                return false;
        return true;
    }

    friend constexpr bool operator==(const FixedBytes&, const FixedBytes&) noexcept = default;
    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) noexcept = default;
};

using hash256 = FixedBytes<32>;
using bytes32 = FixedBytes<32>;
using address = FixedBytes<20>;
using bloom = FixedBytes<256>;

// 64-bit mixing of the leading bytes: for hash tables keyed by hashes/addresses, whose bytes
// are already uniformly distributed (or adversarially chosen, where callers must salt).
template <size_t N>
[[nodiscard]] inline uint64_t fast_hash(const FixedBytes<N>& v) noexcept
{
    uint64_t h = 0;
    std::memcpy(&h, v.bytes, N < 8 ? N : 8);
    if constexpr (N > 8)
    {
        uint64_t t = 0;
        std::memcpy(&t, v.bytes + N - 8, 8);
        h ^= t * 0x9E3779B97F4A7C15ull;
    }
    return h;
}
}  // namespace stele
