// The RV64IM build of the precompiles (tests/guest/pairing_ops, linux backend, under
// qemu-riscv64) gives byte-identical results to the native build, on valid and invalid inputs.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "../../bench/pairing/inputs.hpp"
#include "common/paths.hpp"
#include "common/process.hpp"

using namespace stele;
using namespace stele::crypto;

namespace
{
struct Call
{
    uint8_t address;
    bytes input;
};

PrecompileResult native(uint8_t address, bytes_view in)
{
    switch (address)
    {
        case 0x06:
            return bn254_add(in);
        case 0x07:
            return bn254_mul(in);
        case 0x08:
            return bn254_pairing(in);
        case 0x0a:
            return kzg_point_evaluation(in);
        case 0x0b:
            return bls12_g1add(in);
        case 0x0c:
            return bls12_g1msm(in);
        case 0x0d:
            return bls12_g2add(in);
        case 0x0e:
            return bls12_g2msm(in);
        case 0x0f:
            return bls12_pairing(in);
        case 0x10:
            return bls12_map_fp_to_g1(in);
        default:
            return bls12_map_fp2_to_g2(in);
    }
}
}  // namespace

TEST(PairingGuest, SameResultsAsNative)
{
    const auto elf = test::guest_elf("tests/guest", "pairing_ops", "linux");
    if (test::qemu().empty() || !std::filesystem::exists(test::qemu()))
        GTEST_SKIP() << "qemu-riscv64 not installed";
    ASSERT_TRUE(std::filesystem::exists(elf)) << elf;

    using namespace stele::bench::pairing;
    std::vector<Call> calls = {
        {0x08, bn254_two_pairs()}, {0x0f, bls_two_pairs()}, {0x0c, bls_g1_msm_input(9)},
        {0x0a, kzg_input()}, {0x07, bn254_mul_input()}, {0x11, bls12_map_fp2_input()},
        {0x06, bytes(128)}, {0x10, bytes(64)}, {0x0d, bytes(512)}, {0x0e, bytes(288)},
        {0x0b, bytes(255)},  // bad length
    };
    // damaged copies: every one must fail the same way on both builds
    std::mt19937_64 rng{99};
    const size_t n = calls.size();
    for (size_t i = 0; i < n; ++i)
    {
        Call c = calls[i];
        if (c.input.empty())
            continue;
        c.input[rng() % c.input.size()] ^= uint8_t(1 + rng() % 255);
        calls.push_back(c);
    }
    bytes stdin_bytes;
    for (const auto& c : calls)
    {
        stdin_bytes.push_back(c.address);
        for (size_t i = 0; i < 4; ++i)
            stdin_bytes.push_back(uint8_t(c.input.size() >> (8 * i)));
        stdin_bytes.insert(stdin_bytes.end(), c.input.begin(), c.input.end());
    }
    const auto r =
        test::run_process({test::qemu(), elf}, std::string(stdin_bytes.begin(), stdin_bytes.end()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    size_t pos = 0, successes = 0;
    for (size_t i = 0; i < calls.size(); ++i)
    {
        ASSERT_LE(pos + 5, r.out.size());
        const bool ok = r.out[pos] == 1;
        uint32_t len = 0;
        for (size_t k = 0; k < 4; ++k)
            len |= uint32_t(uint8_t(r.out[pos + 1 + k])) << (8 * k);
        pos += 5;
        ASSERT_LE(pos + len, r.out.size());
        const bytes out(r.out.begin() + long(pos), r.out.begin() + long(pos + len));
        pos += len;
        const auto expected = native(calls[i].address, calls[i].input);
        EXPECT_EQ(ok, expected.success) << "call " << i;
        EXPECT_EQ(out, expected.output) << "call " << i;
        successes += ok;
    }
    EXPECT_EQ(pos, r.out.size());
    EXPECT_GE(successes, 10u);
}
