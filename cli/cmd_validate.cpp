// `stele validate --block FILE --witness FILE --fork NAME`: stateless validation of one block
// from the block and its execution witness alone (the host-side counterpart of the guest).
// The block file holds the block RLP, as binary or as (0x-)hex text; the witness file is any
// accepted `debug_executionWitness` JSON shape (plain or gzip). Exit code 0: valid; 1: the block
// is invalid; 2: the witness lacks data or is inconsistent; 3: bad input.
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/validate/validate.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "commands.hpp"

namespace stele::cli
{
namespace
{
std::optional<address> recover_host(
    const hash256& msg, uint8_t y, const uint256& r, const uint256& s)
{
    static secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    uint8_t rs[64];
    store_be(rs, r);
    store_be(rs + 32, s);
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, rs, y))
        return std::nullopt;
    secp256k1_pubkey pub;
    if (!secp256k1_ecdsa_recover(ctx, &pub, &sig, msg.bytes))
        return std::nullopt;
    uint8_t out[65];
    size_t len = 65;
    secp256k1_ec_pubkey_serialize(ctx, out, &len, &pub, SECP256K1_EC_UNCOMPRESSED);
    const hash256 h = keccak256({out + 1, 64});
    address a;
    std::memcpy(a.bytes, h.bytes + 12, 20);
    return a;
}

// Mainnet blob parameters per fork (EIP-4844, EIP-7691, EIP-7892 BPO1/BPO2).
bool config_for(const std::string& name, uint64_t chain_id, chain::ChainConfig& c)
{
    struct Entry
    {
        const char* name;
        Fork fork;
        chain::BlobParams blob;
    };
    static const Entry forks[] = {{"Paris", Fork::Paris, {}}, {"Shanghai", Fork::Shanghai, {}},
        {"Cancun", Fork::Cancun, {3, 6, 3338477}}, {"Prague", Fork::Prague, {6, 9, 5007716}},
        {"Osaka", Fork::Osaka, {6, 9, 5007716}}, {"BPO1", Fork::Osaka, {10, 15, 8346193}},
        {"BPO2", Fork::Osaka, {14, 21, 11684671}}};
    for (const Entry& e : forks)
        if (name == e.name)
        {
            c.chain_id = chain_id;
            c.schedule = {{e.fork, false, 0, e.blob}};
            return true;
        }
    return false;
}

bool read_block(const std::string& path, bytes& out)
{
    std::ifstream f{path, std::ios::binary};
    if (!f)
        return false;
    std::string s{std::istreambuf_iterator<char>{f}, {}};
    std::string_view v = s;
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' '))
        v.remove_suffix(1);
    std::string_view h = v;
    if (h.starts_with("0x"))
        h.remove_prefix(2);
    if (auto b = from_hex(h); b && !b->empty())
    {
        out = std::move(*b);
        return true;
    }
    out.assign(s.begin(), s.end());
    return !out.empty();
}

struct Options
{
    std::string block, witness, fork = "Osaka";
    uint64_t chain_id = 1;
};

int run(const Options& o)
{
    chain::ChainConfig config;
    if (!config_for(o.fork, o.chain_id, config))
    {
        std::fprintf(stderr, "unknown fork %s (Paris..Osaka, BPO1, BPO2)\n", o.fork.c_str());
        return 3;
    }
    bytes rlp;
    if (!read_block(o.block, rlp))
    {
        std::fprintf(stderr, "cannot read block %s\n", o.block.c_str());
        return 3;
    }
    witness::ExecutionWitness w;
    witness::ParseError perr;
    if (!witness::load_witness_file(o.witness, w, perr))
    {
        std::fprintf(stderr, "witness %s: %s\n", o.witness.c_str(), perr.message.c_str());
        return 3;
    }
    chain::Block block;
    if (const chain::Error e = chain::decode_block(rlp, block); e != chain::Error::ok)
    {
        std::printf("invalid block: %s\n", std::string{chain::error_name(e)}.c_str());
        return 1;
    }
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &config;
    vo.precompiles = &precompiles;
    vo.recover = recover_host;
    const witness::WitnessViews views = witness::views_of(w);
    const stateless::ValidationResult r = stateless::validate(block, views.view(), vo);
    switch (r.status)
    {
        case stateless::Status::ok:
            std::printf("valid: block %llu %s, gas used %llu\n",
                static_cast<unsigned long long>(block.header.number),
                to_hex0x(r.block_hash).c_str(), static_cast<unsigned long long>(r.gas_used));
            return 0;
        case stateless::Status::block_invalid:
            std::printf(
                "invalid block: %s\n", std::string{chain::error_name(r.block_error)}.c_str());
            return 1;
        case stateless::Status::missing_trie_node:
        case stateless::Status::missing_code:
            std::printf("witness: %s %s\n", stateless::status_name(r.status),
                to_hex0x(r.missing_hash).c_str());
            return 2;
        case stateless::Status::missing_ancestor_header:
            std::printf("witness: missing ancestor header %llu\n",
                static_cast<unsigned long long>(r.missing_number));
            return 2;
        default:
            std::printf("witness: %s\n", stateless::status_name(r.status));
            return 2;
    }
}
}  // namespace

void register_validate(CLI::App& app, int& exit_code)
{
    auto opt = std::make_shared<Options>();
    auto* v = app.add_subcommand("validate", "Validate one block statelessly (block + witness)");
    v->add_option("--block", opt->block, "Block RLP (binary or hex text)")->required();
    v->add_option("--witness", opt->witness, "Execution witness JSON (plain or gzip)")->required();
    v->add_option(
        "--fork", opt->fork, "Fork rules: Paris, Shanghai, Cancun, Prague, Osaka, BPO1, BPO2");
    v->add_option("--chain-id", opt->chain_id, "Chain id (default 1)");
    v->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
