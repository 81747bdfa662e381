// uint256 against GMP: seeded random differential tests (>= 10,000 cases per operation) plus
// edge values, for div/mod/sdiv/smod/addmod/mulmod/exp/mul and the shifts.
#include <gmp.h>
#include <gtest/gtest.h>

#include <random>
#include <stateless/core/uint256.hpp>

using stele::uint256;

namespace
{
struct Mpz
{
    mpz_t v;
    Mpz()
    {
        mpz_init(v);
    }
    explicit Mpz(const uint256& x)
    {
        mpz_init(v);
        mpz_import(v, 4, -1, 8, 0, 0, x.w);
    }
    ~Mpz()
    {
        mpz_clear(v);
    }
    Mpz(const Mpz&) = delete;
    Mpz& operator=(const Mpz&) = delete;
};

uint256 to_u256(const mpz_t x)
{
    // Reduce modulo 2^256 first.
    mpz_t m;
    mpz_init(m);
    mpz_fdiv_r_2exp(m, x, 256);
    uint256 r;
    size_t count = 0;
    mpz_export(r.w, &count, -1, 8, 0, 0, m);
    mpz_clear(m);
    return r;
}

// Random values with a skewed word count, so short and long operands both occur.
uint256 random_value(std::mt19937_64& rng)
{
    uint256 r;
    const int kind = static_cast<int>(rng() % 8);
    const int words = kind < 4 ? kind + 1 : 4;
    for (int i = 0; i < words; ++i)
        r.w[i] = rng();
    if (kind == 5)  // top bits set, low word small: stresses normalisation
        r.w[0] &= 0xff;
    if (kind == 6)
        r.w[3] |= 0x8000000000000000ull;
    if (kind == 7)
        r = uint256{rng() % 4, 0, 0, 0};
    return r;
}

constexpr int kCases = 20000;

std::string hex(const uint256& x)
{
    char buf[80];
    std::snprintf(buf, sizeof buf, "%016llx%016llx%016llx%016llx", (unsigned long long)x.w[3],
        (unsigned long long)x.w[2], (unsigned long long)x.w[1], (unsigned long long)x.w[0]);
    return buf;
}

// Two's complement value of x as a signed GMP integer.
void to_signed(mpz_t out, const uint256& x)
{
    Mpz u{x};
    mpz_set(out, u.v);
    if (x.w[3] >> 63)
    {
        mpz_t two256;
        mpz_init(two256);
        mpz_ui_pow_ui(two256, 2, 256);
        mpz_sub(out, out, two256);
        mpz_clear(two256);
    }
}
}  // namespace

TEST(uint256, div_mod_against_gmp)
{
    std::mt19937_64 rng{1};
    for (int i = 0; i < kCases; ++i)
    {
        const uint256 a = random_value(rng);
        const uint256 b = random_value(rng);
        const auto r = stele::udivrem(a, b);
        if (b.is_zero())
        {
            EXPECT_TRUE(r.quot.is_zero() && r.rem.is_zero());
            continue;
        }
        Mpz ma{a}, mb{b}, q, m;
        mpz_tdiv_qr(q.v, m.v, ma.v, mb.v);
        ASSERT_EQ(hex(r.quot), hex(to_u256(q.v))) << hex(a) << " / " << hex(b);
        ASSERT_EQ(hex(r.rem), hex(to_u256(m.v))) << hex(a) << " % " << hex(b);
    }
}

TEST(uint256, sdiv_smod_against_gmp)
{
    std::mt19937_64 rng{2};
    for (int i = 0; i < kCases; ++i)
    {
        const uint256 a = random_value(rng);
        const uint256 b = random_value(rng);
        const auto r = stele::sdivrem(a, b);
        if (b.is_zero())
        {
            EXPECT_TRUE(r.quot.is_zero() && r.rem.is_zero());
            continue;
        }
        Mpz sa, sb, q, m;
        to_signed(sa.v, a);
        to_signed(sb.v, b);
        mpz_tdiv_qr(q.v, m.v, sa.v, sb.v);  // truncation toward zero, as the EVM
        ASSERT_EQ(hex(r.quot), hex(to_u256(q.v))) << hex(a) << " sdiv " << hex(b);
        ASSERT_EQ(hex(r.rem), hex(to_u256(m.v))) << hex(a) << " smod " << hex(b);
    }
    // MIN / -1 overflows back to MIN.
    const uint256 min{0, 0, 0, 0x8000000000000000ull};
    EXPECT_EQ(stele::sdivrem(min, ~uint256{}).quot, min);
}

TEST(uint256, addmod_mulmod_against_gmp)
{
    std::mt19937_64 rng{3};
    for (int i = 0; i < kCases; ++i)
    {
        const uint256 a = random_value(rng);
        const uint256 b = random_value(rng);
        uint256 m = random_value(rng);
        if (i % 5 == 0)
            m = uint256{~0ull, ~0ull, ~0ull, ~0ull};
        if (m.is_zero())
        {
            EXPECT_TRUE(stele::mulmod(a, b, m).is_zero());
            EXPECT_TRUE(stele::addmod(a, b, m).is_zero());
            continue;
        }
        Mpz ma{a}, mb{b}, mm{m}, t;
        mpz_mul(t.v, ma.v, mb.v);
        mpz_mod(t.v, t.v, mm.v);
        ASSERT_EQ(hex(stele::mulmod(a, b, m)), hex(to_u256(t.v)));
        mpz_add(t.v, ma.v, mb.v);
        mpz_mod(t.v, t.v, mm.v);
        ASSERT_EQ(hex(stele::addmod(a, b, m)), hex(to_u256(t.v)));
    }
}

TEST(uint256, exp_mul_against_gmp)
{
    std::mt19937_64 rng{4};
    Mpz mod;
    mpz_ui_pow_ui(mod.v, 2, 256);
    for (int i = 0; i < kCases; ++i)
    {
        const uint256 a = random_value(rng);
        const uint256 b = random_value(rng);
        Mpz ma{a}, mb{b}, t;
        mpz_powm(t.v, ma.v, mb.v, mod.v);
        ASSERT_EQ(hex(stele::exp(a, b)), hex(to_u256(t.v))) << hex(a) << " ** " << hex(b);
        mpz_mul(t.v, ma.v, mb.v);
        ASSERT_EQ(hex(a * b), hex(to_u256(t.v)));
        mpz_add(t.v, ma.v, mb.v);
        ASSERT_EQ(hex(a + b), hex(to_u256(t.v)));
        mpz_sub(t.v, ma.v, mb.v);
        ASSERT_EQ(hex(a - b), hex(to_u256(t.v)));
        ASSERT_EQ(a < b, mpz_cmp(ma.v, mb.v) < 0);
    }
    EXPECT_EQ(stele::exp(2, 255), (uint256{0, 0, 0, 0x8000000000000000ull}));
    EXPECT_TRUE(stele::exp(2, 256).is_zero());
    EXPECT_EQ(stele::exp(0, 0), uint256{1});
}

TEST(uint256, shifts_against_gmp)
{
    std::mt19937_64 rng{5};
    for (int i = 0; i < kCases; ++i)
    {
        const uint256 a = random_value(rng);
        const unsigned s = static_cast<unsigned>(rng() % 300);
        Mpz ma{a}, t;
        mpz_mul_2exp(t.v, ma.v, s);
        ASSERT_EQ(hex(stele::shl(a, uint256{s})), hex(to_u256(t.v)));
        mpz_fdiv_q_2exp(t.v, ma.v, s);
        ASSERT_EQ(hex(stele::shr(a, uint256{s})), hex(to_u256(t.v)));
        Mpz sa;
        to_signed(sa.v, a);
        mpz_fdiv_q_2exp(t.v, sa.v, s);  // floor: arithmetic shift
        ASSERT_EQ(hex(stele::sar(a, uint256{s})), hex(to_u256(t.v)));
    }
}

TEST(uint256, byte_signextend_clz_load_store)
{
    uint8_t be[32];
    for (int i = 0; i < 32; ++i)
        be[i] = static_cast<uint8_t>(i + 1);
    const uint256 x = stele::load_be(be);
    for (unsigned i = 0; i < 32; ++i)
        EXPECT_EQ(stele::byte_at(uint256{i}, x), uint256{i + 1});
    EXPECT_TRUE(stele::byte_at(uint256{32}, x).is_zero());
    uint8_t out[32];
    stele::store_be(out, x);
    EXPECT_EQ(0, std::memcmp(be, out, 32));
    EXPECT_EQ(stele::signextend(0, 0xff), ~uint256{});
    EXPECT_EQ(stele::signextend(0, 0x7f), uint256{0x7f});
    EXPECT_EQ(stele::signextend(1, 0x18000), ~uint256{} - 0x7fff);
    EXPECT_EQ(stele::signextend(31, 0x80), uint256{0x80});
    EXPECT_EQ(stele::clz(uint256{}), 256u);
    EXPECT_EQ(stele::clz(uint256{1}), 255u);
    EXPECT_EQ(stele::clz(uint256{0, 0, 0, 1ull << 63}), 0u);
    EXPECT_EQ(stele::load_be(be + 30, 2), uint256{0x1f20});
    EXPECT_TRUE(stele::slt(~uint256{}, 0));
    EXPECT_FALSE(stele::slt(0, ~uint256{}));
}
