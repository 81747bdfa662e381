// JSON-RPC encodings of chain objects, as execution-apis specifies them (src/schemas): quantities
// as 0x-hex without leading zeros, data as 0x-hex of whole bytes, block and transaction objects
// with the fields of their fork / transaction type. Built from the consensus encodings.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stateless/chain/block.hpp>
#include <stateless/chain/types.hpp>
#include <string>
#include <vector>

namespace stele::witness::rpc
{
// "0x0", "0x1b", … (execution-apis `uint`: no leading zeros).
[[nodiscard]] std::string quantity(uint64_t v);
[[nodiscard]] std::string quantity(const uint256& v);
[[nodiscard]] std::string data_hex(bytes_view b);

// The signer of a decoded transaction (nullopt if the signature does not recover).
[[nodiscard]] std::optional<address> transaction_sender(
    const chain::Transaction& tx, chain::RecoverFn recover);

// Where a transaction sits, for the block-context fields of a transaction object.
struct TxContext
{
    hash256 block_hash;
    uint64_t block_number = 0;
    uint64_t block_timestamp = 0;
    std::optional<uint64_t> base_fee;
    uint64_t index = 0;
    chain::RecoverFn recover = nullptr;
};

[[nodiscard]] nlohmann::ordered_json transaction_json(
    const chain::Transaction& tx, const TxContext& ctx);

// A receipt's consensus encoding (typed envelope or legacy list) → chain::Receipt.
[[nodiscard]] bool decode_receipt(bytes_view enc, chain::Receipt& out);

// The receipt objects of a block (eth_getBlockReceipts): gasUsed from the cumulative gas,
// logIndex counted across the block, contractAddress for creations, effectiveGasPrice, and
// for blob transactions blobGasUsed and blobGasPrice (`blob_base_fee`, from the block's
// excess blob gas). False if a receipt does not decode.
[[nodiscard]] bool receipts_json(const chain::Block& block, const std::vector<bytes>& receipts,
    std::optional<uint256> blob_base_fee, chain::RecoverFn recover, nlohmann::ordered_json& out);

// The header fields of a block object (no size / transactions / uncles / withdrawals).
[[nodiscard]] nlohmann::ordered_json header_json(const chain::BlockHeader& h);

// A whole block object: header fields, size, transactions (hashes or objects), uncles, and
// withdrawals (Shanghai+).
[[nodiscard]] nlohmann::ordered_json block_json(
    const chain::Block& block, bool full_transactions, chain::RecoverFn recover);
}  // namespace stele::witness::rpc
