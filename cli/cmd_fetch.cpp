// `stele witness fetch --rpc URL --block N|latest|HASH --out DIR [--via witness|proofs|complete]`:
// block.rlp, witness.json (canonical) and chain-config.json from someone else's node
// (witness-rpc/fetch.hpp), ready for `stele validate` and `stele input build`.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/core/hex.hpp>
#include <thread>
#include <witness-rpc/fetch.hpp>

#include "commands.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
struct FetchOptions
{
    std::string rpc, block, out, via = "witness", chain_config, cache;
    int retries = 5, timeout = 60, concurrency = 8, batch = 32;
    bool json = false;
};

bool write_text(const std::string& path, const std::string& text)
{
    std::ofstream f{path, std::ios::binary | std::ios::trunc};
    f << text;
    return static_cast<bool>(f.flush());
}

int run_fetch(const FetchOptions& o)
{
    const auto t0 = std::chrono::steady_clock::now();
    witness::FetchVia via = witness::FetchVia::witness;
    if (o.via == "proofs")
        via = witness::FetchVia::proofs;
    else if (o.via == "complete")
        via = witness::FetchVia::complete;
    witness::RpcClientOptions ro;
    ro.retries = o.retries;
    ro.timeout_seconds = o.timeout;
    ro.concurrency = o.concurrency;
    ro.batch = o.batch;
    ro.cache_dir = o.cache;
    std::string err;
    auto rpc = witness::RpcClient::open(o.rpc, ro, err);
    if (!rpc)
    {
        std::fprintf(stderr, "%s\n", err.c_str());
        return 3;
    }
    // A progress line on a terminal while requests run.
    std::atomic<bool> done{false};
    std::thread progress;
    if (isatty(STDERR_FILENO) == 1)
        progress = std::thread{[&]
            {
                while (!done)
                {
                    const auto& s = rpc->stats();
                    std::fprintf(stderr,
                        "\r%llu requests, %.1f MB, %llu cache hits, %llu retries\033[K",
                        static_cast<unsigned long long>(s.requests.load()),
                        static_cast<double>(s.bytes.load()) / 1e6,
                        static_cast<unsigned long long>(s.cache_hits.load()),
                        static_cast<unsigned long long>(s.retries.load()));
                    std::this_thread::sleep_for(std::chrono::milliseconds{200});
                }
                std::fprintf(stderr, "\r\033[K");
            }};
    const auto finish = [&](int code, const std::string& message)
    {
        done = true;
        if (progress.joinable())
            progress.join();
        if (!message.empty())
            std::fprintf(stderr, "witness fetch: %s\n", message.c_str());
        return code;
    };

    bytes rlp;
    chain::Block block;
    if (!witness::fetch_block(*rpc, o.block, rlp, block, err))
        return finish(2, err);
    witness::ChainSpec spec;
    witness::FetchReport report;
    if (!witness::fetch_chain_config(
            *rpc, o.chain_config, spec, report.config_source, err, block.header.timestamp))
        return finish(2, err);
    witness::ExecutionWitness w;
    if (!witness::fetch_witness(
            *rpc, block, spec.config, recover_address_host, via, w, report, err))
        return finish(2, err);
    std::string config_json = spec.source_json;
    if (config_json.empty() && !witness::chain_config_to_json(spec.config, config_json).ok())
        return finish(3, "the chain configuration cannot be written as geth's config");
    std::error_code ec;
    std::filesystem::create_directories(o.out, ec);
    if (ec || !write_text(o.out + "/block.rlp", to_hex0x(rlp) + "\n") ||
        !write_text(o.out + "/witness.json", witness::to_json(w) + "\n") ||
        !write_text(o.out + "/chain-config.json", config_json + "\n"))
        return finish(3, "cannot write into " + o.out);
    finish(0, "");
    const auto& s = rpc->stats();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (o.json)
    {
        const nlohmann::ordered_json j = {{"block", block.header.number},
            {"hash", to_hex0x(block.header.hash.view())}, {"via", o.via},
            {"verdict", report.verdict}, {"chain_config", report.config_source},
            {"state_nodes", w.state.size()}, {"codes", w.codes.size()},
            {"headers", w.headers.size()}, {"rounds", report.rounds}, {"proofs", report.proofs},
            {"codes_fetched", report.codes}, {"headers_fetched", report.headers},
            {"sibling_searches", report.sibling_searches}, {"added_nodes", report.added_nodes},
            {"added_codes", report.added_codes}, {"requests", s.requests.load()},
            {"bytes", s.bytes.load()}, {"cache_hits", s.cache_hits.load()},
            {"retries", s.retries.load()}, {"seconds", secs}, {"out", o.out}};
        std::printf("%s\n", j.dump().c_str());
    }
    else
    {
        std::printf("block %llu %s: %s (chain config from %s)\n",
            static_cast<unsigned long long>(block.header.number),
            to_hex0x(block.header.hash.view()).c_str(), report.verdict.c_str(),
            report.config_source.c_str());
        std::printf("witness (via %s): %zu state nodes, %zu codes, %zu headers", o.via.c_str(),
            w.state.size(), w.codes.size(), w.headers.size());
        if (via != witness::FetchVia::witness)
            std::printf(
                "; %zu validation rounds, %zu proofs, %zu codes, %zu headers fetched, "
                "%zu sibling searches",
                report.rounds, report.proofs, report.codes, report.headers,
                report.sibling_searches);
        if (via == witness::FetchVia::complete)
            std::printf("; added to the node's witness: %zu nodes, %zu codes", report.added_nodes,
                report.added_codes);
        std::printf("\n%llu requests, %.1f MB, %llu cache hits, %llu retries, %.2f s; wrote %s/\n",
            static_cast<unsigned long long>(s.requests.load()),
            static_cast<double>(s.bytes.load()) / 1e6,
            static_cast<unsigned long long>(s.cache_hits.load()),
            static_cast<unsigned long long>(s.retries.load()), secs, o.out.c_str());
    }
    return 0;
}
}  // namespace

void register_witness_fetch(CLI::App& app, int& exit_code)
{
    auto o = std::make_shared<FetchOptions>();
    auto* f = app.get_subcommand("witness")->add_subcommand("fetch",
        "Fetch block.rlp, witness.json (canonical) and chain-config.json of one block from a "
        "node's JSON-RPC endpoint");
    f->add_option("--rpc", o->rpc, "The node: http[s]://host[:port][/path]")->required();
    f->add_option("--block", o->block, "Block number, latest, or block hash")->required();
    f->add_option("--out", o->out, "Output directory (created if needed)")->required();
    f->add_option("--via", o->via,
         "witness: the node's debug_executionWitness, made canonical; proofs: eth_getProof / "
         "eth_getCode only (no debug API); complete: the node's witness plus what it lacks")
        ->check(CLI::IsMember({"witness", "proofs", "complete"}))
        ->capture_default_str();
    f->add_option("--chain-config", o->chain_config,
        "Chain configuration (built-in name or geth genesis / config file) instead of asking the "
        "node (debug_chainConfig, else eth_chainId's built-in network)");
    f->add_option("--cache", o->cache,
        "Directory caching answers to immutable queries: a second run does no network work");
    f->add_option("--retries", o->retries, "Retries per request (timeouts, 429, 5xx)")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    f->add_option("--timeout", o->timeout, "Seconds per request")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    f->add_option("--concurrency", o->concurrency, "Parallel requests")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    f->add_option("--batch", o->batch, "Calls per JSON-RPC batch request (1: no batches)")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    f->add_flag("--json", o->json, "One JSON summary line");
    f->footer(
        "Exit status: 0 written; 2 the node's data is missing, wrong or unreachable (the "
        "message says which); 3 bad usage or output directory.");
    f->callback([o, &exit_code] { exit_code = run_fetch(*o); });
}
}  // namespace stele::cli
