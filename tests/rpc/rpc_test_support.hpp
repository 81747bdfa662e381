// Shared by the rpc tests: sender recovery for the server (the engine's secp256k1, itself
// checked against libsecp256k1 by the crypto suite) and a chain store opened for serving.
#pragma once

#include <optional>
#include <stateless/crypto/secp256k1.hpp>

namespace stele::test
{
inline std::optional<address> recover_sender(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s)
{
    uint8_t sig[64];
    store_be(sig, r);
    store_be(sig + 32, s);
    const auto key = crypto::secp256k1_recover(msg, sig, y_parity);
    if (!key)
        return std::nullopt;
    return crypto::pubkey_to_address(*key);
}
}  // namespace stele::test
