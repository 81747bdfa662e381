// Macro harness of the chain store and the JSON-RPC server (never run by ctest).
//
//   bench_rpc import DIR             every test of the EEST blockchain files under DIR, each into
//                                    its own store: import Mgas/s, then the witness latency of
//                                    every imported block (ChainStore::execution_witness)
//   bench_rpc era1 FILE ALLOC        an era1 archive with mainnet's genesis alloc: blocks/s,
//                                    then the witness latency of 256 blocks across the range
//   bench_rpc load DATADIR [THREADS] [SECONDS]
//                                    `stele witness serve` on loopback, THREADS clients for
//                                    SECONDS: eth_getBlockByNumber (full transactions) and
//                                    debug_executionWitness of random stored blocks and a stream
//                                    of malformed requests; requests/s and p50 / p99 latency per
//                                    kind, server errors, whether the server survived
// Times are wall-clock on the machine at hand (the README's table names it).
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <thread>
#include <witness-rpc/block_json.hpp>
#include <witness-rpc/era1.hpp>
#include <witness-rpc/importer.hpp>
#include <witness-rpc/store.hpp>

#include "cli/eest_fixture.hpp"
#include "cli/host_crypto.hpp"

extern char** environ;

using namespace stele;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace
{
double seconds_since(clock_type::time_point t)
{
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

struct Percentiles
{
    double p50 = 0, p99 = 0, max = 0;
};
Percentiles percentiles(std::vector<double> v)
{
    Percentiles p;
    if (v.empty())
        return p;
    std::sort(v.begin(), v.end());
    p.p50 = v[v.size() / 2];
    p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    p.max = v.back();
    return p;
}

std::string scratch(const std::string& name)
{
    const fs::path p =
        fs::temp_directory_path() / ("stele-bench-rpc-" + std::to_string(getpid())) / name;
    fs::remove_all(p);
    fs::create_directories(p);
    return p.string();
}

// Witness latency of `blocks` of an open store, in milliseconds.
std::vector<double> witness_latency(
    const witness::ChainStore& store, const std::vector<hash256>& blocks, size_t& failures)
{
    std::vector<double> ms;
    for (const hash256& h : blocks)
    {
        witness::ExecutionWitness w;
        std::string err;
        const auto t = clock_type::now();
        if (!store.execution_witness(h, witness::WitnessMode::canonical, w, err))
        {
            ++failures;
            std::fprintf(stderr, "witness %s: %s\n", to_hex0x(h.view()).c_str(), err.c_str());
            continue;
        }
        ms.push_back(seconds_since(t) * 1e3);
    }
    return ms;
}

int bench_import(const std::string& dir)
{
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().extension() == ".json")
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    uint64_t gas = 0, blocks = 0, tests = 0, invalid = 0;
    double import_s = 0, witness_s = 0;
    std::vector<double> latency, latency_per_mgas;
    size_t failures = 0;
    for (const std::string& f : files)
    {
        simdjson::dom::parser parser;
        simdjson::dom::object all;
        if (parser.load(f).get(all))
            continue;
        for (auto [name, t] : all)
        {
            chain::ChainConfig config;
            state::InMemoryState db;
            chain::BlockHeader genesis;
            if (!cli::load_test_chain(t, config, db, genesis).empty())
                continue;
            const std::string datadir = scratch("import");
            std::string err;
            auto store = witness::ChainStore::open(datadir, true, err);
            if (!store)
            {
                std::fprintf(stderr, "%s\n", err.c_str());
                return 1;
            }
            witness::Importer imp{*store, config, cli::recover_address_host};
            if (!imp.open_chain(db, genesis, err))
            {
                std::fprintf(stderr, "%s: %s\n", f.c_str(), err.c_str());
                return 1;
            }
            simdjson::dom::array bs;
            if (t["blocks"].get(bs))
                continue;
            std::vector<std::pair<hash256, uint64_t>> imported;
            const auto t0 = clock_type::now();
            for (auto b : bs)
            {
                const bytes rlp = cli::hex_bytes(cli::str(b["rlp"]));
                const witness::ImportResult r = imp.add(rlp);
                if (r.status != witness::ImportStatus::imported)
                {
                    invalid += r.status == witness::ImportStatus::invalid;
                    break;
                }
                chain::Block blk;
                if (chain::decode_block(rlp, blk) == chain::Error::ok)
                    imported.emplace_back(blk.header.hash, r.gas_used);
                gas += r.gas_used;
            }
            if (!imp.commit(err))
            {
                std::fprintf(stderr, "%s\n", err.c_str());
                return 1;
            }
            import_s += seconds_since(t0);
            blocks += imported.size();
            ++tests;
            const auto t1 = clock_type::now();
            for (const auto& [h, g] : imported)
            {
                const auto ms = witness_latency(*store, {h}, failures);
                if (!ms.empty())
                {
                    latency.push_back(ms[0]);
                    if (g >= 1000000)
                        latency_per_mgas.push_back(ms[0] / (static_cast<double>(g) / 1e6));
                }
            }
            witness_s += seconds_since(t1);
            store.reset();
            fs::remove_all(datadir);
        }
    }
    const Percentiles l = percentiles(latency), lm = percentiles(latency_per_mgas);
    std::printf(
        "import: %llu tests, %llu blocks, %.2f Ggas in %.2f s = %.1f Mgas/s (%llu stopped "
        "at an invalid block)\n",
        static_cast<unsigned long long>(tests), static_cast<unsigned long long>(blocks),
        static_cast<double>(gas) / 1e9, import_s, static_cast<double>(gas) / 1e6 / import_s,
        static_cast<unsigned long long>(invalid));
    std::printf(
        "witness from the store: %zu blocks in %.2f s, latency p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms; per Mgas p50 %.3f ms, p99 %.3f ms; %zu failures\n",
        latency.size(), witness_s, l.p50, l.p99, l.max, lm.p50, lm.p99, failures);
    return failures == 0 ? 0 : 1;
}

int bench_era1(const std::string& file, const std::string& alloc_path)
{
    std::ifstream in{alloc_path};
    const std::string alloc{std::istreambuf_iterator<char>{in}, {}};
    witness::ChainSpec spec;
    state::InMemoryState db;
    chain::BlockHeader genesis;
    if (const auto r = witness::network_genesis("mainnet", alloc, spec, db, genesis); !r.ok())
    {
        std::fprintf(stderr, "%s\n", r.message.c_str());
        return 1;
    }
    std::string err;
    const auto era = witness::Era1Reader::open(file, err);
    if (!era)
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return 1;
    }
    const std::string datadir = scratch("era1");
    auto store = witness::ChainStore::open(datadir, true, err);
    witness::Importer imp{*store, spec.config, cli::recover_address_host, spec.source_json};
    if (!store || !imp.open_chain(db, genesis, err))
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return 1;
    }
    const auto t0 = clock_type::now();
    uint64_t n = 0;
    for (uint64_t i = 0; i < era->count(); ++i)
    {
        witness::Era1Block b;
        bytes rlp;
        if (!era->block(i, b, err) || !witness::block_rlp(b, rlp))
            return 1;
        const auto r = imp.add(rlp);
        if (r.status == witness::ImportStatus::error || r.status == witness::ImportStatus::invalid)
        {
            std::fprintf(stderr, "block %llu: %s%s\n", static_cast<unsigned long long>(r.number),
                r.reason.c_str(), r.message.c_str());
            return 1;
        }
        n += r.status == witness::ImportStatus::imported;
        if (imp.staged() >= 256 && !imp.commit(err))
            return 1;
    }
    if (!imp.commit(err))
        return 1;
    const double s = seconds_since(t0);
    std::printf("era1 import: %llu blocks in %.2f s = %.0f blocks/s (batches of 256)\n",
        static_cast<unsigned long long>(n), s, static_cast<double>(n) / s);
    std::vector<hash256> sample;
    for (uint64_t k = 1; k < era->count(); k += era->count() / 256)
        sample.push_back(*store->canonical_hash(k));
    size_t failures = 0;
    const Percentiles p = percentiles(witness_latency(*store, sample, failures));
    std::printf(
        "witness from the store: %zu blocks, p50 %.3f ms, p99 %.3f ms, max %.3f ms; %zu "
        "failures\n",
        sample.size(), p.p50, p.p99, p.max, failures);
    fs::remove_all(datadir);
    return failures == 0 ? 0 : 1;
}

int bench_load(const std::string& datadir, int threads, int secs)
{
    uint64_t head = 0;
    {
        std::string err;
        auto store = witness::ChainStore::open(datadir, false, err);
        if (!store || !store->has_head())
        {
            std::fprintf(stderr, "%s\n", store ? "empty store" : err.c_str());
            return 1;
        }
        head = store->head();
    }
    const std::string log = scratch("load") + "/serve.txt";
    std::vector<std::string> args = {
        STELE_CLI_PATH, "witness", "serve", "--datadir", datadir, "--http.port", "0"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    if (posix_spawn(&pid, args[0].c_str(), &fa, nullptr, argv.data(), environ) != 0)
        return 1;
    posix_spawn_file_actions_destroy(&fa);
    int port = 0;
    for (int i = 0; i < 400 && port == 0; ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds{25});
        std::ifstream in{log};
        std::string line;
        if (std::getline(in, line) && line.rfind("listening on http://127.0.0.1:", 0) == 0)
            port = std::stoi(line.substr(line.rfind(':') + 1));
    }
    if (port == 0)
    {
        std::fprintf(stderr, "the server did not start\n");
        kill(pid, SIGKILL);
        return 1;
    }
    enum Kind
    {
        block,
        witness,
        malformed,
        kinds
    };
    const char* names[kinds] = {"eth_getBlockByNumber", "debug_executionWitness", "malformed"};
    std::mutex mu;
    std::vector<double> lat[kinds];
    std::atomic<uint64_t> server_errors{0}, transport_errors{0};
    const auto deadline = clock_type::now() + std::chrono::seconds{secs};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(
            [&, t]
            {
                httplib::Client c{"127.0.0.1", port};
                c.set_read_timeout(60, 0);
                std::mt19937_64 rng{static_cast<uint64_t>(t) * 7919 + 1};
                std::vector<double> mine[kinds];
                for (uint64_t i = 0; clock_type::now() < deadline; ++i)
                {
                    const Kind k = i % 5 == 4 ? malformed : static_cast<Kind>(i % 2);
                    const uint64_t n = 1 + rng() % head;
                    char num[32];
                    std::snprintf(num, sizeof num, "0x%llx", static_cast<unsigned long long>(n));
                    std::string body;
                    if (k == block)
                        body =
                            std::string{
                                R"({"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":[")"} +
                            num + "\",true]}";
                    else if (k == witness)
                        body =
                            std::string{
                                R"({"jsonrpc":"2.0","id":1,"method":"debug_executionWitness","params":[")"} +
                            num + "\"]}";
                    else
                    {
                        static const char* bad[] = {"{\"jsonrpc\":", "[[[[[[[[", "\xff\xfe",
                            R"({"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["12"]})",
                            R"({"jsonrpc":"2.0","id":{},"method":1})", "[]"};
                        body = bad[rng() % 6];
                    }
                    const auto t0 = clock_type::now();
                    const auto r = c.Post("/", body, "application/json");
                    const double ms = seconds_since(t0) * 1e3;
                    if (!r)
                    {
                        ++transport_errors;
                        continue;
                    }
                    const auto j = nlohmann::json::parse(r->body, nullptr, false);
                    // A valid request must get a result; a malformed one a JSON-RPC error.
                    const bool fine = r->status == 200 && !j.is_discarded() &&
                                      (k == malformed ? j.contains("error") : j.contains("result"));
                    if (!fine)
                        ++server_errors;
                    mine[k].push_back(ms);
                }
                const std::lock_guard lock{mu};
                for (int k = 0; k < kinds; ++k)
                    lat[k].insert(lat[k].end(), mine[k].begin(), mine[k].end());
            });
    for (auto& th : pool)
        th.join();
    int status = 0;
    const bool alive = waitpid(pid, &status, WNOHANG) == 0;
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    size_t total = 0;
    for (int k = 0; k < kinds; ++k)
    {
        const Percentiles p = percentiles(lat[k]);
        std::printf("%-24s %8zu requests %9.1f /s  p50 %7.3f ms  p99 %7.3f ms\n", names[k],
            lat[k].size(), static_cast<double>(lat[k].size()) / secs, p.p50, p.p99);
        total += lat[k].size();
    }
    std::printf(
        "total: %zu requests in %d s from %d clients = %.0f /s; server errors %llu, "
        "transport errors %llu; server %s\n",
        total, secs, threads, static_cast<double>(total) / secs,
        static_cast<unsigned long long>(server_errors.load()),
        static_cast<unsigned long long>(transport_errors.load()), alive ? "alive" : "DIED");
    return server_errors == 0 && transport_errors == 0 && alive ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 2 && a[0] == "import")
        return bench_import(a[1]);
    if (a.size() == 3 && a[0] == "era1")
        return bench_era1(a[1], a[2]);
    if (a.size() >= 2 && a[0] == "load")
        return bench_load(
            a[1], a.size() > 2 ? std::stoi(a[2]) : 8, a.size() > 3 ? std::stoi(a[3]) : 10);
    std::fprintf(stderr,
        "usage: bench_rpc import DIR | era1 FILE ALLOC | load DATADIR [THREADS] [SECONDS]\n");
    return 2;
}
