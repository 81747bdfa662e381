// Unit tests of the pairing-curve arithmetic: algebraic identities, the final exponentiations
// against plain exponentiation by (p¹² − 1)/r (computed with GMP), the fast subgroup checks
// against [r]P = O, the KZG setup constant against kzg-wasm's copy, the gas schedules, and the
// EIP input rules.
#include <gmp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "oracle_client.hpp"
#include "stateless/core/hex.hpp"
#include "stateless/crypto/bls12_381.hpp"
#include "stateless/crypto/bn254.hpp"
#include "stateless/crypto/kzg.hpp"
#include "stateless/crypto/pairing_precompiles.hpp"

using namespace stele;
using namespace stele::crypto;
namespace bn = stele::crypto::bn254;
namespace bls = stele::crypto::bls12_381;

namespace
{
template <size_t N>
std::string limbs_hex(const ff::Limbs<N>& l)
{
    std::string s;
    char buf[17];
    for (size_t i = N; i-- > 0;)
    {
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(l[i]));
        s += buf;
    }
    return s;
}

// (p¹² − 1)/r as a bit string (most significant first).
template <size_t N>
std::string final_exponent_bits(const ff::Limbs<N>& p, const ff::Limbs<4>& r)
{
    mpz_t mp, mr, e;
    mpz_inits(mp, mr, e, nullptr);
    mpz_set_str(mp, limbs_hex(p).c_str(), 16);
    mpz_set_str(mr, limbs_hex(r).c_str(), 16);
    mpz_pow_ui(e, mp, 12);
    mpz_sub_ui(e, e, 1);
    EXPECT_TRUE(mpz_divisible_p(e, mr));
    mpz_divexact(e, e, mr);
    char* s = mpz_get_str(nullptr, 2, e);
    std::string bits{s};
    free(s);
    mpz_clears(mp, mr, e, nullptr);
    return bits;
}

template <typename F12>
F12 pow_bits(const F12& a, const std::string& bits)
{
    F12 r = F12::one();
    for (char c : bits)
    {
        r = r.square();
        if (c == '1')
            r = r * a;
    }
    return r;
}

template <typename F12>
F12 pow_u64(const F12& a, uint64_t e)
{
    F12 r = F12::one();
    for (int i = 63; i >= 0; --i)
    {
        r = r.square();
        if ((e >> i) & 1)
            r = r * a;
    }
    return r;
}

bn::G1 bn_g1_gen()
{
    return {bn::Fp::from_u64(1), bn::Fp::from_u64(2), false};
}
bn::G2 bn_g2_gen()
{
    return {
        {bn::Fp::from_hex("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"),
            bn::Fp::from_hex("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2")},
        {bn::Fp::from_hex("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
            bn::Fp::from_hex("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")},
        false};
}

template <typename J>
auto mul_u64(const J& p, uint64_t k)
{
    return p.mul_limbs(ff::Limbs<1>{k});
}

template <size_t N>
void mpz_from_limbs(mpz_t out, const ff::Limbs<N>& l)
{
    mpz_import(out, N, -1, sizeof(uint64_t), 0, 0, l.data());
}

// Fp::mont_mul (the MULX/ADX assembly on capable x86-64 hosts) against the portable C++ path
// (then reduced)
// and against GMP (r·2^(64N) ≡ a·b mod p, r < p), on inputs up to 2p − 1 since unreduced sums
// are multiplied directly; likewise the double-width product and its Montgomery reduction.
template <typename F>
void check_mont_mul(uint64_t seed)
{
    constexpr size_t N = F::N;
    using L = ff::Limbs<N>;
    L two_p{};
    ff::add_limbs(two_p, F::MOD, F::MOD);
    const L two_p_minus_1 = ff::sub_small(two_p, 1);
    std::vector<L> values = {L{}, ff::sub_small(F::MOD, 1), F::MOD, two_p_minus_1};
    std::mt19937_64 rng{seed};
    while (values.size() < 64)
    {
        L v{};
        for (auto& w : v)
            w = rng();
        v[N - 1] &= (uint64_t{1} << 62) - 1;
        if (ff::less_limbs(v, two_p))
            values.push_back(v);
    }
    mpz_t p, a, b, r, lhs, rhs;
    mpz_inits(p, a, b, r, lhs, rhs, nullptr);
    mpz_from_limbs(p, F::MOD);
    for (const auto& x : values)
    {
        for (const auto& y : values)
        {
            const L got = F::mont_mul(x, y);
            ASSERT_EQ(got, F::reduce_once(F::mont_mul_portable(x, y)));
            ASSERT_TRUE(ff::less_limbs(got, F::MOD));
            mpz_from_limbs(a, x);
            mpz_from_limbs(b, y);
            mpz_from_limbs(r, got);
            mpz_mul(rhs, a, b);
            mpz_mod(rhs, rhs, p);
            mpz_mul_2exp(lhs, r, 64 * N);
            mpz_mod(lhs, lhs, p);
            ASSERT_EQ(mpz_cmp(lhs, rhs), 0);
            // The double-width product is exact, and its reduction is the Montgomery product.
            typename F::W wide{};
            F::mul_wide(wide, x, y);
            mpz_import(lhs, 2 * N, -1, sizeof(uint64_t), 0, 0, wide.data());
            mpz_mul(rhs, a, b);
            ASSERT_EQ(mpz_cmp(lhs, rhs), 0);
            L reduced{};
            F::redc_into(reduced, wide);
            ASSERT_EQ(reduced, got);
        }
    }
    mpz_clears(p, a, b, r, lhs, rhs, nullptr);
}
}  // namespace

TEST(FieldArithmetic, MontMulMatchesPortableAndGmp)
{
    check_mont_mul<bn::Fp>(1);
    check_mont_mul<bls::Fp>(2);
}

// The shortcuts of the tower (multiplication by ξ through K·a + b with a table quotient, the
// Fp2 products with unreduced sums) against the plain field operations, edge values included.
template <typename F2>
void check_tower_shortcuts(uint64_t seed)
{
    using F = typename F2::Base;
    std::mt19937_64 rng{seed};
    std::vector<F> values = {F::zero(), F::one(), -F::one(), -F::from_u64(2)};
    while (values.size() < 24)
    {
        typename F::L raw{};
        for (auto& w : raw)
            w = rng();
        raw[F::N - 1] &= (uint64_t{1} << 62) - 1;
        if (ff::less_limbs(raw, F::MOD))
            values.push_back(F::from_limbs(raw));
    }
    const F2 xi{F::from_u64(F2::XI_K), F::one()};
    for (const auto& x : values)
    {
        F k_x = F::zero();
        for (uint64_t i = 0; i < 9; ++i)
            k_x = k_x + x;
        for (const auto& y : values)
        {
            ASSERT_EQ(F::template mul_small_add<9>(x, y), k_x + y);
            ASSERT_EQ(F::mul_sums(x, y, y, x), (x + y) * (y + x));
            const F2 a{x, y};
            const F2 b{y - x, x.dbl()};
            ASSERT_EQ(a.mul_xi(), a * xi);
            ASSERT_EQ(a * b, (F2{x, F::zero()} * b) + (F2{F::zero(), y} * b));
            ASSERT_EQ(a.square(), a * a);
        }
    }
}

TEST(FieldArithmetic, TowerShortcutsMatchPlainArithmetic)
{
    check_tower_shortcuts<bn::Fp2>(3);
    check_tower_shortcuts<bls::Fp2>(4);
}

TEST(Bn254, FinalExponentiationMatchesPlainExponentiation)
{
    const auto bits = final_exponent_bits(bn::FpParams::MOD, bn::R);
    const auto g1 = mul_u64(bn::G1J::from(bn_g1_gen()), 12345).to_affine();
    const auto g2 = mul_u64(bn::G2J::from(bn_g2_gen()), 678).to_affine();
    const auto f = bn::miller_loop(&g1, &g2, 1);
    const auto fast = bn::final_exponentiation(f);
    EXPECT_EQ(fast, pow_bits(f, bits));
    EXPECT_FALSE(fast.is_one());
}

TEST(Bn254, Bilinearity)
{
    const auto g1 = bn_g1_gen();
    const auto g2 = bn_g2_gen();
    const auto e = bn::final_exponentiation(bn::miller_loop(&g1, &g2, 1));
    const uint64_t a = 0x1234567890abcdefull, b = 0xfedcba987654321ull;
    const auto ag1 = mul_u64(bn::G1J::from(g1), a).to_affine();
    const auto bg2 = mul_u64(bn::G2J::from(g2), b).to_affine();
    const auto eab = bn::final_exponentiation(bn::miller_loop(&ag1, &bg2, 1));
    EXPECT_EQ(eab, pow_u64(pow_u64(e, a), b));
    // e(g1, g2)^r = 1
    EXPECT_TRUE(pow_bits(e,
        []
        {
            std::string s;
            for (size_t i = ff::bit_length(bn::R); i-- > 0;)
                s += ff::test_bit(bn::R, i) ? '1' : '0';
            return s;
        }())
                    .is_one());
}

TEST(Bn254, G2SubgroupCheckMatchesOrderCheck)
{
    std::mt19937_64 rng{42};
    const bn::Fp2 b2 =
        bn::Fp2{bn::Fp::from_u64(3), {}} * bn::Fp2{bn::Fp::from_u64(9), bn::Fp::one()}.inv();
    int in = 0, out = 0;
    for (int i = 0; i < 40; ++i)
    {
        bn::G2 q;
        if (i % 2 == 0)
            q = mul_u64(bn::G2J::from(bn_g2_gen()), rng()).to_affine();
        else
        {
            bn::Fp2 x{bn::Fp::from_u64(rng()), bn::Fp::from_u64(rng())}, y;
            if (!(x.square() * x + b2).sqrt(y))
                continue;
            q = {x, y, false};
        }
        ASSERT_TRUE(q.on_curve(b2));
        const bool slow = bn::G2J::from(q).mul_limbs(bn::R).is_infinity();
        EXPECT_EQ(bn::g2_in_subgroup(q), slow);
        (slow ? in : out)++;
        if (!slow)
        {
            // [r]Q lies purely in the cofactor part; adding it to a G2 point leaves G2
            const auto t = bn::G2J::from(q).mul_limbs(bn::R);
            EXPECT_FALSE(bn::g2_in_subgroup(t.to_affine()));
            EXPECT_FALSE(bn::g2_in_subgroup(t.add(bn::G2J::from(bn_g2_gen())).to_affine()));
        }
    }
    EXPECT_GT(in, 10);
    EXPECT_GT(out, 3);
}

TEST(Bls12381, FinalExponentiationMatchesPlainExponentiation)
{
    // Our hard part computes the cube of the textbook one (3 is coprime to r).
    const auto bits = final_exponent_bits(bls::FpParams::MOD, bls::R);
    const auto g1 = mul_u64(bls::G1J::from(bls::g1_generator()), 777).to_affine();
    const auto g2 = mul_u64(bls::G2J::from(bls::g2_generator()), 999).to_affine();
    const auto f = bls::miller_loop(&g1, &g2, 1);
    const auto plain = pow_bits(f, bits);
    EXPECT_EQ(bls::final_exponentiation(f), plain * plain * plain);
}

TEST(Bls12381, Bilinearity)
{
    const auto g1 = bls::g1_generator();
    const auto g2 = bls::g2_generator();
    const auto e = bls::final_exponentiation(bls::miller_loop(&g1, &g2, 1));
    EXPECT_FALSE(e.is_one());
    const uint64_t a = 0xdeadbeefcafef00dull, b = 0x0123456789abcdefull;
    const auto ag1 = mul_u64(bls::G1J::from(g1), a).to_affine();
    const auto bg2 = mul_u64(bls::G2J::from(g2), b).to_affine();
    EXPECT_EQ(
        bls::final_exponentiation(bls::miller_loop(&ag1, &bg2, 1)), pow_u64(pow_u64(e, a), b));
    const bls::G1 ps[2] = {ag1, mul_u64(bls::G1J::from(g1), a).neg().to_affine()};
    const bls::G2 qs[2] = {g2, g2};
    EXPECT_TRUE(bls::pairing_product_is_one(ps, qs, 2));
    EXPECT_EQ(e.cyclotomic_square(), e.square());
}

TEST(Bls12381, SubgroupChecksMatchOrderCheck)
{
    std::mt19937_64 rng{7};
    int g1_out = 0, g2_out = 0;
    for (int i = 0; i < 30; ++i)
    {
        const bls::Fp x = bls::Fp::from_u64(rng());
        bls::Fp y;
        if ((x.square() * x + bls::Fp::from_u64(4)).sqrt(y))
        {
            const bls::G1 p{x, y, false};
            const bool slow = bls::G1J::from(p).mul_limbs(bls::R).is_infinity();
            EXPECT_EQ(bls::g1_in_subgroup(p), slow);
            g1_out += !slow;
            const auto t = bls::G1J::from(p).mul_limbs(bls::R);
            if (!t.is_infinity())
            {
                EXPECT_FALSE(
                    bls::g1_in_subgroup(t.add(bls::G1J::from(bls::g1_generator())).to_affine()));
            }
            const auto cleared = mul_u64(bls::G1J::from(p), 0xd201000000010001ull).to_affine();
            EXPECT_TRUE(bls::g1_in_subgroup(cleared));
            EXPECT_TRUE(bls::G1J::from(cleared).mul_limbs(bls::R).is_infinity());
        }
        const bls::Fp2 x2{bls::Fp::from_u64(rng()), bls::Fp::from_u64(rng())};
        bls::Fp2 y2;
        if ((x2.square() * x2 + bls::Fp2{bls::Fp::from_u64(4), bls::Fp::from_u64(4)}).sqrt(y2))
        {
            const bls::G2 q{x2, y2, false};
            const bool slow = bls::G2J::from(q).mul_limbs(bls::R).is_infinity();
            EXPECT_EQ(bls::g2_in_subgroup(q), slow);
            g2_out += !slow;
            const auto t = bls::G2J::from(q).mul_limbs(bls::R);
            if (!t.is_infinity())
            {
                EXPECT_FALSE(
                    bls::g2_in_subgroup(t.add(bls::G2J::from(bls::g2_generator())).to_affine()));
            }
        }
        const auto sub1 = mul_u64(bls::G1J::from(bls::g1_generator()), rng()).to_affine();
        EXPECT_TRUE(bls::g1_in_subgroup(sub1));
        const auto sub2 = mul_u64(bls::G2J::from(bls::g2_generator()), rng()).to_affine();
        EXPECT_TRUE(bls::g2_in_subgroup(sub2));
    }
    EXPECT_GT(g1_out, 5);
    EXPECT_GT(g2_out, 5);
}

TEST(Bls12381, CompressionRoundTrip)
{
    uint8_t c[48];
    bls::compress_g1(bls::g1_generator(), c);
    EXPECT_EQ(to_hex(bytes_view{c, 48}),
        "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb"
        "22c6bb");
    for (uint64_t k : {1ull, 2ull, 3ull, 0x1234567ull})
    {
        const auto p = mul_u64(bls::G1J::from(bls::g1_generator()), k).to_affine();
        bls::compress_g1(p, c);
        bls::G1 q;
        ASSERT_EQ(bls::decompress_g1(c, q), bls::Status::ok);
        EXPECT_EQ(p, q);
    }
}

TEST(Kzg, TrustedSetupG2MatchesKzgWasm)
{
    // kzg-wasm ships c-kzg-4844's mainnet setup; g2_monomial[1] is [τ]₂.
    const std::string path =
        test::pairing::oracle_dir() + "/node_modules/kzg-wasm/dist/esm/trustedSetup.js";
    if (!std::filesystem::exists(path))
        GTEST_SKIP() << "kzg-wasm not installed (scripts/setup runs npm ci --prefix tests/oracle)";
    std::ifstream f{path};
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string s = ss.str();
    const std::string key = "\"g2_monomial\": \"";
    const auto pos = s.find(key);
    ASSERT_NE(pos, std::string::npos);
    const std::string g2_1 = s.substr(pos + key.size() + 192, 192);
    uint8_t c[96];
    kzg::setup_tau_g2_compressed(c);
    EXPECT_EQ(to_hex(bytes_view{c, 96}), g2_1);
    // and g2_monomial[0] is the generator, compressed
    bls::compress_g2(bls::g2_generator(), c);
    EXPECT_EQ(to_hex(bytes_view{c, 96}), s.substr(pos + key.size(), 192));
}

TEST(Precompiles, GasSchedules)
{
    const bytes empty;
    EXPECT_EQ(bn254_add_gas(empty), 150u);
    EXPECT_EQ(bn254_mul_gas(empty), 6000u);
    EXPECT_EQ(bn254_pairing_gas(bytes(192 * 2)), 45000u + 2 * 34000u);
    EXPECT_EQ(kzg_point_evaluation_gas(bytes(192)), 50000u);
    EXPECT_EQ(bls12_g1add_gas(bytes(256)), 375u);
    EXPECT_EQ(bls12_g2add_gas(bytes(512)), 600u);
    EXPECT_EQ(bls12_g1msm_gas(bytes(160)), 12000u);
    EXPECT_EQ(bls12_g1msm_gas(bytes(320)), 2u * 12000 * 949 / 1000);
    EXPECT_EQ(bls12_g1msm_gas(bytes(160 * 128)), 128u * 12000 * 519 / 1000);
    EXPECT_EQ(bls12_g1msm_gas(bytes(160 * 300)), 300u * 12000 * 519 / 1000);
    EXPECT_EQ(bls12_g1msm_gas(bytes(159)), 0u);
    EXPECT_EQ(bls12_g2msm_gas(bytes(288)), 22500u);
    EXPECT_EQ(bls12_g2msm_gas(bytes(288 * 3)), 3u * 22500 * 923 / 1000);
    EXPECT_EQ(bls12_g2msm_gas(bytes(288 * 129)), 129u * 22500 * 524 / 1000);
    EXPECT_EQ(bls12_pairing_gas(bytes(384 * 2)), 2u * 32600 + 37700);
    EXPECT_EQ(bls12_pairing_gas(bytes(0)), 37700u);
    EXPECT_EQ(bls12_map_fp_to_g1_gas(bytes(64)), 5500u);
    EXPECT_EQ(bls12_map_fp2_to_g2_gas(bytes(128)), 23800u);
}

TEST(Precompiles, InputRules)
{
    // BN254: empty pairing input is a successful check; bad length fails.
    auto r = bn254_pairing({});
    ASSERT_TRUE(r.success);
    bytes one(32);
    one[31] = 1;
    EXPECT_EQ(r.output, one);
    EXPECT_FALSE(bn254_pairing(bytes(191)).success);
    // ECADD of nothing: zero padding gives O + O = O.
    r = bn254_add({});
    ASSERT_TRUE(r.success);
    EXPECT_EQ(r.output, bytes(64, 0));
    // EIP-2537: empty MSM and pairing inputs fail; infinity is all zeros.
    EXPECT_FALSE(bls12_g1msm({}).success);
    EXPECT_FALSE(bls12_g2msm({}).success);
    EXPECT_FALSE(bls12_pairing({}).success);
    r = bls12_g1add(bytes(256));
    ASSERT_TRUE(r.success);
    EXPECT_EQ(r.output, bytes(128, 0));
    // nonzero padding byte
    bytes in(256);
    in[0] = 1;
    EXPECT_FALSE(bls12_g1add(in).success);
    EXPECT_FALSE(bls12_map_fp_to_g1(bytes(63)).success);
    r = bls12_pairing(bytes(384));
    ASSERT_TRUE(r.success);
    EXPECT_EQ(r.output.back(), 1);
    // KZG: wrong length fails
    EXPECT_FALSE(kzg_point_evaluation(bytes(191)).success);
}

TEST(Precompiles, KzgEipEdgeCases)
{
    // The opening of the zero polynomial: commitment and proof at infinity, y = 0, any z.
    bytes c(48), pi(48);
    c[0] = 0xc0;
    pi[0] = 0xc0;
    const auto vh = kzg::versioned_hash(c.data());
    bytes z(32), y(32);
    z[31] = 5;
    bytes in(vh.begin(), vh.end());
    for (const auto* part : {&z, &y, &c, &pi})
        in.insert(in.end(), part->begin(), part->end());
    const auto r = kzg_point_evaluation(in);
    ASSERT_TRUE(r.success);
    EXPECT_EQ(to_hex(r.output),
        "0000000000000000000000000000000000000000000000000000000000001000"
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");
    // y = 1 is not the value of the zero polynomial
    bytes bad = in;
    bad[32 + 63] = 1;
    EXPECT_FALSE(kzg_point_evaluation(bad).success);
    // z = BLS_MODULUS is not a field element
    bad = in;
    for (size_t i = 0; i < 32; ++i)
        bad[32 + i] = r.output[32 + i];
    EXPECT_FALSE(kzg_point_evaluation(bad).success);
    // versioned hash with another version byte
    bad = in;
    bad[0] = 0x02;
    EXPECT_FALSE(kzg_point_evaluation(bad).success);
}
