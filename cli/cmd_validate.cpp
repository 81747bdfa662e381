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
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
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
    std::string block, witness, public_keys;
    bool json = false;
    ChainOptions chain;
};

// A JSON array of 0x-hex uncompressed secp256k1 keys (65 bytes, 0x04-prefixed), one per
// transaction in block order: the `public_keys` of the zkevm guest input.
std::string load_public_keys(const std::string& path, std::vector<stateless::PublicKey>& out)
{
    std::ifstream f{path, std::ios::binary};
    if (!f)
        return "public keys: " + path + ": cannot open";
    std::stringstream ss;
    ss << f.rdbuf();
    const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_array())
        return "public keys: " + path + ": not a JSON array";
    for (size_t i = 0; i < j.size(); ++i)
    {
        const auto b = j[i].is_string() ? from_hex(j[i].get<std::string>()) : std::nullopt;
        if (!b || b->size() != 65)
            return "public keys: " + path + ": item " + std::to_string(i) +
                   " is not 0x-hex of 65 bytes";
        out.push_back(stateless::PublicKey::from(*b));
    }
    return {};
}

// One line of output, as text or (--json) as an object with the same facts.
int report(const Options& o, int code, const char* verdict, const std::string& text,
    const chain::Block& block, const stateless::ValidationResult& r)
{
    if (!o.json)
    {
        std::printf("%s: %s\n", verdict, text.c_str());
        return code;
    }
    nlohmann::json j{{"verdict", verdict}, {"exit_code", code},
        {"block_number", block.header.number}, {"status", stateless::status_name(r.status)}};
    if (r.status == stateless::Status::ok)
    {
        j["block_hash"] = to_hex0x(r.block_hash);
        j["gas_used"] = r.gas_used;
    }
    else if (r.status == stateless::Status::block_invalid)
        j["exception"] = std::string{chain::error_name(r.block_error)};
    else
    {
        j["problem"] = text;
        if (r.missing.step != stateless::MissingStep::none)
        {
            j["missing_hash"] = to_hex0x(r.missing_hash);
            j["account"] = to_hex0x(r.missing.account);
            j["step"] = stateless::missing_step_name(r.missing.step);
            if (r.missing.why)
                j["rule"] = r.missing.why;
        }
    }
    std::printf("%s\n", j.dump().c_str());
    return code;
}

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
    std::vector<stateless::PublicKey> keys;
    if (!o.public_keys.empty())
    {
        if (std::string e = load_public_keys(o.public_keys, keys); !e.empty())
            return bad_input(e);
        // Verified, not trusted: each signature is checked against its key (validate.hpp).
        vo.use_public_keys = true;
        vo.public_keys = keys;
    }
    const witness::WitnessViews views = witness::views_of(w);
    const stateless::ValidationResult r = stateless::validate(block, views.view(), vo);
    switch (r.status)
    {
        case stateless::Status::ok:
            return report(o, kAccepted, "accepted",
                "block " + std::to_string(block.header.number) + " " + to_hex0x(r.block_hash) +
                    ", gas used " + std::to_string(r.gas_used),
                block, r);
        case stateless::Status::block_invalid:
            return report(
                o, kRejected, "rejected", std::string{chain::error_name(r.block_error)}, block, r);
        case stateless::Status::signer_mismatch:
            // The keys are an input beside the block, not part of it: no verdict on the block.
            return report(o, kWitnessProblem, "inputs",
                "signer_mismatch (a public key does not match its transaction's signature, or "
                "the count differs)",
                block, r);
        default:
            return report(o, kWitnessProblem, "witness", describe_witness_problem(r), block, r);
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
         "Execution witness: debug_executionWitness JSON (reth, geth, nethermind, erigon, nimbus "
         "shapes) or go-ethereum's ExtWitness RLP; plain or gzip")
        ->required();
    v->add_option("--public-keys", opt->public_keys,
        "JSON array of the senders' 65-byte public keys in transaction order; each is verified "
        "against its signature (not trusted), saving the recovery");
    v->add_flag("--json", opt->json, "One JSON object per run instead of the text line");
    add_chain_options(*v, opt->chain);
    v->footer(
        "Output: `accepted: block N 0xHASH, gas used G`, `rejected: <EEST exception name>`, or "
        "`witness: <what is missing or wrong>`, `inputs: …` (with --json: one object with verdict, "
        "exit_code, status and the details).\n"
        "Exit status: 0 accepted; 1 rejected (the block is invalid); 2 --public-keys do not match "
        "(`inputs: signer_mismatch …`), or the witness lacks data or "
        "does not fit the block (no verdict); 3 bad input (unreadable or malformed files, unknown "
        "or unsupported chain configuration). Command-line usage errors also exit with 2.");
    v->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
