// Precompile-level behaviour (0x01-0x05, 0x09, 0x100): input handling, outputs, gas formulas.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <stateless/core/hex.hpp>
#include <stateless/crypto/precompiles.hpp>
#include <stateless/crypto/secp256k1.hpp>

using namespace stele;
using namespace stele::crypto;
namespace pc = stele::crypto::precompile;

namespace
{
bytes hex(std::string_view s)
{
    return from_hex(s).value();
}
}  // namespace

TEST(Precompile, EcrecoverSemantics)
{
    // Private key 1 signs keccak-like 32 bytes: the result is G's address.
    auto* ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN);
    uint8_t key[32] = {};
    key[31] = 1;
    uint8_t msg[32];
    for (int i = 0; i < 32; ++i)
        msg[i] = static_cast<uint8_t>(i * 7 + 1);
    secp256k1_ecdsa_recoverable_signature rs;
    ASSERT_TRUE(secp256k1_ecdsa_sign_recoverable(ctx, &rs, msg, key, nullptr, nullptr));
    uint8_t sig[64];
    int recid = 0;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rs);
    secp256k1_context_destroy(ctx);

    bytes input(128, 0);
    std::memcpy(input.data(), msg, 32);
    input[63] = static_cast<uint8_t>(27 + recid);
    std::memcpy(input.data() + 64, sig, 64);
    auto r = pc::ecrecover(input);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(to_hex(r.output), "0000000000000000000000007e5f4552091a69125d5dfcb7b8c2659029395bdf");

    // Extra input bytes are ignored.
    bytes longer = input;
    longer.push_back(0x55);
    EXPECT_EQ(pc::ecrecover(longer).output, r.output);
    // Wrong v (also with the right low byte but non-zero high bytes): empty output, success.
    bytes bad = input;
    bad[63] = 29;
    EXPECT_TRUE(pc::ecrecover(bad).success);
    EXPECT_TRUE(pc::ecrecover(bad).output.empty());
    bad = input;
    bad[32] = 1;
    EXPECT_TRUE(pc::ecrecover(bad).output.empty());
    // The other parity gives a different (valid) key, not an error.
    bad = input;
    bad[63] = static_cast<uint8_t>(27 + (recid ^ 1));
    const auto other = pc::ecrecover(bad);
    EXPECT_EQ(other.output.size(), 32u);
    EXPECT_NE(other.output, r.output);
    // r = 0: empty.
    bad = input;
    std::memset(bad.data() + 64, 0, 32);
    EXPECT_TRUE(pc::ecrecover(bad).output.empty());
    // Truncated input is zero-padded: without s (s = 0) it fails cleanly.
    EXPECT_TRUE(pc::ecrecover(bytes_view{input}.first(96)).output.empty());
    EXPECT_TRUE(pc::ecrecover({}).output.empty());
    EXPECT_EQ(pc::kEcrecoverGas, 3000u);
}

TEST(Precompile, HashesAndIdentity)
{
    const bytes abc{'a', 'b', 'c'};
    EXPECT_EQ(to_hex(pc::sha256(abc).output),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(pc::ripemd160(abc).output),
        "0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
    EXPECT_EQ(pc::identity(abc).output, abc);
    EXPECT_TRUE(pc::identity({}).output.empty());
    EXPECT_EQ(pc::sha256_gas(0), 60u);
    EXPECT_EQ(pc::sha256_gas(33), 84u);
    EXPECT_EQ(pc::ripemd160_gas(32), 720u);
    EXPECT_EQ(pc::identity_gas(64), 21u);
}

TEST(Precompile, ModexpEip198Example)
{
    // EIP-198's example: 3^(p-1) mod p = 1 for the secp256k1 field prime p.
    const auto input =
        hex("0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000020"
            "0000000000000000000000000000000000000000000000000000000000000020"
            "03"
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    const auto r = pc::modexp(input, true);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(to_hex(r.output), "0000000000000000000000000000000000000000000000000000000000000001");
    EXPECT_EQ(pc::modexp_gas(input, pc::ModexpPricing::eip198), 13056u);
    EXPECT_EQ(pc::modexp_gas(input, pc::ModexpPricing::eip2565), 1360u);
    EXPECT_EQ(pc::modexp_gas(input, pc::ModexpPricing::eip7883), 4080u);
    const auto l = pc::modexp_lengths(input);
    EXPECT_EQ(l.base_len, 1u);
    EXPECT_EQ(l.exp_len, 32u);
    EXPECT_EQ(l.mod_len, 32u);
    EXPECT_EQ(pc::modexp_exp_head_bits(input, l), 256u);
}

TEST(Precompile, ModexpShapes)
{
    // Truncated operands are zero-padded on the right: modulus 0x0500 with 1 byte given.
    const auto input =
        hex("0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "02"
            "03"
            "05");
    auto r = pc::modexp(input, true);
    EXPECT_EQ(to_hex(r.output), "0008");  // 2^3 mod 0x0500
    // Zero-length modulus: empty output, minimal gas.
    const auto empty =
        hex("0000000000000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000000");
    r = pc::modexp(empty, true);
    EXPECT_TRUE(r.success);
    EXPECT_TRUE(r.output.empty());
    EXPECT_EQ(pc::modexp_gas(empty, pc::ModexpPricing::eip2565), 200u);
    EXPECT_EQ(pc::modexp_gas(empty, pc::ModexpPricing::eip7883), 500u);
    EXPECT_EQ(pc::modexp_gas(empty, pc::ModexpPricing::eip198), 0u);
    // EIP-7823: a 1025-byte base fails from Osaka on, and works before.
    bytes big(96, 0);
    big[30] = 0x04;
    big[31] = 0x01;  // base_len 1025
    big[63] = 1;     // exp_len 1
    big[95] = 1;     // mod_len 1
    big.resize(96 + 1025 + 2, 0);
    big.back() = 7;
    big[96 + 1024] = 3;  // base = 3
    big[96 + 1025] = 2;  // exp = 2
    EXPECT_FALSE(pc::modexp(big, true).success);
    r = pc::modexp(big, false);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(to_hex(r.output), "02");  // 9 mod 7
    // Astronomical lengths: unaffordable gas, no allocation.
    bytes huge(96, 0xff);
    EXPECT_EQ(pc::modexp_gas(huge, pc::ModexpPricing::eip2565), UINT64_MAX);
    EXPECT_FALSE(pc::modexp(huge, false).success);
    // Large exponent: iteration count uses 8 (16 from EIP-7883) per byte past 32.
    bytes e64(96, 0);
    e64[31] = 0;
    e64[63] = 64;  // exp_len 64
    e64[95] = 1;
    e64.resize(96 + 64 + 1, 0);
    e64[96] = 0x01;  // exponent head has bit length 249
    // eip2565: words 1 -> complexity 1; iterations = 8*32 + 248 = 504 -> 168 -> max(200)
    EXPECT_EQ(pc::modexp_gas(e64, pc::ModexpPricing::eip2565), 200u);
    // eip7883: complexity 16; iterations = 16*32 + 248 = 760 -> 12160
    EXPECT_EQ(pc::modexp_gas(e64, pc::ModexpPricing::eip7883), 12160u);
}

TEST(Precompile, Blake2fEip152)
{
    // EIP-152 test vector 5: BLAKE2b-512("abc") via 12 rounds of F.
    bytes input = hex("0000000c");
    const auto h =
        hex("48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
            "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b");
    input.insert(input.end(), h.begin(), h.end());
    bytes m(128, 0);
    m[0] = 'a';
    m[1] = 'b';
    m[2] = 'c';
    input.insert(input.end(), m.begin(), m.end());
    bytes t(16, 0);
    t[0] = 3;
    input.insert(input.end(), t.begin(), t.end());
    input.push_back(1);
    ASSERT_EQ(input.size(), 213u);
    uint8_t want[64];
    unsigned len = 0;
    EVP_Digest("abc", 3, want, &len, EVP_blake2b512(), nullptr);
    const auto r = pc::blake2f(input);
    EXPECT_TRUE(r.success);
    EXPECT_EQ(to_hex(r.output), to_hex({want, 64}));
    EXPECT_EQ(to_hex(r.output).substr(0, 16), "ba80a53f981c4d0d");
    EXPECT_EQ(pc::blake2f_gas(input), 12u);
    auto bad = input;
    bad.back() = 2;  // f must be 0 or 1
    EXPECT_FALSE(pc::blake2f(bad).success);
    EXPECT_FALSE(pc::blake2f(bytes_view{input}.first(212)).success);
    bad = input;
    bad.push_back(0);
    EXPECT_FALSE(pc::blake2f(bad).success);
    EXPECT_EQ(pc::blake2f_gas(bad), 0u);
    // Vector 4: zero rounds.
    bad = input;
    bad[3] = 0;
    const auto z = pc::blake2f(bad);
    EXPECT_EQ(to_hex(z.output),
        "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c"
        "68059b9442be0454267ce079217e1319cde05b");
}

TEST(Precompile, P256VerifyShapes)
{
    // Wrong lengths: empty output, success (the gas is still charged).
    EXPECT_TRUE(pc::p256verify({}).success);
    EXPECT_TRUE(pc::p256verify({}).output.empty());
    EXPECT_TRUE(pc::p256verify(bytes(161, 1)).output.empty());
    EXPECT_TRUE(pc::p256verify(bytes(160, 0)).output.empty());
    EXPECT_EQ(pc::kP256VerifyGas, 6900u);
}
