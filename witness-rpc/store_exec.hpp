// Executing a block statelessly over the state a chain store keeps (trie nodes and codes by
// hash): the importer's validation of each new block and the store's witness generation share
// it. The engine's WitnessDb resolves every node and code it needs through the lookups below,
// so a block touches only its own paths, never the whole state.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stateless/validate/validate.hpp>
#include <unordered_map>
#include <vector>

namespace stele::witness
{
// Node and code lookups by keccak hash (nullopt: not in the store).
struct StateLookup
{
    std::function<std::optional<bytes>(const hash256&)> node;
    std::function<std::optional<bytes>(const hash256&)> code;
};

// Keys are Keccak-256 outputs: their first bytes are already uniform.
struct HashKey
{
    size_t operator()(const hash256& h) const noexcept
    {
        size_t v = 0;
        for (size_t i = 0; i < sizeof v; ++i)
            v = (v << 8) | h.bytes[i];
        return v;
    }
};

struct StoreRun
{
    // Copies of everything served (the engine holds views into them): declared first, so it
    // outlives `db`. A deque never moves its elements.
    std::deque<bytes> served;
    std::unordered_map<hash256, const bytes*, HashKey> nodes_served, codes_served;
    stateless::ValidationResult result;
    std::unique_ptr<stateless::WitnessDb> db;
    stateless::AncestorHashes ancestors;
};

// Validates `block` over the state of its parent, the last of `ancestor_headers` (RLP,
// ascending, at most 256). `options` supplies config, precompiles and sender recovery; its
// code_source is replaced by `lookup.code`. The run keeps the db for the caller (post-state
// nodes, codes read).
// With `track_keys`, the db records the storage keys accessed (for legacy `keys`).
void run_block(chain::Block& block, std::span<const bytes_view> ancestor_headers,
    const StateLookup& lookup, const stateless::ValidateOptions& options, StoreRun& run,
    bool track_keys = false);

// The canonical witness of a successful run: the nodes served (sorted, deduplicated), the codes
// read (sorted; none created in the block), and the ancestor headers from the oldest BLOCKHASH
// target (at least the parent) up to the parent (stateless-witness.md §1.2).
// With `keys`, also the preimages of the keys accessed, sorted (legacy mode; the run must
// have tracked keys).
struct ExecutionWitness;
void witness_of(const StoreRun& run, std::span<const bytes_view> ancestor_headers,
    ExecutionWitness& out, bool keys = false);
}  // namespace stele::witness
