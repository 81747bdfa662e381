// modexp differentially against GMP, and the EIP-198 edge cases.
#include <gmp.h>
#include <gtest/gtest.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/crypto/modexp.hpp>

using namespace stele;
using namespace stele::crypto;

namespace
{
bytes gmp_modexp(const bytes& b, const bytes& e, const bytes& m)
{
    bytes out(m.size(), 0);
    mpz_t B, E, M, R;
    mpz_inits(B, E, M, R, nullptr);
    mpz_import(B, b.size(), 1, 1, 1, 0, b.data());
    mpz_import(E, e.size(), 1, 1, 1, 0, e.data());
    mpz_import(M, m.size(), 1, 1, 1, 0, m.data());
    if (mpz_sgn(M) != 0)
    {
        mpz_powm(R, B, E, M);
        size_t count = 0;
        bytes tmp((mpz_sizeinbase(R, 2) + 7) / 8 + 1);
        mpz_export(tmp.data(), &count, 1, 1, 1, 0, R);
        std::memcpy(out.data() + out.size() - count, tmp.data(), count);
    }
    mpz_clears(B, E, M, R, nullptr);
    return out;
}

bytes rnd(std::mt19937_64& rng, size_t n)
{
    bytes b(n);
    for (auto& x : b)
        x = static_cast<uint8_t>(rng());
    // Sometimes leading zeros, sometimes small values: exercise trimming.
    if (n && rng() % 5 == 0)
        std::memset(b.data(), 0, rng() % n);
    return b;
}
}  // namespace

TEST(Modexp, MatchesGmp)
{
    std::mt19937_64 rng{198};
    for (int i = 0; i < 10000; ++i)
    {
        const size_t bl = rng() % 80, el = rng() % (i % 10 == 0 ? 80 : 12), ml = rng() % 80;
        const auto b = rnd(rng, bl), e = rnd(rng, el);
        auto m = rnd(rng, ml);
        if (ml && rng() % 2)
            m.back() |= 1;  // half odd (Montgomery), half any
        bytes got;
        modexp(b, e, m, got);
        ASSERT_EQ(to_hex(got), to_hex(gmp_modexp(b, e, m)))
            << "b=" << to_hex(b) << " e=" << to_hex(e) << " m=" << to_hex(m);
    }
}

TEST(Modexp, LargeOperandsMatchGmp)
{
    std::mt19937_64 rng{2565};
    for (int i = 0; i < 20; ++i)
    {
        const auto b = rnd(rng, 512), e = rnd(rng, 64);
        auto m = rnd(rng, 512 + rng() % 512);
        m[0] |= 0x80;
        if (i % 2)
            m.back() &= 0xfe;  // even moduli too
        bytes got;
        modexp(b, e, m, got);
        ASSERT_EQ(to_hex(got), to_hex(gmp_modexp(b, e, m))) << i;
    }
}

TEST(Modexp, EdgeCases)
{
    bytes out;
    modexp({}, {}, {}, out);
    EXPECT_TRUE(out.empty());
    modexp(bytes{5}, bytes{3}, bytes{0, 0}, out);  // zero modulus: zeros of its length
    EXPECT_EQ(to_hex(out), "0000");
    modexp(bytes{}, bytes{}, bytes{0, 7}, out);  // 0^0 = 1
    EXPECT_EQ(to_hex(out), "0001");
    modexp(bytes{9}, bytes{}, bytes{1}, out);  // mod 1
    EXPECT_EQ(to_hex(out), "00");
    modexp(bytes{3}, bytes{0xff, 0xff}, bytes{0, 0, 0, 0, 0, 0x05}, out);
    EXPECT_EQ(to_hex(out), "000000000002");  // 3^4 = 1 (mod 5), 65535 = 3 (mod 4): 27 mod 5
    EXPECT_EQ(
        to_hex(out), to_hex(gmp_modexp(bytes{3}, bytes{0xff, 0xff}, bytes{0, 0, 0, 0, 0, 5})));
    EXPECT_EQ(bit_length(bytes{0, 0, 1}), 1u);
    EXPECT_EQ(bit_length(bytes{0x80, 0}), 16u);
    EXPECT_EQ(bit_length(bytes{}), 0u);
}
