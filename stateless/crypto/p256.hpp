// NIST P-256 (secp256r1) ECDSA verification: the EIP-7951 precompile at 0x100.
#pragma once

#include "../core/bytes.hpp"

namespace stele::crypto
{
// Verifies signature (r, s) of the 32-byte message hash under public key (qx, qy), all
// big-endian 32-byte values, with EIP-7951's checks: 0 < r, s < n; qx, qy < p; the key on the
// curve and not the point at infinity; R' = (h/s) G + (r/s) Q not at infinity; x(R') = r mod n.
// On an accelerated guest build this is zkvm_secp256r1_verify.
[[nodiscard]] bool p256_verify(const uint8_t h[32], const uint8_t r[32], const uint8_t s[32],
    const uint8_t qx[32], const uint8_t qy[32]) noexcept;
[[nodiscard]] bool p256_verify_software(const uint8_t h[32], const uint8_t r[32],
    const uint8_t s[32], const uint8_t qx[32], const uint8_t qy[32]) noexcept;
}  // namespace stele::crypto
