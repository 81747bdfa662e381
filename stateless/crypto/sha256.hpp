// SHA-256 (FIPS 180-4): precompile 0x02, SSZ hash_tree_root, KZG versioned hashes.
#pragma once

#include "../core/bytes.hpp"

namespace stele::crypto
{
// Incremental hashing.
class Sha256
{
public:
    Sha256() noexcept;
    void update(bytes_view data) noexcept;
    [[nodiscard]] hash256 finish() noexcept;

private:
    uint32_t m_state[8];
    uint8_t m_block[64];
    size_t m_used = 0;
    uint64_t m_length = 0;  // bytes
};

// One-shot SHA-256. On an accelerated guest build this is the zkvm_sha256 accelerator.
[[nodiscard]] hash256 sha256(bytes_view data) noexcept;
[[nodiscard]] hash256 sha256_software(bytes_view data) noexcept;

// SHA-256 of exactly two 32-byte values: the SSZ Merkle node, kept fast.
[[nodiscard]] hash256 sha256_pair(const hash256& left, const hash256& right) noexcept;
}  // namespace stele::crypto
