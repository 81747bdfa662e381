// `stele witness generate FIXTURE [--test NAME] --block N --out DIR`: block, witness and chain
// configuration files for one block of an EEST blockchain test, to feed `stele validate`.
//
// The test's chain is replayed statefully (in memory) up to the chosen block; the block is then
// executed once more over the complete pre-state by the witness generator, which records the
// canonical execution witness. Written: DIR/block.rlp (hex), DIR/witness.json (canonical
// debug_executionWitness JSON; .json.gz with --gzip) and DIR/chain-config.json (geth's config
// object for the test's network).
//
// `stele witness generate --datadir DIR --block N --out DIR`: the same three files for block N of
// a chain store, the witness recorded by re-executing the stored block (what the JSON-RPC
// server's debug_executionWitness returns).
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stateless/core/hex.hpp>
#include <stateless/validate/witness_builder.hpp>
#include <witness-rpc/block_json.hpp>
#include <witness-rpc/store.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "commands.hpp"
#include "eest_fixture.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
namespace fs = std::filesystem;

struct Options
{
    std::string fixture, test, out, datadir;
    std::optional<uint64_t> number;
    std::optional<size_t> index;
    bool gzip = false;
};

int fail(const std::string& what)
{
    std::fprintf(stderr, "witness generate: %s\n", what.c_str());
    return 3;
}

bool write_file(const std::string& path, std::string_view content, bool gzip)
{
    if (gzip)
    {
        gzFile f = gzopen(path.c_str(), "wb");
        if (!f)
            return false;
        const bool ok =
            content.empty() || gzwrite(f, content.data(), static_cast<unsigned>(content.size())) ==
                                   static_cast<int>(content.size());
        return gzclose(f) == Z_OK && ok;
    }
    std::ofstream f{path, std::ios::binary};
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    return static_cast<bool>(f);
}

// Picks the test: by exact name, else by a unique substring; without --test the file must hold
// exactly one.
bool pick_test(simdjson::dom::object doc, const std::string& want, std::string& name,
    simdjson::dom::element& test, std::string& error)
{
    std::vector<std::string> names;
    for (auto [k, v] : doc)
    {
        names.emplace_back(k);
        if (!want.empty() && k == want)
        {
            name = want;
            test = v;
            return true;
        }
    }
    std::vector<std::string> hits;
    for (const auto& n : names)
        if (want.empty() || n.find(want) != std::string::npos)
            hits.push_back(n);
    if (hits.size() > 1)
    {
        // A whole parameter set ("[fork_Cancun-…]") or a name's end wins over a mere part.
        std::vector<std::string> whole;
        for (const auto& n : hits)
            if (n.ends_with(want) || n.ends_with(want + "]"))
                whole.push_back(n);
        if (whole.size() == 1)
            hits = whole;
    }
    if (hits.size() == 1)
    {
        name = hits[0];
        return !doc[name].get(test);
    }
    error = want.empty() ? "the file holds " + std::to_string(names.size()) +
                               " tests: choose one with --test"
                         : std::to_string(hits.size()) + " tests match \"" + want + "\"";
    for (size_t i = 0; i < hits.size() && i < 10; ++i)
        error += "\n  " + hits[i];
    if (hits.size() > 10)
        error += "\n  …";
    return false;
}

// From a chain store: the stored block N, the witness its re-execution records (the server's
// debug_executionWitness), and the stored chain configuration.
int run_from_store(const Options& o)
{
    if (!o.number)
        return fail("--datadir needs --block N");
    std::string err;
    auto store = witness::ChainStore::open_configured(o.datadir, recover_address_host, err);
    if (!store)
        return fail(err);
    const auto hash = store->canonical_hash(*o.number);
    if (!hash)
        return fail("the store has no block " + std::to_string(*o.number) + " (head " +
                    std::to_string(store->head()) + ")");
    witness::ExecutionWitness w;
    if (!store->execution_witness(*hash, witness::WitnessMode::canonical, w, err))
        return fail("block " + std::to_string(*o.number) + ": " + err);
    const auto rlp = store->block_rlp(*hash);
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec || !rlp)
        return fail(o.out + ": " + (rlp ? ec.message() : "the stored block is unreadable"));
    const std::string witness_path = o.out + (o.gzip ? "/witness.json.gz" : "/witness.json");
    if (!write_file(o.out + "/block.rlp", to_hex0x(*rlp) + "\n", false) ||
        !write_file(witness_path, witness::to_json(w), o.gzip) ||
        !write_file(
            o.out + "/chain-config.json", store->stored_config().value_or("") + "\n", false))
        return fail("cannot write into " + o.out);
    std::printf("block:   %llu, %s\n", static_cast<unsigned long long>(*o.number),
        to_hex0x(hash->view()).c_str());
    std::printf(
        "wrote %s/block.rlp, %s (%zu state nodes, %zu codes, %zu headers), "
        "%s/chain-config.json\n",
        o.out.c_str(), witness_path.c_str(), w.state.size(), w.codes.size(), w.headers.size(),
        o.out.c_str());
    return 0;
}

int run(const Options& o)
{
    if (!o.datadir.empty())
        return run_from_store(o);
    if (o.fixture.empty())
        return fail("give an EEST FIXTURE file, or --datadir DIR of a chain store");
    if (!o.number && !o.index)
        return fail("give --block N (the block number) or --index I (position in the test)");
    simdjson::padded_string content;
    if (simdjson::padded_string::load(o.fixture).get(content))
        return fail(o.fixture + ": cannot read");
    simdjson::dom::parser parser;
    simdjson::dom::object doc;
    if (parser.parse(content).get(doc))
        return fail(o.fixture + ": not a JSON object (EEST blockchain test file)");
    std::string name, error;
    simdjson::dom::element t;
    if (!pick_test(doc, o.test, name, t, error))
        return fail(o.fixture + ": " + error);

    const std::string network{str(t["network"])};
    chain::ChainConfig config;
    state::InMemoryState db;
    std::vector<chain::BlockHeader> headers(1);
    if (std::string e = load_test_chain(t, config, db, headers[0]); !e.empty())
        return fail(e);

    const evm::PrecompileTable precompiles = evm::default_precompiles();
    chain::BlockEnv env;
    env.config = &config;
    env.precompiles = &precompiles;
    env.recover = recover_address_host;
    env.block_hash = block_hash_from_headers;
    env.block_hash_ctx = &headers;

    simdjson::dom::array blocks;
    if (t["blocks"].get(blocks))
        return fail("the test has no blocks");
    size_t i = 0, same_number = 0;
    bool found = false;
    for (simdjson::dom::element bj : blocks)
    {
        const size_t index = i++;
        const bytes rlp = hex_bytes(str(bj["rlp"]));
        chain::Block block;
        const chain::Error decode_error = chain::decode_block(rlp, block);
        uint64_t number = block.header.number;
        std::string_view number_text;
        if (decode_error != chain::Error::ok && !bj["blockHeader"]["number"].get(number_text))
            number = hex_u256(number_text).w[0];
        const bool target = o.index
                                ? index == *o.index
                                : !found && decode_error == chain::Error::ok && number == *o.number;
        if (o.number && !o.index && number == *o.number && decode_error == chain::Error::ok)
            ++same_number;
        std::string_view expect;
        const bool expect_fail = !bj["expectException"].get(expect);
        if (!target)
        {
            if (found || decode_error != chain::Error::ok)
                continue;
            // Replay: valid blocks extend the chain, invalid ones leave no trace.
            state::InMemoryState snapshot = db;
            const chain::BlockOutcome out = chain::apply_block(db, env, headers.back(), block);
            if (out.error != chain::Error::ok)
            {
                db = std::move(snapshot);
                if (!expect_fail)
                    return fail("replaying block " + std::to_string(index) + ": rejected with " +
                                std::string{chain::error_name(out.error)} +
                                " but the fixture has it valid");
                continue;
            }
            if (expect_fail)
                return fail("replaying block " + std::to_string(index) + ": accepted but the " +
                            "fixture expects " + std::string{expect});
            headers.push_back(block.header);
            continue;
        }
        found = true;

        std::error_code ec;
        fs::create_directories(o.out, ec);
        if (ec)
            return fail(o.out + ": " + ec.message());
        stateless::Witness w;
        std::string verdict;
        if (decode_error == chain::Error::ok)
        {
            stateless::ValidateOptions vo;
            vo.config = &config;
            vo.precompiles = &precompiles;
            vo.recover = recover_address_host;
            stateless::WitnessBuildResult gen = stateless::build_witness(db, headers, block, vo);
            if (gen.pre_state_mismatch)
                return fail("the replayed state does not match the parent's state root");
            if (gen.verdict.status == stateless::Status::ok)
                verdict = "accepted";
            else if (gen.verdict.status == stateless::Status::block_invalid)
                verdict = "rejected: " + std::string{chain::error_name(gen.verdict.block_error)};
            else
                verdict = std::string{"no verdict: "} + stateless::status_name(gen.verdict.status);
            w = std::move(gen.witness);
        }
        else
        {
            // Rejected before any state is read: the parent header is all a validator needs.
            w.headers.push_back(chain::encode_header(headers.back()));
            verdict = "rejected: " + std::string{chain::error_name(decode_error)};
        }

        const std::string block_path = o.out + "/block.rlp";
        const std::string witness_path = o.out + (o.gzip ? "/witness.json.gz" : "/witness.json");
        const std::string config_path = o.out + "/chain-config.json";
        std::string config_json;
        if (const auto r = witness::chain_config_to_json(config, config_json); !r.ok())
            return fail("chain configuration: " + r.message);
        const witness::ExecutionWitness ew = witness::to_execution_witness(w);
        size_t witness_bytes = 0;
        for (const auto* list : {&ew.state, &ew.codes, &ew.headers})
            for (const bytes& b : *list)
                witness_bytes += b.size();
        if (!write_file(block_path, to_hex0x(rlp) + "\n", false) ||
            !write_file(witness_path, witness::to_json(ew), o.gzip) ||
            !write_file(config_path, config_json + "\n", false))
            return fail("cannot write into " + o.out);

        std::printf("test:    %s\n", name.c_str());
        std::printf("network: %s (chain id %llu)\n", network.c_str(),
            static_cast<unsigned long long>(config.chain_id));
        if (decode_error == chain::Error::ok)
            std::printf("block:   index %zu, number %llu, %s, %zu transactions\n", index,
                static_cast<unsigned long long>(block.header.number),
                to_hex0x(block.header.hash).c_str(), block.transactions.size());
        else
            std::printf("block:   index %zu (does not decode)\n", index);
        std::printf("wrote %s (%zu bytes of RLP)\n", block_path.c_str(), rlp.size());
        std::printf("wrote %s (%zu state nodes, %zu codes, %zu headers, %zu bytes)\n",
            witness_path.c_str(), ew.state.size(), ew.codes.size(), ew.headers.size(),
            witness_bytes);
        std::printf("wrote %s\n", config_path.c_str());
        std::printf("expected: %s\n",
            expect_fail ? ("invalid (" + std::string{expect} + ")").c_str() : "valid");
        std::printf("generator: %s\n", verdict.c_str());
        const bool agree = expect_fail == (verdict != "accepted");
        if (!agree)
        {
            std::printf("warning: the generating run disagrees with the fixture\n");
            return 1;
        }
    }
    if (!found)
        return fail(
            o.index ? "the test has no block at index " + std::to_string(*o.index)
                    : "the test has no decodable block with number " + std::to_string(*o.number));
    if (same_number > 1)
        std::printf(
            "note: %zu blocks have number %llu: the first was taken (--index picks "
            "another)\n",
            same_number, static_cast<unsigned long long>(*o.number));
    return 0;
}
}  // namespace

void register_witness(CLI::App& app, int& exit_code)
{
    auto* w = app.add_subcommand("witness", "Execution witnesses");
    w->require_subcommand(1);
    auto opt = std::make_shared<Options>();
    auto* g = w->add_subcommand("generate",
        "Write block.rlp, witness.json and chain-config.json for one block of an EEST "
        "blockchain test, or of a chain store with --datadir (input for `stele validate`)");
    g->add_option("fixture", opt->fixture, "EEST blockchain test file (JSON)");
    g->add_option("--datadir", opt->datadir,
        "A chain store (stele chain import) instead of a fixture: the stored block --block N");
    g->add_option("--test", opt->test,
        "Test name, or a unique part of it (optional when the file holds one test)");
    g->add_option("--block", opt->number, "Block number (the first block with this number)");
    g->add_option("--index", opt->index, "Block position in the test's blocks (0-based)");
    g->add_option("--out", opt->out, "Output directory (created if needed)")->required();
    g->add_flag("--gzip", opt->gzip, "Write witness.json.gz instead of witness.json");
    g->footer(
        "Exit status: 0 written (the generating run agrees with the fixture); 1 written, but "
        "the generating run disagrees with the fixture; 3 bad input.");
    g->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
