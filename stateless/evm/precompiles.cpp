#include "precompiles.hpp"

#include "../crypto/sha256.hpp"

namespace stele::evm
{
PrecompileTable::PrecompileTable() noexcept
{
    const auto set = [&](unsigned lo, unsigned hi, Fork since)
    {
        for (unsigned a = lo; a <= hi; ++a)
            m_entries[a] = {since, true, nullptr};
    };
    set(0x01, 0x04, Fork::Frontier);
    set(0x05, 0x08, Fork::Byzantium);
    set(0x09, 0x09, Fork::Istanbul);
    set(0x0a, 0x0a, Fork::Cancun);
    set(0x0b, 0x11, Fork::Prague);
    m_entries[kMaxLow] = {Fork::Osaka, true, nullptr};
}

void PrecompileTable::register_precompile(unsigned addr, PrecompileFn fn) noexcept
{
    const unsigned i = addr == kP256 ? kMaxLow : addr;
    if (i >= 1 && i <= kMaxLow)
        m_entries[i].fn = fn;
}

namespace
{
constexpr int64_t words(size_t n) noexcept
{
    return static_cast<int64_t>((n + 31) / 32);
}
}  // namespace

PrecompileResult identity_precompile(bytes_view in, int64_t gas, Fork, bytes& out)
{
    const int64_t cost = 15 + 3 * words(in.size());
    if (cost > gas)
        return {false, 0};
    out.assign(in.begin(), in.end());
    return {true, cost};
}

PrecompileResult sha256_precompile(bytes_view in, int64_t gas, Fork, bytes& out)
{
    const int64_t cost = 60 + 12 * words(in.size());
    if (cost > gas)
        return {false, 0};
    const hash256 h = crypto::sha256(in);
    out.assign(h.begin(), h.end());
    return {true, cost};
}

PrecompileTable default_precompiles() noexcept
{
    PrecompileTable t;
    t.register_precompile(0x02, sha256_precompile);
    t.register_precompile(0x04, identity_precompile);
    return t;
}
}  // namespace stele::evm
