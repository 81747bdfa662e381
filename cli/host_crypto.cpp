#include "host_crypto.hpp"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstring>
#include <stateless/core/keccak.hpp>

namespace stele::cli
{
namespace
{
const secp256k1_context* context()
{
    static secp256k1_context* const ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return ctx;
}
}  // namespace

std::optional<stateless::PublicKey> recover_public_key_host(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s)
{
    if (y_parity > 1)
        return std::nullopt;
    uint8_t rs[64];
    store_be(rs, r);
    store_be(rs + 32, s);
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, rs, y_parity))
        return std::nullopt;
    secp256k1_pubkey pub;
    if (!secp256k1_ecdsa_recover(context(), &pub, &sig, msg.bytes))
        return std::nullopt;
    stateless::PublicKey out;
    size_t len = sizeof out.bytes;
    secp256k1_ec_pubkey_serialize(context(), out.bytes, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    return out;
}

std::optional<address> recover_address_host(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s)
{
    const auto pk = recover_public_key_host(msg, y_parity, r, s);
    if (!pk)
        return std::nullopt;
    const hash256 h = keccak256({pk->bytes + 1, 64});
    address a;
    std::memcpy(a.bytes, h.bytes + 12, 20);
    return a;
}

uint8_t signature_parity(const chain::Transaction& tx) noexcept
{
    const uint64_t v = tx.v.w[0];
    if (tx.type != 0)
        return static_cast<uint8_t>(v & 1);
    if (v == 27 || v == 28)
        return static_cast<uint8_t>(v - 27);
    if (v >= 35)
        return static_cast<uint8_t>((v - 35) % 2);
    return 2;  // not a valid legacy v
}

std::vector<stateless::PublicKey> public_keys_host(
    const chain::Block& block, std::vector<size_t>* failed)
{
    std::vector<stateless::PublicKey> keys;
    keys.reserve(block.transactions.size());
    for (size_t i = 0; i < block.transactions.size(); ++i)
    {
        const chain::Transaction& tx = block.transactions[i];
        const auto pk = recover_public_key_host(tx.signing_hash, signature_parity(tx), tx.r, tx.s);
        keys.push_back(pk.value_or(stateless::PublicKey{}));
        if (!pk && failed)
            failed->push_back(i);
    }
    return keys;
}
}  // namespace stele::cli
