// guest-rt behaviour on RV64IM, run under qemu-riscv64 (the linux backend): the example guests,
// the compiler builtins against the host's __int128, mem*/str*, and the allocator.
#include <common/paths.hpp>
#include <common/process.hpp>
#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace stele::test;

namespace
{
ProcessResult run_guest(const std::string& dir, const std::string& name, const std::string& input = {})
{
    const std::string q = qemu();
    if (q.empty())
        ADD_FAILURE() << "qemu-riscv64 not found: run scripts/setup";
    const std::string elf = guest_elf(dir, name, "linux");
    return run_process({q, elf}, input);
}

std::string random_bytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng());
    return s;
}
}  // namespace

TEST(Examples, EmptyExitsZero)
{
    const auto r = run_guest("examples", "empty");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "");
}

TEST(Examples, HelloWritesOutputAndLog)
{
    const auto r = run_guest("examples", "hello");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "hello from an RV64IM guest\n");
    EXPECT_EQ(r.err, "hello: starting\n");
}

TEST(Examples, FailAbortsWithMessage)
{
    const auto r = run_guest("examples", "fail");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.exit_code, 134);
    EXPECT_NE(r.err.find("fail: this guest always aborts"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

class EchoTest : public ::testing::TestWithParam<size_t>
{};

TEST_P(EchoTest, ReproducesInputByteForByte)
{
    const std::string input = random_bytes(GetParam(), GetParam());
    const auto r = run_guest("examples", "echo", input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out.size(), input.size());
    EXPECT_TRUE(r.out == input);
}

INSTANTIATE_TEST_SUITE_P(Sizes, EchoTest,
    ::testing::Values(size_t{0}, size_t{1}, size_t{4097}, size_t{65536}, size_t{65537},
        size_t{16} << 20),
    [](const auto& info) { return "bytes_" + std::to_string(info.param); });

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
    const auto clz128 = [](u128 x) {
        const auto hi = static_cast<uint64_t>(x >> 64);
        return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(static_cast<uint64_t>(x));
    };
    const auto ctz128 = [](u128 x) {
        const auto lo = static_cast<uint64_t>(x);
        return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll(static_cast<uint64_t>(x >> 64));
    };
    switch (op)
    {
    case 0:
    case 4: return a / b;
    case 1:
    case 5: return a % b;
    case 2:
    case 6: return static_cast<u128>(sa / sb);
    case 3:
    case 7: return static_cast<u128>(sa % sb);
    case 8: return a * b;
    case 9: return a << sh;
    case 10: return a >> sh;
    case 11: return static_cast<u128>(sa >> sh);
    case 12: return static_cast<u128>(__builtin_clzll(a64));
    case 13: return static_cast<u128>(__builtin_ctzll(a64));
    case 14: return static_cast<u128>(__builtin_popcountll(a64));
    case 15: return static_cast<u128>(clz128(a));
    case 16: return static_cast<u128>(ctz128(a));
    case 17:
        return static_cast<u128>(__builtin_popcountll(a64) +
                                 __builtin_popcountll(static_cast<uint64_t>(a >> 64)));
    case 18: return static_cast<u128>(__builtin_parityll(a64));
    case 19: return static_cast<u128>(__builtin_clz(a32));
    case 20: return static_cast<u128>(__builtin_ctz(a32));
    case 21: return static_cast<u128>(__builtin_popcount(a32));
    case 22: return __builtin_bswap32(a32);
    case 23: return __builtin_bswap64(a64);
    case 24: return static_cast<u128>(sa < sb ? 0 : sa > sb ? 2 : 1);
    case 25: return static_cast<u128>(a < b ? 0 : a > b ? 2 : 1);
    default: return 0;
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

TEST(Builtins, MatchHostInt128OnEdgeAndRandomValues)
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
    values.push_back(~u128{0});                          // unsigned max, -1
    values.push_back(~u128{0} >> 1);                     // signed max
    values.push_back(u128{1} << 127);                    // signed min
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
        auto draw = [&] {
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

TEST(LibC, MemAndStrFunctionsAtEveryAlignment)
{
    const auto r = run_guest("tests/guest", "memops");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("all cases agree"), std::string::npos) << r.err;
}

TEST(Heap, StressKeepsBlocksIntactAndAccountsExactly)
{
    const auto r = run_guest("tests/guest", "heap_stress");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("heap_stress: ok"), std::string::npos) << r.err;
}

TEST(Heap, ExhaustionAbortsWithMessage)
{
    for (const char* mode : {"big", "blocks"})
    {
        const auto r = run_guest("tests/guest", "heap_oom", mode);
        EXPECT_EQ(r.exit_code, 134) << mode;
        EXPECT_NE(r.err.find("out of heap memory"), std::string::npos) << mode << ": " << r.err;
    }
}

TEST(StdLib, HeaderOnlyLibraryWorksOnTheGuest)
{
    const auto r = run_guest("tests/guest", "stdlib");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("stdlib: ok"), std::string::npos) << r.err;
}
