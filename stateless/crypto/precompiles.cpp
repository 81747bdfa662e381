#include "precompiles.hpp"

#include "blake2f.hpp"
#include "modexp.hpp"
#include "p256.hpp"
#include "ripemd160.hpp"
#include "secp256k1.hpp"
#include "sha256.hpp"

namespace stele::crypto::precompile
{
namespace
{
// input[offset .. offset + n) with zeros past the end (the EVM's implicit right padding).
void read_padded(bytes_view input, uint64_t offset, uint8_t* out, size_t n) noexcept
{
    std::memset(out, 0, n);
    if (offset >= input.size())
        return;
    const size_t avail = input.size() - static_cast<size_t>(offset);
    std::memcpy(out, input.data() + offset, avail < n ? avail : n);
}

uint64_t saturating_u64(const uint8_t be[32]) noexcept
{
    for (int i = 0; i < 24; ++i)
        if (be[i] != 0)
            return UINT64_MAX;
    uint64_t v = 0;
    for (int i = 24; i < 32; ++i)
        v = (v << 8) | be[i];
    return v;
}

using u128 = unsigned __int128;

uint64_t saturate(u128 v) noexcept
{
    return v > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(v);
}
}  // namespace

Result ecrecover(bytes_view input)
{
    uint8_t in[128];
    read_padded(input, 0, in, sizeof(in));
    Result r;
    for (int i = 32; i < 63; ++i)
        if (in[i] != 0)
            return r;
    const uint8_t v = in[63];
    if (v != 27 && v != 28)
        return r;
    const auto msg = hash256::from({in, 32});
    const auto pub = secp256k1_recover(msg, in + 64, static_cast<uint8_t>(v - 27));
    if (!pub)
        return r;
    const auto addr = pubkey_to_address(*pub);
    r.output.assign(32, 0);
    std::memcpy(r.output.data() + 12, addr.bytes, 20);
    return r;
}

Result sha256(bytes_view input)
{
    const auto h = crypto::sha256(input);
    return {true, bytes{h.begin(), h.end()}};
}

Result ripemd160(bytes_view input)
{
    const auto h = crypto::ripemd160(input);
    Result r;
    r.output.assign(32, 0);
    std::memcpy(r.output.data() + 12, h.bytes, 20);
    return r;
}

Result identity(bytes_view input)
{
    return {true, bytes{input.begin(), input.end()}};
}

ModexpLengths modexp_lengths(bytes_view input) noexcept
{
    uint8_t w[32];
    ModexpLengths l;
    read_padded(input, 0, w, 32);
    l.base_len = saturating_u64(w);
    read_padded(input, 32, w, 32);
    l.exp_len = saturating_u64(w);
    read_padded(input, 64, w, 32);
    l.mod_len = saturating_u64(w);
    return l;
}

uint64_t modexp_exp_head_bits(bytes_view input, const ModexpLengths& l) noexcept
{
    if (l.base_len == UINT64_MAX || l.base_len > UINT64_MAX - 96)
        return 0;  // the exponent starts beyond any input: it reads as zero
    uint8_t head[32];
    const size_t n = l.exp_len < 32 ? static_cast<size_t>(l.exp_len) : 32;
    read_padded(input, 96 + l.base_len, head, n);
    return bit_length({head, n});
}

uint64_t modexp_gas(bytes_view input, ModexpPricing pricing) noexcept
{
    const auto l = modexp_lengths(input);
    const uint64_t head_bits = modexp_exp_head_bits(input, l);
    const uint64_t head_msb = head_bits > 0 ? head_bits - 1 : 0;
    const uint64_t max_len = l.base_len > l.mod_len ? l.base_len : l.mod_len;
    if (max_len == UINT64_MAX)
        return UINT64_MAX;  // a length of 2^64 or more: the complexity alone is unpayable
    // An exponent length of 2^64 or more (saturated) makes the iteration count exceed 2^66:
    // unpayable times any non-zero complexity, but a zero complexity (base and modulus both
    // empty) prices at the formula's floor whatever the exponent (EIP-2565: max(200, 0) = 200;
    // EIP-198: 0) — so the exponent length alone never decides.
    const bool exp_saturated = l.exp_len == UINT64_MAX;

    // Iteration count ("adjusted exponent length"): the exponent's bits past the head count
    // 8 per byte (16 from EIP-7883).
    const u128 per_byte = pricing == ModexpPricing::eip7883 ? 16 : 8;
    u128 iterations = l.exp_len <= 32 ? u128{head_msb} : per_byte * (l.exp_len - 32) + head_msb;
    if (iterations < 1)
        iterations = 1;

    const u128 x = max_len;
    switch (pricing)
    {
        case ModexpPricing::eip198:
        {
            u128 complexity;
            if (x <= 64)
                complexity = x * x;
            else if (x <= 1024)
                complexity = x * x / 4 + 96 * x - 3072;
            else
                complexity = x * x / 16 + 480 * x - 199680;
            if (complexity != 0 && (exp_saturated || iterations > (~u128{0}) / complexity))
                return UINT64_MAX;
            return saturate(complexity * iterations / 20);
        }
        case ModexpPricing::eip2565:
        {
            const u128 words = (x + 7) / 8;
            const u128 complexity = words * words;
            if (complexity != 0 && (exp_saturated || iterations > (~u128{0}) / complexity))
                return UINT64_MAX;
            const u128 g = complexity * iterations / 3;
            return saturate(g < 200 ? 200 : g);
        }
        case ModexpPricing::eip7883:
        {
            const u128 words = (x + 7) / 8;
            // EIP-7883: the complexity is at least 16, even for empty base and modulus.
            const u128 complexity = x > 32 ? 2 * words * words : 16;
            if (exp_saturated || iterations > (~u128{0}) / complexity)
                return UINT64_MAX;
            const u128 g = complexity * iterations;
            return saturate(g < 500 ? 500 : g);
        }
    }
    return UINT64_MAX;
}

Result modexp(bytes_view input, bool osaka_limits)
{
    const auto l = modexp_lengths(input);
    Result r;
    if (osaka_limits && (l.base_len > kModexpMaxInputLen || l.exp_len > kModexpMaxInputLen ||
                            l.mod_len > kModexpMaxInputLen))
    {
        r.success = false;
        return r;
    }
    if (l.mod_len == 0)
        return r;  // empty output, whatever the base and exponent
    // Lengths this large cannot be paid for; refuse rather than allocate.
    constexpr uint64_t kSane = uint64_t{1} << 32;
    if (l.base_len > kSane || l.exp_len > kSane || l.mod_len > kSane)
    {
        r.success = false;
        return r;
    }
    bytes base(l.base_len), exp(l.exp_len), mod(l.mod_len);
    read_padded(input, 96, base.data(), base.size());
    read_padded(input, 96 + l.base_len, exp.data(), exp.size());
    read_padded(input, 96 + l.base_len + l.exp_len, mod.data(), mod.size());
    crypto::modexp(base, exp, mod, r.output);
    return r;
}

uint64_t blake2f_gas(bytes_view input) noexcept
{
    if (input.size() != 213)
        return 0;
    return (uint64_t{input[0]} << 24) | (uint64_t{input[1]} << 16) | (uint64_t{input[2]} << 8) |
           input[3];
}

Result blake2f(bytes_view input)
{
    Result r;
    if (input.size() != 213 || input[212] > 1)
    {
        r.success = false;
        return r;
    }
    const auto rounds = static_cast<uint32_t>(blake2f_gas(input));
    uint64_t h[8], m[16], t[2];
    const auto le64 = [&](size_t off)
    {
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i)
            v = (v << 8) | input[off + static_cast<size_t>(i)];
        return v;
    };
    for (size_t i = 0; i < 8; ++i)
        h[i] = le64(4 + 8 * i);
    for (size_t i = 0; i < 16; ++i)
        m[i] = le64(68 + 8 * i);
    t[0] = le64(196);
    t[1] = le64(204);
    crypto::blake2f(rounds, h, m, t, input[212] == 1);
    r.output.resize(64);
    for (size_t i = 0; i < 8; ++i)
        for (size_t j = 0; j < 8; ++j)
            r.output[8 * i + j] = static_cast<uint8_t>(h[i] >> (8 * j));
    return r;
}

Result p256verify(bytes_view input)
{
    Result r;
    if (input.size() != 160)
        return r;
    const uint8_t* p = input.data();
    if (p256_verify(p, p + 32, p + 64, p + 96, p + 128))
    {
        r.output.assign(32, 0);
        r.output[31] = 1;
    }
    return r;
}
}  // namespace stele::crypto::precompile
