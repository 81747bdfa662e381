// Execution-witness generation (reference: stateless-witness.md §1.2, the canonical rules).
//
// The block is executed by the stateless validator itself, over sparse tries whose node source
// is the complete pre-state: every node the execution and the post-state root computation
// resolve (read paths, insertion points, collapse siblings with updates applied before
// deletions) is recorded, and exactly those nodes form `state`. `codes` holds the codes read
// from the pre-state (not created in the block, never empty), `headers` the RLP headers from the
// oldest BLOCKHASH target (at least the parent) up to the parent, ascending. `state` and `codes`
// are sorted and deduplicated.
#pragma once

#include <span>

#include "../state/memory_state.hpp"
#include "../trie/node_store.hpp"
#include "validate.hpp"

namespace stele::stateless
{
struct WitnessBuildResult
{
    // The verdict of the generating run (the witness is complete for it either way).
    ValidationResult verdict;
    // The pre-state does not hash to the parent's state root (nothing was executed).
    bool pre_state_mismatch = false;
    Witness witness;
};

// The complete pre-state committed to tries: every node of the account trie and of every
// storage trie in one store, and every code. Building it dominates generation for large states,
// so it is a step of its own: one commitment can serve several recording runs (each starts
// from a clean touched set), and callers can time the two parts apart.
class PreStateTries
{
public:
    // Commits `pre` (which must outlive this object and stay unchanged: codes are views into
    // it). Returns false if its root is not `expected_root`.
    [[nodiscard]] bool build(state::InMemoryState& pre, const hash256& expected_root);

    [[nodiscard]] size_t node_count() const noexcept
    {
        return m_nodes.size();
    }
    // The committed nodes (every trie node of the state) and the non-empty codes: what a chain
    // store keeps to serve this state later.
    [[nodiscard]] const std::vector<bytes>& nodes() const noexcept
    {
        return m_nodes;
    }
    [[nodiscard]] std::span<const bytes_view> codes() const noexcept
    {
        return m_codes;
    }

private:
    friend WitnessBuildResult record_witness(PreStateTries&, std::span<const chain::BlockHeader>,
        const chain::Block&, const ValidateOptions&);
    state::InMemoryState* m_pre = nullptr;
    std::vector<bytes> m_nodes;
    trie::NodeStore m_store;
    std::vector<bytes_view> m_codes;
};

// Executes `block` (on a copy) over a committed pre-state and records its canonical witness.
// `ancestors` are ascending and contiguous, the last being the parent whose post-state `pre`
// holds (only the last 256 are used).
[[nodiscard]] WitnessBuildResult record_witness(PreStateTries& pre,
    std::span<const chain::BlockHeader> ancestors, const chain::Block& block,
    const ValidateOptions& options);

// Both steps: `pre` is the state after `ancestors.back()`.
[[nodiscard]] WitnessBuildResult build_witness(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, const chain::Block& block,
    const ValidateOptions& options);
}  // namespace stele::stateless
