// The codec on RV64IM: tests/guest/ssz_roundtrip under qemu-riscv64 decodes fixture inputs
// (and synthetic inputs of every fork), re-encodes them and computes the root; its output must
// equal the host's, and for the fixtures the fixture's own output bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <common/paths.hpp>
#include <common/process.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/validate/stateless_input.hpp>

#include "fixtures.hpp"

using namespace stele;
using stele::stateless::SchemaVersion;

namespace
{
test::ProcessResult run_guest(const bytes& input)
{
    const std::string q = test::qemu();
    if (q.empty())
        ADD_FAILURE() << "qemu-riscv64 not found: run scripts/setup";
    return test::run_process({q, test::guest_elf("tests/guest", "ssz_roundtrip", "linux")},
        std::string(input.begin(), input.end()));
}

bytes host_expected(const bytes& input)
{
    stateless::StatelessInput in;
    EXPECT_EQ(stateless::decode_stateless_input(input, in), ssz::Error::success);
    stateless::StatelessValidationResult r;
    r.new_payload_request_root = stateless::new_payload_request_root(in);
    r.successful_validation = stateless::encode_stateless_input(in) == input;
    r.chain_id = in.chain_id;
    if (in.schema == SchemaVersion::prefixed_r1)
        r.schema_id = stateless::schema_id(in.fork);
    return stateless::encode_validation_result(r, in.schema);
}
}  // namespace

TEST(GuestCodec, FixtureInputsGiveTheHostRootOnRv64im)
{
    auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    // The largest inputs, and every 20th block: qemu start-up dominates, keep the count modest.
    std::sort(records.begin(), records.end(),
        [](const auto& a, const auto& b) { return a.input.size() > b.input.size(); });
    std::vector<const test::GuestRecord*> picked;
    for (size_t i = 0; i < records.size(); ++i)
        if (i < 3 || i % 20 == 0)
            picked.push_back(&records[i]);
    for (const auto* rec : picked)
    {
        SCOPED_TRACE(rec->name);
        const auto r = run_guest(rec->input);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const bytes out(r.out.begin(), r.out.end());
        EXPECT_EQ(to_hex(out), to_hex(host_expected(rec->input)));
        // The guest's root and chain config are the fixture's (its flag means "re-encoded
        // identically" here, so compare the bytes around it).
        ASSERT_EQ(out.size(), rec->output.size());
        EXPECT_TRUE(std::equal(out.begin(), out.begin() + 32, rec->output.begin()));
        EXPECT_TRUE(std::equal(out.begin() + 33, out.end(), rec->output.begin() + 33));
    }
}

TEST(GuestCodec, MalformedInputGivesTheTypedErrorOnRv64im)
{
    auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    bytes bad = records.front().input;
    bad[0] = 0x15;  // first offset 21 != fixed part 20 (and no schema id either)
    bad[1] = 0x00;
    auto r = run_guest(bad);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(to_hex(bytes(r.out.begin(), r.out.end())),
        "ff" + to_hex(bytes{static_cast<uint8_t>(ssz::Error::unknown_schema)}));

    bad = records.front().input;
    bad.resize(bad.size() - 1);  // truncated
    r = run_guest(bad);
    EXPECT_EQ(r.exit_code, 1);
    ASSERT_EQ(r.out.size(), 2u);
    stateless::StatelessInput in;
    EXPECT_EQ(static_cast<uint8_t>(r.out[1]),
        static_cast<uint8_t>(stateless::decode_stateless_input(bad, in)));
}

TEST(GuestCodec, PrefixedInputsOfEveryForkGiveTheHostRootOnRv64im)
{
    using stele::stateless::Fork;
    for (Fork fork : {Fork::paris, Fork::shanghai, Fork::cancun, Fork::prague, Fork::osaka,
             Fork::bpo1, Fork::bpo2, Fork::amsterdam})
    {
        SCOPED_TRACE(std::string(stateless::to_string(fork)));
        // Distinct bytes everywhere (a pattern seeded by the fork), every optional part present.
        bytes pool(4096);
        for (size_t i = 0; i < pool.size(); ++i)
            pool[i] = static_cast<uint8_t>(i * 131 + static_cast<unsigned>(fork) * 17);
        const bytes_view v{pool};
        stateless::StatelessInput in;
        in.schema = SchemaVersion::prefixed_r1;
        in.fork = fork;
        in.chain_id = 1 + static_cast<uint64_t>(fork);
        auto& p = in.new_payload_request.execution_payload;
        p.parent_hash = hash256::from(v.subspan(0, 32));
        p.logs_bloom = bloom::from(v.subspan(100, 256));
        p.block_number = 123456;
        p.extra_data = v.subspan(400, 17);
        p.transactions = {v.subspan(500, 120), v.subspan(700, 1)};
        if (stateless::payload_version(fork) >= stateless::PayloadVersion::v2)
            p.withdrawals = {{1, 2, address::from(v.subspan(800, 20)), 3}};
        if (stateless::payload_version(fork) >= stateless::PayloadVersion::v3)
            p.blob_gas_used = 131072;
        if (stateless::payload_version(fork) >= stateless::PayloadVersion::v4)
        {
            p.block_access_list = v.subspan(900, 300);
            p.slot_number = 99;
        }
        auto& npr = in.new_payload_request;
        if (stateless::has_blob_fields(fork))
        {
            npr.versioned_hashes = {hash256::from(v.subspan(1300, 32))};
            npr.parent_beacon_block_root = hash256::from(v.subspan(1400, 32));
        }
        if (stateless::has_execution_requests(fork))
        {
            npr.execution_requests.deposits = v.subspan(1500, stateless::deposit_request_size);
            npr.execution_requests.consolidations =
                v.subspan(1800, stateless::consolidation_request_size);
            if (fork >= Fork::amsterdam)
                npr.execution_requests.builder_exits =
                    v.subspan(2000, stateless::builder_exit_request_size);
        }
        in.witness.state = {v.subspan(2100, 532), v.subspan(2700, 80)};
        in.witness.codes = {v.subspan(2800, 600)};
        in.witness.headers = {v.subspan(3400, 600)};
        in.public_keys = {v.subspan(0, 65), v.subspan(65, 65)};
        const bytes input = stateless::encode_stateless_input(in);

        const auto r = run_guest(input);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(to_hex(bytes(r.out.begin(), r.out.end())), to_hex(host_expected(input)));
        EXPECT_EQ(r.out.size(), stateless::result_size_r1);
    }
}
