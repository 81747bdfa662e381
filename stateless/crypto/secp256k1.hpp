// secp256k1 ECDSA: public-key recovery (transactions, precompile 0x01) and verification.
// Field and scalar arithmetic are our own (4x64 limbs); on an accelerated guest build the
// functions route to zkvm_secp256k1_ecrecover / zkvm_secp256k1_verify.
#pragma once

#include <optional>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"

namespace stele::crypto
{
// 64-byte uncompressed public key x ‖ y (no 0x04 prefix), big-endian.
using Secp256k1Pubkey = FixedBytes<64>;

// The curve order n, big-endian, and n/2 (the low-s bound of EIP-2: s <= n/2).
extern const uint8_t kSecp256k1Order[32];
extern const uint8_t kSecp256k1HalfOrder[32];

// Recovers the public key from a signature (r ‖ s, big-endian) over a 32-byte message hash.
// recid is the parity of R.y (0 or 1; EVM v - 27). Fails (nullopt) when r or s is 0 or >= n,
// r is not the x of a curve point, recid > 1, or the result is the point at infinity. High s
// is accepted: callers enforce the low-s rule where it applies (is_low_s).
[[nodiscard]] std::optional<Secp256k1Pubkey> secp256k1_recover(
    const hash256& msg, const uint8_t sig[64], uint8_t recid) noexcept;
[[nodiscard]] std::optional<Secp256k1Pubkey> secp256k1_recover_software(
    const hash256& msg, const uint8_t sig[64], uint8_t recid) noexcept;

// ECDSA verification against a 64-byte public key (high s accepted).
[[nodiscard]] bool secp256k1_verify(
    const hash256& msg, const uint8_t sig[64], const Secp256k1Pubkey& pubkey) noexcept;
[[nodiscard]] bool secp256k1_verify_software(
    const hash256& msg, const uint8_t sig[64], const Secp256k1Pubkey& pubkey) noexcept;

// s <= n/2 (EIP-2), with s big-endian 32 bytes.
[[nodiscard]] bool is_low_s(const uint8_t s[32]) noexcept;
// 0 < v < n for a big-endian 32-byte value.
[[nodiscard]] bool is_valid_scalar(const uint8_t v[32]) noexcept;

// The Ethereum address of a public key: the last 20 bytes of keccak256(x ‖ y).
[[nodiscard]] address pubkey_to_address(const Secp256k1Pubkey& pubkey) noexcept;
// The signer's address from (y_parity, r, s) over a message hash (chain::RecoverFn's shape).
[[nodiscard]] std::optional<address> recover_signer(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s) noexcept;
// Whether the 64 bytes are the coordinates of a point on the curve (x, y < p).
[[nodiscard]] bool secp256k1_is_on_curve(const Secp256k1Pubkey& pubkey) noexcept;
}  // namespace stele::crypto
