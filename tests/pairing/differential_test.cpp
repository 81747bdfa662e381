// Differential tests of the pairing-curve precompiles against @noble/curves and kzg-wasm
// (tests/oracle/oracle.mjs): seeded random inputs, valid and invalid (off-curve, outside the
// subgroup, infinity, non-canonical coordinates, bad padding, bad lengths), compared byte for
// byte including the success flag.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "oracle_client.hpp"
#include "stateless/core/hex.hpp"
#include "stateless/crypto/bls12_381.hpp"
#include "stateless/crypto/bn254.hpp"
#include "stateless/crypto/kzg.hpp"
#include "stateless/crypto/pairing_precompiles.hpp"

using namespace stele;
using namespace stele::crypto;
using namespace stele::test::pairing;

namespace
{
using Rng = std::mt19937_64;

bytes random_bytes(Rng& rng, size_t n)
{
    bytes b(n);
    for (auto& c : b)
        c = uint8_t(rng());
    return b;
}

// A random 32-byte scalar with a bias towards edge values.
bytes random_scalar(Rng& rng, const uint8_t* order_be)
{
    bytes s(32);
    switch (rng() % 10)
    {
        case 0:
            break;  // zero
        case 1:
            s[31] = uint8_t(1 + rng() % 3);
            break;
        case 2:
            std::copy(order_be, order_be + 32, s.begin());  // r
            break;
        case 3:
            std::copy(order_be, order_be + 32, s.begin());
            s[31] += 1;  // r + 1 (r is odd, no carry)
            break;
        case 4:
            std::fill(s.begin(), s.end(), 0xff);
            break;
        default:
            s = random_bytes(rng, 32);
    }
    return s;
}

template <typename Limbs>
void limbs_to_be(const Limbs& l, uint8_t* out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[n - 1 - i] = (i / 8 < l.size()) ? uint8_t(l[i / 8] >> (8 * (i % 8))) : 0;
}

// Big-endian in-place a += m (same width).
void add_be(uint8_t* a, const uint8_t* m, size_t n)
{
    unsigned carry = 0;
    for (size_t i = n; i-- > 0;)
    {
        const unsigned s = unsigned(a[i]) + m[i] + carry;
        a[i] = uint8_t(s);
        carry = s >> 8;
    }
}

struct Case
{
    std::string op;
    bytes input;
};

void run_cases(
    const std::vector<Case>& cases, const std::function<crypto::PrecompileResult(bytes_view)>& ours)
{
    if (const auto why = oracle_unavailable(); !why.empty())
        GTEST_SKIP() << why;
    std::vector<OracleRequest> reqs;
    for (const auto& c : cases)
        reqs.push_back({c.op, to_hex(c.input)});
    const auto answers = run_oracle(reqs);
    size_t ok = 0, failed = 0, mismatches = 0;
    for (size_t i = 0; i < cases.size(); ++i)
    {
        const auto r = ours(cases[i].input);
        const std::string mine = r.success ? "ok " + to_hex(r.output) : "fail";
        ASSERT_NE(answers[i].rfind("error", 0), 0u) << answers[i] << "\ninput " << reqs[i].hex;
        if (mine != answers[i])
        {
            ++mismatches;
            ADD_FAILURE() << cases[i].op << " case " << i << "\ninput  " << reqs[i].hex
                          << "\nours   " << mine << "\noracle " << answers[i];
            if (mismatches > 5)
                return;
        }
        (r.success ? ok : failed)++;
    }
    // Both outcomes must be exercised for the comparison to mean something.
    EXPECT_GT(ok, cases.size() / 10) << "too few successful cases";
    EXPECT_GT(failed, cases.size() / 20) << "too few failing cases";
    std::cout << cases.size() << " cases: " << ok << " succeeded, " << failed << " failed\n";
}

// ---------------- BN254 ----------------
namespace bn = crypto::bn254;

uint8_t BN_P[32], BN_R[32];
const bool bn_init = []
{
    limbs_to_be(bn::FpParams::MOD, BN_P, 32);
    limbs_to_be(bn::R, BN_R, 32);
    return true;
}();

bytes bn_g1(Rng& rng)
{
    bytes b(64);
    const bn::G1 gen{bn::Fp::from_u64(1), bn::Fp::from_u64(2), false};
    switch (rng() % 8)
    {
        case 0:
            break;  // infinity
        case 1:
            b = random_bytes(rng, 64);  // almost surely ≥ p or off the curve
            b[0] &= 0x3f;
            break;
        case 2:
        {
            bn::encode_g1(gen, b.data());
            add_be(b.data() + (rng() % 2) * 32, BN_P, 32);  // non-canonical coordinate
            break;
        }
        default:
        {
            const auto k = random_bytes(rng, 32);
            bn::encode_g1(bn::G1J::from(gen).mul_be(k.data(), 32).to_affine(), b.data());
        }
    }
    return b;
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

bytes bn_g2(Rng& rng)
{
    bytes b(128);
    switch (rng() % 8)
    {
        case 0:
            break;
        case 1:
            b = random_bytes(rng, 128);
            for (int i = 0; i < 4; ++i)
                b[32 * i] &= 0x1f;  // canonical, off the curve
            break;
        case 2:
        {
            // on the twist, outside the subgroup (the twist's cofactor is large)
            for (;;)
            {
                const bn::Fp2 x{bn::Fp::from_u64(rng() % 100000), bn::Fp::from_u64(rng())};
                const bn::Fp2 b2 = bn::Fp2{bn::Fp::from_u64(3), {}} *
                                   bn::Fp2{bn::Fp::from_u64(9), bn::Fp::one()}.inv();
                bn::Fp2 y;
                if ((x.square() * x + b2).sqrt(y))
                {
                    bn::encode_g2({x, y, false}, b.data());
                    break;
                }
            }
            break;
        }
        case 3:
            bn::encode_g2(bn_g2_gen(), b.data());
            add_be(b.data() + 32 * (rng() % 4), BN_P, 32);
            break;
        default:
        {
            const auto k = random_bytes(rng, 32);
            bn::encode_g2(bn::G2J::from(bn_g2_gen()).mul_be(k.data(), 32).to_affine(), b.data());
        }
    }
    return b;
}

// ---------------- BLS12-381 ----------------
namespace bls = crypto::bls12_381;

uint8_t BLS_P[48], BLS_R[32];
const bool bls_init = []
{
    limbs_to_be(bls::FpParams::MOD, BLS_P, 48);
    limbs_to_be(bls::R, BLS_R, 32);
    return true;
}();

bytes pad_fps(const uint8_t* raw, size_t n_fp)
{
    bytes out(64 * n_fp);
    for (size_t i = 0; i < n_fp; ++i)
        std::copy(raw + 48 * i, raw + 48 * i + 48, out.begin() + 64 * i + 16);
    return out;
}

bls::Fp random_fp(Rng& rng)
{
    for (;;)
    {
        auto b = random_bytes(rng, 48);
        b[0] &= 0x1f;
        bls::Fp f;
        if (bls::Fp::from_be(b.data(), f))
            return f;
    }
}

// Encoded (EIP-2537, padded) G1 point of a random kind.
bytes bls_g1(Rng& rng, bool mostly_valid = false)
{
    uint8_t raw[96]{};
    const unsigned kind = mostly_valid ? (rng() % 16 == 0 ? rng() % 5 : 9) : rng() % 10;
    switch (kind)
    {
        case 0:
            break;  // infinity
        case 1:
        {
            for (int i = 0; i < 2; ++i)
                random_fp(rng).to_be(raw + 48 * i);  // off the curve
            break;
        }
        case 2:
            for (;;)  // on the curve, outside G1
            {
                const bls::Fp x = random_fp(rng);
                bls::Fp y;
                if ((x.square() * x + bls::Fp::from_u64(4)).sqrt(y))
                {
                    bls::encode_g1({x, y, false}, raw);
                    break;
                }
            }
            break;
        case 3:
        {
            bls::encode_g1(bls::g1_generator(), raw);
            add_be(raw + 48 * (rng() % 2), BLS_P, 48);
            break;
        }
        case 4:
        {
            bls::encode_g1(bls::g1_generator(), raw);
            auto out = pad_fps(raw, 2);
            out[64 * (rng() % 2) + rng() % 16] = uint8_t(1 + rng() % 255);  // padding
            return out;
        }
        default:
        {
            const auto k = random_bytes(rng, 32);
            bls::encode_g1(
                bls::G1J::from(bls::g1_generator()).mul_be(k.data(), 32).to_affine(), raw);
        }
    }
    return pad_fps(raw, 2);
}

bytes bls_g2(Rng& rng, bool mostly_valid = false)
{
    uint8_t raw[192]{};
    const unsigned kind = mostly_valid ? (rng() % 16 == 0 ? rng() % 5 : 9) : rng() % 10;
    switch (kind)
    {
        case 0:
            break;
        case 1:
            for (int i = 0; i < 4; ++i)
                random_fp(rng).to_be(raw + 48 * i);
            break;
        case 2:
            for (;;)
            {
                const bls::Fp2 x{random_fp(rng), random_fp(rng)};
                bls::Fp2 y;
                if ((x.square() * x + bls::Fp2{bls::Fp::from_u64(4), bls::Fp::from_u64(4)}).sqrt(y))
                {
                    bls::encode_g2({x, y, false}, raw);
                    break;
                }
            }
            break;
        case 3:
            bls::encode_g2(bls::g2_generator(), raw);
            add_be(raw + 48 * (rng() % 4), BLS_P, 48);
            break;
        case 4:
        {
            bls::encode_g2(bls::g2_generator(), raw);
            auto out = pad_fps(raw, 4);
            out[64 * (rng() % 4) + rng() % 16] = uint8_t(1 + rng() % 255);
            return out;
        }
        default:
        {
            const auto k = random_bytes(rng, 32);
            bls::encode_g2(
                bls::G2J::from(bls::g2_generator()).mul_be(k.data(), 32).to_affine(), raw);
        }
    }
    return pad_fps(raw, 4);
}

bytes cat(std::initializer_list<bytes> parts)
{
    bytes r;
    for (const auto& p : parts)
        r.insert(r.end(), p.begin(), p.end());
    return r;
}

// Occasionally damage the length of an input.
void maybe_bad_length(Rng& rng, bytes& in, unsigned one_in)
{
    if (rng() % one_in != 0)
        return;
    if (!in.empty() && rng() % 2)
        in.pop_back();
    else
        in.push_back(0);
}
}  // namespace

TEST(PairingDifferential, Bn254Add)
{
    Rng rng{1};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes a = bn_g1(rng), b = rng() % 8 == 0 ? a : bn_g1(rng);
        if (rng() % 10 == 0 && !a.empty())
        {
            // P + (−P)
            bn::G1 p;
            if (bn::decode_g1(a.data(), p) == bn::Status::ok)
                bn::encode_g1(p.neg(), b.data());
        }
        bytes in = cat({a, b});
        if (rng() % 10 == 0)
            in.resize(rng() % 160);  // EIP-196 zero padding / truncation
        cases.push_back({"bn_add", in});
    }
    run_cases(cases, bn254_add);
}

TEST(PairingDifferential, Bn254Mul)
{
    Rng rng{2};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes in = cat({bn_g1(rng), random_scalar(rng, BN_R)});
        if (rng() % 10 == 0)
            in.resize(rng() % 128);
        cases.push_back({"bn_mul", in});
    }
    run_cases(cases, bn254_mul);
}

TEST(PairingDifferential, Bn254Pairing)
{
    Rng rng{3};
    std::vector<Case> cases;
    const bn::G1 g1{bn::Fp::from_u64(1), bn::Fp::from_u64(2), false};
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes in;
        if (rng() % 2 == 0)
        {
            // e(aP, bQ) · e(−abP, Q) = 1, optionally perturbed
            uint64_t a = rng(), bb = rng();
            uint8_t ab[32]{}, as[32]{}, bs[32]{};
            const ff::u128 prod = ff::u128(a) * bb;
            for (int k = 0; k < 16; ++k)
                ab[31 - k] = uint8_t(prod >> (8 * k));
            for (int k = 0; k < 8; ++k)
            {
                as[31 - k] = uint8_t(a >> (8 * k));
                bs[31 - k] = uint8_t(bb >> (8 * k));
            }
            if (rng() % 4 == 0)
                ab[31] ^= 1;  // makes the product ≠ 1
            bytes p1(64), q1(128), p2(64), q2(128);
            bn::encode_g1(bn::G1J::from(g1).mul_be(as, 32).to_affine(), p1.data());
            bn::encode_g2(bn::G2J::from(bn_g2_gen()).mul_be(bs, 32).to_affine(), q1.data());
            bn::encode_g1(bn::G1J::from(g1).mul_be(ab, 32).neg().to_affine(), p2.data());
            bn::encode_g2(bn_g2_gen(), q2.data());
            in = cat({p1, q1, p2, q2});
            if (rng() % 8 == 0)
                in = cat({in, bn_g1(rng), bn_g2(rng)});
        }
        else
        {
            const size_t n = rng() % 4;
            for (size_t k = 0; k < n; ++k)
                in = cat({in, bn_g1(rng), bn_g2(rng)});
        }
        maybe_bad_length(rng, in, 20);
        cases.push_back({"bn_pair", in});
    }
    run_cases(cases, bn254_pairing);
}

TEST(PairingDifferential, Bls12G1Add)
{
    Rng rng{4};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes a = bls_g1(rng), b = rng() % 8 == 0 ? a : bls_g1(rng);
        bytes in = cat({a, b});
        maybe_bad_length(rng, in, 30);
        cases.push_back({"g1add", in});
    }
    run_cases(cases, bls12_g1add);
}

TEST(PairingDifferential, Bls12G2Add)
{
    Rng rng{5};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes a = bls_g2(rng), b = rng() % 8 == 0 ? a : bls_g2(rng);
        bytes in = cat({a, b});
        maybe_bad_length(rng, in, 30);
        cases.push_back({"g2add", in});
    }
    run_cases(cases, bls12_g2add);
}

TEST(PairingDifferential, Bls12G1Msm)
{
    Rng rng{6};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        const size_t n = rng() % 4 == 0 ? 1 : 1 + rng() % (rng() % 8 == 0 ? 40 : 6);
        bytes in;
        for (size_t k = 0; k < n; ++k)
            in = cat({in, bls_g1(rng, true), random_scalar(rng, BLS_R)});
        maybe_bad_length(rng, in, 30);
        if (rng() % 100 == 0)
            in.clear();
        cases.push_back({"g1msm", in});
    }
    run_cases(cases, bls12_g1msm);
}

TEST(PairingDifferential, Bls12G2Msm)
{
    Rng rng{7};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        const size_t n = rng() % 4 == 0 ? 1 : 1 + rng() % (rng() % 8 == 0 ? 20 : 4);
        bytes in;
        for (size_t k = 0; k < n; ++k)
            in = cat({in, bls_g2(rng, true), random_scalar(rng, BLS_R)});
        maybe_bad_length(rng, in, 30);
        if (rng() % 100 == 0)
            in.clear();
        cases.push_back({"g2msm", in});
    }
    run_cases(cases, bls12_g2msm);
}

TEST(PairingDifferential, Bls12Pairing)
{
    Rng rng{8};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        bytes in;
        if (rng() % 2 == 0)
        {
            const uint64_t a = rng(), b = rng();
            uint8_t ab[32]{}, as[32]{}, bs[32]{};
            const ff::u128 prod = ff::u128(a) * b;
            for (int k = 0; k < 16; ++k)
                ab[31 - k] = uint8_t(prod >> (8 * k));
            for (int k = 0; k < 8; ++k)
            {
                as[31 - k] = uint8_t(a >> (8 * k));
                bs[31 - k] = uint8_t(b >> (8 * k));
            }
            if (rng() % 4 == 0)
                ab[31] ^= 1;
            uint8_t p1[96], q1[192], p2[96], q2[192];
            bls::encode_g1(bls::G1J::from(bls::g1_generator()).mul_be(as, 32).to_affine(), p1);
            bls::encode_g2(bls::G2J::from(bls::g2_generator()).mul_be(bs, 32).to_affine(), q1);
            bls::encode_g1(
                bls::G1J::from(bls::g1_generator()).mul_be(ab, 32).neg().to_affine(), p2);
            bls::encode_g2(bls::g2_generator(), q2);
            in = cat({pad_fps(p1, 2), pad_fps(q1, 4), pad_fps(p2, 2), pad_fps(q2, 4)});
            if (rng() % 8 == 0)
                in = cat({in, bls_g1(rng), bls_g2(rng)});
        }
        else
        {
            const size_t n = 1 + rng() % 3;
            for (size_t k = 0; k < n; ++k)
                in = cat({in, bls_g1(rng, rng() % 2), bls_g2(rng, rng() % 2)});
        }
        maybe_bad_length(rng, in, 30);
        cases.push_back({"blspair", in});
    }
    run_cases(cases, bls12_pairing);
}

TEST(PairingDifferential, Bls12MapFpToG1)
{
    Rng rng{9};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        uint8_t raw[48];
        random_fp(rng).to_be(raw);
        switch (rng() % 12)
        {
            case 0:
                std::fill(raw, raw + 48, 0);
                break;
            case 1:
                add_be(raw, BLS_P, 48);  // ≥ p
                break;
            case 2:
                (-bls::Fp::one()).to_be(raw);
                break;
            default:
                break;
        }
        bytes in = pad_fps(raw, 1);
        if (rng() % 20 == 0)
            in[rng() % 16] = 1;
        maybe_bad_length(rng, in, 30);
        cases.push_back({"map1", in});
    }
    run_cases(cases, bls12_map_fp_to_g1);
}

TEST(PairingDifferential, Bls12MapFp2ToG2)
{
    Rng rng{10};
    std::vector<Case> cases;
    for (size_t i = 0; i < case_count(); ++i)
    {
        uint8_t raw[96];
        random_fp(rng).to_be(raw);
        random_fp(rng).to_be(raw + 48);
        switch (rng() % 12)
        {
            case 0:
                std::fill(raw, raw + 96, 0);
                break;
            case 1:
                add_be(raw + 48 * (rng() % 2), BLS_P, 48);
                break;
            case 2:
                std::fill(raw + 48, raw + 96, 0);  // c1 = 0
                break;
            default:
                break;
        }
        bytes in = pad_fps(raw, 2);
        if (rng() % 20 == 0)
            in[64 * (rng() % 2) + rng() % 16] = 1;
        maybe_bad_length(rng, in, 30);
        cases.push_back({"map2", in});
    }
    run_cases(cases, bls12_map_fp2_to_g2);
}

TEST(PairingDifferential, KzgPointEvaluation)
{
    if (const auto why = oracle_unavailable(); !why.empty())
        GTEST_SKIP() << why;
    Rng rng{11};
    // Valid openings of small random polynomials against the mainnet setup, made by the oracle.
    const size_t n = case_count();
    std::vector<OracleRequest> gen;
    for (size_t i = 0; i < n; ++i)
    {
        const size_t deg = rng() % 4;
        bytes coeffs;
        for (size_t k = 0; k <= deg + 1; ++k)  // deg+1 coefficients, then z
            coeffs = cat({coeffs, random_bytes(rng, 32)});
        gen.push_back({"kzg_gen", to_hex(coeffs)});
    }
    const auto openings = run_oracle(gen);
    std::vector<Case> cases;
    for (size_t i = 0; i < n; ++i)
    {
        ASSERT_EQ(openings[i].rfind("ok ", 0), 0u) << openings[i];
        const auto o = from_hex(openings[i].substr(3));
        ASSERT_TRUE(o.has_value());
        bytes c(o->begin(), o->begin() + 48), z(o->begin() + 48, o->begin() + 80),
            y(o->begin() + 80, o->begin() + 112), pi(o->begin() + 112, o->end());
        bool fix_hash = true;
        switch (rng() % 16)
        {
            case 0:
                y[31] ^= 1;  // wrong evaluation
                break;
            case 1:
                z[31] ^= 1;  // wrong point
                break;
            case 2:
                std::swap(c, pi);
                break;
            case 3:
                std::copy(BLS_R, BLS_R + 32, (rng() % 2 ? z : y).begin());  // = modulus
                break;
            case 4:
                std::fill(y.begin(), y.end(), 0xff);  // ≥ modulus
                break;
            case 5:
                pi[47] ^= 1;  // another x: off the curve or another point
                break;
            case 6:
                c[0] &= 0x7f;  // compression flag cleared
                break;
            case 7:
                std::fill(pi.begin(), pi.end(), 0);
                pi[0] = 0xc0;  // proof = infinity
                break;
            case 8:
                std::fill(c.begin(), c.end(), 0);
                c[0] = 0xc0 | (rng() % 2 ? 0x20 : 0);  // commitment = infinity (maybe bad sign bit)
                break;
            case 9:
                fix_hash = false;  // wrong versioned hash
                break;
            case 10:
                c[0] ^= 0x20;  // the other y
                break;
            default:
                break;
        }
        const auto vh = kzg::versioned_hash(c.data());
        bytes h(vh.begin(), vh.end());
        if (!fix_hash)
            h[rng() % 32] ^= uint8_t(1 + rng() % 255);
        bytes in = cat({h, z, y, c, pi});
        maybe_bad_length(rng, in, 50);
        cases.push_back({"kzg", in});
    }
    run_cases(cases, kzg_point_evaluation);
}
