// `stele witness serve` over HTTP, on a chain store of an EEST blockchain test (so it runs
// wherever the EEST fixtures are): the block objects and account state it serves agree with
// the fixture (blockHeader fields, postState), its witness validates, and malformed, oversized,
// batched and concurrent requests get JSON-RPC answers, never a crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/trie/trie.hpp>
#include <thread>

#include "../common/paths.hpp"
#include "../common/process.hpp"
#include "serve_process.hpp"

using namespace stele;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace
{
// A Shanghai test with value transfers in several blocks (EEST, withdrawals suite).
const char* kFixture =
    "blockchain_tests/shanghai/eip4895_withdrawals/test_multiple_withdrawals_same_address.json";

using Server = test::ServeProcess;

// A hex quantity without "0x" and leading zeros (EEST pads them, JSON-RPC does not).
std::string quantity(const json& v)
{
    if (!v.is_string())
        return "(not a string)";
    const std::string& s = v.get_ref<const std::string&>();
    const size_t first = s.find_first_not_of('0', 2);
    return first == std::string::npos ? std::string{"0"} : s.substr(first);
}

json post(httplib::Client& c, const std::string& body, int* status = nullptr)
{
    const auto r = c.Post("/", body, "application/json");
    if (!r)
        return json{{"transport_error", true}};
    if (status)
        *status = r->status;
    if (r->body.empty())
        return nullptr;
    return json::parse(r->body, nullptr, false);
}

std::string call(const std::string& method, const std::string& params)
{
    return R"({"jsonrpc":"2.0","id":7,"method":")" + method + R"(","params":)" + params + "}";
}

class RpcServerTest : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        const fs::path f = fs::path{test::fixture_dir("eest")} / kFixture;
        if (!fs::exists(f))
            return;
        std::ifstream in{f};
        const json all = json::parse(in);
        test_name = all.begin().key();
        fixture = all.begin().value();
        // Per process: ctest runs the tests of this suite in parallel processes.
        datadir = test::scratch_dir("rpc_server_store_" + std::to_string(getpid()));
        const auto r = test::run_process({test::stele_cli(), "chain", "import", "--datadir",
            datadir, "--test", test_name, f.string()});
        imported = r.exit_code == 0;
        import_log = r.out + r.err;
    }
    void SetUp() override
    {
        if (fixture.is_null())
            GTEST_SKIP() << "no EEST fixture " << kFixture;
        ASSERT_TRUE(imported) << import_log;
    }
    static inline json fixture;
    static inline std::string datadir, import_log, test_name;
    static inline bool imported = false;
};
}  // namespace

TEST_F(RpcServerTest, BlocksAndStateAgreeWithTheFixture)
{
    Server s{datadir};
    ASSERT_GT(s.port, 0);
    httplib::Client c{"127.0.0.1", s.port};
    size_t blocks = 0;
    for (const json& b : fixture["blocks"])
    {
        const json& h = b["blockHeader"];
        const json r =
            post(c, call("eth_getBlockByNumber", "[\"0x" + quantity(h["number"]) + "\",false]"));
        ASSERT_TRUE(r.contains("result")) << r.dump();
        const json& got = r["result"];
        // EEST header names → JSON-RPC names.
        for (const auto& [eest, rpc] : std::vector<std::pair<const char*, const char*>>{
                 {"hash", "hash"}, {"parentHash", "parentHash"}, {"stateRoot", "stateRoot"},
                 {"transactionsTrie", "transactionsRoot"}, {"receiptTrie", "receiptsRoot"},
                 {"withdrawalsRoot", "withdrawalsRoot"}, {"uncleHash", "sha3Uncles"},
                 {"coinbase", "miner"}, {"bloom", "logsBloom"}})
            EXPECT_EQ(got[rpc], h[eest]) << rpc;
        // Quantities: EEST writes them zero-padded, JSON-RPC without leading zeros.
        for (const auto& [eest, rpc] : std::vector<std::pair<const char*, const char*>>{
                 {"gasUsed", "gasUsed"}, {"gasLimit", "gasLimit"}, {"timestamp", "timestamp"},
                 {"baseFeePerGas", "baseFeePerGas"}})
            EXPECT_EQ(quantity(got[rpc]), quantity(h[eest])) << rpc;
        ++blocks;
    }
    EXPECT_GT(blocks, 0u);
    size_t accounts = 0;
    for (const auto& [addr, acc] : fixture["postState"].items())
    {
        const json bal = post(c, call("eth_getBalance", "[\"" + addr + "\",\"latest\"]"));
        EXPECT_EQ(quantity(bal["result"]), quantity(acc["balance"])) << addr;
        const json code = post(c, call("eth_getCode", "[\"" + addr + "\",\"latest\"]"));
        EXPECT_EQ(code["result"], acc["code"]) << addr;
        for (const auto& [k, v] : acc["storage"].items())
        {
            const json st = post(c, call("eth_getStorageAt", "[\"" + addr + "\",\"" + k + "\"]"));
            EXPECT_EQ(quantity(st["result"]), quantity(v)) << addr << "[" << k << "]";
        }
        ++accounts;
    }
    EXPECT_GT(accounts, 0u);
    EXPECT_TRUE(s.alive());
}

// EIP-1186: the proofs verify against the block's state root (a trie built from the proof
// nodes alone resolves the account and the slots), and the values agree with the fixture.
TEST_F(RpcServerTest, ProofsVerifyAgainstTheStateRoot)
{
    Server s{datadir};
    ASSERT_GT(s.port, 0);
    httplib::Client c{"127.0.0.1", s.port};
    const json latest = post(c, call("eth_getBlockByNumber", "[\"latest\",false]"));
    const auto root =
        hash256::from(*from_hex(latest["result"]["stateRoot"].get<std::string>().substr(2)));
    size_t proved = 0;
    for (const auto& [addr, acc] : fixture["postState"].items())
    {
        json keys = json::array();
        for (const auto& [k, v] : acc["storage"].items())
            keys.push_back(k);
        const json p =
            post(c, call("eth_getProof", "[\"" + addr + "\"," + keys.dump() + ",\"latest\"]"));
        ASSERT_TRUE(p.contains("result")) << p.dump().substr(0, 300);
        const json& r = p["result"];
        EXPECT_EQ(quantity(r["balance"]), quantity(acc["balance"])) << addr;
        EXPECT_EQ(quantity(r["nonce"]), quantity(acc["nonce"])) << addr;
        trie::NodeStore nodes;
        std::vector<bytes> kept;
        for (const json& n : r["accountProof"])
            kept.push_back(*from_hex(n.get<std::string>().substr(2)));
        for (const bytes& n : kept)
            nodes.add(n);
        trie::Trie t{&nodes, root};
        const auto addr_bytes = *from_hex(addr.substr(2));
        const trie::GetResult g = t.get(keccak256(addr_bytes).view());
        ASSERT_TRUE(g.status.ok()) << addr << ": the account proof does not resolve the path";
        ASSERT_TRUE(g.found) << addr;
        rlp::Decoder d{g.value};
        rlp::Decoder l = d.list();
        (void)l.u64();
        (void)l.uint_be(32);
        const hash256 storage_root = l.fixed<32>();
        EXPECT_EQ(to_hex0x(storage_root.view()), r["storageHash"].get<std::string>()) << addr;
        for (const json& sp : r["storageProof"])
        {
            trie::NodeStore snodes;
            std::vector<bytes> skept;
            for (const json& n : sp["proof"])
                skept.push_back(*from_hex(n.get<std::string>().substr(2)));
            for (const bytes& n : skept)
                snodes.add(n);
            trie::Trie st{&snodes, storage_root};
            std::string key = sp["key"].get<std::string>().substr(2);
            key.insert(0, 64 - key.size(), '0');
            const trie::GetResult sg = st.get(keccak256(*from_hex(key)).view());
            ASSERT_TRUE(sg.status.ok()) << addr << " slot " << sp["key"];
            EXPECT_EQ(
                quantity(sp["value"]), quantity(acc["storage"][sp["key"].get<std::string>()]));
        }
        ++proved;
    }
    EXPECT_GT(proved, 0u);
}

TEST_F(RpcServerTest, ServedWitnessValidates)
{
    Server s{datadir};
    ASSERT_GT(s.port, 0);
    httplib::Client c{"127.0.0.1", s.port};
    const json head = post(c, call("eth_blockNumber", "[]"));
    const std::string n = head["result"];
    const json w = post(c, call("debug_executionWitness", "[\"" + n + "\"]"));
    const json raw = post(c, call("debug_getRawBlock", "[\"" + n + "\"]"));
    ASSERT_TRUE(w.contains("result")) << w.dump();
    EXPECT_FALSE(w["result"].contains("keys"));  // canonical: no keys
    const json legacy = post(c, call("debug_executionWitness", "[\"" + n + "\",\"legacy\"]"));
    EXPECT_TRUE(legacy["result"].contains("keys")) << legacy.dump().substr(0, 200);
    const std::string dir = test::scratch_dir("rpc_served_witness");
    std::ofstream{dir + "/w.json"} << w.dump();
    std::ofstream{dir + "/b.rlp"} << raw["result"].get<std::string>();
    // The test's chain configuration as geth's config object: what `stele witness generate`
    // writes for the same test.
    const auto gen = test::run_process({test::stele_cli(), "witness", "generate",
        (fs::path{test::fixture_dir("eest")} / kFixture).string(), "--test", test_name, "--block",
        std::to_string(std::stoull(n, nullptr, 16)), "--out", dir + "/gen"});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const auto v = test::run_process({test::stele_cli(), "validate", "--block", dir + "/b.rlp",
        "--witness", dir + "/w.json", "--chain-config", dir + "/gen/chain-config.json"});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    // The store's generator and the in-memory generator agree byte for byte.
    std::ifstream g{dir + "/gen/witness.json"};
    EXPECT_EQ(json::parse(g), w["result"]);
    const json genesis = post(c, call("debug_executionWitness", "[\"0x0\"]"));
    EXPECT_EQ(genesis["error"]["code"], -32000);
    const json pending = post(c, call("debug_executionWitness", "[\"pending\"]"));
    EXPECT_EQ(pending["error"]["code"], -32000);
}

TEST_F(RpcServerTest, MalformedOversizedAndBatched)
{
    Server s{datadir, {"--http.body-limit", "4096", "--rpc.batch-request-limit", "5"}};
    ASSERT_GT(s.port, 0);
    httplib::Client c{"127.0.0.1", s.port};
    EXPECT_EQ(post(c, "{\"jsonrpc\":")["error"]["code"], -32700);
    EXPECT_EQ(post(c, "[]")["error"]["code"], -32600);
    EXPECT_EQ(post(c, "42")["error"]["code"], -32600);
    EXPECT_EQ(
        post(c, R"({"jsonrpc":"1.0","id":1,"method":"eth_chainId"})")["error"]["code"], -32600);
    EXPECT_EQ(post(c, call("eth_nope", "[]"))["error"]["code"], -32601);
    EXPECT_EQ(post(c, call("eth_getBlockByNumber", "[\"12\",false]"))["error"]["message"],
        "invalid argument 0: hex string without 0x prefix");
    EXPECT_EQ(post(c, call("eth_getBalance", "[\"0x00\",\"latest\"]"))["error"]["code"], -32602);
    EXPECT_EQ(post(c, call("eth_getBalance", "[]"))["error"]["code"], -32602);
    EXPECT_EQ(post(c, call("eth_getBalance",
                          "[\"0x" + std::string(40, '1') + "\",\"0x99999\"]"))["error"]["message"],
        "header not found");
    EXPECT_EQ(post(c, call("eth_getBlockByNumber", "[\"0x99999\",false]"))["result"], nullptr);
    // A notification gets no response body.
    int status = 0;
    EXPECT_EQ(post(c, R"({"jsonrpc":"2.0","method":"eth_chainId"})", &status), nullptr);
    EXPECT_EQ(status, 204);
    // Batches: answers in order, limited in count.
    std::string three = "[";
    three.append(call("eth_chainId", "[]")).append(",").append(call("eth_nope", "[]"));
    three.append(",5]");
    const json batch = post(c, three);
    ASSERT_TRUE(batch.is_array()) << batch.dump();
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_TRUE(batch[0].contains("result"));
    EXPECT_EQ(batch[1]["error"]["code"], -32601);
    EXPECT_EQ(batch[2]["error"]["code"], -32600);
    std::string six = "[";
    for (int i = 0; i < 6; ++i)
        six.append(i ? "," : "").append(call("eth_chainId", "[]"));
    six.append("]");
    EXPECT_EQ(post(c, six)["error"]["code"], -32600);
    // An oversized body: a JSON-RPC error, and the server keeps serving.
    const json big = post(c, call("eth_chainId", "[\"" + std::string(8000, 'a') + "\"]"));
    EXPECT_EQ(big["error"]["code"], -32600) << big.dump().substr(0, 200);
    // Garbage bytes and deep nesting.
    EXPECT_EQ(post(c, std::string("\xff\xfe\x00\x01", 4))["error"]["code"], -32700);
    EXPECT_EQ(post(c, std::string(3000, '[') + std::string(3000, ']'))["error"]["code"], -32600);
    Server roomy{datadir};  // the default 5 MiB body: a million levels of nesting
    httplib::Client c2{"127.0.0.1", roomy.port};
    EXPECT_EQ(post(c2, std::string(1000000, '['))["error"]["code"], -32600);
    EXPECT_TRUE(roomy.alive());
    EXPECT_TRUE(s.alive());
    EXPECT_TRUE(post(c, call("eth_chainId", "[]")).contains("result"));
}

TEST_F(RpcServerTest, ConcurrentClients)
{
    Server s{datadir};
    ASSERT_GT(s.port, 0);
    std::atomic<int> ok{0}, bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back(
            [&, t]
            {
                httplib::Client c{"127.0.0.1", s.port};
                for (int i = 0; i < 25; ++i)
                {
                    const json r =
                        post(c, i % 3 == 0   ? call("debug_executionWitness", "[\"latest\"]")
                                : i % 3 == 1 ? call("eth_getBlockByNumber", "[\"0x1\",true]")
                                             : std::string{"{bad json"} + std::to_string(t));
                    ((i % 3 == 2 ? r.contains("error") : r.contains("result")) ? ok : bad)++;
                }
            });
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(ok.load(), 200);
    EXPECT_TRUE(s.alive());
}
