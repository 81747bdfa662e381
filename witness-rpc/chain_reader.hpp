// The read side of a chain as the JSON-RPC server sees it: canonical index, raw headers, blocks
// and receipts, transaction lookup, state trie nodes and codes by hash, and witness generation.
//
// Implemented by the LMDB chain store (witness-rpc/store) and by in-memory chains in tests. The
// server derives everything else from these: account and storage values and EIP-1186 proofs by
// walking trie nodes from a header's state root, JSON objects by decoding the raw RLP.
// Implementations must be safe to call from several threads at once (one reader per request).
#pragma once

#include <optional>
#include <stateless/chain/block.hpp>
#include <stateless/core/bytes.hpp>
#include <string>
#include <vector>

#include "witness_file.hpp"

namespace stele::witness
{
struct TxLocation
{
    hash256 block_hash;
    uint64_t block_number = 0;
    uint32_t index = 0;  // position in the block body
};

enum class WitnessMode
{
    canonical,  // execution-apis #847: no keys, state and codes sorted and deduplicated
    legacy,     // with keys (the accessed addresses and slots)
};

class ChainReader
{
public:
    virtual ~ChainReader() = default;

    [[nodiscard]] virtual const chain::ChainConfig& config() const = 0;
    // The highest canonical block number (0 when only the genesis block is stored).
    [[nodiscard]] virtual uint64_t head() const = 0;
    [[nodiscard]] virtual std::optional<hash256> canonical_hash(uint64_t number) const = 0;
    [[nodiscard]] virtual std::optional<uint64_t> block_number(const hash256& block) const = 0;

    // Consensus encodings: the header, the whole block (header, transactions, ommers,
    // withdrawals), and the block's receipts, one consensus encoding (typed envelope) per tx.
    [[nodiscard]] virtual std::optional<bytes> header_rlp(const hash256& block) const = 0;
    [[nodiscard]] virtual std::optional<bytes> block_rlp(const hash256& block) const = 0;
    [[nodiscard]] virtual std::optional<std::vector<bytes>> receipts_rlp(
        const hash256& block) const = 0;
    [[nodiscard]] virtual std::optional<TxLocation> transaction(const hash256& tx) const = 0;

    // State: trie nodes (account and storage tries) and codes, by keccak hash. Every node of
    // every stored block's state is reachable (archive).
    [[nodiscard]] virtual std::optional<bytes> node(const hash256& hash) const = 0;
    [[nodiscard]] virtual std::optional<bytes> code(const hash256& hash) const = 0;

    // Re-executes the stored block on its parent's state and records its execution witness.
    // False with a message when the block is unknown, is the genesis block, or fails.
    [[nodiscard]] virtual bool execution_witness(const hash256& block, WitnessMode mode,
        ExecutionWitness& out, std::string& error) const = 0;
};
}  // namespace stele::witness
