// The engine-API bridge between a NewPayloadRequest (the guest's input shape) and a chain::Block
// (what the validator executes).
//
// payload → block follows execution-specs `execute_new_payload_request` / the engine API's
// newPayload: the header is rebuilt from the payload (ommers = keccak(rlp([])), difficulty 0,
// nonce 0, mix_hash = prev_randao, transactions / withdrawals roots computed, the blob fields and
// parent beacon root by fork, requests_hash computed from the EIP-7685 execution requests), the
// transactions are decoded, and the rebuilt header's hash must equal the payload's block_hash and
// the versioned hashes must equal those of the blob transactions, in order. Nothing of the header
// is taken on trust.
//
// block → payload is the host's inverse (building a guest input from a block and the execution
// requests its execution produced).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "../chain/block.hpp"
#include "../chain/types.hpp"
#include "stateless_input.hpp"

namespace stele::stateless
{
enum class PayloadError : uint8_t
{
    ok = 0,
    invalid_transaction,       // a payload transaction does not decode (or is empty)
    base_fee_too_large,        // base_fee_per_gas beyond 64 bits
    invalid_block_hash,        // keccak(rebuilt header) != block_hash
    invalid_versioned_hashes,  // versioned hashes != the blob transactions' hashes
    invalid_requests,          // execution requests not in ascending type order / empty
    missing_header_field,      // block → payload: a field the fork requires is absent
    unexpected_header_field,   // block → payload: a field the fork does not have is present
    not_post_merge,            // block → payload: ommers, difficulty or nonce set
};

// EEST / engine names where one exists (BlockException.*), else a stele name.
[[nodiscard]] std::string_view payload_error_name(PayloadError e) noexcept;

struct PayloadResult
{
    PayloadError error = PayloadError::ok;
    size_t index = 0;  // the failing transaction for invalid_transaction
    hash256 computed_hash;

    [[nodiscard]] bool ok() const noexcept
    {
        return error == PayloadError::ok;
    }
};

// sha256(‖ sha256(request)) over the EIP-7685 requests list (`type ‖ data`, empty ones omitted).
[[nodiscard]] hash256 requests_hash(const std::vector<bytes>& requests);

// Rebuilds the block of `in.new_payload_request` under `in.fork`'s rules into `out` (owned bytes:
// `out` does not reference `in`). The checks of the header above run here; the block's own
// validity (execution, roots of the post-state) is the validator's.
[[nodiscard]] PayloadResult payload_to_block(const StatelessInput& in, chain::Block& out);

// The NewPayloadRequest of `block` under `fork` with its execution requests (the EIP-7685 list
// `type ‖ data`, ascending type, empty omitted; Prague+). Writes in.fork and
// in.new_payload_request; in.schema selects the request representation. The views in `in` point
// into `block` and `requests`, which must outlive it.
[[nodiscard]] PayloadResult block_to_payload(
    const chain::Block& block, Fork fork, const std::vector<bytes>& requests, StatelessInput& in);

// The rules of `fork` from genesis on, with mainnet's blob parameters for it (EIP-4844 Cancun,
// EIP-7691 Prague/Osaka, EIP-7892 BPO1/BPO2) and chain id `chain_id`: what a guest knows from the
// input's schema id and chain_id alone. nullopt for forks the engine does not execute.
[[nodiscard]] std::optional<chain::ChainConfig> chain_config_for(Fork fork, uint64_t chain_id);

// The block's RLP: [header, transactions, ommers, withdrawals?] (the inverse of decode_block).
[[nodiscard]] bytes encode_block(const chain::Block& block);
}  // namespace stele::stateless
