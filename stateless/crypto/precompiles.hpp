// Precompiled contracts 0x01-0x05, 0x09 and 0x100 as functions of their input bytes (no gas:
// the EVM charges it). Each returns {success, output}: success == false is an exceptional halt
// (all gas consumed); success with an empty output is how ecrecover and p256verify report an
// invalid signature. Next to each function is its gas formula with the fork-dependent variants.
#pragma once

#include "../core/bytes.hpp"

namespace stele::crypto::precompile
{
struct Result
{
    bool success = true;
    bytes output;
};

// Gas of a per-word priced precompile: base + per_word * ceil(len / 32).
[[nodiscard]] constexpr uint64_t word_priced_gas(
    uint64_t base, uint64_t per_word, uint64_t len) noexcept
{
    return base + per_word * ((len + 31) / 32);
}

// 0x01: (hash, v, r, s) -> the signer's address left-padded to 32 bytes; empty output when v is
// not 27 or 28, r or s is out of range, or recovery fails. High s is allowed (no EIP-2 here).
[[nodiscard]] Result ecrecover(bytes_view input);
inline constexpr uint64_t kEcrecoverGas = 3000;

// 0x02
[[nodiscard]] Result sha256(bytes_view input);
[[nodiscard]] constexpr uint64_t sha256_gas(uint64_t len) noexcept
{
    return word_priced_gas(60, 12, len);
}

// 0x03: the 20-byte digest left-padded to 32 bytes.
[[nodiscard]] Result ripemd160(bytes_view input);
[[nodiscard]] constexpr uint64_t ripemd160_gas(uint64_t len) noexcept
{
    return word_priced_gas(600, 120, len);
}

// 0x04
[[nodiscard]] Result identity(bytes_view input);
[[nodiscard]] constexpr uint64_t identity_gas(uint64_t len) noexcept
{
    return word_priced_gas(15, 3, len);
}

// 0x05 (EIP-198). The header's three 32-byte lengths, saturated to 64 bits (a length that does
// not fit is reported as UINT64_MAX; its gas is unaffordable anyway).
struct ModexpLengths
{
    uint64_t base_len = 0;
    uint64_t exp_len = 0;
    uint64_t mod_len = 0;
};
[[nodiscard]] ModexpLengths modexp_lengths(bytes_view input) noexcept;
// The bit length of the exponent's first min(exp_len, 32) bytes (EIP-198's "exponent head").
[[nodiscard]] uint64_t modexp_exp_head_bits(bytes_view input, const ModexpLengths& l) noexcept;
// EIP-7823 (Osaka): any length above 1024 bytes makes the call fail.
inline constexpr uint64_t kModexpMaxInputLen = 1024;

enum class ModexpPricing : uint8_t
{
    eip198,   // Byzantium .. Istanbul
    eip2565,  // Berlin .. Prague
    eip7883,  // Osaka ..
};
// Saturates at UINT64_MAX.
[[nodiscard]] uint64_t modexp_gas(bytes_view input, ModexpPricing pricing) noexcept;
// `osaka_limits` applies EIP-7823.
[[nodiscard]] Result modexp(bytes_view input, bool osaka_limits);

// 0x09 (EIP-152): exactly 213 bytes, final flag 0 or 1, else failure.
[[nodiscard]] Result blake2f(bytes_view input);
// One gas per round; 0 for malformed input (the call fails anyway).
[[nodiscard]] uint64_t blake2f_gas(bytes_view input) noexcept;

// 0x100 (EIP-7951): exactly 160 bytes (h, r, s, qx, qy); 32-byte 1 on success, else empty.
[[nodiscard]] Result p256verify(bytes_view input);
inline constexpr uint64_t kP256VerifyGas = 6900;  // EIP-7951 (RIP-7212 priced it 3450)
}  // namespace stele::crypto::precompile
