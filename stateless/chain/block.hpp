// Block validation and execution: header rules against the parent, system calls (EIP-4788,
// EIP-2935), transactions (validity checks named like EEST exceptions, execution, fees,
// receipts), withdrawals, EIP-7685 requests, rewards before the merge, and the final checks
// (gas used, receipts root, bloom, blob gas, requests hash, state root).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "../evm/evm.hpp"
#include "../evm/fork.hpp"
#include "../state/state.hpp"
#include "errors.hpp"
#include "types.hpp"

namespace stele::chain
{
struct BlobParams
{
    uint64_t target = 0;
    uint64_t max = 0;
    uint64_t update_fraction = 0;
};

// One step of the fork schedule: from block `at` (or timestamp `at`) on, these rules hold.
struct ForkActivation
{
    Fork fork = Fork::Frontier;
    bool by_timestamp = false;
    uint64_t at = 0;
    BlobParams blob;
};

struct ChainConfig
{
    uint64_t chain_id = 1;
    std::vector<ForkActivation> schedule;  // ascending
    address deposit_contract;              // EIP-6110

    ChainConfig();
    [[nodiscard]] const ForkActivation& rules_at(
        uint64_t number, uint64_t timestamp) const noexcept;
};

// Public-key recovery from a 32-byte message hash and (y_parity, r, s); nullopt if invalid.
// Supplied by the caller (a host library natively, the accelerator in the guest).
using RecoverFn = std::optional<address> (*)(
    const hash256& msg, uint8_t y_parity, const uint256& r, const uint256& s);

struct BlockEnv
{
    const ChainConfig* config = nullptr;
    const evm::PrecompileTable* precompiles = nullptr;
    RecoverFn recover = nullptr;
    evm::BlockHashFn block_hash = nullptr;  // ancestors, for BLOCKHASH and EIP-2935
    void* block_hash_ctx = nullptr;
    // Senders already established by the caller (verified against given public keys), one per
    // transaction: used instead of recovering them (`recover` still serves authorizations).
    std::span<const address> senders;
};

struct BlockOutcome
{
    Error error = Error::ok;
    size_t tx_index = 0;  // failing transaction, for transaction errors
    uint64_t gas_used = 0;
    unsigned missing_precompile = 0;  // a precompile without implementation was called
    std::vector<Receipt> receipts;
    // Prague+: the EIP-7685 requests the execution produced (`type ‖ data`, ascending type,
    // empty ones omitted), what requests_hash commits to.
    std::vector<bytes> requests;
    // Amsterdam: the RLP of the EIP-7928 block access list the execution produced.
    bytes block_access_list;
};

// Header checks that need only the parent.
[[nodiscard]] Error validate_header(const ChainConfig& config, const BlockHeader& parent,
    const BlockHeader& header, size_t encoded_block_size);

// Validates and executes `block` on top of `parent`, writing the changes to db. On an error,
// db holds partial changes: the caller restores its snapshot.
[[nodiscard]] BlockOutcome apply_block(
    state::StateDb& db, const BlockEnv& env, const BlockHeader& parent, Block& block);

// Builds a block rather than checking it: `block` holds the transactions, withdrawals and the
// header's chosen fields (coinbase, timestamp, gas limit, prev_randao, extra data, beacon root,
// slot number); the parent link, number, fork fields, base fee and excess blob gas are derived
// from `parent`, and the execution's results (roots, bloom, gas used, blob gas, requests hash,
// access list and its hash) are written into the header, whose hash is then set. An invalid
// transaction still fails with its error. For fixtures of our own (fork transitions).
[[nodiscard]] BlockOutcome seal_block(
    state::StateDb& db, const BlockEnv& env, const BlockHeader& parent, Block& block);

// EIP-4844 helpers.
[[nodiscard]] uint256 blob_base_fee(uint64_t excess_blob_gas, const BlobParams& p) noexcept;
[[nodiscard]] uint64_t expected_excess_blob_gas(
    const BlockHeader& parent, const BlobParams& p, Fork fork) noexcept;
}  // namespace stele::chain
