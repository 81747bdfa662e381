// Real history: mainnet blocks 0..8191 from nimbus's era1 archive (real-blocks.tar.zst), with the
// mainnet genesis allocation of @ethereumjs/genesis (tests/oracle, installed by scripts/setup).
//  - The import executes and validates every block (the state root of every header, rewards
//    and uncles included) and must reach block 8191.
//  - For a sample of blocks across the range, the witness the JSON-RPC server generates from the
//    store validates with `stele validate --chain-config mainnet`.
//  - `kill -9` at arbitrary moments of the import leaves a store that opens, is consistent
//    (contiguous canonical index, the head's state root resolvable), and resumes to the end.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <thread>
#include <witness-rpc/genesis_allocs.hpp>
#include <witness-rpc/rpc_server.hpp>
#include <witness-rpc/store.hpp>

#include "../common/paths.hpp"
#include "../common/process.hpp"

extern char** environ;

using namespace stele;
namespace fs = std::filesystem;

namespace
{
fs::path era1_file()
{
    return fs::path{test::fixture_dir("realblocks")} / "real-blocks" / "nimbus" /
           "mainnet-00000-5ec1ffb8.era1";
}

// The mainnet alloc as geth JSON, written once per test binary run; "" (and why) if Node.js or
// the package is missing.
std::string mainnet_alloc(std::string& why)
{
    const fs::path script = fs::path{STELE_SOURCE_DIR} / "tests" / "oracle" / "genesis-alloc.mjs";
    const fs::path out =
        fs::path{test::scratch_dir("mainnet_alloc_" + std::to_string(getpid()))} / "alloc.json";
    const auto r = test::run_process({"/usr/bin/env", "node", script.string(), "mainnet"});
    if (r.exit_code != 0 || r.out.size() < 100000)
    {
        why =
            "node tests/oracle/genesis-alloc.mjs mainnet failed (Node.js and "
            "tests/oracle/node_modules come from scripts/setup): " +
            r.err.substr(0, 300);
        return {};
    }
    std::ofstream{out} << r.out;
    return out.string();
}

// No sender recovery is needed: blocks 0..8191 hold no transactions.
const chain::RecoverFn kNoRecover = nullptr;

void expect_consistent(const std::string& datadir, uint64_t& head)
{
    head = 0;
    if (!fs::exists(fs::path{datadir} / "data.mdb"))
        return;  // killed before LMDB created its file: nothing was written
    std::string err;
    auto store = witness::ChainStore::open(datadir, false, err);
    ASSERT_TRUE(store) << err;
    if (!store->has_head())
        return;  // killed before the genesis batch committed: an empty store
    head = store->head();
    for (uint64_t n = 0; n <= head; ++n)
        ASSERT_TRUE(store->canonical_hash(n)) << "block " << n << " of head " << head;
    const auto h = store->header_rlp(*store->canonical_hash(head));
    ASSERT_TRUE(h);
    chain::BlockHeader hd;
    ASSERT_EQ(chain::decode_header(*h, hd), chain::Error::ok);
    EXPECT_TRUE(store->node(hd.state_root)) << "head " << head << ": state root not stored";
}
}  // namespace

TEST(ChainHistory, MainnetEra1ImportAndServedWitnesses)
{
    ASSERT_TRUE(fs::exists(era1_file()));
    std::string why;
    const std::string alloc = mainnet_alloc(why);
    if (alloc.empty())
        GTEST_SKIP() << why;
    const std::string datadir = test::scratch_dir("history_store");
    const auto imp =
        test::run_process({test::stele_cli(), "chain", "import", "--datadir", datadir, "--chain",
            "mainnet", "--genesis-alloc", alloc, "--batch-blocks", "1000", era1_file().string()});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    EXPECT_NE(imp.out.find("imported 8191 blocks (1 already stored)"), std::string::npos)
        << imp.out;
    EXPECT_NE(imp.out.find("head 8191"), std::string::npos) << imp.out;

    std::string err;
    auto store = witness::ChainStore::open_configured(datadir, kNoRecover, err);
    ASSERT_TRUE(store) << err;
    const witness::RpcServer server{*store, kNoRecover, store->stored_config().value_or("")};
    const std::string dir = test::scratch_dir("history_witness");
    size_t validated = 0;
    for (const uint64_t n : {1u, 2u, 3u, 255u, 256u, 257u, 1000u, 4095u, 6000u, 8191u})
    {
        char num[32];
        std::snprintf(num, sizeof num, "\"0x%llx\"", static_cast<unsigned long long>(n));
        const std::string w = server.handle(
            std::string{R"({"jsonrpc":"2.0","id":1,"method":"debug_executionWitness","params":[)"} +
            num + "]}");
        const std::string b = server.handle(
            std::string{R"({"jsonrpc":"2.0","id":1,"method":"debug_getRawBlock","params":[)"} +
            num + "]}");
        ASSERT_NE(w.find("\"result\":{"), std::string::npos) << n << ": " << w.substr(0, 300);
        ASSERT_NE(b.find("\"result\":\"0x"), std::string::npos) << n << ": " << b.substr(0, 300);
        const std::string wf = dir + "/w" + std::to_string(n) + ".json";
        const std::string bf = dir + "/b" + std::to_string(n) + ".rlp";
        std::ofstream{wf} << w;
        const size_t at = b.find("\"result\":\"") + 10;
        std::ofstream{bf} << b.substr(at, b.find('"', at) - at);
        const auto v = test::run_process({test::stele_cli(), "validate", "--block", bf, "--witness",
            wf, "--chain-config", "mainnet"});
        EXPECT_EQ(v.exit_code, 0) << "block " << n << ": " << v.out << v.err;
        EXPECT_NE(v.out.find("accepted: block " + std::to_string(n)), std::string::npos) << v.out;
        ++validated;
    }
    std::printf("era1: 8192 blocks imported; %zu served witnesses validated\n", validated);
}

TEST(ChainImport, KillNineResumes)
{
    std::string why;
    const std::string alloc = mainnet_alloc(why);
    if (alloc.empty())
        GTEST_SKIP() << why;
    const std::string datadir = test::scratch_dir("kill_store");
    const std::string cli = test::stele_cli();
    const std::string era = era1_file().string();
    std::vector<std::string> args = {cli, "chain", "import", "--datadir", datadir, "--chain",
        "mainnet", "--genesis-alloc", alloc, "--batch-blocks", "64", era};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    uint64_t last_head = 0;
    size_t kills = 0;
    // Fixed delays spread over the import (a fresh import of the archive takes seconds).
    for (const int ms : {30, 120, 250, 400, 700, 1000, 1300, 1700})
    {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        ASSERT_EQ(posix_spawn(&pid, cli.c_str(), &fa, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&fa);
        std::this_thread::sleep_for(std::chrono::milliseconds{ms});
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        kills += WIFSIGNALED(status) ? 1 : 0;
        uint64_t head = 0;
        expect_consistent(datadir, head);
        EXPECT_GE(head, last_head) << "a kill lost committed blocks";
        last_head = head;
    }
    const auto r = test::run_process(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("head 8191"), std::string::npos) << r.out;
    uint64_t head = 0;
    expect_consistent(datadir, head);
    EXPECT_EQ(head, 8191u);
    std::printf(
        "%zu imports killed with SIGKILL (last head %llu before the final run); resumed "
        "to 8191\n",
        kills, static_cast<unsigned long long>(last_head));
    EXPECT_GT(kills, 0u);
}

// The public networks' genesis blocks from the built-in header fields and the embedded
// @ethereumjs/genesis allocations hash to the genesis hashes of go-ethereum's params/config.go.
TEST(ChainImport, PublicNetworkGenesisHashes)
{
    const std::pair<const char*, const char*> nets[] = {
        {"mainnet", "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"},
        {"sepolia", "0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9"},
        {"hoodi", "0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b"}};
    if (witness::builtin_genesis_alloc("mainnet").empty())
        GTEST_SKIP() << "this build embeds no genesis allocations (no Node.js or "
                        "tests/oracle/node_modules at configure time)";
    const std::string empty = test::scratch_dir("genesis_hashes") + "/empty.rlp";
    std::ofstream{empty};
    for (const auto& [name, hash] : nets)
    {
        const std::string datadir = test::scratch_dir(std::string{"genesis_"} + name);
        const auto r = test::run_process(
            {test::stele_cli(), "chain", "import", "--datadir", datadir, "--chain", name, empty});
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        std::string err;
        auto store = witness::ChainStore::open(datadir, false, err);
        ASSERT_TRUE(store) << err;
        EXPECT_EQ(to_hex0x(store->canonical_hash(0)->view()), hash) << name;
    }
}
