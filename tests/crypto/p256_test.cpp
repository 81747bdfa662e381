// P-256 verification (EIP-7951 semantics) differentially against OpenSSL.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // OpenSSL's EC_KEY API: the oracle only
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/crypto/p256.hpp>

using namespace stele;
using namespace stele::crypto;

namespace
{
void bn_to32(const BIGNUM* bn, uint8_t out[32])
{
    ASSERT_EQ(BN_bn2binpad(bn, out, 32), 32);
}

// OpenSSL's verdict for a public key given by coordinates (false if the key is invalid).
bool openssl_verify(const uint8_t h[32], const uint8_t r[32], const uint8_t s[32],
    const uint8_t qx[32], const uint8_t qy[32])
{
    EC_KEY* key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
    BIGNUM* x = BN_bin2bn(qx, 32, nullptr);
    BIGNUM* y = BN_bin2bn(qy, 32, nullptr);
    bool ok = false;
    if (EC_KEY_set_public_key_affine_coordinates(key, x, y) == 1)
    {
        ECDSA_SIG* sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(sig, BN_bin2bn(r, 32, nullptr), BN_bin2bn(s, 32, nullptr));
        ok = ECDSA_do_verify(h, 32, sig, key) == 1;
        ECDSA_SIG_free(sig);
    }
    BN_free(x);
    BN_free(y);
    EC_KEY_free(key);
    return ok;
}
}  // namespace

TEST(P256, MatchesOpenSsl)
{
    std::mt19937_64 rng{7951};
    EC_KEY* key = nullptr;
    uint8_t qx[32], qy[32];
    int valid = 0;
    for (int i = 0; i < 10000; ++i)
    {
        if (i % 50 == 0)
        {
            EC_KEY_free(key);
            key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
            ASSERT_EQ(EC_KEY_generate_key(key), 1);
            BIGNUM* x = BN_new();
            BIGNUM* y = BN_new();
            EC_POINT_get_affine_coordinates(
                EC_KEY_get0_group(key), EC_KEY_get0_public_key(key), x, y, nullptr);
            bn_to32(x, qx);
            bn_to32(y, qy);
            BN_free(x);
            BN_free(y);
        }
        uint8_t h[32], r[32], s[32], kx[32], ky[32];
        for (auto& b : h)
            b = static_cast<uint8_t>(rng());
        ECDSA_SIG* sig = ECDSA_do_sign(h, 32, key);
        ASSERT_NE(sig, nullptr);
        bn_to32(ECDSA_SIG_get0_r(sig), r);
        bn_to32(ECDSA_SIG_get0_s(sig), s);
        ECDSA_SIG_free(sig);
        std::memcpy(kx, qx, 32);
        std::memcpy(ky, qy, 32);
        switch (rng() % 6)
        {
            case 1:
                h[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);
                break;
            case 2:
                r[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);
                break;
            case 3:
                s[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);
                break;
            case 4:
                ky[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);  // off the curve
                break;
            case 5:
                std::memset(rng() % 2 ? r : s, rng() % 2 ? 0x00 : 0xff, 32);  // out of range
                break;
            default:
                break;
        }
        const bool want = openssl_verify(h, r, s, kx, ky);
        valid += want;
        ASSERT_EQ(p256_verify(h, r, s, kx, ky), want) << i;
    }
    EC_KEY_free(key);
    EXPECT_GT(valid, 1000);
}

TEST(P256, RejectsInfinityAndOutOfRangeKeys)
{
    uint8_t h[32] = {1}, r[32] = {}, s[32] = {}, zero[32] = {};
    r[31] = 1;
    s[31] = 1;
    EXPECT_FALSE(p256_verify(h, r, s, zero, zero));
    // p itself as a coordinate is out of range.
    const auto p =
        from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff").value();
    EXPECT_FALSE(p256_verify(h, r, s, p.data(), zero));
}
