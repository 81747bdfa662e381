// Host-side secp256k1 through libsecp256k1 (the differential oracle of the engine's own code):
// sender recovery for the native validator and the public keys a prover hands to the guest.
#pragma once

#include <optional>
#include <stateless/chain/types.hpp>
#include <stateless/validate/validate.hpp>
#include <vector>

namespace stele::cli
{
// The uncompressed public key (0x04 ‖ x ‖ y) that signed msg with (y_parity, r, s).
[[nodiscard]] std::optional<stateless::PublicKey> recover_public_key_host(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s);

// chain::RecoverFn over libsecp256k1: the signer's address.
[[nodiscard]] std::optional<address> recover_address_host(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s);

// The y parity of a transaction's signature (typed: v; legacy: 27/28 or EIP-155 v).
[[nodiscard]] uint8_t signature_parity(const chain::Transaction& tx) noexcept;

// One key per transaction of `block`, in order; `failed` lists the indices whose signature does
// not recover (their key is left all zero, which no guest accepts).
[[nodiscard]] std::vector<stateless::PublicKey> public_keys_host(
    const chain::Block& block, std::vector<size_t>* failed = nullptr);
}  // namespace stele::cli
