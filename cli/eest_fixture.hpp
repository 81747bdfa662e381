// Shared by `stele spec run` and `stele witness generate`: reading EEST blockchain tests
// (fork names, chain configuration, pre-state, genesis).
#pragma once

#include <simdjson.h>

#include <optional>
#include <stateless/chain/block.hpp>
#include <stateless/state/memory_state.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace stele::cli
{
// Lenient readers of fixture values: an absent or malformed value reads as empty / zero.
std::string_view str(simdjson::dom::element e);
// The same for a lookup result (absent keys read as "", never throw).
std::string_view str(simdjson::simdjson_result<simdjson::dom::element> e);
bytes hex_bytes(std::string_view s);
uint256 hex_u256(std::string_view s);
template <size_t N>
FixedBytes<N> hex_fixed(std::string_view s)
{
    const bytes b = hex_bytes(s);
    FixedBytes<N> r;
    if (b.size() <= N)
        std::memcpy(r.bytes + (N - b.size()), b.data(), b.size());
    return r;
}

// An EEST fork name (Frontier … Osaka, BPO1 … BPO5, the aliases EIP150 / EIP158 / Merge / …).
std::optional<Fork> parse_fork(std::string_view name);

// The chain configuration of a test: `network` (a fork, or a transition such as
// "CancunToPragueAtTime15k") and its `config` object (chainid, blobSchedule).
bool build_config(std::string_view network, simdjson::dom::element config, chain::ChainConfig& c);

// Fills `db` from the test's `pre` allocation; returns "" or what is wrong.
std::string load_pre_state(simdjson::dom::element test, state::InMemoryState& db);

// The genesis header (genesisRLP, a header or a whole block), checked against the pre-state
// root; returns "" or what is wrong.
std::string load_genesis(
    simdjson::dom::element test, state::InMemoryState& db, chain::BlockHeader& genesis);

// A test's chain as it stands before its first block: the configuration of its `network` and
// `config`, the pre-state, and the genesis header checked against it. Returns "" or what is
// wrong.
std::string load_test_chain(simdjson::dom::element test, chain::ChainConfig& config,
    state::InMemoryState& db, chain::BlockHeader& genesis);

// BLOCKHASH over a vector of headers indexed by number (ctx: std::vector<chain::BlockHeader>*).
hash256 block_hash_from_headers(void* ctx, uint64_t number);
}  // namespace stele::cli
