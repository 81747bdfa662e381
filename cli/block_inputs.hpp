// What `stele validate` and `stele input build` read, resolved the same way for both: a block
// file (RLP binary / hex text, or eth_getBlockByNumber JSON), a witness file (any accepted
// debug_executionWitness shape, geth's header objects included) and the chain configuration
// (--chain-config NAME|FILE, --fork NAME, --chain-id N).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <stateless/validate/stateless_input.hpp>
#include <stateless/validate/validate.hpp>
#include <string>
#include <witness-rpc/block_json.hpp>
#include <witness-rpc/witness_file.hpp>

namespace stele::cli
{
struct ChainOptions
{
    std::string chain_config;  // built-in network name or geth genesis / config file
    std::string fork;          // one fork's rules from genesis on (overrides the schedule)
    std::optional<uint64_t> chain_id;
};

// Registers --chain-config, --fork and --chain-id on `cmd`.
void add_chain_options(CLI::App& cmd, ChainOptions& o);

// What a command works on.
struct BlockInputs
{
    witness::ChainSpec spec;
    bytes rlp;
    witness::ExecutionWitness witness;
};

// Each returns "" or what is wrong (for a `bad input:` message).
// All three at once: the chain configuration, the block file and the witness file.
[[nodiscard]] std::string load_inputs(const std::string& block_path,
    const std::string& witness_path, const ChainOptions& o, BlockInputs& out);
[[nodiscard]] std::string resolve_chain(const ChainOptions& o, witness::ChainSpec& spec);
[[nodiscard]] std::string load_block(const std::string& path, bytes& rlp);
[[nodiscard]] std::string load_witness(const std::string& path, witness::ExecutionWitness& w);
// "" if the engine implements the rules of a block at (number, timestamp) under `spec`.
[[nodiscard]] std::string check_supported(
    const witness::ChainSpec& spec, uint64_t number, uint64_t timestamp);

// What a stateless run lacked or found wrong, for messages: `missing trie node 0x… (account
// 0x…, account read)`, `missing code 0x… (account 0x…, code read)`, `missing ancestor header N`.
[[nodiscard]] std::string describe_witness_problem(const stateless::ValidationResult& r);

// The engine fork of the payload a block has under `config` (Paris … Amsterdam, the n-th
// Osaka-rules activation being Osaka, BPO1, BPO2), or none (before Paris, BPO3 and later).
[[nodiscard]] std::optional<stateless::Fork> payload_fork_at(
    const chain::ChainConfig& config, uint64_t number, uint64_t timestamp);

// The payload shape (and schema id) of a block: the fork --fork names, else the fork `spec`
// schedules at the block, the n-th Osaka-rules activation being Osaka, BPO1, BPO2. Nothing for
// blocks before Paris, which have no engine-API payload.
[[nodiscard]] std::optional<stateless::Fork> payload_fork(
    const ChainOptions& o, const witness::ChainSpec& spec, uint64_t number, uint64_t timestamp);
}  // namespace stele::cli
