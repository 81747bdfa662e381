// `stele chain import`: executes and validates blocks and commits them to the LMDB chain store
// (witness-rpc/importer.hpp). Inputs: RLP chain files (`geth export`, hive `chain.rlp`:
// concatenated RLP blocks) with a genesis from --genesis FILE, and EEST blockchain-test JSON
// files (genesis and pre-state from the file).
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stateless/chain/block.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/rlp.hpp>
#include <witness-rpc/block_json.hpp>
#include <witness-rpc/era1.hpp>
#include <witness-rpc/genesis_allocs.hpp>
#include <witness-rpc/importer.hpp>
#include <witness-rpc/store.hpp>

#include "commands.hpp"
#include "eest_fixture.hpp"
#include "file_read.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
constexpr int exit_invalid_block = 1;
constexpr int exit_input = 2;
constexpr int exit_store = 3;

// One RLP block per call from a concatenation of RLP blocks, read in pieces (a chain file can be
// larger than memory). Each item must be a list no larger than `max_block`.
class RlpBlockStream
{
public:
    explicit RlpBlockStream(const std::string& path) : m_in{path, std::ios::binary} {}
    [[nodiscard]] bool is_open() const
    {
        return m_in.is_open();
    }
    // True with the next block in `out`; false at the end (error() says whether cleanly).
    bool next(bytes& out)
    {
        uint8_t prefix[9];
        if (!m_in.read(reinterpret_cast<char*>(prefix), 1))
            return false;  // clean end
        size_t header = 1, payload = 0;
        if (prefix[0] < 0xc0)
            return fail("item at byte " + std::to_string(m_offset) + " is not an RLP list");
        if (prefix[0] <= 0xf7)
            payload = prefix[0] - 0xc0u;
        else
        {
            const size_t n = prefix[0] - 0xf7u;
            if (!m_in.read(reinterpret_cast<char*>(prefix + 1), static_cast<std::streamsize>(n)))
                return fail("truncated RLP length at byte " + std::to_string(m_offset));
            if (prefix[1] == 0)
                return fail("non-canonical RLP length at byte " + std::to_string(m_offset));
            for (size_t i = 0; i < n; ++i)
                payload = (payload << 8) | prefix[1 + i];
            header += n;
        }
        if (payload > max_block)
            return fail("block at byte " + std::to_string(m_offset) + " is " +
                        std::to_string(payload) + " bytes, more than the limit of " +
                        std::to_string(max_block));
        out.assign(prefix, prefix + header);
        out.resize(header + payload);
        if (!m_in.read(reinterpret_cast<char*>(out.data() + header),
                static_cast<std::streamsize>(payload)))
            return fail("truncated block at byte " + std::to_string(m_offset));
        m_offset += header + payload;
        return true;
    }
    [[nodiscard]] const std::string& error() const
    {
        return m_error;
    }

    static constexpr size_t max_block = size_t{64} << 20;

private:
    bool fail(std::string e)
    {
        m_error = std::move(e);
        return false;
    }
    std::ifstream m_in;
    uint64_t m_offset = 0;
    std::string m_error;
};

// Progress on stderr: one rewritten line on a terminal (at most 10 per second), a plain line
// every 5 seconds otherwise.
class Progress
{
public:
    explicit Progress(uint64_t total) : m_total{total}, m_tty{isatty(STDERR_FILENO) == 1} {}
    void block(uint64_t number, uint64_t gas)
    {
        ++m_blocks;
        m_gas += gas;
        m_number = number;
        const auto now = clock::now();
        if (now - m_last < (m_tty ? std::chrono::milliseconds{100} : std::chrono::seconds{5}))
            return;
        m_last = now;
        print(false);
    }
    void done()
    {
        if (m_tty && m_printed)
            print(true);
    }

private:
    using clock = std::chrono::steady_clock;
    void print(bool final)
    {
        const double s = std::chrono::duration<double>(clock::now() - m_start).count();
        const double mgas = s > 0 ? static_cast<double>(m_gas) / 1e6 / s : 0;
        char eta[32] = "";
        if (m_total > m_blocks && m_blocks > 0)
            std::snprintf(eta, sizeof eta, ", ETA %.0f s",
                s / static_cast<double>(m_blocks) * static_cast<double>(m_total - m_blocks));
        std::fprintf(stderr, "%sblock %llu, %llu imported%s%llu, %.1f Mgas/s%s%s",
            m_tty ? "\r" : "", static_cast<unsigned long long>(m_number),
            static_cast<unsigned long long>(m_blocks), m_total ? " of " : "",
            static_cast<unsigned long long>(m_total), mgas, eta, m_tty && !final ? "\033[K" : "\n");
        m_printed = true;
    }
    uint64_t m_total, m_blocks = 0, m_gas = 0, m_number = 0;
    bool m_tty, m_printed = false;
    clock::time_point m_start = clock::now(), m_last = clock::now();
};

struct Counts
{
    uint64_t imported = 0, known = 0, gas = 0;
};

// Feeds blocks to the importer, committing every `batch_blocks`. Returns the exit code.
template <typename Next>
int import_blocks(witness::Importer& imp, size_t batch_blocks, uint64_t total, Counts& c, Next next)
{
    Progress progress{total};
    bytes rlp;
    std::string err;
    int rc = 0;
    while (true)
    {
        const int got = next(rlp);
        if (got < 0)
        {
            rc = exit_input;
            break;
        }
        if (got == 0)
            break;
        const witness::ImportResult r = imp.add(rlp);
        if (r.status == witness::ImportStatus::error)
        {
            std::fprintf(stderr, "block %llu: %s\n", static_cast<unsigned long long>(r.number),
                r.message.c_str());
            return exit_store;  // the staged batch is dropped: the store keeps its last commit
        }
        if (r.status == witness::ImportStatus::invalid)
        {
            std::fprintf(stderr, "block %llu: invalid: %s\n",
                static_cast<unsigned long long>(r.number), r.reason.c_str());
            rc = exit_invalid_block;
            break;
        }
        if (r.status == witness::ImportStatus::known)
            ++c.known;
        else
        {
            ++c.imported;
            c.gas += r.gas_used;
            progress.block(r.number, r.gas_used);
        }
        if (imp.staged() >= batch_blocks && !imp.commit(err))
        {
            std::fprintf(stderr, "%s\n", err.c_str());
            return exit_store;
        }
    }
    progress.done();
    // The blocks before an invalid one (or a malformed tail) are valid: keep them.
    if (!imp.commit(err))
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_store;
    }
    return rc;
}

int import_eest(witness::ChainStore& store, const std::string& file, const std::string& test_name,
    size_t batch_blocks, Counts& counts)
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
    chain::BlockHeader genesis;
    if (std::string e = load_test_chain(t, config, db, genesis); !e.empty())
    {
        std::fprintf(stderr, "%s: %s\n", file.c_str(), e.c_str());
        return exit_input;
    }
    witness::Importer imp{store, config, recover_address_host};
    std::string err;
    if (!imp.open_chain(db, genesis, err))
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_input;
    }
    simdjson::dom::array blocks;
    if (t["blocks"].get(blocks))
        blocks = {};
    auto it = blocks.begin();
    return import_blocks(imp, batch_blocks, blocks.size(), counts,
        [&](bytes& out)
        {
            if (it == blocks.end())
                return 0;
            out = hex_bytes(str((*it)["rlp"]));
            ++it;
            return 1;
        });
}

int import_rlp(witness::Importer& imp, const std::string& file, size_t batch_blocks, Counts& counts)
{
    RlpBlockStream in{file};
    if (!in.is_open())
    {
        std::fprintf(stderr, "%s: cannot open\n", file.c_str());
        return exit_input;
    }
    return import_blocks(imp, batch_blocks, 0, counts,
        [&](bytes& out)
        {
            if (in.next(out))
                return 1;
            if (in.error().empty())
                return 0;
            std::fprintf(stderr, "%s: %s\n", file.c_str(), in.error().c_str());
            return -1;
        });
}

int import_era1(
    witness::Importer& imp, const std::string& file, size_t batch_blocks, Counts& counts)
{
    std::string err;
    const auto era = witness::Era1Reader::open(file, err);
    if (!era)
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_input;
    }
    uint64_t i = 0;
    return import_blocks(imp, batch_blocks, era->count(), counts,
        [&](bytes& out)
        {
            if (i == era->count())
                return 0;
            witness::Era1Block b;
            if (!era->block(i++, b, err) || !witness::block_rlp(b, out))
            {
                std::fprintf(
                    stderr, "%s\n", err.empty() ? "era1: a block does not assemble" : err.c_str());
                return -1;
            }
            return 1;
        });
}

struct ImportOptions
{
    std::string datadir, test, genesis, network, alloc;
    size_t batch = 256;
    std::vector<std::string> files;
};

// The genesis of an RLP / era1 import: --genesis FILE, or --chain NAME with --genesis-alloc.
witness::FormatResult load_genesis(const ImportOptions& o, witness::ChainSpec& spec,
    state::InMemoryState& db, chain::BlockHeader& genesis)
{
    witness::FormatResult r;
    if (!o.genesis.empty())
        return witness::load_genesis_file(o.genesis, spec, db, genesis);
    if (o.network.empty())
    {
        r.code = witness::FormatError::MissingField;
        r.message = "RLP chain files and era1 archives need --genesis FILE or --chain NAME";
        return r;
    }
    std::vector<uint8_t> text;
    if (o.alloc.empty())
    {
        const std::string builtin = witness::builtin_genesis_alloc(o.network);
        if (builtin.empty())
        {
            r.code = witness::FormatError::MissingField;
            r.message = "--chain " + o.network +
                        ": this stele was built without the network's genesis allocation (Node.js "
                        "and tests/oracle/node_modules from scripts/setup embed it); pass "
                        "--genesis-alloc FILE (`node tests/oracle/genesis-alloc.mjs " +
                        o.network + " > alloc.json`)";
            return r;
        }
        text.assign(builtin.begin(), builtin.end());
    }
    else if (const std::string e = read_regular_file(o.alloc, uint64_t{1} << 30, text); !e.empty())
    {
        r.code = witness::FormatError::Io;
        r.message = o.alloc + ": " + e;
        return r;
    }
    return witness::network_genesis(
        o.network, {reinterpret_cast<const char*>(text.data()), text.size()}, spec, db, genesis);
}

bool ends_with(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}
int run_import(const ImportOptions& o)
{
    const ImportOptions* opts = &o;
    int exit_code = 0;
    std::string err;
    auto store = witness::ChainStore::open(opts->datadir, true, err);
    if (!store)
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return exit_store;
    }
    Counts counts;
    std::unique_ptr<witness::Importer> importer;
    for (const auto& f : opts->files)
    {
        if (ends_with(f, ".json"))
        {
            exit_code = import_eest(*store, f, opts->test, opts->batch, counts);
        }
        else
        {
            if (!importer)
            {
                witness::ChainSpec spec;
                state::InMemoryState db;
                chain::BlockHeader genesis;
                if (const auto r = load_genesis(*opts, spec, db, genesis); !r.ok())
                {
                    std::fprintf(stderr, "%s\n", r.message.c_str());
                    return exit_input;
                }
                importer = std::make_unique<witness::Importer>(
                    *store, spec.config, recover_address_host, spec.source_json);
                if (!importer->open_chain(db, genesis, err))
                {
                    std::fprintf(stderr, "%s\n", err.c_str());
                    return exit_input;
                }
            }
            exit_code = ends_with(f, ".era1") ? import_era1(*importer, f, opts->batch, counts)
                                              : import_rlp(*importer, f, opts->batch, counts);
        }
        if (exit_code != 0)
            break;
    }
    std::printf("imported %llu blocks (%llu already stored), %.3f Ggas, head %llu\n",
        static_cast<unsigned long long>(counts.imported),
        static_cast<unsigned long long>(counts.known), static_cast<double>(counts.gas) / 1e9,
        static_cast<unsigned long long>(store->head()));
    return exit_code;
}
}  // namespace

void register_chain(CLI::App& app, int& exit_code)
{
    auto* chain = app.add_subcommand("chain", "Chain store (LMDB) commands");
    chain->require_subcommand(1);
    auto* imp = chain->add_subcommand("import",
        "Execute, validate and store blocks. Inputs: RLP chain files (concatenated RLP blocks,\n"
        "as `geth export` writes them), era1 archives (*.era1), both with --genesis or --chain,\n"
        "and EEST blockchain-test JSON files (their own genesis). Every block is executed over\n"
        "the stored parent state and fully validated before it is written; an import stopped at\n"
        "any moment resumes from the last committed batch.\n"
        "Exit codes: 0 imported, 1 an invalid block (the blocks before it are kept),\n"
        "2 bad input, 3 chain store error");
    auto opts = std::make_shared<ImportOptions>();
    imp->add_option("--datadir", opts->datadir, "Chain store directory")->required();
    imp->add_option("--genesis", opts->genesis,
        "geth genesis file (config and alloc) for RLP chain files and era1 archives");
    imp->add_option("--chain", opts->network,
        "A built-in network (mainnet, sepolia, hoodi) instead of --genesis (its genesis is built "
        "in, the allocation from @ethereumjs/genesis, embedded at build time)");
    imp->add_option("--genesis-alloc", opts->alloc,
        "geth alloc JSON (or a genesis file) for --chain instead of the embedded one, e.g. from "
        "`geth dumpgenesis`");
    imp->add_option("--test", opts->test, "Test name in an EEST file with several tests");
    imp->add_option("--batch-blocks", opts->batch, "Blocks per LMDB write transaction")
        ->check(CLI::Range(size_t{1}, size_t{1} << 20));
    imp->add_option("files", opts->files, "Input files")->required();
    imp->callback([opts, &exit_code] { exit_code = run_import(*opts); });
}
}  // namespace stele::cli
