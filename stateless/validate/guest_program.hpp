// The stateless validator program (execution-specs `stateless_guest`): StatelessInput bytes in,
// StatelessValidationResult bytes out. The guest ELF's main is this function over read_input /
// write_output; host tests run the same code on the fixtures' statelessInputBytes.
//
//   decode_stateless_input (zkevm_v0_3 or prefixed_r1)     [undecodable: all-zero result]
//   root = hash_tree_root(new_payload_request)
//   payload → block: header rebuilt, block_hash and versioned hashes checked
//   validate(block, witness) with the chain config of (chain_id, schema fork); each sender
//   verified against its given public key, or recovered when the input carries none
//   encode(StatelessValidationResult{root, ok, chain_id, schema_id})
#pragma once

#include <string_view>

#include "../core/bytes.hpp"

namespace stele::stateless
{
// Receives one line per rejection (its reason); may be nullptr.
using GuestLogFn = void (*)(std::string_view line);

[[nodiscard]] bytes run_stateless_program(bytes_view input, GuestLogFn log = nullptr);
}  // namespace stele::stateless
