// Precompile vectors taken from the EEST blockchain fixtures without running the EVM. The
// tests of interest call the precompile from a tiny contract:
//   CALLDATACOPY(0, 0, CALLDATASIZE); CALL(gas, precompile, 0, 0, CALLDATASIZE, 0, 0)
//   SSTORE(0, success); SSTORE(1, RETURNDATASIZE); [SSTORE(2, keccak256(returndata))]
// or, for the BN254 gas tests, CALL(gas, precompile, 0, 0, 0, 0, 0); SSTORE(0, success).
// So the transaction data is the precompile input and the post-state storage holds the result.
// We recognise exactly these code shapes (anything else is not counted) and replay the call
// with our gas function and precompile.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/process.hpp"
#include "stateless/core/hex.hpp"
#include "stateless/core/keccak.hpp"
#include "stateless/crypto/pairing_precompiles.hpp"

using namespace stele;
using namespace stele::crypto;

namespace
{
struct Precompile
{
    uint64_t (*gas)(bytes_view);
    PrecompileResult (*run)(bytes_view);
};

const Precompile* precompile_at(unsigned address)
{
    static const Precompile table[] = {
        {bn254_add_gas, bn254_add},                        // 0x06
        {bn254_mul_gas, bn254_mul},                        // 0x07
        {bn254_pairing_gas, bn254_pairing},                // 0x08
        {nullptr, nullptr},                                // 0x09 (BLAKE2f, not ours)
        {kzg_point_evaluation_gas, kzg_point_evaluation},  // 0x0a
        {bls12_g1add_gas, bls12_g1add},                    // 0x0b
        {bls12_g1msm_gas, bls12_g1msm},                    // 0x0c
        {bls12_g2add_gas, bls12_g2add},                    // 0x0d
        {bls12_g2msm_gas, bls12_g2msm},                    // 0x0e
        {bls12_pairing_gas, bls12_pairing},                // 0x0f
        {bls12_map_fp_to_g1_gas, bls12_map_fp_to_g1},      // 0x10
        {bls12_map_fp2_to_g2_gas, bls12_map_fp2_to_g2},    // 0x11
    };
    if (address < 0x06 || address > 0x11 || table[address - 6].run == nullptr)
        return nullptr;
    return &table[address - 6];
}

std::string extract_fixtures()
{
    const std::string archive = std::string{STELE_FIXTURES_DIR} + "/eest-blockchain_tests.tar.zst";
    const std::string dir = std::string{STELE_BINARY_DIR} + "/fixtures-pairing";
    if (std::filesystem::exists(dir + "/.done"))
        return dir;
    if (!std::filesystem::exists(archive))
        return {};
    std::filesystem::create_directories(dir);
    const auto r = test::run_process(
        {"/bin/sh", "-c",
            "zstd -dc '" + archive + "' | tar -x -C '" + dir +
                "' --wildcards 'blockchain_tests/prague/eip2537_bls_12_381_precompiles/*' "
                "'blockchain_tests/byzantium/eip196_ec_add_mul/*' "
                "'blockchain_tests/byzantium/eip197_ec_pairing/*' "
                "'blockchain_tests/cancun/eip4844_blobs/*point_evaluation*'"},
        {}, std::chrono::seconds{600});
    if (r.exit_code != 0)
        return {};
    std::ofstream{dir + "/.done"} << "ok\n";
    return dir;
}

uint64_t hex_u64(const std::string& s)
{
    return std::stoull(s, nullptr, 16);
}

bytes hex_bytes(const std::string& s)
{
    auto b = from_hex(s);
    return b ? *b : bytes{};
}

// Storage values are minimal hex: compare without leading zeros.
std::string strip0(const std::string& s)
{
    const size_t i = s.find_first_not_of('0', 2);
    return i == std::string::npos ? "0" : s.substr(i);
}

// The two contract shapes described at the top (no std::regex: GCC 12 warns inside it).
struct CallShape
{
    bool matched = false;
    bool with_input = false;
    bool has_hash = false;
    unsigned address = 0;
    uint64_t gas = 0;
};

CallShape match_call(const std::string& code)
{
    CallShape m;
    size_t pos = 0;
    auto eat = [&](std::string_view lit)
    {
        if (code.compare(pos, lit.size(), lit) != 0)
            return false;
        pos += lit.size();
        return true;
    };
    // PUSH1..PUSH3 of a constant
    auto push = [&](uint64_t& v, int max_bytes)
    {
        if (pos + 2 > code.size())
            return false;
        const int op = std::stoi(code.substr(pos, 2), nullptr, 16);
        const int len = op - 0x5f;
        if (len < 1 || len > max_bytes || pos + 2 + 2 * size_t(len) > code.size())
            return false;
        v = std::stoull(code.substr(pos + 2, 2 * size_t(len)), nullptr, 16);
        pos += 2 + 2 * size_t(len);
        return true;
    };
    uint64_t address = 0;
    if (eat("0x366000600037600060003660006000"))
        m.with_input = true;
    else if (!eat("0x6000600060006000600060"))
        return m;
    if (m.with_input && !eat("60"))
        return m;
    if (pos + 2 > code.size())
        return m;
    address = std::stoull(code.substr(pos, 2), nullptr, 16);
    pos += 2;
    if (!push(m.gas, 3) || !eat("f1600055"))
        return m;
    if (m.with_input)
    {
        if (!eat("3d600155"))
            return m;
        m.has_hash = eat("3d600060003e3d600020600255");
    }
    m.address = unsigned(address);
    m.matched = pos == code.size();
    return m;
}

struct Tally
{
    size_t calls = 0, with_output_hash = 0;
};

void check_file(const std::filesystem::path& file, Tally& tally)
{
    std::ifstream in{file};
    const auto doc = nlohmann::json::parse(in);
    for (const auto& [name, t] : doc.items())
    {
        const std::string network = t.value("network", "");
        if (network.find("To") != std::string::npos)
            continue;  // fork transitions: whether the precompile exists is the EVM's business
        if (network == "Byzantium" || network == "Constantinople" || network == "ConstantinopleFix")
            continue;  // BN254 gas before EIP-1108 (Istanbul) is not what we price
        for (const auto& block : t["blocks"])
        {
            if (block.contains("expectException") || !block.contains("transactions"))
                continue;
            for (const auto& tx : block["transactions"])
            {
                if (!tx.contains("to") || tx["to"].is_null())
                    continue;
                const std::string to = tx["to"];
                if (!t["pre"].contains(to))
                    continue;
                const std::string code = t["pre"][to].value("code", "");
                bytes input;
                unsigned address = 0;
                uint64_t call_gas = 0;
                bool has_hash = false;
                if (const auto m = match_call(code); m.matched)
                {
                    address = m.address;
                    call_gas = m.gas;
                    has_hash = m.has_hash;
                    if (m.with_input)
                        input = hex_bytes(tx["data"]);
                }
                else
                    continue;
                const Precompile* pc = precompile_at(address);
                if (pc == nullptr)
                    continue;
                const auto& storage = t["postState"][to]["storage"];
                auto slot = [&](const char* k) -> std::string
                { return storage.contains(k) ? storage[k].get<std::string>() : "0x00"; };
                const bool expect_success = hex_u64(slot("0x00")) == 1;

                const bool enough_gas = pc->gas(input) <= call_gas;
                const auto r = enough_gas ? pc->run(input) : PrecompileResult{};
                const std::string where = file.filename().string() + " :: " + name;
                EXPECT_EQ(r.success, expect_success) << where;
                ++tally.calls;
                if (code.find("3d600155") != std::string::npos && storage.contains("0x01"))
                {
                    EXPECT_EQ(r.output.size(), hex_u64(slot("0x01"))) << where;
                }
                if (has_hash && expect_success)
                {
                    const auto h = keccak256(r.output);
                    EXPECT_EQ(strip0(to_hex0x(h)), strip0(slot("0x02"))) << where;
                    ++tally.with_output_hash;
                }
            }
        }
    }
}
}  // namespace

TEST(PairingEest, PrecompileCallsInFixtures)
{
    const auto dir = extract_fixtures();
    if (dir.empty())
        GTEST_SKIP() << "EEST fixture archive not found under " << STELE_FIXTURES_DIR;
    Tally tally;
    size_t files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    {
        if (e.path().extension() != ".json")
            continue;
        ++files;
        check_file(e.path(), tally);
    }
    std::cout << files << " fixture files, " << tally.calls << " precompile calls replayed, "
              << tally.with_output_hash << " with an output hash\n";
    EXPECT_GT(files, 10u);
    EXPECT_GT(tally.calls, 100u);
    EXPECT_GT(tally.with_output_hash, 10u);
}
