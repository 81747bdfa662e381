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

#include "block_inputs.hpp"
#include "commands.hpp"
#include "host_crypto.hpp"

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

struct Options
{
    std::string block, witness;
    ChainOptions chain;
};

int bad_input(const std::string& what)
{
    std::fprintf(stderr, "bad input: %s\n", what.c_str());
    return kBadInput;
}

int run(const Options& o)
{
    BlockInputs inputs;
    if (std::string e = load_inputs(o.block, o.witness, o.chain, inputs); !e.empty())
        return bad_input(e);
    const witness::ChainSpec& spec = inputs.spec;
    const bytes& rlp = inputs.rlp;
    const witness::ExecutionWitness& w = inputs.witness;

    chain::Block block;
    if (const chain::Error e = chain::decode_block(rlp, block); e != chain::Error::ok)
    {
        std::printf("rejected: %s\n", std::string{chain::error_name(e)}.c_str());
        return kRejected;
    }
    if (std::string e = check_supported(spec, block.header.number, block.header.timestamp);
        !e.empty())
        return bad_input(e);

    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &spec.config;
    vo.precompiles = &precompiles;
    vo.recover = recover_address_host;
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
    add_chain_options(*v, opt->chain);
    v->footer(
        "Output: `accepted: block N 0xHASH, gas used G`, `rejected: <EEST exception name>`, or "
        "`witness: <what is missing or wrong>`.\n"
        "Exit status: 0 accepted; 1 rejected (the block is invalid); 2 the witness lacks data or "
        "does not fit the block (no verdict); 3 bad input (unreadable or malformed files, unknown "
        "or unsupported chain configuration). Command-line usage errors also exit with 2.");
    v->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
