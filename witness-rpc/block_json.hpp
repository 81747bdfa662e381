// JSON shapes of blocks, headers and chain configurations, as EL clients serve them and as the
// EEST fixtures spell them, converted to what the engine consumes (RLP, chain::ChainConfig).
//
//  - A header object (`eth_getBlockByNumber` names: parentHash, sha3Uncles, miner, …; or the EEST
//    names: uncleHash, coinbase, transactionsTrie, receiptTrie, bloom, …) → RLP. The optional
//    fields (baseFeePerGas … requestsHash) are taken by presence and must come in fork order;
//    when the object has "hash", the encoding must hash to it.
//  - A block (`eth_getBlockByNumber` result with full transaction objects, plain or JSON-RPC
//    wrapped; or an EEST block object with "blockHeader") → block RLP. Transaction types 0-4,
//    withdrawals, uncles as header objects (uncles given only as hashes cannot be rebuilt).
//    transactionsRoot, withdrawalsRoot, sha3Uncles, the block hash and each transaction's "hash"
//    are checked against the encoding.
//  - A chain configuration (geth's genesis `config` object, or a whole genesis file) → a
//    chain::ChainConfig, plus the built-in networks mainnet, sepolia and hoodi.
//
// Host code: every failure is a typed FormatError with a message naming the field.
#pragma once

#include <optional>
#include <stateless/chain/block.hpp>
#include <stateless/state/memory_state.hpp>
#include <string>
#include <string_view>

#include "witness_file.hpp"

namespace stele::witness
{
enum class FormatError
{
    None,
    Io,                        // cannot read the file
    InvalidJson,               // not JSON
    RpcError,                  // a JSON-RPC error response (or a null result)
    NotAnObject,               // the value is not a JSON object
    MissingField,              // a required field is absent
    WrongType,                 // a field has the wrong JSON type
    InvalidHex,                // not 0x-hex (of whole bytes, where bytes are expected)
    OutOfRange,                // a number does not fit its field, or a wrong byte length
    TooLarge,                  // the input exceeds the size limit
    FieldOrder,                // an optional header field without the ones of earlier forks
    HashMismatch,              // header / transaction "hash" differs from the encoding's hash
    TransactionsRootMismatch,  // transactionsRoot differs from the transactions' trie root
    WithdrawalsRootMismatch,   // withdrawalsRoot differs from the withdrawals' trie root
    UnclesHashMismatch,        // sha3Uncles differs from the hash of the uncle list
    NotHydrated,               // transactions given as hashes (eth_getBlockByNumber(n, false))
    UnclesNotAvailable,        // uncles given as hashes: their headers cannot be rebuilt
    UnsupportedTransactionType,
    UnknownNetwork,   // a chain configuration name that is not built in
    UnsupportedFork,  // a fork the engine does not implement, or an unplaceable merge
};

struct FormatResult
{
    FormatError code = FormatError::None;
    std::string message;

    [[nodiscard]] bool ok() const noexcept
    {
        return code == FormatError::None;
    }
};

[[nodiscard]] const char* to_string(FormatError e) noexcept;

// ---- headers and blocks ----------------------------------------------------------------------

// One header object (its JSON text) → header (with `hash` set) and its RLP.
[[nodiscard]] FormatResult header_from_json(
    std::string_view json_object, chain::BlockHeader& header, bytes& rlp);

// The witness parser's hook for geth-shaped witnesses (headers as JSON objects).
[[nodiscard]] HeaderEncoder json_header_encoder();

// A block (see above) → its RLP. `max_bytes` bounds the JSON text.
[[nodiscard]] FormatResult block_rlp_from_json(
    std::string_view json, bytes& rlp, size_t max_bytes = size_t{1} << 30);

// How a block file is written, detected by content.
enum class BlockFileFormat
{
    Binary,  // raw RLP
    Hex,     // (0x-)hex text of the RLP, surrounding whitespace allowed
    Json,    // a block object (see block_rlp_from_json)
};

// Reads a block file (plain or gzip) in any of the formats above; `format` tells which it was.
[[nodiscard]] FormatResult load_block_file(const std::string& path, bytes& rlp,
    BlockFileFormat* format = nullptr, size_t max_bytes = size_t{1} << 30);

// ---- chain configurations --------------------------------------------------------------------

// A fork the engine does not implement, scheduled from `at` on (a timestamp or block number).
struct UnsupportedActivation
{
    std::string fork;  // e.g. "Amsterdam"
    bool by_timestamp = true;
    uint64_t at = 0;
};

struct ChainSpec
{
    std::string name;  // "mainnet", a file name, …
    chain::ChainConfig config;
    // geth's `config` object as it was given (compact JSON): keeps the keys the engine's
    // schedule does not model (difficulty-bomb forks, …) for EIP-2124 fork ids.
    std::string source_json;
    // The earliest scheduled fork beyond the engine's (blocks from there on cannot be judged).
    std::optional<UnsupportedActivation> unsupported;

    // Whether a block at (number, timestamp) falls under `unsupported`.
    [[nodiscard]] bool beyond_supported(uint64_t number, uint64_t timestamp) const noexcept;
};

// geth's chain configuration: the `config` object of a genesis file, or the whole genesis file
// (or either inside a JSON-RPC response). Activation keys homesteadBlock … londonBlock,
// mergeNetsplitBlock / terminalTotalDifficulty, shanghaiTime … osakaTime, bpo1Time … bpo5Time;
// blobSchedule {cancun, prague, osaka, bpo1…bpo5: {target, max, baseFeeUpdateFraction}};
// depositContractAddress. Numbers may be JSON numbers, 0x-hex or decimal strings.
[[nodiscard]] FormatResult chain_config_from_json(std::string_view json, ChainSpec& out);

// Built-in networks by name: "mainnet", "sepolia", "hoodi" (go-ethereum params/config.go).
[[nodiscard]] FormatResult builtin_chain_config(std::string_view name, ChainSpec& out);
// The built-in network of a chain id, if any.
[[nodiscard]] std::optional<std::string_view> builtin_network_name(uint64_t chain_id) noexcept;

// A name from builtin_chain_config, or a file (plain or gzip) for chain_config_from_json.
[[nodiscard]] FormatResult load_chain_config(const std::string& name_or_path, ChainSpec& out);

// A whole geth genesis file: its chain configuration (as chain_config_from_json), its `alloc`
// (balance, nonce, code, storage per address) into `state`, and the genesis header geth builds
// from it (core/genesis.go ToBlock): the alloc's state root, empty transaction and receipt
// tries, and the fork fields of the forks active at block 0 (London: baseFeePerGas, default
// 10^9; Shanghai: withdrawalsRoot; Cancun: blobGasUsed, excessBlobGas, a zero
// parentBeaconBlockRoot; Prague: the empty requests hash). `header.hash` is set.
[[nodiscard]] FormatResult genesis_from_json(std::string_view json, ChainSpec& spec,
    state::InMemoryState& state, chain::BlockHeader& header);
// A built-in network's genesis ("mainnet", "sepolia", "hoodi"): its configuration and header
// fields are built in; its allocation (thousands of accounts, not shipped with stele) comes from
// `alloc_json`, geth's `alloc` object or a whole genesis file, e.g. from `geth dumpgenesis` or
// tests/oracle/genesis-alloc.mjs. The result must hash to the network's known genesis hash.
[[nodiscard]] FormatResult network_genesis(std::string_view name, std::string_view alloc_json,
    ChainSpec& spec, state::InMemoryState& state, chain::BlockHeader& header);
// genesis_from_json on a file (plain or gzip).
[[nodiscard]] FormatResult load_genesis_file(const std::string& path, ChainSpec& spec,
    state::InMemoryState& state, chain::BlockHeader& header);

// geth's `config` object for `config` (what chain_config_from_json reads back to the same
// rules). Fails only for schedules geth's keys cannot express (a time fork placed by block).
[[nodiscard]] FormatResult chain_config_to_json(const chain::ChainConfig& config, std::string& out);
}  // namespace stele::witness
