// `stele witness generate` then `stele validate` on EEST fixture blocks: valid blocks are
// accepted with their hash, invalid ones rejected with the fixture's exception name, across
// forks (Frontier … Osaka, a fork transition); the block as binary / hex / JSON, the witness
// plain / gzip / geth-shaped; damaged or mismatched witnesses give exit 2, bad input exit 3.
#include <gtest/gtest.h>
#include <zlib.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <filesystem>
#include <fstream>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>

#include "rpc_shapes.hpp"

using namespace stele;
using namespace stele::test;
namespace fs = std::filesystem;

namespace
{
std::string eest(const std::string& rel)
{
    return fixture_dir("eest") + "/blockchain_tests/" + rel;
}

ProcessResult stele_run(std::vector<std::string> args)
{
    args.insert(args.begin(), stele_cli());
    return run_process(args);
}

std::string gunzip_text(const std::string& path)
{
    std::string text;
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
        return text;
    char buf[1 << 14];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0)
        text.append(buf, static_cast<size_t>(n));
    gzclose(f);
    return text;
}

void write(const std::string& path, const std::string& content)
{
    std::ofstream(path, std::ios::binary) << content;
}

struct Generated
{
    std::string dir;
    bool expect_valid = false;
    std::string expected_exception;  // "A|B" alternatives
    std::string hash;                // from the generator's "block:" line
};

Generated generate(const std::string& name, const std::string& file, const std::string& test,
    const std::vector<std::string>& pick, bool gzip = false)
{
    Generated g;
    g.dir = scratch_dir("witness-cli/" + name);
    std::vector<std::string> args = {"witness", "generate", eest(file), "--out", g.dir};
    if (!test.empty())
        args.insert(args.end(), {"--test", test});
    args.insert(args.end(), pick.begin(), pick.end());
    if (gzip)
        args.push_back("--gzip");
    const ProcessResult r = stele_run(args);
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.out << r.err;
    const auto line = [&](const std::string& prefix)
    {
        const size_t at = r.out.find("\n" + prefix);
        if (at == std::string::npos)
            return std::string{};
        const size_t end = r.out.find('\n', at + 1);
        return r.out.substr(at + 1 + prefix.size(), end - at - 1 - prefix.size());
    };
    const std::string expected = line("expected: ");
    g.expect_valid = expected == "valid";
    if (!g.expect_valid)
    {
        EXPECT_TRUE(expected.starts_with("invalid (")) << r.out;
        if (expected.size() > 10)
            g.expected_exception = expected.substr(9, expected.size() - 10);
    }
    const std::string block = line("block:   ");
    if (const size_t at = block.find("0x"); at != std::string::npos)
        g.hash = block.substr(at, 66);
    EXPECT_TRUE(fs::exists(g.dir + "/block.rlp")) << name;
    EXPECT_TRUE(fs::exists(g.dir + (gzip ? "/witness.json.gz" : "/witness.json"))) << name;
    EXPECT_TRUE(fs::exists(g.dir + "/chain-config.json")) << name;
    return g;
}

ProcessResult validate(const std::string& block, const std::string& witness,
    const std::string& config, std::vector<std::string> extra = {})
{
    std::vector<std::string> args = {"validate", "--block", block, "--witness", witness};
    if (!config.empty())
        args.insert(args.end(), {"--chain-config", config});
    args.insert(args.end(), extra.begin(), extra.end());
    return stele_run(args);
}

bool reason_among(const std::string& alternatives, const std::string& got)
{
    size_t start = 0;
    while (start <= alternatives.size())
    {
        size_t bar = alternatives.find('|', start);
        if (bar == std::string::npos)
            bar = alternatives.size();
        if (alternatives.substr(start, bar - start) == got)
            return true;
        start = bar + 1;
    }
    return false;
}

// The verdict must be the fixture's: accepted with the block's hash, or rejected for (one of)
// the expected reason(s).
void expect_verdict(const std::string& name, const Generated& g, const ProcessResult& r)
{
    if (g.expect_valid)
    {
        EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.out << r.err;
        EXPECT_TRUE(r.out.starts_with("accepted: block ")) << name << "\n" << r.out;
        EXPECT_NE(r.out.find(g.hash), std::string::npos) << name << " " << g.hash << "\n" << r.out;
        EXPECT_NE(r.out.find(", gas used "), std::string::npos) << r.out;
        return;
    }
    EXPECT_EQ(r.exit_code, 1) << name << "\n" << r.out << r.err;
    ASSERT_TRUE(r.out.starts_with("rejected: ")) << name << "\n" << r.out << r.err;
    std::string reason = r.out.substr(10);
    while (!reason.empty() && reason.back() == '\n')
        reason.pop_back();
    EXPECT_TRUE(reason_among(g.expected_exception, reason))
        << name << ": rejected with " << reason << ", expected " << g.expected_exception;
}

struct Case
{
    const char* name;
    const char* file;
    const char* test;
    std::vector<std::string> pick;
    bool valid;
};

const Case kCases[] = {
    {"frontier_valid", "frontier/examples/test_block_intermediate_state.json",
        "fork_Frontier-blockchain_test", {"--block", "2"}, true},
    {"byzantium_invalid", "frontier/validation/test_tx_gas_limit.json",
        "fork_Byzantium-blockchain_test", {"--index", "0"}, false},
    {"shanghai_withdrawals_valid", "shanghai/eip4895_withdrawals/test_no_evm_execution.json",
        "fork_Cancun-blockchain_test", {"--block", "1"}, true},
    {"cancun_multiblock_valid",
        "cancun/eip4788_beacon_root/test_multi_block_beacon_root_timestamp_calls.json",
        "fork_Cancun-blockchain_test-block_count_10-buffer_wraparound", {"--block", "7"}, true},
    {"cancun_basefee_invalid", "london/validation/test_invalid_header.json",
        "fork_Cancun-blockchain_test-field_base_fee_per_gas-invalid_value_1-exception_"
        "BlockException.INVALID_BASEFEE_PER_GAS",
        {"--index", "0"}, false},
    {"osaka_7702_valid", "prague/eip7702_set_code_tx/test_pointer_normal.json",
        "fork_Osaka-blockchain_test", {"--block", "1"}, true},
    {"osaka_nonce_invalid",
        "prague/eip7702_set_code_tx/test_invalid_transaction_after_authorization.json",
        "fork_Osaka-blockchain_test", {"--index", "0"}, false},
    {"osaka_undecodable_invalid",
        "cancun/eip4844_blobs/test_invalid_blob_tx_contract_creation.json",
        "fork_Osaka-blockchain_test-", {"--index", "0"}, false},
    {"transition_valid", "osaka/eip7594_peerdas/test_max_blobs_per_tx_fork_transition.json",
        "fork_PragueToOsakaAtTime15k-blob_count_7-blockchain_test", {"--block", "1"}, true},
    {"transition_invalid", "osaka/eip7594_peerdas/test_max_blobs_per_tx_fork_transition.json",
        "fork_PragueToOsakaAtTime15k-blob_count_7-blockchain_test", {"--index", "1"}, false},
};
}  // namespace

TEST(WitnessCli, GenerateThenValidateFixtureBlocks)
{
    for (const Case& c : kCases)
    {
        const Generated g = generate(c.name, c.file, c.test, c.pick);
        EXPECT_EQ(g.expect_valid, c.valid) << c.name;
        const ProcessResult r =
            validate(g.dir + "/block.rlp", g.dir + "/witness.json", g.dir + "/chain-config.json");
        expect_verdict(c.name, g, r);
    }
}

TEST(WitnessCli, BlockAndWitnessShapes)
{
    const Case& c = kCases[3];  // Cancun, multi-block: ancestors, beacon roots, withdrawals
    const Generated g = generate("shapes", c.file, c.test, c.pick, true);
    const std::string cfg = g.dir + "/chain-config.json";
    const std::string wgz = g.dir + "/witness.json.gz";
    // gzip witness.
    expect_verdict("gzip", g, validate(g.dir + "/block.rlp", wgz, cfg));

    // Binary RLP block file.
    std::string hex = read_text(g.dir + "/block.rlp");
    hex.resize(hex.find('\n'));
    const bytes rlp = unhex(hex);
    ASSERT_FALSE(rlp.empty());
    write(g.dir + "/block.bin", std::string{rlp.begin(), rlp.end()});
    expect_verdict("binary", g, validate(g.dir + "/block.bin", wgz, cfg));

    // eth_getBlockByNumber JSON (JSON-RPC wrapped), and the fixture's own block object.
    const json doc = json::parse(read_text(eest(c.file)));
    json fixture_block;
    for (const auto& [name, t] : doc.items())
        if (name.ends_with(std::string{c.test} + "]"))
            for (const auto& b : t.at("blocks"))
                if (b.at("rlp").get<std::string>() == to_hex0x(rlp))
                    fixture_block = b;
    ASSERT_FALSE(fixture_block.is_null());
    chain::Block decoded;
    ASSERT_EQ(chain::decode_block(rlp, decoded), chain::Error::ok);
    write(g.dir + "/block.json",
        json{{"jsonrpc", "2.0"}, {"id", 7}, {"result", rpc_block(fixture_block, decoded)}}.dump());
    expect_verdict("rpc json", g, validate(g.dir + "/block.json", wgz, cfg));
    write(g.dir + "/block-eest.json", fixture_block.dump(2));
    expect_verdict("eest json", g, validate(g.dir + "/block-eest.json", wgz, cfg));

    // geth's witness shape: header objects, keys null, gzip.
    const json w = json::parse(gunzip_text(wgz));
    ASSERT_TRUE(w.contains("headers"));
    ASSERT_GE(w["headers"].size(), 1u);
    json geth = w;
    geth["keys"] = nullptr;
    for (auto& h : geth["headers"])
    {
        chain::BlockHeader hdr;
        ASSERT_EQ(chain::decode_header(unhex(h.get<std::string>()), hdr), chain::Error::ok);
        h = header_object(hdr);
    }
    write(g.dir + "/geth-witness.json", geth.dump());
    expect_verdict(
        "geth witness", g, validate(g.dir + "/block.json", g.dir + "/geth-witness.json", cfg));

    // --fork instead of a configuration file: the same rules for this single-fork test.
    expect_verdict("--fork", g, validate(g.dir + "/block.rlp", wgz, "", {"--fork", "Cancun"}));

    // Witness problems (exit 2): a state node dropped; another block's witness.
    json dropped = w;
    ASSERT_GE(dropped["state"].size(), 2u);
    dropped["state"].erase(dropped["state"].begin());
    write(g.dir + "/dropped.json", dropped.dump());
    ProcessResult r = validate(g.dir + "/block.rlp", g.dir + "/dropped.json", cfg);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_TRUE(r.out.starts_with("witness: missing trie node 0x")) << r.out;
    const Generated other = generate("shapes-other", c.file, c.test, {"--block", "3"});
    r = validate(g.dir + "/block.rlp", other.dir + "/witness.json", cfg);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_TRUE(r.out.starts_with("witness: ")) << r.out;
}

TEST(WitnessCli, BadInputExitsWithThree)
{
    const Case& c = kCases[5];
    const Generated g = generate("bad-input", c.file, c.test, c.pick);
    const std::string block = g.dir + "/block.rlp", wit = g.dir + "/witness.json",
                      cfg = g.dir + "/chain-config.json";
    const auto expect_bad = [](const ProcessResult& r, const std::string& needle)
    {
        EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
        EXPECT_TRUE(r.err.starts_with("bad input: ")) << r.err;
        EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    };
    expect_bad(validate(g.dir + "/absent.rlp", wit, cfg), "cannot open");
    write(g.dir + "/odd.hex", "0xabc\n");
    expect_bad(validate(g.dir + "/odd.hex", wit, cfg), "invalid hex");
    write(g.dir + "/bad.json", R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"x"}})");
    expect_bad(validate(g.dir + "/bad.json", wit, cfg), "JSON-RPC error");
    write(g.dir + "/hashes.json",
        R"({"number":"0x1","transactions":["0x)" + std::string(64, '1') + R"("]})");
    expect_bad(validate(g.dir + "/hashes.json", wit, cfg), "missing field");
    expect_bad(validate(block, g.dir + "/absent.json", cfg), "witness");
    write(g.dir + "/w.json", R"({"state":["0xzz"],"codes":[],"headers":[]})");
    expect_bad(validate(block, g.dir + "/w.json", cfg), "invalid hex");
    expect_bad(validate(block, wit, "ropsten"), "ropsten");
    write(g.dir + "/cfg.json", R"({"chainId": 1, "londonBlock": "x"})");
    expect_bad(validate(block, wit, g.dir + "/cfg.json"), "londonBlock");
    // A fork beyond the engine's: named, not judged. (amsterdamTime is Sepolia's Amsterdam, a
    // later revision than the tests-zkevm@v0.3.3 one stele executes: stateless/chain/FORKS.md.)
    write(g.dir + "/amsterdam.json", R"({"chainId": 1, "terminalTotalDifficulty": 0,
        "shanghaiTime": 0, "cancunTime": 0, "pragueTime": 0, "osakaTime": 0,
        "amsterdamTime": 0})");
    expect_bad(validate(block, wit, g.dir + "/amsterdam.json"), "Amsterdam");
    expect_bad(validate(block, wit, "", {"--fork", "Verkle"}), "unknown fork");
    expect_bad(validate(block, wit, "", {"--chain-id", "12345"}), "chain id 12345");

    // witness generate: unreadable file, ambiguous test, no such block.
    const auto gen = [&](std::vector<std::string> extra)
    {
        std::vector<std::string> a = {"witness", "generate"};
        a.insert(a.end(), extra.begin(), extra.end());
        return stele_run(a);
    };
    ProcessResult r = gen({g.dir + "/absent.json", "--block", "1", "--out", g.dir + "/x"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    r = gen({eest(c.file), "--block", "1", "--out", g.dir + "/x"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("--test"), std::string::npos) << r.err;
    r = gen({eest(c.file), "--test", c.test, "--block", "99", "--out", g.dir + "/x"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("number 99"), std::string::npos) << r.err;
}
