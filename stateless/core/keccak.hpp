// Keccak-256 (the original Keccak padding 0x01, as Ethereum uses; not SHA3-256).
#pragma once

#include "bytes.hpp"

namespace stele
{
// The Keccak-f[1600] permutation on 25 little-endian lanes.
void keccakf1600(uint64_t state[25]) noexcept;

// Keccak-256 of data. On an accelerated guest build this is the zkvm_keccak256 accelerator.
[[nodiscard]] hash256 keccak256(bytes_view data) noexcept;

// The software implementation, always available (oracle for the accelerator).
[[nodiscard]] hash256 keccak256_software(bytes_view data) noexcept;
}  // namespace stele
