// The validator guest program in stelevm against host-computed expectations.
//
//  * EEST sample: a fixed list of blockchain-test files across Paris..Osaka (blob, withdrawal,
//    EIP-7685 request and set-code blocks, valid and invalid) is run by `stele spec run --mode
//    stateless --dump-witness`, which writes each block's RLP, canonical witness and verdict.
//    A seeded choice of ~30 blocks (round-robin over fork x verdict) goes through
//    `stele input build` and `stele run validator.stelevm.elf`; the output bytes must equal the
//    result computed here: {hash_tree_root(new_payload_request) of the input, the fixture's
//    verdict, chain id 1, schema id}. A few also run under qemu-riscv64 (linux backend): same
//    bytes. Cycle counts are printed (per block, min / median / max, and the regions of the
//    valid block with the most transactions).
//  * zkevm Amsterdam fixtures (statelessInputBytes, unprefixed v0.3 schema, fed unchanged):
//    every block through the accelerated and the software ELF; the output must equal
//    statelessOutputBytes byte for byte (valid blocks and the ones whose witness is damaged on
//    purpose alike).
//  * Malformed input (empty, garbage, truncated): the all-zero default result, exit 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <common/files.hpp>
#include <common/paths.hpp>
#include <common/process.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stateless-input/fixtures.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/stateless_input.hpp>

namespace fs = std::filesystem;
using stele::bytes;
namespace stateless = stele::stateless;
namespace test = stele::test;

using stele::test::read_bytes;
using stele::test::write_bytes;

namespace
{
std::string validator_elf(const std::string& backend, const char* name = "validator")
{
    return test::guest_elf("stateless/guest", name, backend);
}

struct GuestRun
{
    int exit_code = -1;
    bytes output;
    uint64_t cycles = 0;
    std::vector<std::pair<std::string, uint64_t>> regions;
    std::string log;
    std::string report;
};

GuestRun run_guest(
    const std::string& input_path, const std::string& dir, const char* elf_name = "validator")
{
    GuestRun g;
    const std::string out = dir + "/out.bin", log = dir + "/log.txt";
    fs::remove(out);
    const auto r =
        test::run_process({test::stele_cli(), "run", validator_elf("stelevm", elf_name), "--input",
                              input_path, "--output", out, "--log", log, "--json"},
            {}, std::chrono::seconds{300});
    g.exit_code = r.exit_code;
    g.report = r.out + r.err;
    g.output = read_bytes(out);
    std::ifstream lf{log};
    g.log.assign(std::istreambuf_iterator<char>{lf}, {});
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (!j.is_discarded() && j.contains("cycles"))
    {
        g.cycles = j["cycles"].get<uint64_t>();
        for (const auto& reg : j["regions"])
            g.regions.emplace_back(reg["name"].get<std::string>(), reg["total"].get<uint64_t>());
    }
    return g;
}

bytes expected_result(const bytes& input, bool success)
{
    stateless::StatelessInput in;
    EXPECT_EQ(stateless::decode_stateless_input(input, in), stele::ssz::Error::success);
    stateless::StatelessValidationResult r;
    r.new_payload_request_root = stateless::new_payload_request_root(in);
    r.successful_validation = success;
    r.chain_id = in.chain_id;
    if (in.schema == stateless::SchemaVersion::prefixed_r1)
        r.schema_id = stateless::schema_id(in.fork);
    return stateless::encode_validation_result(r, in.schema);
}

struct Dumped
{
    std::string base;  // <dir>/<block hash>
    std::string network;
    std::string verdict;  // "valid" or the EEST exception
    size_t txs = 0;
};

uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const char* const kEestFiles[] = {
    "paris/security/test_tx_selfdestruct_balance_bug.json",
    "shanghai/eip4895_withdrawals/test_large_amount.json",
    "shanghai/eip4895_withdrawals/test_many_withdrawals.json",
    "shanghai/eip3860_initcode/test_contract_creating_tx.json",
    "cancun/eip4844_blobs/test_blob_tx_attribute_opcodes.json",
    "cancun/eip4844_blobs/test_invalid_tx_blob_count.json",
    "cancun/eip1153_tstore/test_tstore_clear_after_tx.json",
    "prague/eip7685_general_purpose_el_requests/test_valid_multi_type_request_from_same_tx.json",
    "prague/eip7685_general_purpose_el_requests/test_invalid_multi_type_requests.json",
    "prague/eip6110_deposits/test_eip_6110.json",
    "prague/eip7002_el_triggerable_withdrawals/test_eip_7002.json",
    "prague/eip7251_consolidations/test_eip_7251.json",
    "prague/eip7702_set_code_tx/test_eip_7702.json",
    "osaka/eip7825_transaction_gas_limit_cap/test_tx_gas_limit_cap_exceeded.json",
    "osaka/eip7918_blob_reserve_price/test_reserve_price_boundary.json",
    "osaka/eip7939_count_leading_zeros/test_clz_mainnet.json",
};
constexpr size_t kBlocks = 30;
}  // namespace

TEST(validator_guest, eest_blocks_match_host_expectation)
{
    ASSERT_TRUE(fs::exists(validator_elf("stelevm")));
    const std::string dir = test::scratch_dir("validator_guest_eest");
    const std::string root = test::fixture_dir("eest") + "/blockchain_tests/";
    std::vector<std::string> argv{
        test::stele_cli(), "spec", "run", "--mode", "stateless", "--dump-witness", dir, "-j", "2"};
    for (const char* f : kEestFiles)
    {
        ASSERT_TRUE(fs::exists(root + f)) << root + f;
        argv.push_back(root + f);
    }
    const auto dump = test::run_process(argv, {}, std::chrono::seconds{600});
    ASSERT_EQ(dump.exit_code, 0) << dump.out << dump.err;

    // Group the dumped blocks by (fork, valid?) and choose round-robin, seeded by the hash.
    std::map<std::string, std::vector<Dumped>> groups;
    size_t other_blocks = 0;
    for (const auto& e : fs::directory_iterator(dir))
    {
        if (e.path().extension() != ".meta")
            continue;
        Dumped d;
        d.base = (e.path().parent_path() / e.path().stem()).string();
        std::ifstream m{e.path()};
        m >> d.network >> d.verdict >> d.txs;
        if (d.network != "Paris" && d.network != "Shanghai" && d.network != "Cancun" &&
            d.network != "Prague" && d.network != "Osaka")
        {
            // Fork transitions (no single fork for the schema id) and pre-merge networks (no
            // payload form) some of the files also hold.
            ++other_blocks;
            continue;
        }
        groups[d.network + (d.verdict == "valid" ? " valid" : " invalid")].push_back(d);
    }
    ASSERT_GE(groups.size(), 8u);
    for (auto& [k, v] : groups)
        std::sort(v.begin(), v.end(),
            [](const Dumped& a, const Dumped& b) {
                return mix(std::hash<std::string>{}(a.base)) <
                       mix(std::hash<std::string>{}(b.base));
            });
    std::vector<Dumped> chosen;
    for (size_t round = 0; chosen.size() < kBlocks; ++round)
    {
        bool any = false;
        for (auto& [k, v] : groups)
            if (round < v.size() && chosen.size() < kBlocks)
            {
                chosen.push_back(v[round]);
                any = true;
            }
        if (!any)
            break;
    }
    ASSERT_GE(chosen.size(), 25u);

    std::vector<uint64_t> cycles, accel_cycles;
    size_t accepted = 0, rejected = 0, no_payload = 0, blob_blocks = 0, request_blocks = 0,
           qemu_checked = 0;
    const GuestRun* largest = nullptr;
    size_t largest_txs = 0;
    std::vector<GuestRun> runs;
    runs.reserve(chosen.size());
    std::map<std::string, size_t> per_fork;
    for (const Dumped& d : chosen)
    {
        SCOPED_TRACE(d.base + " " + d.network + " " + d.verdict);
        const bool valid = d.verdict == "valid";
        const std::string in_path = d.base + ".in";
        const auto b =
            test::run_process({test::stele_cli(), "input", "build", "--block", d.base + ".rlp",
                "--witness", d.base + ".witness.json", "--fork", d.network, "--out", in_path});
        if (b.exit_code != 0)
        {
            // Only a block the engine API cannot even express (wrong header field set) has no
            // payload form, and such a block is invalid.
            EXPECT_FALSE(valid) << b.out << b.err;
            EXPECT_NE(b.err.find("has no"), std::string::npos) << b.err;
            ++no_payload;
            continue;
        }
        const bytes input = read_bytes(in_path);
        stateless::StatelessInput in;
        ASSERT_EQ(stateless::decode_stateless_input(input, in), stele::ssz::Error::success);
        blob_blocks += !in.new_payload_request.versioned_hashes.empty();
        request_blocks += !stateless::execution_requests_list(in).empty();
        if (accepted + rejected == 0)
        {
            // `stele input show` decodes both files and prints the same root.
            const std::string root_hex = stele::to_hex0x(stateless::new_payload_request_root(in));
            const auto show = test::run_process({test::stele_cli(), "input", "show", in_path});
            EXPECT_EQ(show.exit_code, 0);
            EXPECT_NE(show.out.find(root_hex), std::string::npos) << show.out;
            EXPECT_NE(show.out.find("fork        " + d.network), std::string::npos) << show.out;
        }
        GuestRun g = run_guest(in_path, fs::path{d.base}.parent_path().string());
        ASSERT_EQ(g.exit_code, 0) << g.report;
        EXPECT_EQ(stele::to_hex(g.output), stele::to_hex(expected_result(input, valid))) << g.log;
        if (accepted + rejected == 0)
        {
            const auto show =
                test::run_process({test::stele_cli(), "input", "show", dir + "/out.bin"});
            EXPECT_EQ(show.exit_code, 0);
            EXPECT_NE(show.out.find(valid ? "successful_validation    true"
                                          : "successful_validation    false"),
                std::string::npos)
                << show.out;
        }
        if (valid)
            EXPECT_TRUE(g.log.empty()) << g.log;
        else
            EXPECT_FALSE(g.log.empty());
        // The accelerated build (stelevm serves the zkvm_* ecalls): the same output and log.
        const GuestRun ga =
            run_guest(in_path, fs::path{d.base}.parent_path().string(), "validator_accel");
        ASSERT_EQ(ga.exit_code, 0) << ga.report;
        EXPECT_EQ(stele::to_hex(ga.output), stele::to_hex(g.output));
        EXPECT_EQ(ga.log, g.log);
        accel_cycles.push_back(ga.cycles);
        (valid ? accepted : rejected) += 1;
        ++per_fork[d.network];
        cycles.push_back(g.cycles);
        if (qemu_checked < 3 && !test::qemu().empty())
        {
            const auto q = test::run_process(
                {test::qemu(), validator_elf("linux")}, std::string{input.begin(), input.end()});
            EXPECT_EQ(q.exit_code, 0);
            EXPECT_EQ(stele::to_hex(bytes{q.out.begin(), q.out.end()}), stele::to_hex(g.output));
            ++qemu_checked;
        }
        std::printf("  %-8s %-55.55s %3zu txs %11llu cycles, %10llu accelerated\n",
            d.network.c_str(), d.verdict.c_str(), d.txs, static_cast<unsigned long long>(g.cycles),
            static_cast<unsigned long long>(ga.cycles));
        runs.push_back(std::move(g));
        if (valid && (!largest || d.txs > largest_txs ||
                         (d.txs == largest_txs && runs.back().cycles > largest->cycles)))
        {
            largest = &runs.back();
            largest_txs = d.txs;
        }
    }
    EXPECT_GE(accepted, 12u);
    EXPECT_GE(rejected, 5u);
    EXPECT_GE(blob_blocks, 2u);
    EXPECT_GE(request_blocks, 2u);
    for (const char* f : {"Paris", "Shanghai", "Cancun", "Prague", "Osaka"})
        EXPECT_GE(per_fork[f], 1u) << f;
    ASSERT_FALSE(cycles.empty());
    std::sort(cycles.begin(), cycles.end());
    std::printf(
        "validator guest: %zu blocks (%zu accepted, %zu rejected; %zu invalid without a "
        "payload form; %zu blocks of other networks not sampled), %zu with blobs, %zu with "
        "requests, %zu cross-checked under qemu\n",
        accepted + rejected, accepted, rejected, no_payload, other_blocks, blob_blocks,
        request_blocks, qemu_checked);
    std::sort(accel_cycles.begin(), accel_cycles.end());
    for (const auto* list : {&cycles, &accel_cycles})
        std::printf("cycles per block (%s): min %llu, median %llu, max %llu\n",
            list == &cycles ? "software" : "accelerated",
            static_cast<unsigned long long>(list->front()),
            static_cast<unsigned long long>((*list)[list->size() / 2]),
            static_cast<unsigned long long>(list->back()));
    if (largest)
    {
        std::printf(
            "regions of the valid block with the most transactions (%zu txs, %llu "
            "cycles; execution includes state_root):\n",
            largest_txs, static_cast<unsigned long long>(largest->cycles));
        for (const auto& [name, total] : largest->regions)
            std::printf("  %-14s %12llu\n", name.c_str(), static_cast<unsigned long long>(total));
    }
}

TEST(validator_guest, zkevm_amsterdam_outputs)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_GE(records.size(), 200u);
    const std::string dir = test::scratch_dir("validator_guest_zkevm");
    const std::string in_path = dir + "/in.bin";
    size_t accel = 0, software = 0, valid = 0;
    uint64_t max_cycles = 0;
    for (size_t i = 0; i < records.size(); ++i)
    {
        const auto& rec = records[i];
        SCOPED_TRACE(rec.name);
        ASSERT_EQ(rec.output.size(), stateless::result_size_v0_3);
        write_bytes(in_path, rec.input);
        for (const char* elf : {"validator_accel", "validator"})
        {
            const bool sw = std::string_view{elf} == "validator";
            const GuestRun g = run_guest(in_path, dir, elf);
            ASSERT_EQ(g.exit_code, 0) << g.report;
            EXPECT_EQ(stele::to_hex(g.output), stele::to_hex(rec.output)) << elf << "\n" << g.log;
            (sw ? software : accel) += g.output == rec.output;
            max_cycles = std::max(max_cycles, g.cycles);
        }
        valid += rec.output[32] == 1;
    }
    std::printf(
        "zkevm Amsterdam inputs: %zu of %zu outputs identical to statelessOutputBytes in the "
        "accelerated build, %zu in the software build; %zu valid blocks, the "
        "rest with a damaged witness; at most %llu cycles\n",
        accel, records.size(), software, valid, static_cast<unsigned long long>(max_cycles));
    EXPECT_EQ(accel, records.size());
    EXPECT_EQ(software, records.size());
}

TEST(validator_guest, malformed_input_gives_default_result)
{
    const std::string dir = test::scratch_dir("validator_guest_malformed");
    const std::string in_path = dir + "/in.bin";
    // A decodable prefixed input to cut short: a Paris block's payload with an empty witness.
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    std::vector<std::pair<std::string, bytes>> cases;
    cases.emplace_back("empty", bytes{});
    cases.emplace_back("one byte", bytes{0x12});
    bytes garbage(300);
    uint64_t x = 7;
    for (auto& b : garbage)
        b = static_cast<uint8_t>(mix(x++));
    cases.emplace_back("garbage", garbage);
    bytes v03 = records.front().input;
    v03.resize(v03.size() / 2);
    cases.emplace_back("truncated v0.3", v03);
    {
        stateless::StatelessInput in;
        in.schema = stateless::SchemaVersion::prefixed_r1;
        in.fork = stateless::Fork::osaka;
        in.chain_id = 1;
        bytes enc = stateless::encode_stateless_input(in);
        // Whole: decodes (root + false, since the payload is no block); cut: does not decode.
        write_bytes(in_path, enc);
        const GuestRun whole = run_guest(in_path, dir);
        ASSERT_EQ(whole.exit_code, 0) << whole.report;
        EXPECT_EQ(stele::to_hex(whole.output), stele::to_hex(expected_result(enc, false)));
        enc.resize(enc.size() - 3);
        cases.emplace_back("truncated prefixed", enc);
    }
    for (const auto& [name, input] : cases)
    {
        SCOPED_TRACE(name);
        write_bytes(in_path, input);
        const GuestRun g = run_guest(in_path, dir);
        ASSERT_EQ(g.exit_code, 0) << g.report;
        const size_t want =
            name == "truncated v0.3" ? stateless::result_size_v0_3 : stateless::result_size_r1;
        EXPECT_EQ(stele::to_hex(g.output), stele::to_hex(bytes(want, 0)));
        EXPECT_NE(g.log.find("does not decode"), std::string::npos) << g.log;
    }
}
