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

// `pre` is the state after `ancestors.back()` (the parent); `ancestors` are ascending and
// contiguous (only the last 256 are used). `block` is executed on a copy.
[[nodiscard]] WitnessBuildResult build_witness(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, const chain::Block& block,
    const ValidateOptions& options);
}  // namespace stele::stateless
