// The precompile table: one entry per address, each registered by the component that owns the
// implementation (crypto for 0x01-0x05, 0x09, 0x100; pairing for 0x06-0x08, 0x0a-0x11). An
// address that is active in the fork but has no implementation yet makes execution report
// `missing_precompile`, so callers can count such tests instead of passing or crashing.
#pragma once

#include <cstdint>

#include "../core/bytes.hpp"
#include "fork.hpp"

namespace stele::evm
{
struct PrecompileResult
{
    bool success = false;  // false: all gas consumed (EELS: exceptional halt)
    int64_t gas_used = 0;  // charged on success
};

// Computes the cost, checks it against gas_limit, runs, writes output.
// A result with success && gas_used > gas_limit is treated as out-of-gas by the caller.
using PrecompileFn = PrecompileResult (*)(
    bytes_view input, int64_t gas_limit, Fork fork, bytes& out);

struct PrecompileEntry
{
    Fork since = Fork::Frontier;
    bool active_somewhere = false;  // the address is a precompile from `since` on
    PrecompileFn fn = nullptr;
};

class PrecompileTable
{
public:
    static constexpr unsigned kMaxLow = 0x12;  // 0x01..0x11
    static constexpr unsigned kP256 = 0x100;

    // The addresses of every fork up to Osaka, without implementations.
    PrecompileTable() noexcept;

    void register_precompile(unsigned addr, PrecompileFn fn) noexcept;

    // Index of a precompile address (1..0x11, or 0x100 -> kMaxLow), or -1.
    [[nodiscard]] static int index_of(const address& a) noexcept
    {
        for (int i = 0; i < 18; ++i)
            if (a.bytes[i] != 0)
                return -1;
        const unsigned v = (unsigned{a.bytes[18]} << 8) | a.bytes[19];
        if (v >= 1 && v < kMaxLow)
            return static_cast<int>(v);
        if (v == kP256)
            return static_cast<int>(kMaxLow);
        return -1;
    }

    // Whether addr is a precompile in this fork.
    [[nodiscard]] bool is_active(const address& a, Fork fork) const noexcept
    {
        const int i = index_of(a);
        return i >= 0 && m_entries[i].active_somewhere && fork >= m_entries[i].since;
    }
    [[nodiscard]] const PrecompileEntry& entry(const address& a) const noexcept
    {
        return m_entries[index_of(a)];
    }

    // Calls f(address) for each precompile active in the fork (EIP-2929 pre-warming).
    template <typename F>
    void for_each_active(Fork fork, F&& f) const
    {
        for (unsigned i = 1; i <= kMaxLow; ++i)
        {
            if (!m_entries[i].active_somewhere || fork < m_entries[i].since)
                continue;
            address a;
            const unsigned v = i == kMaxLow ? kP256 : i;
            a.bytes[18] = static_cast<uint8_t>(v >> 8);
            a.bytes[19] = static_cast<uint8_t>(v);
            f(a);
        }
    }

private:
    PrecompileEntry m_entries[kMaxLow + 1]{};
};

// Implementations that live in the evm component itself (identity; sha256 from core).
[[nodiscard]] PrecompileResult identity_precompile(bytes_view in, int64_t gas, Fork, bytes& out);
[[nodiscard]] PrecompileResult sha256_precompile(bytes_view in, int64_t gas, Fork, bytes& out);

// The table with every implementation available in this build registered.
[[nodiscard]] PrecompileTable default_precompiles() noexcept;
}  // namespace stele::evm
