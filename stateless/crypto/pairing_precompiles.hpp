// The pairing-curve precompiles, one function each: input bytes → {success, output}, plus each
// one's gas function. On failure the caller consumes all gas (EIP-196/197/2537/4844).
//   0x06 BN254 ECADD, 0x07 ECMUL, 0x08 ECPAIRING   (EIP-196, EIP-197; gas EIP-1108)
//   0x0a KZG point evaluation                        (EIP-4844)
//   0x0b BLS12_G1ADD, 0x0c G1MSM, 0x0d G2ADD, 0x0e G2MSM, 0x0f PAIRING_CHECK,
//   0x10 MAP_FP_TO_G1, 0x11 MAP_FP2_TO_G2            (EIP-2537)
// On an accelerated guest build (STELE_ACCELERATED) the arithmetic goes through the
// zkvm_accelerators.h functions; decoding of the EVM input (padding, lengths, versioned hash)
// stays here.
#pragma once

#include <cstdint>

#include "../core/bytes.hpp"

namespace stele::crypto
{
struct PrecompileResult
{
    bool success = false;
    bytes output;
};

[[nodiscard]] uint64_t bn254_add_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bn254_mul_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bn254_pairing_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t kzg_point_evaluation_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_g1add_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_g1msm_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_g2add_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_g2msm_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_pairing_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_map_fp_to_g1_gas(bytes_view input) noexcept;
[[nodiscard]] uint64_t bls12_map_fp2_to_g2_gas(bytes_view input) noexcept;

[[nodiscard]] PrecompileResult bn254_add(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bn254_mul(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bn254_pairing(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult kzg_point_evaluation(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_g1add(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_g1msm(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_g2add(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_g2msm(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_pairing(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_map_fp_to_g1(bytes_view input) noexcept;
[[nodiscard]] PrecompileResult bls12_map_fp2_to_g2(bytes_view input) noexcept;

// The MSM discount tables of EIP-2537 (k = 1..128; larger k uses the last entry).
[[nodiscard]] uint64_t bls12_g1msm_discount(uint64_t k) noexcept;
[[nodiscard]] uint64_t bls12_g2msm_discount(uint64_t k) noexcept;
}  // namespace stele::crypto
