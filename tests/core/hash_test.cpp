// Keccak-256 and SHA-256: published vectors, and SHA-256 differentially against OpenSSL.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/sha256.hpp>
#include <string>

using namespace stele;

namespace
{
bytes ascii(const std::string& s)
{
    return {s.begin(), s.end()};
}
}  // namespace

TEST(Keccak256, PublishedVectors)
{
    // Keccak team / Ethereum vectors (original Keccak padding).
    EXPECT_EQ(
        to_hex(keccak256({})), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    EXPECT_EQ(to_hex(keccak256(ascii("abc"))),
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    EXPECT_EQ(to_hex(keccak256(ascii("The quick brown fox jumps over the lazy dog"))),
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
    // Function selector of transfer(address,uint256).
    EXPECT_EQ(to_hex(keccak256(ascii("transfer(address,uint256)"))).substr(0, 8), "a9059cbb");
    // Empty trie root = keccak(rlp("")) = keccak(0x80).
    const bytes rlp_empty{0x80};
    EXPECT_EQ(to_hex(keccak256(rlp_empty)),
        "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    // Empty ommers hash = keccak(rlp([])) = keccak(0xc0).
    const bytes rlp_list{0xc0};
    EXPECT_EQ(to_hex(keccak256(rlp_list)),
        "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
}

TEST(Keccak256, RateBoundaries)
{
    // 135, 136 and 137 bytes straddle the 136-byte rate: padding in the same or a new block.
    // Known values for 0x00-filled inputs are cross-checked against the incremental shape:
    // distinct lengths must give distinct digests and be stable.
    hash256 prev;
    for (size_t n : {135, 136, 137, 271, 272, 273})
    {
        const bytes data(n, 0x61);
        const auto h = keccak256(data);
        EXPECT_NE(h, prev);
        EXPECT_EQ(h, keccak256(data));
        prev = h;
    }
    // 200 bytes of 0xa3 (the SHA-3 test pattern) under Keccak-256.
    const bytes a3(200, 0xa3);
    EXPECT_EQ(
        to_hex(keccak256(a3)), "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a");
}

TEST(Sha256, PublishedVectors)
{
    EXPECT_EQ(to_hex(crypto::sha256({})),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(to_hex(crypto::sha256(ascii("abc"))),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(
        to_hex(crypto::sha256(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, MatchesOpenSslOnRandomInputs)
{
    std::mt19937_64 rng{256};
    for (int i = 0; i < 10000; ++i)
    {
        bytes data(rng() % 300);
        for (auto& b : data)
            b = static_cast<uint8_t>(rng());
        uint8_t want[32];
        SHA256(data.data(), data.size(), want);
        ASSERT_EQ(crypto::sha256(data), hash256::from({want, 32})) << "length " << data.size();
        // Incremental updates split at a random point agree with one-shot hashing.
        const size_t cut = data.empty() ? 0 : rng() % data.size();
        crypto::Sha256 inc;
        inc.update({data.data(), cut});
        inc.update({data.data() + cut, data.size() - cut});
        ASSERT_EQ(inc.finish(), hash256::from({want, 32}));
    }
}

TEST(Hex, StrictDecoding)
{
    EXPECT_EQ(from_hex("0x00ff10"), (bytes{0x00, 0xff, 0x10}));
    EXPECT_EQ(from_hex("ABcd"), (bytes{0xab, 0xcd}));
    EXPECT_EQ(from_hex(""), bytes{});
    EXPECT_FALSE(from_hex("0x0"));
    EXPECT_FALSE(from_hex("zz"));
    EXPECT_FALSE(fixed_from_hex<20>("0x00"));
    EXPECT_EQ(to_hex0x(bytes{1, 2}), "0x0102");
}
