// `stele witness fetch` against stele's own server on loopback (label rpc):
//  - a fixed sample of EEST chains: for every block, the witness built from eth_getProof alone
//    (--via proofs) is byte-identical to the server's canonical debug_executionWitness
//    (--via witness), and `stele validate` accepts it;
//  - through a fault-injecting proxy (delays, 429, 503, truncated and non-JSON-RPC answers) the
//    fetch retries and ends with the same witness; a tampered proof ends in a clear error and no
//    witness file; a node that never answers well ends in an error after the retries, not a hang;
//  - --cache: a second run does no network work.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <witness-rpc/fetch.hpp>

#include "../common/paths.hpp"
#include "../common/process.hpp"
#include "serve_process.hpp"

using namespace stele;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace
{
std::string slurp(const std::string& p)
{
    std::ifstream in{p};
    return {std::istreambuf_iterator<char>{in}, {}};
}

using Server = test::ServeProcess;

// Imports the first test of an EEST file; the head block number, or 0.
uint64_t import(const fs::path& file, const std::string& datadir)
{
    std::ifstream in{file};
    const json all = json::parse(in, nullptr, false);
    if (!all.is_object() || all.empty())
        return 0;
    const auto r = test::run_process({test::stele_cli(), "chain", "import", "--datadir", datadir,
        "--test", all.begin().key(), file.string()});
    const size_t at = r.out.find("head ");
    return at == std::string::npos ? 0 : std::stoull(r.out.substr(at + 5));
}

test::ProcessResult fetch(const std::string& url, uint64_t n, const std::string& out,
    const std::string& via, std::vector<std::string> extra = {})
{
    std::vector<std::string> args = {test::stele_cli(), "witness", "fetch", "--rpc", url, "--block",
        std::to_string(n), "--out", out, "--via", via, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::run_process(args, {}, std::chrono::seconds{120});
}

fs::path eest_root()
{
    return fs::path{test::fixture_dir("eest")} / "blockchain_tests";
}
}  // namespace

TEST(WitnessFetch, ProofsGiveTheServersCanonicalWitnessOnEestChains)
{
    if (!fs::exists(eest_root()))
        GTEST_SKIP() << "no EEST fixtures at " << eest_root();
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(eest_root()))
        if (e.path().extension() == ".json")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    size_t blocks = 0, chains = 0, siblings = 0;
    // Every 45th file: a fixed sample over all forks and directories.
    for (size_t i = 0; i < files.size(); i += 45)
    {
        const std::string dir = test::scratch_dir("fetch_eest_" + std::to_string(i));
        const uint64_t head = import(files[i], dir + "/db");
        if (head == 0)
            continue;
        Server s{dir + "/db"};
        ASSERT_GT(s.port, 0) << files[i];
        ++chains;
        for (uint64_t n = 1; n <= head; ++n)
        {
            const auto w = fetch(s.url(), n, dir + "/w", "witness");
            const auto p = fetch(s.url(), n, dir + "/p", "proofs");
            ASSERT_EQ(w.exit_code, 0) << files[i] << " block " << n << ": " << w.err;
            ASSERT_EQ(p.exit_code, 0) << files[i] << " block " << n << ": " << p.err;
            EXPECT_EQ(slurp(dir + "/w/witness.json"), slurp(dir + "/p/witness.json"))
                << files[i] << " block " << n;
            const auto v = test::run_process(
                {test::stele_cli(), "validate", "--block", dir + "/p/block.rlp", "--witness",
                    dir + "/p/witness.json", "--chain-config", dir + "/p/chain-config.json"});
            EXPECT_EQ(v.exit_code, 0) << files[i] << " block " << n << ": " << v.out << v.err;
            siblings += json::parse(p.out, nullptr, false).value("sibling_searches", 0);
            ++blocks;
        }
    }
    std::printf(
        "fetch: %zu blocks of %zu EEST chains, proofs == witness, all accepted; %zu "
        "collapse-sibling searches\n",
        blocks, chains, siblings);
    EXPECT_GT(blocks, 20u);
}

namespace
{
// A proxy in front of the server that injects one fault per request by a fixed cycle.
class FaultProxy
{
public:
    enum Mode
    {
        transient,  // delays, 429, 503, truncated and non-JSON-RPC answers, then passthrough
        tamper,     // eth_getProof answers with a changed balance
        broken,     // 503 always
        no_debug,   // a node without the debug API: -32601 for every debug_ method
        thin,       // debug_executionWitness loses every third state node and its first code
        no_batch,   // a batch body gets one error object, as from nodes without batches
    };
    FaultProxy(int upstream, Mode mode) : m_upstream{upstream}, m_mode{mode}
    {
        m_http.Post("/",
            [this](const httplib::Request& req, httplib::Response& res)
            {
                const unsigned k = m_count++;
                if (m_mode == broken)
                {
                    res.status = 503;
                    return;
                }
                if (m_mode == no_batch && !req.body.empty() && req.body[0] == '[')
                {
                    res.set_content(
                        R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported"}})",
                        "application/json");
                    return;
                }
                if (m_mode == no_debug && req.body.find("\"debug_") != std::string::npos)
                {
                    res.set_content(
                        R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method does not exist/is not available"}})",
                        "application/json");
                    return;
                }
                if (m_mode == transient)
                    switch (k % 6)
                    {
                        case 0:
                            std::this_thread::sleep_for(std::chrono::milliseconds{150});
                            break;
                        case 1:
                            res.status = 429;
                            return;
                        case 2:
                            res.status = 503;
                            return;
                        case 3:
                            res.set_content(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"res", "application/json");
                            return;
                        case 4:
                            res.set_content("[1,2,3]", "application/json");
                            return;
                        default:
                            break;
                    }
                httplib::Client up{"127.0.0.1", m_upstream};
                const auto r = up.Post("/", req.body, "application/json");
                if (!r)
                {
                    res.status = 502;
                    return;
                }
                std::string body = r->body;
                if (m_mode == thin && req.body.find("debug_executionWitness") != std::string::npos)
                {
                    json j = json::parse(body, nullptr, false);
                    if (j.contains("result") && j["result"].is_object())
                    {
                        json& w = j["result"];
                        json kept = json::array();
                        for (size_t i = 0; i < w["state"].size(); ++i)
                            if (i % 3 != 0)
                                kept.push_back(w["state"][i]);
                        w["state"] = kept;
                        if (!w["codes"].empty())
                            w["codes"].erase(w["codes"].begin());
                        body = j.dump();
                    }
                }
                if (m_mode == tamper && req.body.find("eth_getProof") != std::string::npos)
                {
                    json j = json::parse(body, nullptr, false);
                    // A single answer or a batch: every proven balance changes.
                    const auto tamper_one = [](json& a)
                    {
                        if (a.is_object() && a.contains("result") && a["result"].is_object() &&
                            a["result"].contains("balance"))
                            a["result"]["balance"] = "0x123456789";
                    };
                    if (j.is_array())
                        for (json& a : j)
                            tamper_one(a);
                    else
                        tamper_one(j);
                    body = j.dump();
                }
                res.set_content(body, "application/json");
            });
        port = m_http.bind_to_any_port("127.0.0.1");
        m_thread = std::thread{[this] { m_http.listen_after_bind(); }};
    }
    ~FaultProxy()
    {
        m_http.stop();
        m_thread.join();
    }
    int port = 0;

private:
    int m_upstream;
    Mode m_mode;
    std::atomic<unsigned> m_count{0};
    httplib::Server m_http;
    std::thread m_thread;
};

// A chain with state to prove: the first EEST file (sorted) whose chain has blocks.
struct Chain
{
    std::string dir;
    uint64_t head = 0;
};
Chain some_chain(const std::string& name)
{
    Chain c;
    c.dir = test::scratch_dir(name);
    const fs::path f = eest_root() / "shanghai" / "eip4895_withdrawals" /
                       "test_multiple_withdrawals_same_address.json";
    if (fs::exists(f))
        c.head = import(f, c.dir + "/db");
    return c;
}
}  // namespace

TEST(WitnessFetch, FaultsEndInRetriesOrClearErrors)
{
    const Chain c = some_chain("fetch_faults");
    if (c.head == 0)
        GTEST_SKIP() << "no EEST chain to serve";
    Server s{c.dir + "/db"};
    ASSERT_GT(s.port, 0);
    const auto direct = fetch(s.url(), c.head, c.dir + "/direct", "proofs");
    ASSERT_EQ(direct.exit_code, 0) << direct.err;
    {
        FaultProxy proxy{s.port, FaultProxy::transient};
        const auto r = fetch("http://127.0.0.1:" + std::to_string(proxy.port), c.head,
            c.dir + "/faulty", "proofs", {"--retries", "8", "--concurrency", "2"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(slurp(c.dir + "/faulty/witness.json"), slurp(c.dir + "/direct/witness.json"));
        EXPECT_GT(json::parse(r.out, nullptr, false).value("retries", 0), 0) << r.out;
    }
    {
        FaultProxy proxy{s.port, FaultProxy::no_batch};
        const auto r = fetch(
            "http://127.0.0.1:" + std::to_string(proxy.port), c.head, c.dir + "/nobatch", "proofs");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(slurp(c.dir + "/nobatch/witness.json"), slurp(c.dir + "/direct/witness.json"));
    }
    {
        FaultProxy proxy{s.port, FaultProxy::tamper};
        const auto r = fetch("http://127.0.0.1:" + std::to_string(proxy.port), c.head,
            c.dir + "/tampered", "proofs");
        EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
        EXPECT_NE(r.err.find("eth_getProof"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(c.dir + "/tampered/witness.json"));
    }
    {
        FaultProxy proxy{s.port, FaultProxy::broken};
        const auto t0 = std::chrono::steady_clock::now();
        const auto r = fetch("http://127.0.0.1:" + std::to_string(proxy.port), c.head,
            c.dir + "/broken", "witness", {"--retries", "3"});
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("HTTP 503"), std::string::npos) << r.err;
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds{30});
    }
    {
        // Nothing listens: a transport error after the retries.
        const auto r =
            fetch("http://127.0.0.1:1", c.head, c.dir + "/nowhere", "witness", {"--retries", "1"});
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("no answer"), std::string::npos) << r.err;
    }
}

TEST(WitnessFetch, CacheMakesTheSecondRunOffline)
{
    const Chain c = some_chain("fetch_cache");
    if (c.head == 0)
        GTEST_SKIP() << "no EEST chain to serve";
    Server s{c.dir + "/db"};
    ASSERT_GT(s.port, 0);
    const std::string cache = c.dir + "/cache";
    const auto first = fetch(s.url(), c.head, c.dir + "/a", "proofs", {"--cache", cache});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto second = fetch(s.url(), c.head, c.dir + "/b", "proofs", {"--cache", cache});
    ASSERT_EQ(second.exit_code, 0) << second.err;
    const json j = json::parse(second.out, nullptr, false);
    EXPECT_EQ(j.value("requests", -1), 0) << second.out;
    EXPECT_GT(j.value("cache_hits", 0), 0) << second.out;
    EXPECT_EQ(slurp(c.dir + "/a/witness.json"), slurp(c.dir + "/b/witness.json"));
    // Batches: the prefetched proofs of the first run went out in one request.
    const json a = json::parse(first.out, nullptr, false);
    EXPECT_LT(a.value("requests", 0),
        3 + a.value("proofs", 0) + a.value("codes_fetched", 0) + a.value("headers_fetched", 0))
        << first.out;
    // Without batches, the same witness.
    const auto single = fetch(s.url(), c.head, c.dir + "/c", "proofs", {"--batch", "1"});
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_EQ(slurp(c.dir + "/a/witness.json"), slurp(c.dir + "/c/witness.json"));
}

// A block whose storage deletions collapse a branch: the sibling no proof of a named key reaches
// is found by a key searched for its path, and the witness is still the server's.
TEST(WitnessFetch, CollapseSiblingBySearchedKey)
{
    const fs::path f = eest_root() / "static" / "state_tests" / "stTransactionTest" /
                       "StoreClearsAndInternalCallStoreClearsOOG.json";
    if (!fs::exists(f))
        GTEST_SKIP() << "no fixture " << f;
    const std::string dir = test::scratch_dir("fetch_sibling");
    ASSERT_GE(import(f, dir + "/db"), 1u);
    Server s{dir + "/db"};
    ASSERT_GT(s.port, 0);
    const auto w = fetch(s.url(), 1, dir + "/w", "witness");
    const auto p = fetch(s.url(), 1, dir + "/p", "proofs");
    ASSERT_EQ(w.exit_code, 0) << w.err;
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_GE(json::parse(p.out, nullptr, false).value("sibling_searches", 0), 1) << p.out;
    EXPECT_EQ(slurp(dir + "/w/witness.json"), slurp(dir + "/p/witness.json"));
}

// A node without the debug API: the block comes from eth_getBlockByNumber (re-encoded, checked
// against its hash), the chain configuration from --chain-config, the witness from proofs.
TEST(WitnessFetch, NoDebugApi)
{
    const Chain c = some_chain("fetch_nodebug");
    if (c.head == 0)
        GTEST_SKIP() << "no EEST chain to serve";
    Server s{c.dir + "/db"};
    ASSERT_GT(s.port, 0);
    const auto direct = fetch(s.url(), c.head, c.dir + "/direct", "witness");
    ASSERT_EQ(direct.exit_code, 0) << direct.err;
    FaultProxy proxy{s.port, FaultProxy::no_debug};
    const std::string url = "http://127.0.0.1:" + std::to_string(proxy.port);
    const auto w = fetch(url, c.head, c.dir + "/w", "witness",
        {"--chain-config", c.dir + "/direct/chain-config.json"});
    EXPECT_EQ(w.exit_code, 2);
    EXPECT_NE(w.err.find("debug_executionWitness"), std::string::npos) << w.err;
    const auto p = fetch(url, c.head, c.dir + "/p", "proofs",
        {"--chain-config", c.dir + "/direct/chain-config.json"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(slurp(c.dir + "/p/witness.json"), slurp(c.dir + "/direct/witness.json"));
    EXPECT_EQ(slurp(c.dir + "/p/block.rlp"), slurp(c.dir + "/direct/block.rlp"));
    // No debug API and no --chain-config: the rules come from eth_config (EIP-7910), and the
    // proofs-built witness is still the server's canonical one and validates.
    const auto e = fetch(url, c.head, c.dir + "/e", "proofs");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_NE(e.out.find("\"chain_config\":\"eth_config\""), std::string::npos) << e.out;
    EXPECT_EQ(slurp(c.dir + "/e/witness.json"), slurp(c.dir + "/direct/witness.json"));
    const auto v = test::run_process(
        {test::stele_cli(), "validate", "--block", c.dir + "/e/block.rlp", "--witness",
            c.dir + "/e/witness.json", "--chain-config", c.dir + "/e/chain-config.json"});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST(WitnessFetch, EthConfigGivesTheCurrentForksRules)
{
    // Hand-written in EIP-7910's shape: mainnet at Osaka with BPO1 next (the fork ids are
    // placeholders; the reader does not use them).
    const auto cfg = nlohmann::json::parse(R"({
      "current": {"activationTime": 1764798551, "chainId": "0x1", "forkId": "0x5167e2a6",
        "blobSchedule": {"baseFeeUpdateFraction": 5007716, "max": 9, "target": 6},
        "precompiles": {"ECREC": "0x0000000000000000000000000000000000000001",
          "BLS12_PAIRING_CHECK": "0x000000000000000000000000000000000000000f",
          "KZG_POINT_EVALUATION": "0x000000000000000000000000000000000000000a",
          "P256VERIFY": "0x0000000000000000000000000000000000000100"},
        "systemContracts": {"DEPOSIT_CONTRACT_ADDRESS": "0x00000000219ab540356cbb839cbe05303d7705fa",
          "HISTORY_STORAGE_ADDRESS": "0x0000f90827f1c53a10cb7a02335b175320002935"}},
      "next": {"activationTime": 1765290071, "chainId": "0x1", "forkId": "0xcba2a1c0",
        "blobSchedule": {"baseFeeUpdateFraction": 8346193, "max": 15, "target": 10},
        "precompiles": {"P256VERIFY": "0x0000000000000000000000000000000000000100"},
        "systemContracts": {}},
      "last": null})");
    witness::ChainSpec spec;
    std::string error;
    ASSERT_TRUE(witness::chain_config_from_eth_config(cfg, 1765000000, spec, error)) << error;
    EXPECT_EQ(spec.config.chain_id, 1u);
    EXPECT_EQ(spec.config.rules_at(0, 1765000000).fork, stele::Fork::Osaka);
    EXPECT_EQ(spec.config.rules_at(0, 1765000000).blob.max, 9u);
    EXPECT_EQ(spec.config.rules_at(0, 1765290071).blob.max, 15u);  // BPO1 from its time on
    // Older blocks are not described; unknown system contracts are a fork stele lacks.
    EXPECT_FALSE(witness::chain_config_from_eth_config(cfg, 1764798550, spec, error));
    EXPECT_NE(error.find("--chain-config"), std::string::npos) << error;
    auto later = cfg;
    later["current"]["systemContracts"]["BUILDER_DEPOSIT_REQUEST_PREDEPLOY_ADDRESS"] = "0x01";
    EXPECT_FALSE(witness::chain_config_from_eth_config(later, 1765000000, spec, error));
    EXPECT_NE(error.find("BUILDER_DEPOSIT"), std::string::npos) << error;
}

// An incomplete debug_executionWitness: --via witness says what is missing, --via complete
// adds exactly what the execution needs and says how much.
TEST(WitnessFetch, CompleteRepairsAThinWitness)
{
    const Chain c = some_chain("fetch_thin");
    if (c.head == 0)
        GTEST_SKIP() << "no EEST chain to serve";
    Server s{c.dir + "/db"};
    ASSERT_GT(s.port, 0);
    const auto direct = fetch(s.url(), c.head, c.dir + "/direct", "witness");
    ASSERT_EQ(direct.exit_code, 0) << direct.err;
    FaultProxy proxy{s.port, FaultProxy::thin};
    const std::string url = "http://127.0.0.1:" + std::to_string(proxy.port);
    const auto w = fetch(url, c.head, c.dir + "/w", "witness");
    EXPECT_EQ(w.exit_code, 2);
    EXPECT_NE(w.err.find("lacks data"), std::string::npos) << w.err;
    const auto r = fetch(url, c.head, c.dir + "/r", "complete");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(c.dir + "/r/witness.json"), slurp(c.dir + "/direct/witness.json"));
    const json j = json::parse(r.out, nullptr, false);
    EXPECT_GT(j.value("added_nodes", 0), 0) << r.out;
}
