// Witness files: every reference executionWitness of the zkevm fixtures parses, is already
// canonical, and survives our JSON serialisation; the client shapes (JSON-RPC envelope, geth's
// null keys and header objects, gzip) are accepted; malformed files give typed errors.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zlib.h>

#include <common/paths.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/core/hex.hpp>
#include <witness-rpc/witness_file.hpp>

using namespace stele;
using namespace stele::witness;
namespace fs = std::filesystem;

namespace
{
std::string read_text(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ParseError parse_fails(const std::string& json, const ParseOptions& options = {})
{
    ExecutionWitness w;
    ParseError err;
    EXPECT_FALSE(parse_witness_json(json, w, err, options)) << json;
    return err;
}
}  // namespace

TEST(WitnessFile, EveryZkevmFixtureWitnessParsesAndIsCanonical)
{
    const fs::path root = test::fixture_dir("zkevm");
    ASSERT_TRUE(fs::exists(root)) << root;
    size_t files = 0, blocks = 0, nodes = 0, unsorted = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root))
    {
        if (entry.path().extension() != ".json")
            continue;
        ++files;
        const auto doc = nlohmann::json::parse(read_text(entry.path()));
        for (const auto& [name, test] : doc.items())
            for (const auto& block : test.at("blocks"))
            {
                if (!block.contains("executionWitness"))
                    continue;
                const auto& ref = block.at("executionWitness");
                ExecutionWitness w;
                ParseError err;
                ASSERT_TRUE(parse_witness_json(ref.dump(), w, err)) << name << ": " << err.message;
                // Item by item equal to the reference's hex strings.
                ASSERT_EQ(w.state.size(), ref.at("state").size()) << name;
                ASSERT_EQ(w.codes.size(), ref.at("codes").size()) << name;
                ASSERT_EQ(w.headers.size(), ref.at("headers").size()) << name;
                for (size_t i = 0; i < w.state.size(); ++i)
                    ASSERT_EQ(to_hex0x(w.state[i]), ref.at("state")[i].get<std::string>()) << name;
                // The reference generator emits the canonical form: canonicalize() is the identity,
                // except in the tests that feed the validator a deliberately unsorted witness.
                ExecutionWitness c = w;
                canonicalize(c);
                if (entry.path().filename().string().find("unsorted") == std::string::npos)
                    EXPECT_EQ(c, w) << name << ": reference witness is not canonical by our rules";
                else
                {
                    EXPECT_NE(c, w) << name << ": expected a non-canonical order";
                    EXPECT_EQ(c.state.size() + c.codes.size(), w.state.size() + w.codes.size());
                    ++unsorted;
                }
                // Our serialisation parses back to the same witness.
                ExecutionWitness back;
                ASSERT_TRUE(parse_witness_json(to_json(w), back, err)) << err.message;
                EXPECT_EQ(back, w);
                ++blocks;
                nodes += w.state.size();
            }
    }
    EXPECT_GE(files, 90u);
    EXPECT_GE(blocks, 161u);
    EXPECT_GE(unsorted, 2u);
    RecordProperty("blocks", static_cast<int>(blocks));
    std::printf("witnesses: %zu files, %zu blocks, %zu state nodes\n", files, blocks, nodes);
}

TEST(WitnessFile, AcceptsClientShapes)
{
    ExecutionWitness w;
    ParseError err;
    // JSON-RPC envelope, keys null (geth), upper-case hex digits.
    ASSERT_TRUE(parse_witness_json(
        R"({"jsonrpc":"2.0","id":1,"result":{"state":["0xC0"],"codes":[],"keys":null,"headers":["0x01"]}})",
        w, err))
        << err.message;
    EXPECT_EQ(w.state, std::vector<bytes>{bytes{0xc0}});
    EXPECT_TRUE(w.keys.empty());
    // keys absent (execution-apis draft: optional).
    ASSERT_TRUE(parse_witness_json(R"({"state":[],"codes":["0x6000"],"headers":[]})", w, err));
    EXPECT_EQ(w.codes, std::vector<bytes>{(bytes{0x60, 0x00})});
    // geth's header objects go through the encoder, in order.
    ParseOptions opt;
    opt.header_encoder = [](std::string_view obj, bytes& rlp, std::string&)
    {
        rlp.assign(obj.begin(), obj.end());
        return true;
    };
    ASSERT_TRUE(parse_witness_json(
        R"({"state":[],"codes":[],"keys":null,"headers":[{"number":"0x1"},{"number":"0x2"}]})", w,
        err, opt))
        << err.message;
    ASSERT_EQ(w.headers.size(), 2u);
    EXPECT_EQ(std::string(w.headers[1].begin(), w.headers[1].end()), R"({"number":"0x2"})");
}

TEST(WitnessFile, MalformedInputsGiveTypedErrors)
{
    EXPECT_EQ(parse_fails("{").code, WitnessError::InvalidJson);
    EXPECT_EQ(parse_fails("[]").code, WitnessError::NotAnObject);
    EXPECT_EQ(
        parse_fails(R"({"jsonrpc":"2.0","id":1,"error":{"code":4444,"message":"pruned"}})").code,
        WitnessError::RpcError);
    EXPECT_EQ(parse_fails(R"({"codes":[],"headers":[]})").code, WitnessError::MissingField);
    EXPECT_EQ(parse_fails(R"({"state":[],"codes":[]})").code, WitnessError::MissingField);
    EXPECT_EQ(parse_fails(R"({"state":{},"codes":[],"headers":[]})").code, WitnessError::WrongType);
    EXPECT_EQ(
        parse_fails(R"({"state":[1],"codes":[],"headers":[]})").code, WitnessError::WrongType);
    EXPECT_EQ(
        parse_fails(R"({"state":["0x0"],"codes":[],"headers":[]})").code, WitnessError::InvalidHex);
    EXPECT_EQ(
        parse_fails(R"({"state":["c0"],"codes":[],"headers":[]})").code, WitnessError::InvalidHex);
    EXPECT_EQ(parse_fails(R"({"state":["0xzz"],"codes":[],"headers":[]})").code,
        WitnessError::InvalidHex);
    EXPECT_EQ(parse_fails(R"({"state":[],"codes":[],"headers":[{"number":"0x1"}]})").code,
        WitnessError::HeaderObject);
    const auto e = parse_fails(R"({"state":["0x00","0x0g"],"codes":[],"headers":[]})");
    EXPECT_NE(e.message.find("state[1]"), std::string::npos) << e.message;
    ParseOptions small;
    small.max_input_bytes = 10;
    EXPECT_EQ(
        parse_fails(R"({"state":[],"codes":[],"headers":[]})", small).code, WitnessError::TooLarge);
}

TEST(WitnessFile, CanonicalizeSortsDeduplicatesAndDropsEmpties)
{
    ExecutionWitness w;
    w.state = {{0xc2, 0x01, 0x02}, {0x80}, {0xc1, 0x01}, {0xc2, 0x01, 0x02}};
    w.codes = {{0x60}, {}, {0x00}, {0x60}};
    w.keys = {bytes(32, 1), bytes(20, 2), bytes(20, 2)};
    w.headers = {{0x02}, {0x01}};
    canonicalize(w);
    EXPECT_EQ(w.state, (std::vector<bytes>{{0xc1, 0x01}, {0xc2, 0x01, 0x02}}));
    EXPECT_EQ(w.codes, (std::vector<bytes>{{0x00}, {0x60}}));
    EXPECT_EQ(w.keys.size(), 2u);
    EXPECT_EQ(w.headers, (std::vector<bytes>{{0x02}, {0x01}}));  // order kept
}

TEST(WitnessFile, GzipBombStopsAtTheLimitWhileInflating)
{
    const std::string dir = test::scratch_dir("witness-gzbomb");
    {
        // 256 MiB of spaces in well under 1 MiB of gzip.
        gzFile gz = gzopen((dir + "/bomb.json.gz").c_str(), "wb9");
        ASSERT_NE(gz, nullptr);
        const std::string chunk(1 << 20, ' ');
        for (int i = 0; i < 256; ++i)
            ASSERT_EQ(gzwrite(gz, chunk.data(), static_cast<unsigned>(chunk.size())),
                static_cast<int>(chunk.size()));
        gzclose(gz);
    }
    ExecutionWitness w;
    ParseError err;
    ParseOptions opt;
    opt.max_input_bytes = size_t{8} << 20;
    EXPECT_FALSE(load_witness_file(dir + "/bomb.json.gz", w, err, opt));
    EXPECT_EQ(err.code, WitnessError::TooLarge) << err.message;
    EXPECT_NE(err.message.find("more than 8388608 bytes (after decompression)"), std::string::npos)
        << err.message;
    std::string text;
    EXPECT_FALSE(read_maybe_gzip(dir + "/bomb.json.gz", text, err, opt.max_input_bytes));
    EXPECT_LE(text.capacity(), opt.max_input_bytes);  // never reserved past the limit
    EXPECT_EQ(ParseOptions{}.max_input_bytes, size_t{1} << 30);

    // Not regular files: refused at once, a FIFO without a writer does not block.
    const std::string fifo = dir + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string& p : {fifo, dir, std::string{"/dev/zero"}})
    {
        EXPECT_FALSE(load_witness_file(p, w, err)) << p;
        EXPECT_EQ(err.code, WitnessError::Io) << p;
        EXPECT_NE(err.message.find("not a regular file"), std::string::npos) << err.message;
    }
}

TEST(WitnessFile, LoadsPlainAndGzipFiles)
{
    const std::string dir = test::scratch_dir("witness-gz");
    ExecutionWitness w;
    w.state = {{0xc1, 0x80}};
    w.codes = {{0x60, 0x01}};
    w.headers = {{0xc0}};
    const std::string json = to_json(w);
    {
        std::ofstream(dir + "/w.json") << json;
        gzFile gz = gzopen((dir + "/w.json.gz").c_str(), "wb");
        ASSERT_NE(gz, nullptr);
        ASSERT_EQ(gzwrite(gz, json.data(), static_cast<unsigned>(json.size())),
            static_cast<int>(json.size()));
        gzclose(gz);
    }
    for (const char* name : {"/w.json", "/w.json.gz"})
    {
        ExecutionWitness back;
        ParseError err;
        ASSERT_TRUE(load_witness_file(dir + name, back, err)) << err.message;
        EXPECT_EQ(back, w) << name;
    }
    ExecutionWitness none;
    ParseError err;
    EXPECT_FALSE(load_witness_file(dir + "/missing.json", none, err));
    EXPECT_EQ(err.code, WitnessError::Io);
    // A truncated gzip stream is an error, not a silently shorter witness.
    const std::string gz = [&]
    {
        std::ifstream in(dir + "/w.json.gz", std::ios::binary);
        return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }();
    std::ofstream(dir + "/cut.json.gz", std::ios::binary) << gz.substr(0, gz.size() - 12);
    EXPECT_FALSE(load_witness_file(dir + "/cut.json.gz", none, err));
}
