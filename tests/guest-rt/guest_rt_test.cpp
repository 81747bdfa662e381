// guest-rt behaviour on RV64IM, run twice: the linux-backend ELF under qemu-riscv64 and the
// stelevm-backend ELF under `stele run`. The example guests, the compiler builtins against the
// host's __int128, mem*/str*, and the allocator.
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

using namespace stele::test;

namespace
{
struct GuestResult
{
    int exit_code = -1;
    std::string out;
    std::string log;  // the guest's write_log stream only
    std::string err;  // everything on stderr (log, and stelevm's report)
};

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// backend: "linux" (qemu-riscv64) or "stelevm" (stele run).
GuestResult run_on(const std::string& backend, const std::string& dir, const std::string& name,
    const std::string& input)
{
    const std::string elf = guest_elf(dir, name, backend);
    GuestResult g;
    if (backend == "linux")
    {
        const std::string q = qemu();
        if (q.empty())
            ADD_FAILURE() << "qemu-riscv64 not found: run scripts/setup";
        const auto r = run_process({q, elf}, input);
        g = {r.exit_code, r.out, r.err, r.err};
        return g;
    }
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string dir_s = scratch_dir(
        std::string{"guest-rt-"} + info->test_suite_name() + "." + info->name() + "-" + name);
    const std::string in = dir_s + "/input", out = dir_s + "/output", log = dir_s + "/log";
    std::ofstream(in, std::ios::binary)
        .write(input.data(), static_cast<std::streamsize>(input.size()));
    const auto r =
        run_process({stele_cli(), "run", elf, "--input", in, "--output", out, "--log", log});
    g.exit_code = r.exit_code;
    g.out = slurp(out);
    g.log = slurp(log);
    g.err = g.log + r.err;
    return g;
}

// Parameter: the backend.
class GuestRt : public ::testing::TestWithParam<std::string>
{
protected:
    GuestResult run_guest(
        const std::string& dir, const std::string& name, const std::string& input = {})
    {
        return run_on(GetParam(), dir, name, input);
    }
    // Exit status of an aborted guest: a shell's SIGABRT status on linux, `stele run`'s abort code.
    int abort_exit() const
    {
        return GetParam() == "linux" ? 134 : 3;
    }
};

std::string random_bytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng());
    return s;
}
}  // namespace

TEST_P(GuestRt, Examples_EmptyExitsZero)
{
    const auto r = run_guest("examples", "empty");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "");
}

TEST_P(GuestRt, Examples_HelloWritesOutputAndLog)
{
    const auto r = run_guest("examples", "hello");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "hello from an RV64IM guest\n");
    EXPECT_EQ(r.log, "hello: starting\n");
}

TEST_P(GuestRt, Examples_FailAbortsWithMessage)
{
    const auto r = run_guest("examples", "fail");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.exit_code, abort_exit());
    EXPECT_NE(r.err.find("fail: this guest always aborts"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

class EchoTest : public ::testing::TestWithParam<std::tuple<std::string, size_t>>
{
};

TEST_P(EchoTest, ReproducesInputByteForByte)
{
    const auto [backend, size] = GetParam();
    const std::string input = random_bytes(size, size);
    const auto r = run_on(backend, "examples", "echo", input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out.size(), input.size());
    EXPECT_TRUE(r.out == input);
}

INSTANTIATE_TEST_SUITE_P(Sizes, EchoTest,
    ::testing::Combine(::testing::Values(std::string{"linux"}, std::string{"stelevm"}),
        ::testing::Values(
            size_t{0}, size_t{1}, size_t{4097}, size_t{65536}, size_t{65537}, size_t{16} << 20)),
    [](const auto& info)
    { return std::get<0>(info.param) + "_bytes_" + std::to_string(std::get<1>(info.param)); });

// --- compiler builtins ----------------------------------------------------------------------

using u128 = unsigned __int128;
using i128 = __int128;

namespace
{
constexpr int kOps = 26;

u128 expected(int op, u128 a, u128 b)
{
    const auto sa = static_cast<i128>(a), sb = static_cast<i128>(b);
    const int sh = static_cast<int>(b & 127);
    const auto a64 = static_cast<uint64_t>(a);
    const auto a32 = static_cast<uint32_t>(a);
    const auto clz128 = [](u128 x)
    {
        const auto hi = static_cast<uint64_t>(x >> 64);
        return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(static_cast<uint64_t>(x));
    };
    const auto ctz128 = [](u128 x)
    {
        const auto lo = static_cast<uint64_t>(x);
        return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll(static_cast<uint64_t>(x >> 64));
    };
    switch (op)
    {
        case 0:
        case 4:
            return a / b;
        case 1:
        case 5:
            return a % b;
        case 2:
        case 6:
            return static_cast<u128>(sa / sb);
        case 3:
        case 7:
            return static_cast<u128>(sa % sb);
        case 8:
            return a * b;
        case 9:
            return a << sh;
        case 10:
            return a >> sh;
        case 11:
            return static_cast<u128>(sa >> sh);
        case 12:
            return static_cast<u128>(__builtin_clzll(a64));
        case 13:
            return static_cast<u128>(__builtin_ctzll(a64));
        case 14:
            return static_cast<u128>(__builtin_popcountll(a64));
        case 15:
            return static_cast<u128>(clz128(a));
        case 16:
            return static_cast<u128>(ctz128(a));
        case 17:
            return static_cast<u128>(
                __builtin_popcountll(a64) + __builtin_popcountll(static_cast<uint64_t>(a >> 64)));
        case 18:
            return static_cast<u128>(__builtin_parityll(a64));
        case 19:
            return static_cast<u128>(__builtin_clz(a32));
        case 20:
            return static_cast<u128>(__builtin_ctz(a32));
        case 21:
            return static_cast<u128>(__builtin_popcount(a32));
        case 22:
            return __builtin_bswap32(a32);
        case 23:
            return __builtin_bswap64(a64);
        case 24:
            return static_cast<u128>(sa < sb ? 0 : sa > sb ? 2 : 1);
        case 25:
            return static_cast<u128>(a < b ? 0 : a > b ? 2 : 1);
        default:
            return 0;
    }
}

// Inputs on which an op is undefined behaviour (in C and in the builtin's contract).
bool defined_for(int op, u128 a, u128 b)
{
    const auto sa = static_cast<i128>(a), sb = static_cast<i128>(b);
    const i128 min = static_cast<i128>(u128{1} << 127);
    if (op <= 7 && b == 0)
        return false;
    if ((op == 2 || op == 3 || op == 6 || op == 7) && sa == min && sb == -1)
        return false;
    if ((op == 12 || op == 13) && static_cast<uint64_t>(a) == 0)
        return false;
    if ((op == 15 || op == 16) && a == 0)
        return false;
    if ((op == 19 || op == 20) && static_cast<uint32_t>(a) == 0)
        return false;
    return true;
}

void put(std::string& s, u128 v)
{
    for (int i = 0; i < 16; ++i, v >>= 8)
        s.push_back(static_cast<char>(v));
}
}  // namespace

TEST_P(GuestRt, Builtins_MatchHostInt128OnEdgeAndRandomValues)
{
    std::vector<u128> values;
    const u128 one = 1;
    for (u128 base : {u128{0}, one, u128{2}, u128{3}, u128{7}, u128{10}})
        values.push_back(base);
    for (int shift : {31, 32, 63, 64, 65, 95, 96, 126, 127})
    {
        values.push_back(one << shift);
        values.push_back((one << shift) - 1);
        values.push_back((one << shift) + 1);
    }
    values.push_back(~u128{0});        // unsigned max, -1
    values.push_back(~u128{0} >> 1);   // signed max
    values.push_back(u128{1} << 127);  // signed min
    values.push_back(static_cast<u128>(UINT64_MAX));
    values.push_back(static_cast<u128>(UINT64_MAX) << 64);
    values.push_back((static_cast<u128>(0x8000000000000000ull) << 64) | 0x8000000000000000ull);

    std::mt19937_64 rng{0x5EE1E};
    std::vector<std::pair<u128, u128>> pairs;
    for (u128 a : values)
        for (u128 b : values)
            pairs.emplace_back(a, b);
    for (int i = 0; i < 10000; ++i)
    {
        // Mix widths so that both divisor paths (< 2^64 and >= 2^64) are exercised.
        auto draw = [&]
        {
            const u128 v = (static_cast<u128>(rng()) << 64) | rng();
            return v >> (rng() % 128);
        };
        pairs.emplace_back(draw(), draw());
    }

    std::string input;
    std::vector<std::tuple<int, u128, u128>> cases;
    for (int op = 0; op < kOps; ++op)
        for (const auto& [a, b] : pairs)
        {
            if (!defined_for(op, a, b))
                continue;
            input.push_back(static_cast<char>(op));
            put(input, a);
            put(input, b);
            cases.emplace_back(op, a, b);
        }

    const auto r = run_guest("tests/guest", "builtins", input);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out.size(), cases.size() * 16);
    size_t failures = 0;
    for (size_t i = 0; i < cases.size(); ++i)
    {
        const auto [op, a, b] = cases[i];
        u128 got = 0;
        for (int k = 15; k >= 0; --k)
            got = (got << 8) | static_cast<uint8_t>(r.out[i * 16 + static_cast<size_t>(k)]);
        const u128 want = expected(op, a, b);
        if (got != want && ++failures <= 10)
            ADD_FAILURE() << "op " << op << " a=0x" << std::hex << static_cast<uint64_t>(a >> 64)
                          << "_" << static_cast<uint64_t>(a) << " b=0x"
                          << static_cast<uint64_t>(b >> 64) << "_" << static_cast<uint64_t>(b);
    }
    EXPECT_EQ(failures, 0u) << "of " << cases.size() << " cases";
}

TEST_P(GuestRt, LibC_MemAndStrFunctionsAtEveryAlignment)
{
    const auto r = run_guest("tests/guest", "memops");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("all cases agree"), std::string::npos) << r.err;
}

TEST_P(GuestRt, Heap_StressKeepsBlocksIntactAndAccountsExactly)
{
    const auto r = run_guest("tests/guest", "heap_stress");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("heap_stress: ok"), std::string::npos) << r.err;
}

TEST_P(GuestRt, Heap_ExhaustionAbortsWithMessage)
{
    for (const char* mode : {"big", "blocks"})
    {
        const auto r = run_guest("tests/guest", "heap_oom", mode);
        EXPECT_EQ(r.exit_code, abort_exit()) << mode;
        EXPECT_NE(r.err.find("out of heap memory"), std::string::npos) << mode << ": " << r.err;
    }
}

TEST_P(GuestRt, StdLib_HeaderOnlyLibraryWorksOnTheGuest)
{
    const auto r = run_guest("tests/guest", "stdlib");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("stdlib: ok"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, GuestRt, ::testing::Values("linux", "stelevm"),
    [](const auto& info) { return info.param; });

// The same linux-backend ELF under qemu-riscv64 and under stelevm (which accepts the Linux
// read/write/exit calls), and the stelevm-backend ELF: identical output, log and exit status.
TEST(BothEmulators, ExamplesGiveIdenticalResults)
{
    const std::string q = qemu();
    ASSERT_FALSE(q.empty()) << "qemu-riscv64 not found: run scripts/setup";
    const std::string input = random_bytes(70000, 3);
    for (const char* name : {"empty", "hello", "echo", "fail"})
    {
        const std::string elf = guest_elf("examples", name, "linux");
        const auto ref = run_process({q, elf}, input);
        const std::string dir = scratch_dir(std::string{"guest-rt-both-"} + name);
        std::ofstream(dir + "/in", std::ios::binary)
            .write(input.data(), static_cast<std::streamsize>(input.size()));
        const auto ours = run_process({stele_cli(), "run", elf, "--input", dir + "/in", "--output",
            dir + "/out", "--log", dir + "/log"});
        EXPECT_EQ(slurp(dir + "/out"), ref.out) << name;
        EXPECT_EQ(slurp(dir + "/log"), ref.err) << name;
        // A non-zero guest status is exit code 1 of stele run; the status itself is in --json.
        EXPECT_EQ(ours.exit_code, ref.exit_code == 0 ? 0 : 1) << name << ": " << ours.err;
        const auto native = run_process({stele_cli(), "run", guest_elf("examples", name, "stelevm"),
            "--input", dir + "/in", "--output", dir + "/out2", "--log", dir + "/log2"});
        EXPECT_EQ(slurp(dir + "/out2"), ref.out) << name;
        EXPECT_EQ(native.exit_code == 0, ref.exit_code == 0) << name;
    }
}
