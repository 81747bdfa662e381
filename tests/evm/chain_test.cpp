// Chain-layer unit tests: transaction decoding and signing hashes (EIP-155 vector), blob fee
// math (EIP-4844), base fee and gas limit rules, bloom.
#include <gtest/gtest.h>

#include <stateless/chain/block.hpp>
#include <stateless/core/hex.hpp>

using namespace stele;
using namespace stele::chain;

TEST(chain, eip155_example_transaction)
{
    // The example of EIP-155.
    const auto raw = *from_hex(
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
        "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb70330"
        "4b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    Transaction tx;
    ASSERT_EQ(decode_transaction(raw, tx), Error::ok);
    EXPECT_EQ(tx.type, 0);
    EXPECT_EQ(tx.nonce, 9u);
    EXPECT_EQ(tx.gas_limit, 21000u);
    EXPECT_EQ(*tx.chain_id, 1u);
    EXPECT_EQ(tx.value, uint256{1'000'000'000'000'000'000ull});
    EXPECT_EQ(to_hex(tx.signing_hash),
        "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
}

TEST(chain, malformed_transactions_are_typed_errors)
{
    Transaction tx;
    EXPECT_EQ(decode_transaction(*from_hex("05c0"), tx), Error::tx_rlp);      // unknown type
    EXPECT_EQ(decode_transaction(*from_hex("c3010203"), tx), Error::tx_rlp);  // too few fields
    EXPECT_EQ(decode_transaction({}, tx), Error::tx_rlp);
    Block b;
    EXPECT_EQ(decode_block(*from_hex("c0"), b), Error::rlp_structures_encoding);
    EXPECT_EQ(decode_block(*from_hex("f9"), b), Error::rlp_structures_encoding);
}

TEST(chain, blob_base_fee_and_excess)
{
    const BlobParams cancun{3, 6, 3338477};
    EXPECT_EQ(blob_base_fee(0, cancun), uint256{1});
    // fake_exponential(1, 10 * 3338477, 3338477) = floor(e^10) computed by the series: 22026.
    EXPECT_EQ(blob_base_fee(10 * 3338477, cancun), uint256{22026});
    BlockHeader parent;
    parent.excess_blob_gas = 0;
    parent.blob_gas_used = 6 * 131072;
    EXPECT_EQ(expected_excess_blob_gas(parent, cancun, Fork::Cancun), 3u * 131072);
    parent.blob_gas_used = 2 * 131072;
    EXPECT_EQ(expected_excess_blob_gas(parent, cancun, Fork::Cancun), 0u);
}

TEST(chain, header_gas_limit_and_base_fee_rules)
{
    ChainConfig cfg;
    cfg.schedule.push_back({Fork::Shanghai, false, 0, {}});
    BlockHeader parent;
    parent.gas_limit = 30'000'000;
    parent.gas_used = 15'000'000;
    parent.base_fee = 1'000'000'000;
    parent.withdrawals_root = hash256{};
    parent.number = 1;
    parent.timestamp = 10;
    parent.hash.bytes[0] = 1;
    BlockHeader h = parent;
    h.number = 2;
    h.timestamp = 22;
    h.parent_hash = parent.hash;
    h.ommers_hash = empty_list_hash();
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::ok);
    h.gas_limit = parent.gas_limit + parent.gas_limit / 1024;  // one too many
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::invalid_gaslimit);
    h.gas_limit = parent.gas_limit;
    h.base_fee = 1'000'000'001;  // target hit exactly: unchanged base fee expected
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::invalid_basefee);
    h.base_fee = parent.base_fee;
    h.timestamp = parent.timestamp;
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::invalid_block_timestamp);
    h.timestamp = 22;
    h.blob_gas_used = 0;  // Cancun field in a Shanghai header
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::incorrect_block_format);
}

TEST(chain, bloom_sets_three_bits)
{
    bloom b;
    const uint8_t data[1] = {0};
    add_to_bloom(b, {data, 1});
    int bits = 0;
    for (uint8_t x : b.bytes)
        bits += __builtin_popcount(x);
    EXPECT_GE(bits, 1);
    EXPECT_LE(bits, 3);
    EXPECT_EQ(
        error_name(Error::intrinsic_gas_too_low), "TransactionException.INTRINSIC_GAS_TOO_LOW");
}

TEST(chain, pre_merge_difficulty)
{
    ChainConfig cfg;
    cfg.schedule.push_back({Fork::Homestead, false, 0, {}});
    BlockHeader parent;
    parent.difficulty = 131072 * 4;
    parent.gas_limit = 5000000;
    parent.number = 1;
    parent.timestamp = 100;
    parent.hash.bytes[0] = 1;
    BlockHeader h = parent;
    h.number = 2;
    h.parent_hash = parent.hash;
    h.timestamp = 105;  // < 10 s: +parent/2048
    h.difficulty = parent.difficulty + parent.difficulty / 2048;
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::ok);
    h.timestamp = 125;  // 20..29 s: -parent/2048
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::invalid_difficulty);
    h.difficulty = parent.difficulty - parent.difficulty / 2048;
    EXPECT_EQ(validate_header(cfg, parent, h, 0), Error::ok);
}
