// Block, header, transaction, withdrawal and receipt types with their RLP codecs.
#pragma once

#include <optional>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"
#include "errors.hpp"

namespace stele::chain
{
struct BlockHeader
{
    hash256 parent_hash;
    hash256 ommers_hash;
    address coinbase;
    hash256 state_root;
    hash256 transactions_root;
    hash256 receipts_root;
    bloom logs_bloom;
    uint256 difficulty;
    uint64_t number = 0;
    uint64_t gas_limit = 0;
    uint64_t gas_used = 0;
    uint64_t timestamp = 0;
    bytes extra_data;
    hash256 mix_hash;  // prev_randao after the merge
    FixedBytes<8> nonce;
    std::optional<uint64_t> base_fee;                 // London
    std::optional<hash256> withdrawals_root;          // Shanghai
    std::optional<uint64_t> blob_gas_used;            // Cancun
    std::optional<uint64_t> excess_blob_gas;          // Cancun
    std::optional<hash256> parent_beacon_block_root;  // Cancun
    std::optional<hash256> requests_hash;             // Prague
    std::optional<hash256> block_access_list_hash;    // Amsterdam (EIP-7928)
    std::optional<uint64_t> slot_number;              // Amsterdam (EIP-7843)

    hash256 hash;  // keccak256 of the encoding (set by decode)
};

struct AccessListEntry
{
    address addr;
    std::vector<hash256> keys;
};

struct Authorization
{
    uint256 chain_id;
    address addr;
    uint64_t nonce = 0;
    bool nonce_overflow = false;  // the encoded nonce does not fit 64 bits
    uint256 y_parity;
    uint256 r;
    uint256 s;
};

struct Transaction
{
    uint8_t type = 0;
    std::optional<uint64_t> chain_id;  // legacy: from v (EIP-155), or none
    uint64_t nonce = 0;
    uint256 gas_price;  // legacy / 2930; max_fee_per_gas for 1559+
    uint256 max_priority_fee;
    uint64_t gas_limit = 0;
    std::optional<address> to;
    uint256 value;
    bytes data;
    std::vector<AccessListEntry> access_list;
    uint256 max_fee_per_blob_gas;
    std::vector<hash256> blob_hashes;
    std::vector<Authorization> authorizations;
    uint256 v;  // legacy v, or y_parity
    uint256 r;
    uint256 s;

    bytes encoded;  // as in the block body's transaction trie (envelope for typed)
    hash256 signing_hash;
    address sender;  // set by the caller after recovery
};

struct Withdrawal
{
    uint64_t index = 0;
    uint64_t validator = 0;
    address addr;
    uint64_t amount_gwei = 0;
    bytes encoded;
};

struct Block
{
    BlockHeader header;
    std::vector<Transaction> transactions;
    std::vector<BlockHeader> ommers;
    std::optional<std::vector<Withdrawal>> withdrawals;
    // Amsterdam: the RLP-encoded EIP-7928 block access list, when the block came with one (an
    // engine payload carries it; the block's own RLP does not, only its hash in the header).
    std::optional<bytes> block_access_list;
    size_t encoded_size = 0;
};

struct Log
{
    address addr;
    std::vector<hash256> topics;
    bytes data;
};

struct Receipt
{
    uint8_t type = 0;
    bool success = false;
    std::optional<hash256> post_state;  // before Byzantium
    uint64_t cumulative_gas = 0;
    bloom logs_bloom;
    std::vector<Log> logs;
};

[[nodiscard]] Error decode_header(bytes_view rlp_in, BlockHeader& out);
[[nodiscard]] Error decode_block(bytes_view rlp_in, Block& out);
// A transaction as it appears in a block body item (a list for legacy, a string for typed),
// or a raw envelope (type byte + list).
[[nodiscard]] Error decode_transaction(bytes_view envelope, Transaction& out);

[[nodiscard]] bytes encode_header(const BlockHeader& h);
[[nodiscard]] bytes encode_receipt(const Receipt& r);
void add_to_bloom(bloom& b, bytes_view data) noexcept;

// The message an authority signs for an EIP-7702 authorization.
[[nodiscard]] hash256 authorization_hash(const Authorization& a);

// keccak256(rlp([])).
[[nodiscard]] hash256 empty_list_hash();
}  // namespace stele::chain
