// `stele validate --block FILE --witness FILE [--chain-config FILE|NAME] [--fork NAME]`:
// stateless validation of one block from the block and its execution witness alone (the
// host-side counterpart of the guest).
//
// The block file is the block RLP (binary or hex text) or an `eth_getBlockByNumber` JSON result
// with full transactions (plain or JSON-RPC wrapped), detected by content; the witness file is
// any accepted `debug_executionWitness` JSON shape (reth's hex headers or geth's header
// objects); both may be gzip-compressed. The chain configuration is a built-in network
// (mainnet by default), a geth genesis / config file, or one fork's rules (--fork).
#include <cstdio>
#include <memory>
#include <stateless/core/hex.hpp>
#include <stateless/validate/validate.hpp>
#include <witness-rpc/block_json.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "commands.hpp"
#include "eest_fixture.hpp"

namespace stele::cli
{
namespace
{
enum Exit : int
{
    kAccepted = 0,
    kRejected = 1,
    kWitnessProblem = 2,
    kBadInput = 3,
};

// One fork's rules from genesis on, with the mainnet blob parameters of that fork (EIP-4844,
// EIP-7691, EIP-7892 BPO1/BPO2).
bool single_fork(const std::string& name, chain::ChainConfig& c)
{
    const std::optional<Fork> fork = parse_fork(name);
    if (!fork || (name.starts_with("BPO") && name != "BPO1" && name != "BPO2"))
        return false;
    chain::BlobParams blob{};
    if (*fork == Fork::Cancun)
        blob = {3, 6, 3338477};
    else if (*fork >= Fork::Prague)
        blob = {6, 9, 5007716};
    if (name == "BPO1")
        blob = {10, 15, 8346193};
    else if (name == "BPO2")
        blob = {14, 21, 11684671};
    c.schedule = {{*fork, false, 0, blob}};
    return true;
}

struct Options
{
    std::string block, witness, chain_config, fork;
    std::optional<uint64_t> chain_id;
};

int bad_input(const std::string& what)
{
    std::fprintf(stderr, "bad input: %s\n", what.c_str());
    return kBadInput;
}

int run(const Options& o)
{
    witness::ChainSpec spec;
    if (!o.chain_config.empty())
    {
        if (const auto r = witness::load_chain_config(o.chain_config, spec); !r.ok())
            return bad_input("chain configuration: " + std::string{witness::to_string(r.code)} +
                             ": " + r.message);
    }
    else
    {
        const uint64_t id = o.chain_id.value_or(1);
        const auto name = witness::builtin_network_name(id);
        if (name)
        {
            if (const auto r = witness::builtin_chain_config(*name, spec); !r.ok())
                return bad_input("built-in chain configuration: " + r.message);
        }
        else if (o.fork.empty())
            return bad_input("no built-in network has chain id " + std::to_string(id) +
                             ": give --chain-config FILE or --fork NAME");
        else
            spec.name = "chain " + std::to_string(id);
    }
    if (o.chain_id)
        spec.config.chain_id = *o.chain_id;
    if (!o.fork.empty())
    {
        if (!single_fork(o.fork, spec.config))
            return bad_input("unknown fork " + o.fork +
                             " (Frontier … Paris, Shanghai, Cancun, Prague, Osaka, BPO1, BPO2)");
        spec.unsupported.reset();
    }

    bytes rlp;
    if (const auto r = witness::load_block_file(o.block, rlp); !r.ok())
        return bad_input("block: " + std::string{witness::to_string(r.code)} + ": " + r.message);

    witness::ExecutionWitness w;
    witness::ParseError perr;
    witness::ParseOptions popt;
    popt.header_encoder = witness::json_header_encoder();
    if (!witness::load_witness_file(o.witness, w, perr, popt))
        return bad_input(
            "witness: " + std::string{witness::to_string(perr.code)} + ": " + perr.message);

    chain::Block block;
    if (const chain::Error e = chain::decode_block(rlp, block); e != chain::Error::ok)
    {
        std::printf("rejected: %s\n", std::string{chain::error_name(e)}.c_str());
        return kRejected;
    }
    if (spec.beyond_supported(block.header.number, block.header.timestamp))
        return bad_input(
            "block " + std::to_string(block.header.number) + " (timestamp " +
            std::to_string(block.header.timestamp) + ") falls under " + spec.unsupported->fork +
            " (from " + (spec.unsupported->by_timestamp ? "timestamp " : "block ") +
            std::to_string(spec.unsupported->at) + " on " + spec.name +
            "), which stele does not implement (latest: " + std::string{fork_name(kLatestFork)} +
            ")");

    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &spec.config;
    vo.precompiles = &precompiles;
    vo.recover = recover_sender;
    const witness::WitnessViews views = witness::views_of(w);
    const stateless::ValidationResult r = stateless::validate(block, views.view(), vo);
    switch (r.status)
    {
        case stateless::Status::ok:
            std::printf("accepted: block %llu %s, gas used %llu\n",
                static_cast<unsigned long long>(block.header.number),
                to_hex0x(r.block_hash).c_str(), static_cast<unsigned long long>(r.gas_used));
            return kAccepted;
        case stateless::Status::block_invalid:
            std::printf("rejected: %s\n", std::string{chain::error_name(r.block_error)}.c_str());
            return kRejected;
        case stateless::Status::missing_trie_node:
        case stateless::Status::missing_code:
            std::printf("witness: %s %s\n",
                r.status == stateless::Status::missing_code ? "missing code" : "missing trie node",
                to_hex0x(r.missing_hash).c_str());
            return kWitnessProblem;
        case stateless::Status::missing_ancestor_header:
            std::printf("witness: missing ancestor header %llu\n",
                static_cast<unsigned long long>(r.missing_number));
            return kWitnessProblem;
        default:
            std::printf("witness: %s\n", stateless::status_name(r.status));
            return kWitnessProblem;
    }
}
}  // namespace

void register_validate(CLI::App& app, int& exit_code)
{
    auto opt = std::make_shared<Options>();
    auto* v = app.add_subcommand("validate", "Validate one block statelessly (block + witness)");
    v->add_option("--block", opt->block,
         "The block: RLP (binary or hex text) or eth_getBlockByNumber JSON with full "
         "transactions (plain or JSON-RPC wrapped); plain or gzip")
        ->required();
    v->add_option("--witness", opt->witness,
         "Execution witness JSON (debug_executionWitness, reth or geth shape; plain or gzip)")
        ->required();
    v->add_option("--chain-config", opt->chain_config,
        "Chain configuration: a built-in network (mainnet, sepolia, hoodi) or a geth genesis / "
        "config JSON file (default: the built-in network of --chain-id, mainnet)");
    v->add_option("--fork", opt->fork,
        "Override the fork schedule with one fork's rules from genesis on (Frontier … Osaka, "
        "BPO1, BPO2)");
    v->add_option("--chain-id", opt->chain_id, "Chain id (default: the configuration's, or 1)");
    v->footer(
        "Output: `accepted: block N 0xHASH, gas used G`, `rejected: <EEST exception name>`, or "
        "`witness: <what is missing or wrong>`.\n"
        "Exit status: 0 accepted; 1 rejected (the block is invalid); 2 the witness lacks data or "
        "does not fit the block (no verdict); 3 bad input (unreadable or malformed files, unknown "
        "or unsupported chain configuration). Command-line usage errors also exit with 2.");
    v->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
