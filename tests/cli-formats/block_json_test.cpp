// Block, header and chain-configuration JSON (witness-rpc/block_json): every valid block of a
// sample of EEST fixture files across all forks encodes from its JSON objects to exactly the
// fixture's `rlp` bytes and hash, with the fixture's field names and with the same objects
// rewritten to the `eth_getBlockByNumber` names and quantity spelling; geth-shaped witnesses
// load equal to the hex-shaped ones; chain configurations place every fork where go-ethereum
// does; malformed inputs give the typed errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <common/paths.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <witness-rpc/block_json.hpp>

#include "rpc_shapes.hpp"

using namespace stele;
using namespace stele::witness;
namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace stele::test;

namespace
{
// The header item of a block RLP.
bytes header_item(const bytes& block_rlp)
{
    rlp::Decoder d{block_rlp};
    auto l = d.list();
    const bytes_view h = l.raw();
    return {h.begin(), h.end()};
}

// Up to `n` files of each fork directory (evenly spread over the sorted list), at most 4 MiB.
std::vector<fs::path> sample_files(size_t per_dir, size_t static_files)
{
    const fs::path root = test::fixture_dir("eest") + "/blockchain_tests";
    std::vector<fs::path> out;
    for (const auto& dir : fs::directory_iterator(root))
    {
        std::vector<fs::path> files;
        for (const auto& e : fs::recursive_directory_iterator(dir.path()))
            if (e.path().extension() == ".json" && e.file_size() < (size_t{4} << 20))
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        const size_t want = dir.path().filename() == "static" ? static_files : per_dir;
        const size_t step = std::max<size_t>(1, files.size() / std::max<size_t>(want, 1));
        for (size_t i = 0, taken = 0; i < files.size() && taken < want; i += step, ++taken)
            out.push_back(files[i]);
    }
    return out;
}

FormatResult block_fails(const json& j)
{
    bytes rlp;
    const FormatResult r = block_rlp_from_json(j.dump(), rlp);
    EXPECT_FALSE(r.ok()) << j.dump().substr(0, 200);
    return r;
}

// A small real block with transactions and withdrawals to damage in the error tests.
json sample_block(chain::Block* decoded = nullptr, bytes* rlp_out = nullptr)
{
    const fs::path f = test::fixture_dir("eest") +
                       "/blockchain_tests/shanghai/eip4895_withdrawals/test_no_evm_execution.json";
    const json doc = json::parse(read_text(f));
    for (const auto& [name, t] : doc.items())
        if (name.find("[fork_Cancun-blockchain_test]") != name.npos)
        {
            const json& b = t.at("blocks").at(0);  // two transactions, two withdrawals
            const bytes rlp = unhex(b.at("rlp").get<std::string>());
            chain::Block blk;
            EXPECT_EQ(chain::decode_block(rlp, blk), chain::Error::ok);
            if (decoded)
                *decoded = blk;
            if (rlp_out)
                *rlp_out = rlp;
            return b;
        }
    ADD_FAILURE() << "sample test not found in " << f;
    return {};
}
}  // namespace

TEST(BlockJson, FixtureBlocksEncodeToTheirRlpWithFixtureAndRpcNames)
{
    // STELE_BLOCK_JSON_ALL=1 (the spec-labelled run) takes every fixture file instead.
    const bool all = std::getenv("STELE_BLOCK_JSON_ALL") != nullptr;
    const auto files = all ? sample_files(SIZE_MAX, SIZE_MAX) : sample_files(14, 40);
    ASSERT_GE(files.size(), 100u);
    size_t blocks = 0, txs = 0, withdrawals = 0;
    std::map<std::string, size_t> types;
    std::map<std::string, size_t> networks;
    for (const auto& f : files)
    {
        const std::string text = read_text(f);
        if (text.starts_with("version https://git-lfs"))
            continue;
        const json doc = json::parse(text);
        for (const auto& [name, t] : doc.items())
            for (const auto& b : t.at("blocks"))
            {
                if (!b.contains("blockHeader") || b.contains("expectException"))
                    continue;
                ++networks[t.at("network").get<std::string>()];
                const bytes rlp = unhex(b.at("rlp").get<std::string>());
                chain::Block decoded;
                ASSERT_EQ(chain::decode_block(rlp, decoded), chain::Error::ok) << name;

                // The header alone, fixture names: the fixture's header bytes and "hash".
                chain::BlockHeader h;
                bytes hrlp;
                FormatResult r = header_from_json(b.at("blockHeader").dump(), h, hrlp);
                ASSERT_TRUE(r.ok()) << name << ": " << r.message;
                ASSERT_EQ(to_hex(hrlp), to_hex(header_item(rlp))) << name;
                ASSERT_EQ(h.hash, decoded.header.hash) << name;
                // RPC names.
                r = header_from_json(rpc_header(b.at("blockHeader")).dump(), h, hrlp);
                ASSERT_TRUE(r.ok()) << name << ": " << r.message;
                ASSERT_EQ(to_hex(hrlp), to_hex(header_item(rlp))) << name;

                // The whole block, as the fixture spells it and as eth_getBlockByNumber does.
                bytes out;
                r = block_rlp_from_json(b.dump(), out);
                ASSERT_TRUE(r.ok()) << name << ": " << r.message;
                ASSERT_EQ(to_hex(out), to_hex(rlp)) << name;
                const json rpc = rpc_block(b, decoded);
                r = block_rlp_from_json(rpc.dump(), out);
                ASSERT_TRUE(r.ok()) << name << ": " << r.message;
                ASSERT_EQ(to_hex(out), to_hex(rlp)) << name;
                // Wrapped in a JSON-RPC response.
                r = block_rlp_from_json(
                    json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", rpc}}.dump(), out);
                ASSERT_TRUE(r.ok()) << name << ": " << r.message;
                ASSERT_EQ(to_hex(out), to_hex(rlp)) << name;

                ++blocks;
                for (const auto& tx : b.at("transactions"))
                    ++types[tx.value("type", "0x00")];
                txs += b.at("transactions").size();
                if (b.contains("withdrawals"))
                    withdrawals += b["withdrawals"].size();
            }
    }
    std::string seen;
    for (const auto& [n, c] : networks)
        seen += n + ":" + std::to_string(c) + " ";
    std::printf("%zu files, %zu blocks, %zu transactions, %zu withdrawals; networks %s\n",
        files.size(), blocks, txs, withdrawals, seen.c_str());
    EXPECT_GE(blocks, 500u);
    for (const char* t : {"0x00", "0x01", "0x02", "0x03", "0x04"})
        EXPECT_GT(types[t], 0u) << "no transaction of type " << t << " in the sample";
    EXPECT_GT(withdrawals, 0u);
    for (const char* n : {"Frontier", "Homestead", "Byzantium", "Berlin", "London", "Paris",
             "Shanghai", "Cancun", "Prague", "Osaka"})
        EXPECT_GT(networks[n], 0u) << "no valid " << n << " block in the sample";
}

TEST(BlockJson, LegacySignaturesWithAndWithoutChainId)
{
    // v = 27/28 (pre-EIP-155) and v = 37/38 (chain id 1): both in fixture blocks, both encode.
    const auto files = sample_files(40, 80);
    size_t pre155 = 0, eip155 = 0;
    for (const auto& f : files)
    {
        const std::string text = read_text(f);
        if (text.find("\"v\": \"0x1b\"") == std::string::npos &&
            text.find("\"v\": \"0x25\"") == std::string::npos)
            continue;
        const json doc = json::parse(text);
        for (const auto& [name, t] : doc.items())
            for (const auto& b : t.at("blocks"))
            {
                if (!b.contains("blockHeader") || b.contains("expectException"))
                    continue;
                bool any = false;
                for (const auto& tx : b.at("transactions"))
                    if (tx.value("type", "0x00") == "0x00")
                    {
                        const std::string v = tx.at("v");
                        pre155 += v == "0x1b" || v == "0x1c";
                        eip155 += v == "0x25" || v == "0x26";
                        any = true;
                    }
                if (!any)
                    continue;
                bytes out;
                ASSERT_TRUE(block_rlp_from_json(b.dump(), out).ok()) << name;
                ASSERT_EQ(to_hex0x(out), b.at("rlp").get<std::string>()) << name;
            }
        if (pre155 > 0 && eip155 > 0)
            break;
    }
    EXPECT_GT(pre155, 0u);
    EXPECT_GT(eip155, 0u);
}

TEST(BlockJson, GethWitnessWithHeaderObjectsEqualsHexShape)
{
    // The ancestor headers of a multi-block test, once as hex RLP (reth) and once as header
    // objects (geth, with RPC names, keys null) around the same state and codes.
    const fs::path f = test::fixture_dir("eest") +
                       "/blockchain_tests/cancun/eip4788_beacon_root/"
                       "test_multi_block_beacon_root_timestamp_calls.json";
    const json doc = json::parse(read_text(f));
    const json& t = doc.begin().value();
    json hex_headers = json::array(), obj_headers = json::array();
    for (const auto& b : t.at("blocks"))
    {
        const bytes rlp = unhex(b.at("rlp").get<std::string>());
        hex_headers.push_back(to_hex0x(header_item(rlp)));
        obj_headers.push_back(rpc_header(b.at("blockHeader")));
    }
    ASSERT_GE(hex_headers.size(), 5u);
    const json state = json::array({"0xc0", "0x80"});
    const json hex_w = {{"state", state}, {"codes", json::array({"0x60006000"})},
        {"keys", json::array()}, {"headers", hex_headers}};
    const json geth_w = {{"state", state}, {"codes", json::array({"0x60006000"})},
        {"keys", nullptr}, {"headers", obj_headers}};
    ExecutionWitness a, b;
    ParseError err;
    ASSERT_TRUE(parse_witness_json(hex_w.dump(), a, err)) << err.message;
    ParseOptions opt;
    opt.header_encoder = json_header_encoder();
    ASSERT_TRUE(parse_witness_json(geth_w.dump(), b, err, opt)) << err.message;
    EXPECT_EQ(a, b);
    // Without an encoder the objects are refused; with a damaged object the error names it.
    EXPECT_FALSE(parse_witness_json(geth_w.dump(), b, err));
    EXPECT_EQ(err.code, WitnessError::HeaderObject);
    json bad = geth_w;
    bad["headers"][2]["gasUsed"] = "0x1";  // no longer hashes to "hash"
    EXPECT_FALSE(parse_witness_json(bad.dump(), b, err, opt));
    EXPECT_EQ(err.code, WitnessError::HeaderObject);
    EXPECT_NE(err.message.find("headers[2]"), std::string::npos) << err.message;
    EXPECT_NE(err.message.find("hash mismatch"), std::string::npos) << err.message;
}

TEST(BlockJson, UnclesAsHeaderObjects)
{
    // An uncle given as a header object is encoded into the block; sha3Uncles must match it.
    chain::Block decoded;
    json b = sample_block(&decoded);
    json uncle = b.at("blockHeader");
    uncle.erase("hash");
    chain::BlockHeader uh;
    bytes urlp;
    ASSERT_TRUE(header_from_json(uncle.dump(), uh, urlp).ok());
    bytes list;
    rlp::Encoder e{list};
    const size_t m = e.begin_list();
    e.raw(urlp);
    e.end_list(m);
    b["uncleHeaders"] = json::array({uncle});
    b["blockHeader"].erase("hash");
    EXPECT_EQ(block_fails(b).code, FormatError::UnclesHashMismatch);
    b["blockHeader"]["uncleHash"] = to_hex0x(keccak256(list));
    bytes out;
    const FormatResult r = block_rlp_from_json(b.dump(), out);
    ASSERT_TRUE(r.ok()) << r.message;
    chain::Block back;
    ASSERT_EQ(chain::decode_block(out, back), chain::Error::ok);
    ASSERT_EQ(back.ommers.size(), 1u);
    EXPECT_EQ(back.ommers[0].hash, uh.hash);
    EXPECT_EQ(back.transactions.size(), decoded.transactions.size());
}

TEST(BlockJson, MalformedBlocksGiveTypedErrors)
{
    chain::Block decoded;
    const json good_eest = sample_block(&decoded);
    const json good = rpc_block(good_eest, decoded);
    ASSERT_FALSE(good.at("transactions").empty());
    ASSERT_FALSE(good.at("withdrawals").empty());
    bytes out;
    ASSERT_TRUE(block_rlp_from_json(good.dump(), out).ok());

    EXPECT_EQ(block_fails(json::parse("[1,2]")).code, FormatError::NotAnObject);
    bytes rlp;
    EXPECT_EQ(block_rlp_from_json("{\"number\": ", rlp).code, FormatError::InvalidJson);
    EXPECT_EQ(block_rlp_from_json(good.dump(), rlp, 100).code, FormatError::TooLarge);
    EXPECT_EQ(block_fails({{"jsonrpc", "2.0"}, {"id", 1},
                              {"error", {{"code", -32000}, {"message", "header not found"}}}})
                  .code,
        FormatError::RpcError);
    EXPECT_EQ(block_fails({{"jsonrpc", "2.0"}, {"id", 1}, {"result", nullptr}}).code,
        FormatError::RpcError);

    const auto damaged = [&](auto&& edit)
    {
        json j = good;
        edit(j);
        return block_fails(j);
    };
    FormatResult r = damaged([](json& j) { j.erase("stateRoot"); });
    EXPECT_EQ(r.code, FormatError::MissingField);
    EXPECT_NE(r.message.find("stateRoot"), std::string::npos) << r.message;
    EXPECT_EQ(damaged([](json& j) { j["stateRoot"] = "0x12zz"; }).code, FormatError::InvalidHex);
    EXPECT_EQ(damaged([](json& j) { j["stateRoot"] = "0x1234"; }).code, FormatError::OutOfRange);
    EXPECT_EQ(damaged([](json& j) { j["gasUsed"] = true; }).code, FormatError::WrongType);
    EXPECT_EQ(damaged([](json& j) { j["number"] = "0x10000000000000000"; }).code,
        FormatError::OutOfRange);
    EXPECT_EQ(damaged([](json& j) { j["number"] = "0x"; }).code, FormatError::InvalidHex);
    EXPECT_EQ(damaged([](json& j) { j["extraData"] = "0x123"; }).code, FormatError::InvalidHex);
    EXPECT_EQ(
        damaged([](json& j) { j["hash"] = to_hex0x(hash256{}); }).code, FormatError::HashMismatch);
    EXPECT_EQ(damaged([](json& j) { j.erase("baseFeePerGas"); }).code, FormatError::FieldOrder);
    // A body that does not match its header.
    EXPECT_EQ(damaged([](json& j) { j["transactions"][0]["nonce"] = "0x7"; }).code,
        FormatError::HashMismatch);  // the transaction's own "hash" catches it first
    EXPECT_EQ(damaged(
                  [](json& j)
                  {
                      j["transactions"][0].erase("hash");
                      j["transactions"][0]["nonce"] = "0x7";
                  })
                  .code,
        FormatError::TransactionsRootMismatch);
    EXPECT_EQ(damaged([](json& j) { j["withdrawals"][0]["amount"] = "0x7"; }).code,
        FormatError::WithdrawalsRootMismatch);
    EXPECT_EQ(damaged([](json& j) { j.erase("withdrawals"); }).code, FormatError::MissingField);
    // eth_getBlockByNumber(n, false): transaction hashes only.
    r = damaged(
        [](json& j) { j["transactions"][0] = j["transactions"][0]["hash"].get<std::string>(); });
    EXPECT_EQ(r.code, FormatError::NotHydrated);
    EXPECT_NE(r.message.find("transactions[0]"), std::string::npos) << r.message;
    EXPECT_EQ(damaged([](json& j) { j["uncles"] = json::array({to_hex0x(hash256{})}); }).code,
        FormatError::UnclesNotAvailable);
    EXPECT_EQ(damaged([](json& j) { j["transactions"][0]["type"] = "0x5"; }).code,
        FormatError::UnsupportedTransactionType);
    EXPECT_EQ(damaged([](json& j) { j["transactions"][0].erase("input"); }).code,
        FormatError::MissingField);
    EXPECT_EQ(damaged([](json& j) { j["transactions"][0]["to"] = "0x1234"; }).code,
        FormatError::OutOfRange);
    EXPECT_EQ(damaged([](json& j) { j["transactions"] = "none"; }).code, FormatError::WrongType);
    EXPECT_EQ(
        damaged([](json& j) { j["transactions"][0]["value"] = "0x1" + std::string(64, '0'); }).code,
        FormatError::OutOfRange);
}

TEST(BlockJson, BlockFilesByContent)
{
    bytes rlp;
    chain::Block decoded;
    const json b = sample_block(&decoded, &rlp);
    const std::string dir = test::scratch_dir("block-json-files");
    const auto write = [&](const std::string& name, const std::string& content)
    {
        std::ofstream(dir + "/" + name, std::ios::binary) << content;
        return dir + "/" + name;
    };
    const std::string bin{rlp.begin(), rlp.end()};
    const struct
    {
        std::string file;
        BlockFileFormat format;
    } cases[] = {{write("b.bin", bin), BlockFileFormat::Binary},
        {write("b.hex", to_hex0x(rlp) + "\n"), BlockFileFormat::Hex},
        {write("b.hex2", "  " + to_hex(rlp)), BlockFileFormat::Hex},
        {write("b.json", rpc_block(b, decoded).dump(1)), BlockFileFormat::Json}};
    for (const auto& c : cases)
    {
        bytes out;
        BlockFileFormat format{};
        const FormatResult r = load_block_file(c.file, out, &format);
        ASSERT_TRUE(r.ok()) << c.file << ": " << r.message;
        EXPECT_EQ(format, c.format) << c.file;
        EXPECT_EQ(out, rlp) << c.file;
    }
    bytes out;
    EXPECT_EQ(load_block_file(dir + "/absent", out).code, FormatError::Io);
    EXPECT_EQ(load_block_file(write("odd.hex", "0xabc"), out).code, FormatError::InvalidHex);
    EXPECT_EQ(load_block_file(write("empty", ""), out).code, FormatError::Io);
    EXPECT_EQ(
        load_block_file(write("bad.json", "{\"number\": 1}"), out).code, FormatError::MissingField);
    EXPECT_EQ(load_block_file(write("big.hex", to_hex0x(rlp)), out, nullptr, 16).code,
        FormatError::TooLarge);
}

// ---- chain configurations --------------------------------------------------------------------

namespace
{
struct Point
{
    uint64_t number, timestamp;
    Fork fork;
    uint64_t blob_max = 0;
};

void expect_rules(const ChainSpec& s, std::initializer_list<Point> points)
{
    for (const Point& p : points)
    {
        const chain::ForkActivation& a = s.config.rules_at(p.number, p.timestamp);
        EXPECT_EQ(fork_name(a.fork), fork_name(p.fork))
            << s.name << " block " << p.number << " time " << p.timestamp;
        if (p.blob_max)
        {
            EXPECT_EQ(a.blob.max, p.blob_max) << s.name << " time " << p.timestamp;
        }
    }
}
}  // namespace

TEST(ChainConfigJson, BuiltinNetworks)
{
    ChainSpec m;
    ASSERT_TRUE(builtin_chain_config("mainnet", m).ok());
    EXPECT_EQ(m.config.chain_id, 1u);
    expect_rules(m,
        {{0, 0, Fork::Frontier}, {1149999, 0, Fork::Frontier}, {1150000, 0, Fork::Homestead},
            {2463000, 0, Fork::TangerineWhistle}, {2675000, 0, Fork::SpuriousDragon},
            {4370000, 0, Fork::Byzantium}, {7280000, 0, Fork::Petersburg},
            {9069000, 0, Fork::Istanbul}, {12244000, 0, Fork::Berlin}, {12965000, 0, Fork::London},
            {15537393, 1663224162, Fork::London}, {15537394, 1663224179, Fork::Paris},
            {17034870, 1681338455, Fork::Shanghai}, {19426587, 1710338135, Fork::Cancun, 6},
            {22431084, 1746612311, Fork::Prague, 9}, {23935694, 1764798551, Fork::Osaka, 9},
            {23975778, 1765290071, Fork::Osaka, 15}, {24179383, 1767747671, Fork::Osaka, 21}});
    EXPECT_FALSE(m.unsupported.has_value());
    EXPECT_EQ(to_hex0x(m.config.deposit_contract), "0x00000000219ab540356cbb839cbe05303d7705fa");

    ChainSpec s;
    ASSERT_TRUE(builtin_chain_config("sepolia", s).ok());
    EXPECT_EQ(s.config.chain_id, 11155111u);
    expect_rules(
        s, {{1735370, 0, Fork::London}, {1735371, 0, Fork::Paris},
               {5000000, 1706655072, Fork::Cancun}, {9000000, 1761607008, Fork::Osaka, 21}});
    ASSERT_TRUE(s.unsupported.has_value());
    EXPECT_EQ(s.unsupported->fork, "Amsterdam");
    EXPECT_FALSE(s.beyond_supported(9000000, 1791294815));
    EXPECT_TRUE(s.beyond_supported(9000000, 1791294816));
    EXPECT_EQ(to_hex0x(s.config.deposit_contract), "0x7f02c3e3c98b133055b8b348b2ac625669ed295d");

    ChainSpec h;
    ASSERT_TRUE(builtin_chain_config("hoodi", h).ok());
    EXPECT_EQ(h.config.chain_id, 560048u);
    expect_rules(h, {{0, 0, Fork::Cancun, 6}, {1, 1742999832, Fork::Prague, 9},
                        {2, 1762955544, Fork::Osaka, 21}});

    EXPECT_EQ(builtin_chain_config("goerli", h).code, FormatError::UnknownNetwork);
    EXPECT_EQ(builtin_network_name(1), std::optional<std::string_view>{"mainnet"});
    EXPECT_FALSE(builtin_network_name(5).has_value());
}

TEST(ChainConfigJson, GethGenesisFile)
{
    // A geth genesis file in the shape `geth dumpgenesis` writes: JSON numbers, the terminal
    // total difficulty as a number beyond 64 bits, mainnet's merge placed by TTD only.
    const char* genesis = R"({
      "config": {"chainId": 1, "homesteadBlock": 1150000, "daoForkBlock": 1920000,
        "eip150Block": 2463000, "eip155Block": 2675000, "eip158Block": 2675000,
        "byzantiumBlock": 4370000, "constantinopleBlock": 7280000, "petersburgBlock": 7280000,
        "istanbulBlock": 9069000, "muirGlacierBlock": 9200000, "berlinBlock": 12244000,
        "londonBlock": 12965000, "arrowGlacierBlock": 13773000, "grayGlacierBlock": 15050000,
        "terminalTotalDifficulty": 58750000000000000000000, "shanghaiTime": 1681338455,
        "cancunTime": 1710338135, "pragueTime": 1746612311, "osakaTime": 1764798551,
        "bpo1Time": 1765290071, "bpo2Time": 1767747671,
        "depositContractAddress": "0x00000000219ab540356cbb839cbe05303d7705fa",
        "ethash": {},
        "blobSchedule": {"cancun": {"target": 3, "max": 6, "baseFeeUpdateFraction": 3338477},
          "prague": {"target": 6, "max": 9, "baseFeeUpdateFraction": 5007716},
          "osaka": {"target": 6, "max": 9, "baseFeeUpdateFraction": 5007716},
          "bpo1": {"target": 10, "max": 15, "baseFeeUpdateFraction": 8346193},
          "bpo2": {"target": 14, "max": 21, "baseFeeUpdateFraction": 11684671}}},
      "nonce": "0x42", "timestamp": "0x0", "gasLimit": "0x1388", "difficulty": "0x400000000",
      "alloc": {}})";
    ChainSpec file, builtin;
    const FormatResult r = chain_config_from_json(genesis, file);
    ASSERT_TRUE(r.ok()) << r.message;
    ASSERT_TRUE(builtin_chain_config("mainnet", builtin).ok());
    for (uint64_t n :
        {0ull, 1150000ull, 7280000ull, 12965000ull, 15537393ull, 15537394ull, 20000000ull})
        for (uint64_t ts : {0ull, 1681338455ull, 1710338134ull, 1746612311ull, 1765290071ull,
                 1767747671ull, 1900000000ull})
        {
            const auto& a = file.config.rules_at(n, ts);
            const auto& b = builtin.config.rules_at(n, ts);
            EXPECT_EQ(a.fork, b.fork) << n << " " << ts;
            EXPECT_EQ(a.blob.max, b.blob.max) << n << " " << ts;
            EXPECT_EQ(a.blob.update_fraction, b.blob.update_fraction) << n << " " << ts;
        }
    // The config object alone, and inside a JSON-RPC response, read the same.
    const json cfg = json::parse(genesis)["config"];
    ChainSpec alone, wrapped;
    ASSERT_TRUE(chain_config_from_json(cfg.dump(), alone).ok());
    ASSERT_TRUE(
        chain_config_from_json(json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", cfg}}.dump(), wrapped)
            .ok());
    EXPECT_EQ(alone.config.schedule.size(), file.config.schedule.size());
    EXPECT_EQ(wrapped.config.schedule.size(), file.config.schedule.size());
}

TEST(ChainConfigJson, RoundTripOfFixtureNetworks)
{
    // Schedules as the EEST runner builds them (one fork, or a transition) survive
    // chain_config_to_json → chain_config_from_json with the same rules everywhere.
    const auto one = [](Fork f, chain::BlobParams b = {})
    {
        chain::ChainConfig c;
        c.schedule = {{f, false, 0, b}};
        return c;
    };
    std::vector<std::pair<std::string, chain::ChainConfig>> cases = {
        {"Frontier", one(Fork::Frontier)}, {"Byzantium", one(Fork::Byzantium)},
        {"ConstantinopleFix", one(Fork::Petersburg)}, {"London", one(Fork::London)},
        {"Paris", one(Fork::Paris)}, {"Shanghai", one(Fork::Shanghai)},
        {"Cancun", one(Fork::Cancun, {3, 6, 3338477})},
        {"Prague", one(Fork::Prague, {6, 9, 5007716})},
        {"Osaka", one(Fork::Osaka, {6, 9, 5007716})},
        {"Amsterdam", one(Fork::Amsterdam, {14, 21, 11684671})}};
    chain::ChainConfig ta;
    ta.schedule = {{Fork::Osaka, false, 0, {6, 9, 5007716}},
        {Fork::Amsterdam, true, 15000, {14, 21, 11684671}}};
    cases.emplace_back("OsakaToAmsterdamAtTime15k", ta);
    chain::ChainConfig t1;
    t1.schedule = {
        {Fork::Cancun, false, 0, {3, 6, 3338477}}, {Fork::Prague, true, 15000, {6, 9, 5007716}}};
    cases.emplace_back("CancunToPragueAtTime15k", t1);
    chain::ChainConfig t2;
    t2.schedule = {
        {Fork::Osaka, false, 0, {10, 15, 8346193}}, {Fork::Osaka, true, 15000, {14, 21, 11684671}}};
    t2.chain_id = 7;
    cases.emplace_back("BPO1ToBPO2AtTime15k", t2);
    chain::ChainConfig t3;
    t3.schedule = {{Fork::Berlin, false, 0, {}}, {Fork::London, false, 5, {}}};
    cases.emplace_back("BerlinToLondonAt5", t3);
    for (const auto& [name, c] : cases)
    {
        std::string text;
        FormatResult r = chain_config_to_json(c, text);
        ASSERT_TRUE(r.ok()) << name << ": " << r.message;
        ChainSpec back;
        r = chain_config_from_json(text, back);
        ASSERT_TRUE(r.ok()) << name << ": " << r.message << "\n" << text;
        EXPECT_EQ(back.config.chain_id, c.chain_id) << name;
        for (uint64_t n : {0ull, 4ull, 5ull, 100ull})
            for (uint64_t ts : {0ull, 14999ull, 15000ull, 99999ull})
            {
                const auto& a = c.rules_at(n, ts);
                const auto& b = back.config.rules_at(n, ts);
                EXPECT_EQ(fork_name(a.fork), fork_name(b.fork))
                    << name << " " << n << " " << ts << "\n"
                    << text;
                EXPECT_EQ(a.blob.max, b.blob.max) << name << " " << ts;
                EXPECT_EQ(a.blob.target, b.blob.target) << name << " " << ts;
                EXPECT_EQ(a.blob.update_fraction, b.blob.update_fraction) << name << " " << ts;
            }
    }
}

TEST(ChainConfigJson, MalformedConfigsGiveTypedErrors)
{
    const auto code = [](const std::string& text)
    {
        ChainSpec s;
        const FormatResult r = chain_config_from_json(text, s);
        EXPECT_FALSE(r.ok()) << text;
        return r.code;
    };
    EXPECT_EQ(code("not json"), FormatError::InvalidJson);
    EXPECT_EQ(code("[]"), FormatError::NotAnObject);
    EXPECT_EQ(code(R"({"londonBlock": 0})"), FormatError::MissingField);
    EXPECT_EQ(code(R"({"chainId": "one"})"), FormatError::InvalidHex);
    EXPECT_EQ(code(R"({"chainId": -1})"), FormatError::OutOfRange);
    EXPECT_EQ(code(R"({"chainId": 1, "londonBlock": [0]})"), FormatError::WrongType);
    EXPECT_EQ(code(R"({"network": "Osaka", "chainid": "0x01"})"), FormatError::UnsupportedFork);
    EXPECT_EQ(
        code(R"({"chainId": 1, "berlinBlock": 10, "londonBlock": 5})"), FormatError::FieldOrder);
    // A merge by total difficulty alone cannot be placed on an unknown chain.
    EXPECT_EQ(code(R"({"chainId": 5, "londonBlock": 0, "terminalTotalDifficulty": 100,
                       "shanghaiTime": 10})"),
        FormatError::UnsupportedFork);
    // A BPO fork needs its blob parameters.
    EXPECT_EQ(code(R"({"chainId": 5, "londonBlock": 0, "terminalTotalDifficulty": 0,
                       "shanghaiTime": 0, "cancunTime": 0, "pragueTime": 0, "osakaTime": 0,
                       "bpo1Time": 10})"),
        FormatError::MissingField);
    EXPECT_EQ(code(R"({"chainId": 5, "blobSchedule": {"cancun": {"target": 3}},
                       "terminalTotalDifficulty": 0, "shanghaiTime": 0, "cancunTime": 0})"),
        FormatError::MissingField);

    // A later fork is accepted but marked: blocks from its activation on cannot be judged.
    ChainSpec s;
    ASSERT_TRUE(chain_config_from_json(R"({"chainId": 5, "terminalTotalDifficulty": 0,
        "shanghaiTime": 0, "cancunTime": 0, "pragueTime": 0, "osakaTime": 0,
        "amsterdamTime": 500})",
        s)
                    .ok());
    ASSERT_TRUE(s.unsupported.has_value());
    EXPECT_EQ(s.unsupported->fork, "Amsterdam");
    EXPECT_FALSE(s.beyond_supported(1, 499));
    EXPECT_TRUE(s.beyond_supported(1, 500));
    EXPECT_EQ(s.config.rules_at(1, 499).fork, Fork::Osaka);

    ChainSpec l;
    EXPECT_EQ(load_chain_config("/nonexistent/genesis.json", l).code, FormatError::Io);
    EXPECT_EQ(load_chain_config("mainnet", l).code, FormatError::None);
}

TEST(ChainConfigJson, AmsterdamNeedsTheRevisionStelePinsDown)
{
    // amsterdamTime alone is the Amsterdam Sepolia runs, which stele does not implement; with
    // "steleAmsterdam": "tests-zkevm@v0.3.3" it is the revision stele executes.
    const std::string base = R"({"chainId": 1, "terminalTotalDifficulty": 0, "shanghaiTime": 0,
        "cancunTime": 0, "pragueTime": 0, "osakaTime": 0, "amsterdamTime": 100)";
    ChainSpec plain;
    ASSERT_TRUE(chain_config_from_json(base + "}", plain).ok());
    ASSERT_TRUE(plain.unsupported.has_value());
    EXPECT_EQ(plain.unsupported->fork, "Amsterdam");
    EXPECT_TRUE(plain.beyond_supported(1, 100));

    ChainSpec ours;
    ASSERT_TRUE(
        chain_config_from_json(base + R"(, "steleAmsterdam": "tests-zkevm@v0.3.3"})", ours).ok());
    EXPECT_FALSE(ours.unsupported.has_value());
    EXPECT_EQ(ours.config.rules_at(1, 99).fork, Fork::Osaka);
    EXPECT_EQ(ours.config.rules_at(1, 100).fork, Fork::Amsterdam);
    EXPECT_EQ(ours.config.rules_at(1, 100).blob.max, 9u);  // no amsterdam entry: Osaka's

    ChainSpec other;
    const FormatResult r =
        chain_config_from_json(base + R"(, "steleAmsterdam": "bal-devnet-9"})", other);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(r.message.find("tests-zkevm@v0.3.3"), std::string::npos) << r.message;
}
