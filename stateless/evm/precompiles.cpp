#include "precompiles.hpp"

#include "../crypto/precompiles.hpp"
#include "../crypto/sha256.hpp"

// The pairing-curve precompiles live on their own branch; they register here once it is merged.
#if __has_include("../crypto/pairing_precompiles.hpp")
#include "../crypto/pairing_precompiles.hpp"
#define STELE_HAVE_PAIRING_PRECOMPILES 1
#endif

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

namespace
{
namespace cp = crypto::precompile;

// Charges `cost`, then runs f; an unaffordable cost or a failed run consumes all gas.
template <typename F>
PrecompileResult priced(uint64_t cost, int64_t gas, bytes& out, F&& f)
{
    if (cost > static_cast<uint64_t>(gas))
        return {false, 0};
    cp::Result r = f();
    if (!r.success)
        return {false, 0};
    out = std::move(r.output);
    return {true, static_cast<int64_t>(cost)};
}

PrecompileResult ecrecover_pc(bytes_view in, int64_t gas, Fork, bytes& out)
{
    return priced(cp::kEcrecoverGas, gas, out, [&] { return cp::ecrecover(in); });
}
PrecompileResult ripemd160_pc(bytes_view in, int64_t gas, Fork, bytes& out)
{
    return priced(cp::ripemd160_gas(in.size()), gas, out, [&] { return cp::ripemd160(in); });
}
PrecompileResult modexp_pc(bytes_view in, int64_t gas, Fork fork, bytes& out)
{
    const auto pricing = fork >= Fork::Osaka  ? cp::ModexpPricing::eip7883 :
                         fork >= Fork::Berlin ? cp::ModexpPricing::eip2565 :
                                                cp::ModexpPricing::eip198;
    return priced(cp::modexp_gas(in, pricing), gas, out,
        [&] { return cp::modexp(in, fork >= Fork::Osaka); });
}
PrecompileResult blake2f_pc(bytes_view in, int64_t gas, Fork, bytes& out)
{
    return priced(cp::blake2f_gas(in), gas, out, [&] { return cp::blake2f(in); });
}
PrecompileResult p256verify_pc(bytes_view in, int64_t gas, Fork, bytes& out)
{
    return priced(cp::kP256VerifyGas, gas, out, [&] { return cp::p256verify(in); });
}

#ifdef STELE_HAVE_PAIRING_PRECOMPILES
template <uint64_t (*Gas)(bytes_view) noexcept, crypto::PrecompileResult (*Run)(bytes_view) noexcept>
PrecompileResult pairing_pc(bytes_view in, int64_t gas, Fork fork, bytes& out)
{
    uint64_t cost = Gas(in);
    // Before Istanbul (EIP-1108) the BN254 operations were priced higher (EIP-196/197).
    if (fork < Fork::Istanbul)
    {
        if (Run == crypto::bn254_add)
            cost = 500;
        else if (Run == crypto::bn254_mul)
            cost = 40000;
        else if (Run == crypto::bn254_pairing)
            cost = 100000 + 80000 * (in.size() / 192);
    }
    if (cost > static_cast<uint64_t>(gas))
        return {false, 0};
    crypto::PrecompileResult r = Run(in);
    if (!r.success)
        return {false, 0};
    out = std::move(r.output);
    return {true, static_cast<int64_t>(cost)};
}
#endif
}  // namespace

PrecompileTable default_precompiles() noexcept
{
    PrecompileTable t;
    t.register_precompile(0x01, ecrecover_pc);
    t.register_precompile(0x02, sha256_precompile);
    t.register_precompile(0x03, ripemd160_pc);
    t.register_precompile(0x04, identity_precompile);
    t.register_precompile(0x05, modexp_pc);
    t.register_precompile(0x09, blake2f_pc);
    t.register_precompile(PrecompileTable::kP256, p256verify_pc);
#ifdef STELE_HAVE_PAIRING_PRECOMPILES
    using namespace crypto;
    t.register_precompile(0x06, pairing_pc<bn254_add_gas, bn254_add>);
    t.register_precompile(0x07, pairing_pc<bn254_mul_gas, bn254_mul>);
    t.register_precompile(0x08, pairing_pc<bn254_pairing_gas, bn254_pairing>);
    t.register_precompile(0x0a, pairing_pc<kzg_point_evaluation_gas, kzg_point_evaluation>);
    t.register_precompile(0x0b, pairing_pc<bls12_g1add_gas, bls12_g1add>);
    t.register_precompile(0x0c, pairing_pc<bls12_g1msm_gas, bls12_g1msm>);
    t.register_precompile(0x0d, pairing_pc<bls12_g2add_gas, bls12_g2add>);
    t.register_precompile(0x0e, pairing_pc<bls12_g2msm_gas, bls12_g2msm>);
    t.register_precompile(0x0f, pairing_pc<bls12_pairing_gas, bls12_pairing>);
    t.register_precompile(0x10, pairing_pc<bls12_map_fp_to_g1_gas, bls12_map_fp_to_g1>);
    t.register_precompile(0x11, pairing_pc<bls12_map_fp2_to_g2_gas, bls12_map_fp2_to_g2>);
#endif
    return t;
}
}  // namespace stele::evm
