// The canonical witness of a block, cut out of a larger witness (another client's legacy or
// padded witness, or a witness for the same block with extra data).
//
// The block is validated over the given witness exactly as stateless::validate does, recording
// what the execution and the post-state root resolve: the touched trie nodes, the pre-state
// codes read, and the headers from the oldest BLOCKHASH target to the parent. Those, sorted and
// deduplicated, are the witness our generator emits for the block (stateless-witness.md §1.2,
// execution-apis #847), because the generator records through the same validator over the full
// pre-state, and a node the execution does not resolve is never looked up. So trimming tells
// which parts of a foreign witness the rules need, and whether it is minimal.
#pragma once

#include "witness_builder.hpp"

namespace stele::stateless
{
// `verdict` is the validation result over `given`. The witness is complete only when the
// verdict has data (ok or block_invalid): after a missing node it holds what was reached.
[[nodiscard]] WitnessBuildResult trim_witness(
    const chain::Block& block, const WitnessView& given, const ValidateOptions& options);
}  // namespace stele::stateless
