// Every block of every EEST zkevm fixture (tests-zkevm@v0.3.3): the statelessInputBytes decode
// (schema detected as the unprefixed v0.3 layout), re-encode byte for byte, give the payload-
// request root of the fixture's statelessOutputBytes, and the stateless program (the guest's
// code, run on the host) turns them into exactly those output bytes. The same blocks are also
// re-encoded in the tests-zkevm v21 layout (schema prefix, no public keys) and must get the
// fixture's verdict with senders recovered.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/validate/guest_program.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/stateless_input.hpp>

#include "fixtures.hpp"

using namespace stele;
using stele::stateless::SchemaVersion;
using stele::stateless::StatelessInput;

TEST(ZkevmFixtures, DecodeReencodeAndRootOfEveryBlock)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    size_t decoded = 0, identical = 0, roots = 0, outputs = 0, chain_ids = 0, witness_items = 0,
           valid = 0, payloads = 0;
    for (const auto& rec : records)
    {
        SCOPED_TRACE(rec.name);
        // The fixtures carry no schema prefix and a 41-byte output (verified, not assumed).
        EXPECT_EQ(stateless::detect_schema(rec.input), SchemaVersion::zkevm_v0_3);
        ASSERT_EQ(rec.output.size(), stateless::result_size_v0_3);

        stateless::StatelessInput in;
        const ssz::Error e = stateless::decode_stateless_input(rec.input, in);
        EXPECT_EQ(e, ssz::Error::success) << ssz::to_string(e);
        if (e != ssz::Error::success)
            continue;
        ++decoded;
        witness_items +=
            in.witness.state.size() + in.witness.codes.size() + in.witness.headers.size();

        const bytes again = stateless::encode_stateless_input(in);
        EXPECT_EQ(to_hex(again), to_hex(rec.input));
        identical += again == rec.input;

        stateless::StatelessValidationResult expected;
        ASSERT_EQ(
            stateless::decode_validation_result(rec.output, SchemaVersion::zkevm_v0_3, expected),
            ssz::Error::success);
        const hash256 root = stateless::new_payload_request_root(in);
        EXPECT_EQ(to_hex(root), to_hex(expected.new_payload_request_root));
        roots += root == expected.new_payload_request_root;
        EXPECT_EQ(in.chain_id, rec.chain_id);
        EXPECT_EQ(expected.chain_id, rec.chain_id);
        chain_ids += in.chain_id == rec.chain_id;

        // The whole program (decode, payload, stateless execution of Amsterdam over the
        // fixture's witness, damaged ones included): execution-specs' output byte for byte.
        const bytes out = stateless::run_stateless_program(rec.input);
        EXPECT_EQ(to_hex(out), to_hex(rec.output));
        outputs += out == rec.output;
        valid += expected.successful_validation;

        // The payload round trip: block (hash checked) and back to the same payload.
        chain::Block block;
        ASSERT_TRUE(stateless::payload_to_block(in, block).ok());
        ASSERT_TRUE(block.block_access_list.has_value());
        StatelessInput back = in;
        ASSERT_TRUE(stateless::block_to_payload(
            block, in.fork, stateless::execution_requests_list(in), back)
                        .ok());
        back.witness = in.witness;
        back.chain_id = in.chain_id;
        back.public_keys = in.public_keys;
        payloads += stateless::encode_stateless_input(back) == rec.input;
    }
    std::cout << "zkevm fixtures: " << records.size() << " blocks, " << decoded << " decoded, "
              << identical << " re-encoded identically, " << roots << " roots matching, " << outputs
              << " program outputs identical (" << valid << " valid, the rest with a damaged "
              << "witness), " << payloads << " payloads rebuilt identically from their block, "
              << chain_ids << " chain ids matching (" << witness_items << " witness items)\n";
    RecordProperty("blocks", static_cast<int>(records.size()));
    RecordProperty("roots_matching", static_cast<int>(roots));
    EXPECT_EQ(decoded, records.size());
    EXPECT_EQ(identical, records.size());
    EXPECT_EQ(roots, records.size());
    EXPECT_EQ(outputs, records.size());
    EXPECT_EQ(payloads, records.size());
    EXPECT_GE(valid, 200u);
}

TEST(ZkevmFixtures, EveryBlockAsInputOfTheWrongSchemaIsRejected)
{
    // Read as the prefixed revision, a v0.3 input's first bytes (0x14 0x00) are no schema id.
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    for (const auto& rec : records)
    {
        stateless::StatelessInput in;
        EXPECT_EQ(stateless::decode_stateless_input(rec.input, SchemaVersion::prefixed_r1, in),
            ssz::Error::unknown_schema)
            << rec.name;
    }
}

TEST(ZkevmFixtures, MutatedFixtureInputsDecodeCanonicallyOrFail)
{
    // Byte flips and offset-word rewrites of real inputs: each either decodes to something that
    // re-encodes to exactly the mutated bytes, or gives a typed error (never a crash).
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    std::mt19937_64 rng{2026};
    size_t decoded = 0, rejected = 0;
    for (size_t r = 0; r < records.size(); r += 10)
    {
        const bytes& base = records[r].input;
        for (int iter = 0; iter < 300; ++iter)
        {
            bytes m = base;
            const size_t at = rng() % m.size();
            if (iter % 2 == 0)
                m[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
            else if (const size_t w = at & ~size_t{3}; w + 4 <= m.size())
                ssz::store_le(m.data() + w, ssz::load_le(m.data() + w, 4) + (rng() % 17) - 8, 4);
            stateless::StatelessInput in;
            if (stateless::decode_stateless_input(m, SchemaVersion::zkevm_v0_3, in) ==
                ssz::Error::success)
            {
                ++decoded;
                EXPECT_EQ(stateless::encode_stateless_input(in), m) << records[r].name;
                (void)stateless::new_payload_request_root(in);
            }
            else
                ++rejected;
        }
    }
    EXPECT_GT(decoded, 0u);
    EXPECT_GT(rejected, 0u);
}

TEST(ZkevmFixtures, V21LayoutWithoutPublicKeysGetsTheFixtureVerdict)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    size_t checked = 0, valid = 0;
    for (const auto& rec : records)
    {
        SCOPED_TRACE(rec.name);
        StatelessInput in;
        ASSERT_EQ(stateless::decode_stateless_input(rec.input, in), ssz::Error::success);
        chain::Block block;
        ASSERT_TRUE(stateless::payload_to_block(in, block).ok());

        StatelessInput t;
        t.schema = SchemaVersion::prefixed_r1;
        t.has_public_keys = false;
        ASSERT_TRUE(stateless::block_to_payload(
            block, stateless::Fork::amsterdam, stateless::execution_requests_list(in), t)
                        .ok());
        t.witness = in.witness;
        t.chain_id = in.chain_id;
        const bytes enc = stateless::encode_stateless_input(t);
        // 0x1501 ‖ offset 16 ‖ offset ‖ chain_id: a fixed part of 16 bytes.
        ASSERT_GE(enc.size(), 18u);
        EXPECT_EQ(enc[0], 0x15);
        EXPECT_EQ(enc[1], 0x01);
        EXPECT_EQ(enc[2], 16);
        StatelessInput back;
        ASSERT_EQ(stateless::decode_stateless_input(enc, back), ssz::Error::success);
        EXPECT_FALSE(back.has_public_keys);

        stateless::StatelessValidationResult expected, got;
        ASSERT_EQ(
            stateless::decode_validation_result(rec.output, SchemaVersion::zkevm_v0_3, expected),
            ssz::Error::success);
        const bytes out = stateless::run_stateless_program(enc);
        ASSERT_EQ(stateless::decode_validation_result(out, SchemaVersion::prefixed_r1, got),
            ssz::Error::success);
        EXPECT_EQ(got.successful_validation, expected.successful_validation);
        EXPECT_EQ(got.new_payload_request_root, stateless::new_payload_request_root(back));
        EXPECT_EQ(got.chain_id, in.chain_id);
        EXPECT_EQ(got.schema_id, 0x1501);
        ++checked;
        valid += got.successful_validation;
    }
    std::cout << "zkevm fixtures in the v21 layout (no public keys): " << checked
              << " blocks, verdict as the fixture for all (" << valid << " valid)\n";
    EXPECT_EQ(checked, records.size());
}
