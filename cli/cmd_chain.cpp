// `stele chain import`: executes and validates blocks and commits them to the LMDB chain store
// (witness-rpc/store.hpp). Inputs so far: EEST blockchain-test JSON (genesis and pre-state from
// the file). RLP chain files and era1 archives are not supported yet.
#include <simdjson.h>

#include <cstdio>
#include <stateless/chain/block.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/evm/precompiles.hpp>
#include <stateless/validate/witness_builder.hpp>
#include <witness-rpc/store.hpp>

#include "commands.hpp"
#include "eest_fixture.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
constexpr int exit_invalid_block = 1;
constexpr int exit_input = 2;
constexpr int exit_store = 3;

// Writes block `number` with its receipts and every node and code of its post-state `db`.
bool write_block(witness::WriteBatch& batch, const chain::Block& block, bytes_view rlp,
    const std::vector<chain::Receipt>& receipts, state::InMemoryState& db)
{
    rlp::Decoder d{rlp};
    auto items = d.list();
    (void)items.raw();  // the header
    const bytes_view body = items.remaining();
    std::vector<bytes> rs;
    for (const auto& r : receipts)
        rs.push_back(chain::encode_receipt(r));
    std::vector<hash256> txs;
    for (const auto& tx : block.transactions)
        txs.push_back(keccak256(tx.encoded));
    stateless::PreStateTries tries;
    if (!tries.build(db, block.header.state_root))
        return false;
    for (const bytes& n : tries.nodes())
        if (!batch.put_node(keccak256(n), n))
            return false;
    for (const bytes_view c : tries.codes())
        if (!batch.put_code(keccak256(c), c))
            return false;
    return batch.put_block(block.header.hash, block.header.number,
               chain::encode_header(block.header), body, rs, txs) &&
           batch.set_head(block.header.number);
}

int import_eest(witness::ChainStore& store, const std::string& file, const std::string& test_name)
{
    simdjson::dom::parser parser;
    simdjson::dom::object tests;
    if (parser.load(file).get(tests))
    {
        std::fprintf(stderr, "%s: not a JSON object\n", file.c_str());
        return exit_input;
    }
    simdjson::dom::element t;
    size_t count = 0;
    for (auto [name, value] : tests)
    {
        ++count;
        if (test_name.empty() ? count == 1 : name == test_name)
            t = value;
    }
    if (t.type() != simdjson::dom::element_type::OBJECT || (test_name.empty() && count != 1))
    {
        std::fprintf(stderr, "%s: %s\n", file.c_str(),
            test_name.empty() ? "holds several tests; choose one with --test" : "no such test");
        return exit_input;
    }
    chain::ChainConfig config;
    state::InMemoryState db;
    std::vector<chain::BlockHeader> headers(1);
    if (std::string e = load_test_chain(t, config, db, headers[0]); !e.empty())
    {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), e.c_str());
        return exit_input;
    }
    store.set_config(config);
    const bool resume = store.has_head();
    if (resume && store.canonical_hash(0) != headers[0].hash)
    {
        std::fprintf(stderr, "the datadir holds another chain (genesis differs)\n");
        return exit_input;
    }
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    chain::BlockEnv env;
    env.config = &config;
    env.precompiles = &precompiles;
    env.recover = recover_address_host;
    env.block_hash = block_hash_from_headers;
    env.block_hash_ctx = &headers;
    std::string err;
    auto batch = store.begin_write(err);
    if (!batch)
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_store;
    }
    if (!resume)
    {
        chain::Block genesis;
        genesis.header = headers[0];
        const bytes empty_body{0xc0, 0xc0};
        stateless::PreStateTries tries;
        bool ok = tries.build(db, headers[0].state_root);
        for (const bytes& n : tries.nodes())
            ok = ok && batch->put_node(keccak256(n), n);
        for (const bytes_view c : tries.codes())
            ok = ok && batch->put_code(keccak256(c), c);
        ok = ok &&
             batch->put_block(
                 headers[0].hash, 0, chain::encode_header(headers[0]), empty_body, {}, {}) &&
             batch->set_head(0);
        if (!ok)
        {
            std::fprintf(stderr, "writing genesis: %s\n", batch->error().c_str());
            return exit_store;
        }
    }
    simdjson::dom::array blocks;
    if (t["blocks"].get(blocks))
        blocks = {};
    int rc = 0;
    uint64_t imported = 0;
    for (simdjson::dom::element bj : blocks)
    {
        const bytes rlp_bytes = hex_bytes(str(bj["rlp"]));
        chain::Block block;
        chain::Error e = chain::decode_block(rlp_bytes, block);
        chain::BlockOutcome out;
        if (e == chain::Error::ok)
        {
            out = chain::apply_block(db, env, headers.back(), block);
            e = out.error;
        }
        const uint64_t number = headers.back().number + 1;
        if (e != chain::Error::ok)
        {
            std::fprintf(stderr, "block %llu: invalid: %.*s\n",
                static_cast<unsigned long long>(number),
                static_cast<int>(chain::error_name(e).size()), chain::error_name(e).data());
            rc = exit_invalid_block;
            break;
        }
        // Already committed by an earlier run: skip the write, keep the state.
        if (!(resume && store.canonical_hash(number) == block.header.hash))
        {
            if (!write_block(*batch, block, rlp_bytes, out.receipts, db))
            {
                std::fprintf(stderr, "block %llu: cannot store: %s\n",
                    static_cast<unsigned long long>(number), batch->error().c_str());
                return exit_store;
            }
            ++imported;
        }
        headers.push_back(block.header);
    }
    if (!batch->commit(err))
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_store;
    }
    std::printf("imported %llu blocks, head %llu\n", static_cast<unsigned long long>(imported),
        static_cast<unsigned long long>(store.head()));
    return rc;
}
}  // namespace

void register_chain(CLI::App& app, int& exit_code)
{
    auto* chain = app.add_subcommand("chain", "Chain store (LMDB) commands");
    chain->require_subcommand(1);
    auto* imp = chain->add_subcommand("import",
        "Execute, validate and store blocks (EEST blockchain-test JSON).\n"
        "Exit codes: 0 imported, 1 an invalid block (earlier blocks are kept),\n"
        "2 bad input, 3 chain store error");
    struct Opts
    {
        std::string datadir, test;
        std::vector<std::string> files;
    };
    auto opts = std::make_shared<Opts>();
    imp->add_option("--datadir", opts->datadir, "Chain store directory")->required();
    imp->add_option("--test", opts->test, "Test name in an EEST file with several tests");
    imp->add_option("files", opts->files, "Input files")->required();
    imp->callback(
        [opts, &exit_code]
        {
            std::string err;
            auto store = witness::ChainStore::open(opts->datadir, true, err);
            if (!store)
            {
                std::fprintf(stderr, "%s\n", err.c_str());
                exit_code = exit_store;
                return;
            }
            for (const auto& f : opts->files)
            {
                if (f.size() < 5 || f.compare(f.size() - 5, 5, ".json") != 0)
                {
                    std::fprintf(
                        stderr, "%s: only EEST JSON files are supported so far\n", f.c_str());
                    exit_code = exit_input;
                    return;
                }
                exit_code = import_eest(*store, f, opts->test);
                if (exit_code != 0)
                    return;
            }
        });
}
}  // namespace stele::cli
