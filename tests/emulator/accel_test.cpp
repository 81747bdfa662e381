// stelevm's accelerator table (emulator/accelerators.cpp): the argument checks on hand-written
// programs (bad pointers and unknown numbers trap, typed), the 19 accelerators against the
// software engine inside a guest (tests/guest/accel_oracle.cpp), the software-vs-accelerated
// cycle table (tests/guest/accel_cycles.cpp), and the accelerated engine's precompile table
// (tests/guest/accel_precompiles.cpp, stele_engine_accel) against the host's software
// precompiles.
#include <gtest/gtest.h>
#include <stele/stelevm_abi.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <cstdlib>
#include <emulator/cost_model.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/bls12_381.hpp>
#include <stateless/crypto/kzg.hpp>
#include <stateless/evm/precompiles.hpp>

#include "emu_util.hpp"

using namespace stele;
using namespace stele::test;
using namespace stele::test::rv;

namespace
{
std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "missing " << path << " (build the guest tree)";
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct GuestRun
{
    emu::RunResult result;
    std::string output;
    std::string log;
};

GuestRun run_guest(const std::string& name, const std::vector<uint8_t>& input = {})
{
    emu::Machine m;
    emu::ElfError err;
    GuestRun g;
    const auto elf = read_file(guest_elf("tests/guest", name, "stelevm"));
    if (!m.load(elf, input, {}, err))
    {
        ADD_FAILURE() << "load failed: " << err.message;
        return g;
    }
    g.result = m.run();
    g.output = m.output();
    g.log = m.log();
    return g;
}

const emu::AccelReport* find_accel(const emu::RunResult& r, const std::string& name)
{
    for (const auto& a : r.accelerators)
        if (a.name == name)
            return &a;
    return nullptr;
}

// Code that sets a0..a6 and a7 = STELEVM_ACCEL_BASE + n, then ecall; a0 is kept in s1 (x9).
std::vector<uint32_t> accel_call(unsigned n, std::vector<uint64_t> args)
{
    std::vector<uint32_t> code;
    for (size_t i = 0; i < args.size(); ++i)
        li(code, static_cast<uint32_t>(10 + i), args[i]);
    li(code, 17, STELEVM_ACCEL_BASE + n);
    code.push_back(kEcall);
    code.push_back(addi(9, 10, 0));
    return code;
}

EmuRun run_accel(
    unsigned n, std::vector<uint64_t> args, std::vector<uint8_t> data = {}, emu::Options opt = {})
{
    auto code = accel_call(n, std::move(args));
    exit_with(code, 0);
    if (data.size() < 0x3000)
        data.resize(0x3000);
    return run_elf(program(code, std::move(data)), {}, opt);
}
}  // namespace

// --- the table on hand-written programs ----------------------------------------------------

TEST(AccelTable, NamesAndNumbers)
{
    EXPECT_STREQ(emu::accel_name(1), "keccak256");
    EXPECT_STREQ(emu::accel_name(19), "secp256r1_verify");
    EXPECT_STREQ(emu::accel_name(0), "");
    EXPECT_STREQ(emu::accel_name(20), "");
    for (unsigned i = 1; i <= emu::kAccelCount; ++i)
    {
        EXPECT_EQ(emu::accel_number(emu::accel_name(i)), i);
        EXPECT_EQ(emu::accel_number(std::string{"zkvm_"} + emu::accel_name(i)), i);
    }
    EXPECT_EQ(emu::accel_number("identity"), 0u);
}

TEST(AccelTable, KeccakThroughTheEcallWritesTheDigestAndCounts)
{
    std::vector<uint8_t> data(0x3000);
    const std::string msg = "stelevm accelerator";
    std::memcpy(data.data() + 8, msg.data(), msg.size());
    const auto r = run_accel(1, {kDataBase + 8, msg.size(), kDataBase + 0x100}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[9], 0u);  // ZKVM_EOK
    const auto h = keccak256_software({reinterpret_cast<const uint8_t*>(msg.data()), msg.size()});
    EXPECT_EQ(std::memcmp(r.data.data() + 0x100, h.bytes, 32), 0);
    ASSERT_EQ(r.result.accelerators.size(), 1u);
    EXPECT_EQ(r.result.accelerators[0].number, 1u);
    EXPECT_EQ(r.result.accelerators[0].name, "keccak256");
    EXPECT_EQ(r.result.accelerators[0].stats.calls, 1u);
    EXPECT_EQ(r.result.accelerators[0].stats.input_bytes, msg.size());
    EXPECT_EQ(r.result.accelerators[0].stats.failures, 0u);
}

TEST(AccelTable, EfailSetsMinusOneAndLeavesTheOutput)
{
    // blake2f with f = 2: EFAIL, h unchanged.
    std::vector<uint8_t> data(0x3000);
    for (int i = 0; i < 64; ++i)
        data[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
    const auto r = run_accel(10, {12, kDataBase, kDataBase + 0x100, kDataBase + 0x200, 2}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(static_cast<int64_t>(r.x[9]), -1);
    for (int i = 0; i < 64; ++i)
        EXPECT_EQ(r.data[static_cast<size_t>(i)], i);
    ASSERT_EQ(r.result.accelerators.size(), 1u);
    EXPECT_EQ(r.result.accelerators[0].stats.failures, 1u);
    EXPECT_EQ(r.result.accelerators[0].stats.input_bytes, 64u + 128 + 16);
}

TEST(AccelTable, NullPointersTrapNamingTheAcceleratorAndArgument)
{
    for (unsigned n = 1; n <= emu::kAccelCount; ++n)
    {
        // All arguments 0; modexp with three empty operands and mod_len 0 touches no memory.
        const auto r = run_accel(n, {0, 0, 0, 0, 0, 0, 0});
        if (n == 6)
        {
            ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
            EXPECT_EQ(r.x[9], 0u);
            continue;
        }
        ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << n;
        EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault) << r.result.trap.detail;
        EXPECT_EQ(r.result.trap.number, STELEVM_ACCEL_BASE + n);
        EXPECT_EQ(r.result.trap.address, 0u);
        EXPECT_NE(
            r.result.trap.detail.find(std::string{"zkvm_"} + emu::accel_name(n)), std::string::npos)
            << r.result.trap.detail;
        EXPECT_NE(r.result.trap.detail.find("argument `"), std::string::npos)
            << r.result.trap.detail;
    }
}

TEST(AccelTable, UnknownNumbersTrapAsUnknownEcalls)
{
    for (const uint64_t n : {uint64_t{STELEVM_ACCEL_BASE}, uint64_t{STELEVM_ACCEL_BASE + 20},
             uint64_t{STELEVM_ACCEL_BASE + 0xFF}})
    {
        const auto r = run_accel(static_cast<unsigned>(n - STELEVM_ACCEL_BASE), {});
        ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
        EXPECT_EQ(r.result.trap.kind, emu::TrapKind::UnknownEcall);
        EXPECT_EQ(r.result.trap.number, n);
        EXPECT_TRUE(r.result.accelerators.empty());
    }
}

TEST(AccelTable, OutputToReadOnlyMemoryTraps)
{
    // The digest aimed at the code segment (R X) and at the input window (read-only).
    for (const uint64_t out : {kTextBase, uint64_t{STELEVM_INPUT_BASE}})
    {
        const auto r = run_accel(1, {kDataBase, 4, out});
        ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
        EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
        EXPECT_EQ(r.result.trap.address, out);
        EXPECT_NE(r.result.trap.detail.find("argument `output`"), std::string::npos)
            << r.result.trap.detail;
        EXPECT_NE(r.result.trap.detail.find("not writable"), std::string::npos);
    }
}

TEST(AccelTable, BuffersRunningOffTheSegmentTrap)
{
    // 0x100 bytes starting 0x10 before the end of the data segment; and a pointer past 4 GiB.
    const auto r = run_accel(4, {kDataBase + 0x3000 - 0x10, 0x100, kDataBase});
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
    EXPECT_NE(r.result.trap.detail.find("argument `data`"), std::string::npos);
    EXPECT_NE(r.result.trap.detail.find("not readable"), std::string::npos);
    const auto far = run_accel(7, {uint64_t{1} << 40, kDataBase, kDataBase});
    ASSERT_EQ(far.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(far.result.trap.kind, emu::TrapKind::EcallFault);
    EXPECT_NE(far.result.trap.detail.find("argument `p1`"), std::string::npos);
}

TEST(AccelTable, HugePairCountsTrapWithoutOverflow)
{
    // num_pairs * 192 wraps around 2^64 for this count: it must still be rejected.
    for (const unsigned n : {9u, 13u, 15u, 16u})
    {
        const uint64_t count = (uint64_t{1} << 63) / 96 + 1;
        const auto r = run_accel(n, {kDataBase, count, kDataBase + 0x100});
        ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << n;
        EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
        // Refused by the pair-count work limit before the size is computed.
        EXPECT_NE(r.result.trap.detail.find("a pair count of"), std::string::npos)
            << r.result.trap.detail;
    }
}

TEST(AccelTable, ModexpBeyondTheWorkLimitTraps)
{
    // A 4 KiB modulus and a 4 KiB exponent of ones: 512² words × 32768 bits = 2^33 > 2^28.
    std::vector<uint8_t> data(0x3000, 0xff);
    const auto r = run_accel(
        6, {kDataBase, 8, kDataBase, 0x1000, kDataBase + 0x1000, 0x1000, kDataBase + 0x2000}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
    EXPECT_NE(r.result.trap.detail.find("modexp work limit"), std::string::npos)
        << r.result.trap.detail;
    // 1 KiB base and modulus with a 64-bit exponent are within it.
    const auto ok = run_accel(
        6, {kDataBase, 0x400, kDataBase, 8, kDataBase + 0x1000, 0x400, kDataBase + 0x2000}, data);
    ASSERT_EQ(ok.result.outcome, emu::Outcome::Success) << ok.result.describe();
    EXPECT_EQ(ok.x[9], 0u);
}

TEST(AccelTable, OutputsBeyondTheMemoryLimitStopTheRun)
{
    // The heap-like segment has 64 untouched pages; the limit allows only the image's pages.
    std::vector<uint32_t> code = accel_call(4, {kDataBase, 0, 0x40000});
    exit_with(code, 0);
    const auto elf =
        make_elf(kTextBase, {{kTextBase, 5, words(code)}, {kDataBase, 6, std::vector<uint8_t>(16)},
                                {0x40000, 6, {}, 0x40000}});
    emu::Options opt;
    opt.max_memory = 2 * emu::Memory::kPageSize;
    const auto r = run_elf(elf, {}, opt);
    EXPECT_EQ(r.result.outcome, emu::Outcome::MemoryLimit) << r.result.describe();
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
}

// --- the accelerators against the software engine, inside the guest --------------------------

TEST(AccelOracle, EveryAcceleratorAgreesWithTheSoftwareEngine)
{
    uint64_t seed = 0x5eed0001;
    if (const char* s = std::getenv("STELE_ACCEL_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    std::vector<uint8_t> input(8);
    std::memcpy(input.data(), &seed, 8);
    const auto g = run_guest("accel_oracle", input);
    EXPECT_EQ(g.result.outcome, emu::Outcome::Success)
        << g.result.describe() << "\nseed " << seed << "\n"
        << g.log;
    std::istringstream lines(g.output);
    std::string name;
    uint64_t cases = 0, eok = 0, efail = 0, mismatches = 0, total = 0;
    unsigned seen = 0;
    std::printf("seed 0x%llx, %llu cycles\n%-22s %6s %6s %6s %10s %8s %12s\n",
        static_cast<unsigned long long>(seed), static_cast<unsigned long long>(g.result.cycles),
        "accelerator", "cases", "EOK", "EFAIL", "mismatches", "calls", "input bytes");
    while (lines >> name)
    {
        if (name == "rules")
        {
            uint64_t checked = 0, failed = 0;
            lines >> checked >> failed;
            std::printf("reference rules checked: %llu, failed: %llu\n",
                static_cast<unsigned long long>(checked), static_cast<unsigned long long>(failed));
            EXPECT_GT(checked, 100u);
            EXPECT_EQ(failed, 0u) << g.log;
            continue;
        }
        lines >> cases >> eok >> efail >> mismatches;
        ++seen;
        total += cases;
        const auto* a = find_accel(g.result, name);
        ASSERT_NE(a, nullptr) << name << " was never called";
        std::printf("%-22s %6llu %6llu %6llu %10llu %8llu %12llu\n", name.c_str(),
            static_cast<unsigned long long>(cases), static_cast<unsigned long long>(eok),
            static_cast<unsigned long long>(efail), static_cast<unsigned long long>(mismatches),
            static_cast<unsigned long long>(a->stats.calls),
            static_cast<unsigned long long>(a->stats.input_bytes));
        EXPECT_GE(cases, 5u) << name;
        EXPECT_EQ(mismatches, 0u) << name << "\n" << g.log;
        // Every case is exactly one call; the report's failures are the EFAIL cases.
        EXPECT_EQ(a->stats.calls, cases) << name;
        EXPECT_EQ(a->stats.failures, efail) << name;
    }
    EXPECT_EQ(seen, emu::kAccelCount);
    EXPECT_EQ(g.result.accelerators.size(), emu::kAccelCount);
    std::printf("%llu cases\n", static_cast<unsigned long long>(total));
}

// --- cycles: software vs accelerated ---------------------------------------------------------

TEST(AccelCycles, AcceleratedOperationsCostAFewCycles)
{
    const auto g = run_guest("accel_cycles");
    ASSERT_EQ(g.result.outcome, emu::Outcome::Success) << g.result.describe() << "\n" << g.log;
    std::map<std::string, uint64_t> sw, acc;
    for (const auto& r : g.result.regions)
    {
        ASSERT_EQ(r.count, 1u) << r.name;
        if (r.name.rfind("sw ", 0) == 0)
            sw[r.name.substr(3)] = r.total;
        else if (r.name.rfind("accel ", 0) == 0)
            acc[r.name.substr(6)] = r.total;
    }
    ASSERT_EQ(sw.size(), 6u);
    std::printf("%-28s %14s %12s %10s\n", "operation", "software", "accelerated", "ratio");
    for (const auto& [op, cycles] : sw)
    {
        ASSERT_TRUE(acc.count(op)) << op;
        std::printf("%-28s %14llu %12llu %9.0fx\n", op.c_str(),
            static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(acc[op]),
            static_cast<double>(cycles) / static_cast<double>(acc[op]));
        // The ecall is one cycle; the stub and the region bookkeeping (the region end's strlen)
        // a few hundred more.
        EXPECT_LT(acc[op], 1000u) << op;
        EXPECT_GT(cycles, 10 * acc[op]) << op;
    }
}

// --- the accelerated engine end to end ------------------------------------------------------

namespace
{
std::vector<uint8_t> unhex(const std::string& s)
{
    std::vector<uint8_t> v(s.size() / 2);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
    return v;
}

void pad_fp(const uint8_t* in, size_t n_fp, std::vector<uint8_t>& out)
{
    for (size_t i = 0; i < n_fp; ++i)
    {
        out.insert(out.end(), 16, 0);
        out.insert(out.end(), in + 48 * i, in + 48 * i + 48);
    }
}

struct Record
{
    unsigned addr;
    std::string label;
    std::vector<uint8_t> input;
};

std::vector<Record> precompile_records()
{
    namespace bls = crypto::bls12_381;
    std::vector<Record> v;
    const auto word = [](uint64_t x)
    {
        std::vector<uint8_t> w(32);
        for (int i = 0; i < 8; ++i)
            w[31 - static_cast<size_t>(i)] = static_cast<uint8_t>(x >> (8 * i));
        return w;
    };
    const auto cat = [](std::initializer_list<std::vector<uint8_t>> parts)
    {
        std::vector<uint8_t> r;
        for (const auto& p : parts)
            r.insert(r.end(), p.begin(), p.end());
        return r;
    };
    // 0x01: r = x(G) always recovers; v = 29 is invalid.
    const auto h = unhex("1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    const auto r = unhex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    const auto s = unhex("2a1f3c4e5d6b7a8998a7b6c5d4e3f201112233445566778899aabbccddeeff00");
    v.push_back({1, "ecrecover v=27", cat({h, word(27), r, s})});
    v.push_back({1, "ecrecover v=28", cat({h, word(28), r, s})});
    v.push_back({1, "ecrecover v=29", cat({h, word(29), r, s})});
    v.push_back({1, "ecrecover r=0", cat({h, word(27), word(0), s})});
    v.push_back({2, "sha256 empty", {}});
    v.push_back({2, "sha256 100 bytes", std::vector<uint8_t>(100, 0x61)});
    v.push_back({3, "ripemd160 100 bytes", std::vector<uint8_t>(100, 0x61)});
    // 0x05: EIP-198's example, 3^(p-1) mod p = 1 (secp256k1's p); and a zero modulus.
    const auto p = unhex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    const auto pm1 = unhex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e");
    v.push_back({5, "modexp EIP-198", cat({word(1), word(32), word(32), {3}, pm1, p})});
    v.push_back({5, "modexp zero modulus", cat({word(1), word(1), word(2), {3}, {5}, {0, 0}})});
    // 0x06-0x08 with G1 = (1, 2) and the EIP-197 G2 generator.
    const auto g1 = cat({word(1), word(2)});
    const auto neg_g1 =
        cat({word(1), unhex("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45")});
    const auto g2 = unhex(
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
        "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
    v.push_back({6, "bn254 G + G", cat({g1, g1})});
    v.push_back({6, "bn254 short input", {1}});
    v.push_back({6, "bn254 off curve", cat({word(1), word(3), g1})});
    v.push_back({7, "bn254 2G", cat({g1, word(2)})});
    v.push_back({8, "bn254 pairing 2 pairs", cat({g1, g2, neg_g1, g2})});
    v.push_back({8, "bn254 pairing empty", {}});
    v.push_back({8, "bn254 pairing bad length", std::vector<uint8_t>(100)});
    // 0x09: EIP-152 test vector 5.
    {
        // rounds (u32 big-endian) ‖ h ‖ m ("abc") ‖ t (3, little-endian) ‖ f
        auto b = cat({{0, 0, 0, 12},
            unhex("48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e"
                  "511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"),
            {'a', 'b', 'c'}, std::vector<uint8_t>(125), {3}, std::vector<uint8_t>(15), {1}});
        v.push_back({9, "blake2f EIP-152 #5", b});
        b.back() = 2;
        v.push_back({9, "blake2f f=2", b});
    }
    // 0x0a: the constant polynomial y, commitment [y]G1, proof = infinity.
    {
        const auto y = unhex("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
        const auto z = unhex("0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de");
        std::vector<uint8_t> c(48), proof(48);
        proof[0] = 0xc0;
        bls::compress_g1(
            bls::G1J::from(bls::g1_generator()).mul_be(y.data(), 32).to_affine(), c.data());
        const auto vh = crypto::kzg::versioned_hash(c.data());
        const std::vector<uint8_t> vhv(vh.bytes, vh.bytes + 32);
        v.push_back({0x0a, "kzg constant polynomial", cat({vhv, z, y, c, proof})});
        auto bad = vhv;
        bad[5] ^= 1;
        v.push_back({0x0a, "kzg wrong versioned hash", cat({bad, z, y, c, proof})});
    }
    // 0x0b-0x11 from the generators.
    {
        uint8_t raw[192];
        std::vector<uint8_t> G1, G2, negG1;
        bls::encode_g1(bls::g1_generator(), raw);
        pad_fp(raw, 2, G1);
        bls::encode_g1(bls::g1_generator().neg(), raw);
        pad_fp(raw, 2, negG1);
        bls::encode_g2(bls::g2_generator(), raw);
        pad_fp(raw, 4, G2);
        v.push_back({0x0b, "bls G1 + G1", cat({G1, G1})});
        v.push_back({0x0b, "bls G1 + -G1", cat({G1, negG1})});
        v.push_back({0x0c, "bls G1 msm 2", cat({G1, word(5), negG1, word(3)})});
        v.push_back({0x0d, "bls G2 + G2", cat({G2, G2})});
        v.push_back({0x0e, "bls G2 msm 1", cat({G2, word(7)})});
        v.push_back({0x0f, "bls pairing 2 pairs", cat({G1, G2, negG1, G2})});
        v.push_back({0x0f, "bls pairing 1 pair", cat({G1, G2})});
        auto bad_pad = G1;
        bad_pad[3] = 1;
        v.push_back({0x0b, "bls bad padding", cat({bad_pad, G1})});
        const auto u = unhex(
            "0000000000000000000000000000000014406e5bfb9209256a3820879a29ac2f62d6"
            "aca82324bf3ae2aa7d3c54792043bd8c791fccdb080c1a52dc68b8b69350");
        v.push_back({0x10, "bls map fp", u});
        v.push_back({0x11, "bls map fp2", cat({u, u})});
    }
    // 0x100 (EIP-7951): a P-256 signature made with Python cryptography; and a tampered one.
    {
        const auto in = unhex(
            "197134ee37286964c8ce13ec952bb6ceb278850dabfb91e457bf00d5ff7a6dd7"
            "15ca8396fe2e58aff83abbc100fec5b4f2459303d04a32ddcaeadd336a767585"
            "f1431f10e82f64f4225a96c105fa928d8d9cad27c91bcfb4f29d674799a00f1a"
            "7f649f5c18e1fac91179a4dcaa42cd578280fbec6fcc2ad501f2a57a873f8ddc"
            "8b15aba32499576fd5db1417afef1904e259057821e984df138540c57378e6aa");
        v.push_back({0x100, "p256 valid", in});
        auto bad = in;
        bad[0] ^= 1;
        v.push_back({0x100, "p256 tampered", bad});
    }
    return v;
}

struct Outcome
{
    bool success = false;
    int64_t gas = 0;
    std::vector<uint8_t> output;
};

Outcome host_precompile(const evm::PrecompileTable& t, const Record& r)
{
    address a;
    a.bytes[18] = static_cast<uint8_t>(r.addr >> 8);
    a.bytes[19] = static_cast<uint8_t>(r.addr);
    bytes out;
    const auto res = t.entry(a).fn(r.input, INT64_MAX / 2, kLatestFork, out);
    return {res.success, res.gas_used, out};
}
}  // namespace

TEST(AccelEngine, AcceleratedPrecompilesMatchTheSoftwareEngine)
{
    const auto records = precompile_records();
    std::vector<uint8_t> input;
    for (const auto& r : records)
    {
        input.push_back(static_cast<uint8_t>(r.addr));
        input.push_back(static_cast<uint8_t>(r.addr >> 8));
        const auto n = static_cast<uint32_t>(r.input.size());
        for (int i = 0; i < 4; ++i)
            input.push_back(static_cast<uint8_t>(n >> (8 * i)));
        input.insert(input.end(), r.input.begin(), r.input.end());
    }
    const auto g = run_guest("accel_precompiles", input);
    ASSERT_EQ(g.result.outcome, emu::Outcome::Success) << g.result.describe() << "\n" << g.log;

    const evm::PrecompileTable table = evm::default_precompiles();
    size_t pos = 0;
    unsigned successes = 0;
    std::map<std::string, Outcome> by_label;
    for (const auto& r : records)
    {
        ASSERT_LE(pos + 13, g.output.size()) << r.label;
        const auto* o = reinterpret_cast<const uint8_t*>(g.output.data()) + pos;
        Outcome guest;
        guest.success = o[0] == 1;
        uint64_t gas = 0, len = 0;
        for (int i = 0; i < 8; ++i)
            gas |= uint64_t{o[1 + i]} << (8 * i);
        for (int i = 0; i < 4; ++i)
            len |= uint64_t{o[9 + i]} << (8 * i);
        guest.gas = static_cast<int64_t>(gas);
        ASSERT_LE(pos + 13 + len, g.output.size()) << r.label;
        guest.output.assign(o + 13, o + 13 + len);
        pos += 13 + len;
        const Outcome host = host_precompile(table, r);
        EXPECT_EQ(guest.success, host.success) << r.label;
        EXPECT_EQ(guest.gas, host.gas) << r.label;
        EXPECT_EQ(guest.output, host.output) << r.label;
        successes += guest.success;
        by_label[r.label] = guest;
    }
    EXPECT_EQ(pos, g.output.size());
    // Published answers, so that both sides cannot be wrong together.
    std::vector<uint8_t> one(32);
    one[31] = 1;
    EXPECT_EQ(by_label["modexp EIP-198"].output, one);
    EXPECT_EQ(by_label["modexp zero modulus"].output, std::vector<uint8_t>(2));
    EXPECT_EQ(by_label["bn254 pairing 2 pairs"].output, one);
    EXPECT_EQ(by_label["bn254 pairing empty"].output, one);
    EXPECT_EQ(by_label["bls pairing 2 pairs"].output, one);
    EXPECT_EQ(by_label["bls pairing 1 pair"].output, std::vector<uint8_t>(32));
    EXPECT_EQ(by_label["p256 valid"].output, one);
    EXPECT_TRUE(by_label["p256 tampered"].output.empty());
    EXPECT_TRUE(by_label["kzg constant polynomial"].success);
    EXPECT_FALSE(by_label["kzg wrong versioned hash"].success);
    EXPECT_FALSE(by_label["blake2f f=2"].success);
    EXPECT_EQ(by_label["blake2f EIP-152 #5"].output,
        unhex("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc"
              "252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));
    EXPECT_EQ(by_label["bn254 2G"].output, by_label["bn254 G + G"].output);
    EXPECT_EQ(by_label["ecrecover v=29"].output.size(), 0u);
    EXPECT_EQ(by_label["ecrecover v=27"].output.size(), 32u);
    EXPECT_GE(successes, 24u);

    // Every accelerated primitive behind these precompiles went through its ecall (keccak via
    // ecrecover's address, sha256 also via the KZG versioned hash); secp256k1_verify is not a
    // precompile.
    std::printf("%-22s %8s %12s %9s\n", "accelerator", "calls", "input bytes", "failures");
    for (unsigned n = 1; n <= emu::kAccelCount; ++n)
    {
        const std::string name = emu::accel_name(n);
        const auto* a = find_accel(g.result, name);
        if (name == "secp256k1_verify")
        {
            EXPECT_EQ(a, nullptr);
            continue;
        }
        ASSERT_NE(a, nullptr) << name << " was not called";
        std::printf("%-22s %8llu %12llu %9llu\n", name.c_str(),
            static_cast<unsigned long long>(a->stats.calls),
            static_cast<unsigned long long>(a->stats.input_bytes),
            static_cast<unsigned long long>(a->stats.failures));
    }
}

// --- the report of `stele run` ---------------------------------------------------------------

TEST(AccelReport, SteleRunListsAcceleratorsAndAppliesAPriceList)
{
    const std::string dir = scratch_dir("accel_report");
    const std::string prices = dir + "/prices.txt";
    {
        std::ofstream f(prices);
        f << "# name per_call per_input_byte\n"
             "keccak256 100 2\n"
             "zkvm_sha256 50   # no per-byte price\n"
             "bn254_pairing 1000 0.5\n";
    }
    const std::string elf = guest_elf("tests/guest", "accel_cycles", "stelevm");
    const auto r =
        run_process({stele_cli(), "run", "--json", "--no-functions", "--accel-cost", prices, elf});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> acc;
    for (const auto& a : j["accelerators"])
        acc[a["name"].get<std::string>()] = a;
    ASSERT_EQ(acc.size(), 6u) << j["accelerators"].dump();
    EXPECT_EQ(acc["keccak256"]["number"], 1);
    EXPECT_EQ(acc["keccak256"]["calls"], 1);
    EXPECT_EQ(acc["keccak256"]["input_bytes"], 1024);
    EXPECT_EQ(acc["keccak256"]["failures"], 0);
    EXPECT_EQ(acc["keccak256"]["cost"], 100 + 2 * 1024);
    EXPECT_EQ(acc["sha256"]["cost"], 50);
    EXPECT_EQ(acc["bn254_pairing"]["input_bytes"], 2 * 192);
    EXPECT_EQ(acc["bn254_pairing"]["cost"], 1000 + 192);
    EXPECT_EQ(acc["kzg_point_eval"]["cost"], 0);  // not in the price list
    EXPECT_EQ(j["accelerator_cycles"], 100 + 2 * 1024 + 50 + 1000 + 192);
    EXPECT_EQ(j["total_cycles"].get<uint64_t>(),
        j["cycles"].get<uint64_t>() + j["accelerator_cycles"].get<uint64_t>());

    EXPECT_EQ(j["cost"], j["total_cycles"]);
    EXPECT_EQ(j["cost_model"], "--accel-cost " + prices);

    // Without a price list the built-in model stele-cost-v1 prices every call.
    const auto t = run_process({stele_cli(), "run", "--no-functions", elf});
    ASSERT_EQ(t.exit_code, 0) << t.err;
    EXPECT_NE(t.err.find("accelerator"), std::string::npos) << t.err;
    EXPECT_NE(t.err.find("secp256k1_ecrecover"), std::string::npos) << t.err;
    EXPECT_NE(t.err.find("cost                "), std::string::npos) << t.err;
    EXPECT_NE(t.err.find("stele-cost-v1"), std::string::npos) << t.err;
    const auto tj = nlohmann::json::parse(
        run_process({stele_cli(), "run", "--json", "--no-functions", elf}).out);
    EXPECT_EQ(tj["cost_model"], "stele-cost-v1");
    uint64_t model = 0;
    for (const auto& a : tj["accelerators"])
    {
        emu::AccelStats st;
        st.calls = a["calls"].get<uint64_t>();
        st.input_bytes = a["input_bytes"].get<uint64_t>();
        st.work = a["work"].get<uint64_t>();
        const uint64_t want =
            emu::accel_cost(st, emu::cost_model_v1()[a["number"].get<unsigned>()]);
        EXPECT_EQ(a["cost"].get<uint64_t>(), want) << a.dump();
        EXPECT_GT(want, 0u) << a.dump();  // every accelerator has a price
        model += want;
    }
    EXPECT_EQ(tj["accelerator_cycles"].get<uint64_t>(), model);
    EXPECT_EQ(tj["cost"].get<uint64_t>(), tj["cycles"].get<uint64_t>() + model);

    // A bad price list is a usage error naming the line.
    {
        std::ofstream f(prices);
        f << "keccak256 1\nidentity 5\n";
    }
    const auto bad = run_process({stele_cli(), "run", "--accel-cost", prices, elf});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("prices.txt:2"), std::string::npos) << bad.err;
}
