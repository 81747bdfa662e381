// Block + witness + chain configuration from someone else's node (`stele witness fetch`).
//
//  - The block: debug_getRawBlock, or eth_getBlockByNumber / ByHash with full transactions,
//    re-encoded and checked against the header hash.
//  - The chain configuration: debug_chainConfig (go-ethereum's debug API; stele's server has
//    it), else the built-in network of eth_chainId.
//  - The witness, by `via`:
//      witness   debug_executionWitness, cut down to the canonical witness by validating the
//                block over it (stateless/validate/witness_trim.hpp); a witness that lacks data
//                the rules read is an error naming it.
//      proofs    no debug API: the block is validated statelessly over what eth_getProof /
//                eth_getCode / eth_getBlockByNumber at the parent return; every missing node,
//                code or header the validator reports (it names the account, slot and step) is
//                fetched and the block validated again, until it has a verdict. A node that no
//                proof of a known key reaches (the sibling a deletion collapses into its parent)
//                is fetched by the proof of a key searched for its hashed path (bounded search).
//      complete  debug_executionWitness, then what it lacks as in `proofs`; the result says
//                how many nodes and codes were added.
//    The result is always the canonical witness the block's validation resolves.
#pragma once

#include <stateless/chain/block.hpp>
#include <string>

#include "block_json.hpp"
#include "rpc_client.hpp"
#include "witness_file.hpp"

namespace stele::witness
{
enum class FetchVia
{
    witness,
    proofs,
    complete,
};

struct FetchReport
{
    std::string verdict;                        // "accepted", "rejected: REASON"
    size_t rounds = 0;                          // validation runs (proofs / complete)
    size_t proofs = 0, codes = 0, headers = 0;  // fetched
    size_t added_nodes = 0, added_codes = 0;    // complete: beyond the node's witness
    size_t sibling_searches = 0;
    std::string config_source;  // debug_chainConfig, eth_config, eth_chainId → NAME, --chain-config
};

// The block named by `ref` ("latest", a number, or a 0x hash of 32 bytes).
[[nodiscard]] bool fetch_block(
    RpcClient& rpc, const std::string& ref, bytes& rlp, chain::Block& block, std::string& error);

// The chain configuration (when `given` is empty; else it is loaded as --chain-config), for a
// block at `timestamp`: the node's debug_chainConfig, else its eth_config (EIP-7910) when the
// block is not older than the node's current fork, else the built-in network of eth_chainId.
[[nodiscard]] bool fetch_chain_config(RpcClient& rpc, const std::string& given, ChainSpec& spec,
    std::string& source, std::string& error, uint64_t timestamp);

// The rules an EIP-7910 eth_config result gives for a block at `timestamp` (current fork from
// genesis on, the next one at its activation); false with the reason when it cannot.
[[nodiscard]] bool chain_config_from_eth_config(
    const nlohmann::json& result, uint64_t timestamp, ChainSpec& spec, std::string& error);

// The canonical witness of `block` by `via`.
[[nodiscard]] bool fetch_witness(RpcClient& rpc, const chain::Block& block,
    const chain::ChainConfig& config, chain::RecoverFn recover, FetchVia via, ExecutionWitness& out,
    FetchReport& report, std::string& error);
}  // namespace stele::witness
