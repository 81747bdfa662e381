// `stele witness canonicalize --block B --witness W [--out F] [--check]`: the canonical witness
// of a block cut out of any witness for it (reth's legacy witness, geth's ExtWitness, a padded
// one): exactly the trie nodes, codes and headers the block's validation resolves, sorted and
// deduplicated, without keys (stateless/validate/witness_trim.hpp). A summary line on stderr
// says how much of the input the rules need.
#include <cstdio>
#include <fstream>
#include <memory>
#include <stateless/validate/witness_trim.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "block_inputs.hpp"
#include "commands.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
struct Options
{
    std::string block, witness, out;
    bool check = false;
    ChainOptions chain;
};

size_t total_bytes(const std::vector<bytes>& v)
{
    size_t n = 0;
    for (const bytes& b : v)
        n += b.size();
    return n;
}

int run(const Options& o)
{
    BlockInputs inputs;
    if (std::string e = load_inputs(o.block, o.witness, o.chain, inputs); !e.empty())
    {
        std::fprintf(stderr, "bad input: %s\n", e.c_str());
        return 3;
    }
    chain::Block block;
    if (const chain::Error e = chain::decode_block(inputs.rlp, block); e != chain::Error::ok)
    {
        std::fprintf(stderr, "bad input: block: %s\n", std::string{chain::error_name(e)}.c_str());
        return 3;
    }
    if (std::string e = check_supported(inputs.spec, block.header.number, block.header.timestamp);
        !e.empty())
    {
        std::fprintf(stderr, "bad input: %s\n", e.c_str());
        return 3;
    }
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &inputs.spec.config;
    vo.precompiles = &precompiles;
    vo.recover = recover_address_host;
    const witness::WitnessViews views = witness::views_of(inputs.witness);
    const stateless::WitnessBuildResult r = stateless::trim_witness(block, views.view(), vo);
    const auto s = r.verdict.status;
    if (s != stateless::Status::ok && s != stateless::Status::block_invalid)
    {
        std::fprintf(stderr, "witness: %s\n", describe_witness_problem(r.verdict).c_str());
        return 2;
    }

    witness::ExecutionWitness canonical = witness::to_execution_witness(r.witness);
    witness::ExecutionWitness given = inputs.witness;
    given.keys.clear();
    witness::canonicalize(given);
    const bool same = given.state == canonical.state && given.codes == canonical.codes &&
                      given.headers == canonical.headers;
    const auto& in = inputs.witness;
    std::fprintf(stderr,
        "block %llu (%s): state %zu -> %zu nodes (%zu -> %zu bytes), codes %zu -> %zu (%zu -> "
        "%zu bytes), headers %zu -> %zu; the input %s canonical\n",
        static_cast<unsigned long long>(block.header.number),
        s == stateless::Status::ok ? "accepted" : "rejected", in.state.size(),
        canonical.state.size(), total_bytes(in.state), total_bytes(canonical.state),
        in.codes.size(), canonical.codes.size(), total_bytes(in.codes),
        total_bytes(canonical.codes), in.headers.size(), canonical.headers.size(),
        same ? "is (up to order, duplicates and keys)" : "is not");

    const std::string json = witness::to_json(canonical);
    if (o.out.empty() || o.out == "-")
        std::printf("%s\n", json.c_str());
    else
    {
        std::ofstream f{o.out, std::ios::binary | std::ios::trunc};
        f << json << '\n';
        if (!f.flush())
        {
            std::fprintf(stderr, "bad input: %s: cannot write\n", o.out.c_str());
            return 3;
        }
    }
    return o.check && !same ? 1 : 0;
}
}  // namespace

void register_witness_canonicalize(CLI::App& app, int& exit_code)
{
    auto* w = app.get_subcommand("witness");
    auto opt = std::make_shared<Options>();
    auto* c = w->add_subcommand("canonicalize",
        "The canonical witness of a block (execution-apis #847) cut out of any witness for it: "
        "only what the block's validation needs, sorted, no keys");
    c->add_option("--block", opt->block,
         "The block: RLP (binary or hex text) or eth_getBlockByNumber JSON; plain or gzip")
        ->required();
    c->add_option("--witness", opt->witness,
         "Any execution witness for the block (debug_executionWitness JSON or ExtWitness RLP)")
        ->required();
    c->add_option("--out", opt->out, "Write the canonical witness JSON here (default: stdout)");
    c->add_flag("--check", opt->check, "Exit 1 if the input is not already canonical");
    add_chain_options(*c, opt->chain);
    c->footer(
        "A summary on stderr gives the sizes before and after.\n"
        "Exit status: 0 written; 1 with --check, the input was not canonical (still written); "
        "2 the witness lacks data the block needs (nothing written); 3 bad input.");
    c->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
