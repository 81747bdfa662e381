// `stele input build|show`: the host preflight that turns a block and its execution witness into
// the guest's canonical StatelessInput bytes (prefixed_r1 schema), and a decoder for input and
// result files.
//
// build: decode the block; recover every sender's public key with libsecp256k1 (the guest
// verifies the signature against it instead of recovering); execute the block statelessly on the
// host to learn its EIP-7685 execution requests (Prague+), which the payload carries and the
// header's requests_hash commits to; rebuild the NewPayloadRequest from the block; encode.
// The preflight verdict is printed, not enforced: invalid blocks make useful inputs too.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stateless/core/hex.hpp>
#include <stateless/evm/precompiles.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/stateless_input.hpp>
#include <stateless/validate/validate.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "../emulator/text.hpp"
#include "block_inputs.hpp"
#include "commands.hpp"
#include "file_read.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
// An input file is at most the stelevm input window (2 GiB); checked before reading.
constexpr uint64_t kMaxInputBytes = uint64_t{2} << 30;

struct BuildOptions
{
    std::string block, witness, out;
    ChainOptions chain;
};

int bad_input(const std::string& what)
{
    std::fprintf(stderr, "stele input: %s\n", what.c_str());
    return 3;
}

int build(const BuildOptions& o)
{
    BlockInputs inputs;
    if (std::string e = load_inputs(o.block, o.witness, o.chain, inputs); !e.empty())
        return bad_input(e);
    const witness::ChainSpec& spec = inputs.spec;
    const bytes& rlp = inputs.rlp;
    const witness::ExecutionWitness& w = inputs.witness;
    chain::Block block;
    if (const chain::Error e = chain::decode_block(rlp, block); e != chain::Error::ok)
        return bad_input("block does not decode: " + std::string{chain::error_name(e)});
    if (std::string e = check_supported(spec, block.header.number, block.header.timestamp);
        !e.empty())
        return bad_input(e);
    const auto fork = payload_fork(o.chain, spec, block.header.number, block.header.timestamp);
    if (!fork)
        return bad_input("block " + std::to_string(block.header.number) +
                         " has no engine-API payload under " + spec.name +
                         " (the guest input starts at Paris; --fork Paris … Amsterdam overrides)");
    const chain::ChainConfig* config = &spec.config;
    std::vector<size_t> unrecoverable;
    const std::vector<stateless::PublicKey> keys = public_keys_host(block, &unrecoverable);
    for (const size_t i : unrecoverable)
        std::fprintf(stderr,
            "stele input: warning: transaction %zu: signature does not recover "
            "(zero public key)\n",
            i);

    // Host execution: the requests and the preflight verdict.
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = config;
    vo.precompiles = &precompiles;
    vo.recover = recover_address_host;
    const witness::WitnessViews views = witness::views_of(w);
    chain::Block executed = block;
    const stateless::ValidationResult r = stateless::validate(executed, views.view(), vo);

    stateless::StatelessInput in;
    in.schema = stateless::SchemaVersion::prefixed_r1;
    in.chain_id = spec.config.chain_id;
    // Amsterdam: the payload carries the block access list, which the block's RLP does not;
    // the host execution built it (the header's hash commits to it).
    if (*fork >= stateless::Fork::amsterdam && !r.block_access_list.empty())
        block.block_access_list = r.block_access_list;
    const stateless::PayloadResult p = stateless::block_to_payload(block, *fork, r.requests, in);
    if (!p.ok())
    {
        return bad_input("block has no " + std::string{stateless::to_string(*fork)} +
                         " payload: " + std::string{stateless::payload_error_name(p.error)});
    }
    if (block.header.requests_hash &&
        stateless::requests_hash(r.requests) != *block.header.requests_hash)
        std::fprintf(stderr,
            "stele input: warning: the requests execution produced do not hash to the header's "
            "requests_hash; no payload reproduces this block (its hash check will fail)\n");
    in.witness.state = views.state;
    in.witness.codes = views.codes;
    in.witness.headers = views.headers;
    for (const stateless::PublicKey& k : keys)
        in.public_keys.push_back(k.view());
    const bytes enc = stateless::encode_stateless_input(in);
    {
        std::ofstream f{o.out, std::ios::binary | std::ios::trunc};
        f.write(
            reinterpret_cast<const char*>(enc.data()), static_cast<std::streamsize>(enc.size()));
        if (!f)
        {
            std::fprintf(stderr, "stele input: cannot write %s\n", o.out.c_str());
            return 3;
        }
    }
    std::string verdict = "valid";
    if (r.status == stateless::Status::block_invalid)
        verdict = std::string{"invalid ("}.append(chain::error_name(r.block_error)).append(")");
    else if (!r.ok())
        verdict = std::string{"witness problem ("}.append(stateless::status_name(r.status)) + ")";
    std::printf("input %s: %zu bytes, schema 0x%04x (%s), block %llu %s, %zu txs\n", o.out.c_str(),
        enc.size(), stateless::schema_id(*fork), std::string{stateless::to_string(*fork)}.c_str(),
        static_cast<unsigned long long>(block.header.number), to_hex0x(block.header.hash).c_str(),
        block.transactions.size());
    std::printf(
        "new_payload_request_root %s\n", to_hex0x(stateless::new_payload_request_root(in)).c_str());
    std::printf("host preflight: %s\n", verdict.c_str());
    return 0;
}

int show(const std::string& path, ChainOptions chain)
{
    bytes data;
    if (const std::string e = read_regular_file(path, kMaxInputBytes, data); !e.empty())
    {
        std::fprintf(
            stderr, "stele input: cannot read %s: %s\n", emu::printable(path).c_str(), e.c_str());
        return 3;
    }
    // A result file (41 or 43 bytes) or an input.
    if (data.size() == stateless::result_size_r1 || data.size() == stateless::result_size_v0_3)
    {
        const auto schema = data.size() == stateless::result_size_r1
                                ? stateless::SchemaVersion::prefixed_r1
                                : stateless::SchemaVersion::zkevm_v0_3;
        stateless::StatelessValidationResult res;
        if (stateless::decode_validation_result(data, schema, res) == ssz::Error::success)
        {
            std::printf("StatelessValidationResult (%zu bytes)\n", data.size());
            std::printf(
                "  new_payload_request_root %s\n", to_hex0x(res.new_payload_request_root).c_str());
            std::printf(
                "  successful_validation    %s\n", res.successful_validation ? "true" : "false");
            std::printf(
                "  chain_id                 %llu\n", static_cast<unsigned long long>(res.chain_id));
            if (schema == stateless::SchemaVersion::prefixed_r1)
                std::printf("  schema_id                0x%04x\n", res.schema_id);
            return 0;
        }
    }
    stateless::StatelessInput in;
    if (const ssz::Error e = stateless::decode_stateless_input(data, in); e != ssz::Error::success)
    {
        std::fprintf(stderr, "stele input: %s: not a StatelessInput (%s)\n", path.c_str(),
            std::string{ssz::to_string(e)}.c_str());
        return 1;
    }
    const auto& npr = in.new_payload_request;
    const auto& p = npr.execution_payload;
    std::printf("StatelessInput (%zu bytes)\n", data.size());
    if (in.schema == stateless::SchemaVersion::prefixed_r1)
        std::printf("  schema      prefixed_r1, id 0x%04x\n", stateless::schema_id(in.fork));
    else
        std::printf("  schema      zkevm_v0_3 (unprefixed)\n");
    std::printf("  fork        %s\n", std::string{stateless::to_string(in.fork)}.c_str());
    std::printf("  chain_id    %llu\n", static_cast<unsigned long long>(in.chain_id));
    std::printf("  block       %llu %s\n", static_cast<unsigned long long>(p.block_number),
        to_hex0x(p.block_hash).c_str());
    std::printf("  gas         %llu used of %llu\n", static_cast<unsigned long long>(p.gas_used),
        static_cast<unsigned long long>(p.gas_limit));
    std::printf(
        "  payload     %zu transactions, %zu withdrawals, %zu versioned hashes, %zu "
        "requests\n",
        p.transactions.size(), p.withdrawals.size(), npr.versioned_hashes.size(),
        stateless::execution_requests_list(in).size());
    std::printf("  witness     %zu nodes, %zu codes, %zu headers\n", in.witness.state.size(),
        in.witness.codes.size(), in.witness.headers.size());
    std::printf("  public keys %zu\n", in.public_keys.size());
    std::printf("  new_payload_request_root %s\n",
        to_hex0x(stateless::new_payload_request_root(in)).c_str());
    // The guest trusts the fork byte (guest-rt/ABI.md): check it against the fork the chain
    // schedules at the block's timestamp, so a relabelled input is caught before it is proved.
    if (in.schema != stateless::SchemaVersion::prefixed_r1)
        return 0;
    if (!chain.chain_id && chain.chain_config.empty() && chain.fork.empty())
    {
        std::printf(
            "  fork check  not done (give --chain-config or --chain-id to check the fork "
            "byte against the chain's schedule)\n");
        return 0;
    }
    witness::ChainSpec spec;
    if (const std::string e = resolve_chain(chain, spec); !e.empty())
    {
        std::printf("  fork check  not done: %s (give --chain-config)\n", e.c_str());
        return 0;
    }
    const auto expected = payload_fork(chain, spec, p.block_number, p.timestamp);
    if (!expected || *expected != in.fork)
    {
        std::printf("  fork check  MISMATCH\n");
        std::fprintf(stderr,
            "stele input: %s: the input's fork byte says %s, but the chain schedules %s at block "
            "%llu (timestamp %llu): the guest would validate it under the wrong rules\n",
            emu::printable(path).c_str(), std::string{stateless::to_string(in.fork)}.c_str(),
            expected ? std::string{stateless::to_string(*expected)}.c_str() : "no payload fork",
            static_cast<unsigned long long>(p.block_number),
            static_cast<unsigned long long>(p.timestamp));
        return 1;
    }
    std::printf("  fork check  ok (%s at timestamp %llu)\n",
        std::string{stateless::to_string(*expected)}.c_str(),
        static_cast<unsigned long long>(p.timestamp));
    return 0;
}
}  // namespace

void register_input(CLI::App& app, int& exit_code)
{
    auto* cmd = app.add_subcommand("input", "Build or show guest input files (StatelessInput)");
    cmd->require_subcommand(1);
    auto bo = std::make_shared<BuildOptions>();
    auto* b = cmd->add_subcommand(
        "build", "Block + witness -> StatelessInput bytes (host preflight: keys, requests)");
    b->add_option("--block", bo->block,
         "The block: RLP (binary or hex text) or eth_getBlockByNumber JSON; plain or gzip")
        ->required();
    b->add_option("--witness", bo->witness,
         "Execution witness JSON (debug_executionWitness, reth or geth shape; plain or gzip)")
        ->required();
    add_chain_options(*b, bo->chain);
    b->add_option("--out", bo->out, "Output file")->required();
    b->callback([bo, &exit_code] { exit_code = build(*bo); });
    auto path = std::make_shared<std::string>();
    auto show_chain = std::make_shared<ChainOptions>();
    auto* s = cmd->add_subcommand("show",
        "Decode a StatelessInput or StatelessValidationResult; for an input, check its fork byte "
        "against the fork the chain given by --chain-config / --chain-id schedules at the block's "
        "timestamp (exit 1 on a mismatch: the guest trusts that byte)");
    s->add_option("file", *path, "Input or result file")->required();
    add_chain_options(*s, *show_chain);
    s->callback([path, show_chain, &exit_code] { exit_code = show(*path, *show_chain); });
}
}  // namespace stele::cli
