// KZG point-evaluation verification of EIP-4844 (precompile 0x0a): verify_kzg_proof of the
// consensus specs (polynomial-commitments.md) over BLS12-381, with the mainnet trusted setup's
// [τ]₂.
#pragma once

#include <cstdint>

#include "../core/bytes.hpp"

namespace stele::crypto::kzg
{
enum class Status
{
    ok,
    invalid_field_element,  // z or y not below BLS_MODULUS
    invalid_commitment,     // not a valid compressed G1 point of the subgroup
    invalid_proof,
};

// verify_kzg_proof(commitment, z, y, proof). `verified` is meaningful only when ok is returned.
[[nodiscard]] Status verify_kzg_proof(const uint8_t commitment[48], const uint8_t z[32],
    const uint8_t y[32], const uint8_t proof[48], bool& verified) noexcept;

// kzg_to_versioned_hash: 0x01 ‖ sha256(commitment)[1:].
[[nodiscard]] hash256 versioned_hash(const uint8_t commitment[48]) noexcept;

// The embedded [τ]₂ of the trusted setup, ZCash-compressed (for checking the constant).
void setup_tau_g2_compressed(uint8_t out[96]) noexcept;
}  // namespace stele::crypto::kzg
