// secp256k1 recovery and verification, differentially against libsecp256k1 (recovery module).
#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/crypto/secp256k1.hpp>

using namespace stele;
using namespace stele::crypto;

namespace
{
struct Ctx
{
    secp256k1_context* ctx =
        secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    ~Ctx()
    {
        secp256k1_context_destroy(ctx);
    }
};

void fill(std::mt19937_64& rng, uint8_t* p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = static_cast<uint8_t>(rng());
}

std::optional<Secp256k1Pubkey> oracle_recover(
    secp256k1_context* ctx, const hash256& msg, const uint8_t sig[64], int recid)
{
    secp256k1_ecdsa_recoverable_signature s;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &s, sig, recid))
        return std::nullopt;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recover(ctx, &pk, &s, msg.bytes))
        return std::nullopt;
    uint8_t out[65];
    size_t len = 65;
    secp256k1_ec_pubkey_serialize(ctx, out, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    return Secp256k1Pubkey::from({out + 1, 64});
}

// s -> n - s (the high-s twin of a signature).
void negate_s(uint8_t* s)
{
    int borrow = 0;
    for (int i = 31; i >= 0; --i)
    {
        const int d = kSecp256k1Order[i] - s[i] - borrow;
        s[i] = static_cast<uint8_t>(d);
        borrow = d < 0;
    }
}
}  // namespace

TEST(Secp256k1, RecoverRealSignaturesMatchesLibsecp256k1)
{
    Ctx c;
    std::mt19937_64 rng{0x5ec9};
    for (int i = 0; i < 10000; ++i)
    {
        uint8_t key[32];
        do
            fill(rng, key, 32);
        while (!secp256k1_ec_seckey_verify(c.ctx, key));
        hash256 msg;
        fill(rng, msg.bytes, 32);
        secp256k1_ecdsa_recoverable_signature rs;
        ASSERT_TRUE(secp256k1_ecdsa_sign_recoverable(c.ctx, &rs, msg.bytes, key, nullptr, nullptr));
        uint8_t sig[64];
        int recid = 0;
        secp256k1_ecdsa_recoverable_signature_serialize_compact(c.ctx, sig, &recid, &rs);
        const auto want = oracle_recover(c.ctx, msg, sig, recid);
        ASSERT_TRUE(want.has_value());
        const auto got = secp256k1_recover(msg, sig, static_cast<uint8_t>(recid));
        ASSERT_TRUE(got.has_value()) << i;
        ASSERT_EQ(to_hex(*got), to_hex(*want)) << i;
        EXPECT_TRUE(is_low_s(sig + 32));
        EXPECT_TRUE(secp256k1_verify(msg, sig, *got));
        // The high-s twin recovers the same key with the other parity.
        negate_s(sig + 32);
        EXPECT_FALSE(is_low_s(sig + 32));
        const auto twin = secp256k1_recover(msg, sig, static_cast<uint8_t>(recid ^ 1));
        ASSERT_TRUE(twin.has_value());
        EXPECT_EQ(*twin, *got);
        EXPECT_TRUE(secp256k1_verify(msg, sig, *got));  // verification accepts high s
        // A different message does not verify.
        msg.bytes[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);
        EXPECT_FALSE(secp256k1_verify(msg, sig, *got));
    }
}

TEST(Secp256k1, RecoverRandomInputsMatchesLibsecp256k1)
{
    // Arbitrary (r, s, recid, msg): about half of all r are not x-coordinates; edge values of r
    // and s (0, n - 1, n, 2^256 - 1) are mixed in.
    Ctx c;
    std::mt19937_64 rng{0xecec};
    int recovered = 0;
    for (int i = 0; i < 10000; ++i)
    {
        uint8_t sig[64];
        fill(rng, sig, 64);
        hash256 msg;
        fill(rng, msg.bytes, 32);
        for (int part = 0; part < 2; ++part)
        {
            uint8_t* v = sig + 32 * part;
            switch (rng() % 16)
            {
                case 0:
                    std::memset(v, 0, 32);
                    break;
                case 1:
                    std::memcpy(v, kSecp256k1Order, 32);
                    break;
                case 2:
                    std::memcpy(v, kSecp256k1Order, 32);
                    v[31] -= 1;
                    break;
                case 3:
                    std::memset(v, 0xff, 32);
                    break;
                case 4:
                    std::memset(v, 0, 31);
                    v[31] = 1;
                    break;
                default:
                    break;
            }
        }
        if (rng() % 8 == 0)
            std::memset(msg.bytes, rng() % 2 ? 0xff : 0x00, 32);
        const int recid = static_cast<int>(rng() % 2);
        const auto want = oracle_recover(c.ctx, msg, sig, recid);
        const auto got = secp256k1_recover(msg, sig, static_cast<uint8_t>(recid));
        ASSERT_EQ(got.has_value(), want.has_value()) << i << " " << to_hex({sig, 64});
        if (want)
        {
            ++recovered;
            ASSERT_EQ(to_hex(*got), to_hex(*want)) << i;
        }
    }
    EXPECT_GT(recovered, 3000);
    EXPECT_FALSE(secp256k1_recover(hash256{}, std::array<uint8_t, 64>{}.data(), 2).has_value());
}

TEST(Secp256k1, VerifyRandomKeysMatchesLibsecp256k1)
{
    Ctx c;
    std::mt19937_64 rng{0xfeed};
    for (int i = 0; i < 10000; ++i)
    {
        uint8_t key[32];
        do
            fill(rng, key, 32);
        while (!secp256k1_ec_seckey_verify(c.ctx, key));
        hash256 msg;
        fill(rng, msg.bytes, 32);
        secp256k1_ecdsa_signature es;
        ASSERT_TRUE(secp256k1_ecdsa_sign(c.ctx, &es, msg.bytes, key, nullptr, nullptr));
        uint8_t sig[64];
        secp256k1_ecdsa_signature_serialize_compact(c.ctx, sig, &es);
        secp256k1_pubkey pk;
        ASSERT_TRUE(secp256k1_ec_pubkey_create(c.ctx, &pk, key));
        uint8_t ser[65];
        size_t len = 65;
        secp256k1_ec_pubkey_serialize(c.ctx, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
        auto pub = Secp256k1Pubkey::from({ser + 1, 64});
        // Corrupt one of signature / message / key a third of the time each.
        const int what = static_cast<int>(rng() % 4);
        if (what == 1)
            sig[rng() % 64] ^= static_cast<uint8_t>(1 + rng() % 255);
        else if (what == 2)
            msg.bytes[rng() % 32] ^= static_cast<uint8_t>(1 + rng() % 255);
        else if (what == 3)
            pub.bytes[rng() % 64] ^= static_cast<uint8_t>(1 + rng() % 255);
        bool want = false;
        secp256k1_ecdsa_signature ps;
        secp256k1_pubkey ppk;
        uint8_t ser2[65] = {0x04};
        std::memcpy(ser2 + 1, pub.bytes, 64);
        if (secp256k1_ecdsa_signature_parse_compact(c.ctx, &ps, sig) &&
            secp256k1_ec_pubkey_parse(c.ctx, &ppk, ser2, 65))
        {
            // libsecp256k1 rejects high s; we accept it: compare on the normalized signature.
            secp256k1_ecdsa_signature_normalize(c.ctx, &ps, &ps);
            want = secp256k1_ecdsa_verify(c.ctx, &ps, msg.bytes, &ppk) == 1;
        }
        ASSERT_EQ(secp256k1_verify(msg, sig, pub), want) << i << " case " << what;
        EXPECT_EQ(secp256k1_is_on_curve(pub),
            what != 3 || secp256k1_ec_pubkey_parse(c.ctx, &ppk, ser2, 65) == 1);
    }
}

TEST(Secp256k1, KnownVectorAddress)
{
    // Private key 1: public key G, address 0x7e5f4552091a69125d5dfcb7b8c2659029395bdf.
    Secp256k1Pubkey g = Secp256k1Pubkey::from(
        from_hex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                 "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")
            .value());
    EXPECT_TRUE(secp256k1_is_on_curve(g));
    EXPECT_EQ(to_hex(pubkey_to_address(g)), "7e5f4552091a69125d5dfcb7b8c2659029395bdf");
}
