// The engine-API bridge (stateless/validate/payload.hpp) against real blocks: every valid block
// of a seeded sample of EEST blockchain tests (Paris..Osaka, single-fork networks) goes
// block → NewPayloadRequest → (SSZ encode, decode) → block and must come back with the
// identical RLP and hash. Prague+ blocks whose requests are not empty need the requests their
// execution produces: without them the rebuilt header must fail the block-hash check (the
// guest tests cover them with the requests from execution). Plus tampered payloads.
#include <gtest/gtest.h>

#include <algorithm>
#include <common/paths.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/sha256.hpp>
#include <stateless/validate/payload.hpp>

namespace fs = std::filesystem;
using stele::bytes;
namespace chain = stele::chain;
namespace stateless = stele::stateless;
namespace crypto = stele::crypto;
namespace test = stele::test;
namespace ssz = stele::ssz;
using stele::from_hex;
using Fork = stateless::Fork;

namespace
{
struct Sample
{
    std::string name;
    Fork fork;
    bytes rlp;
};

std::optional<Fork> fork_of(const std::string& network)
{
    static const std::map<std::string, Fork> forks{{"Paris", Fork::paris},
        {"Shanghai", Fork::shanghai}, {"Cancun", Fork::cancun}, {"Prague", Fork::prague},
        {"Osaka", Fork::osaka}};
    const auto it = forks.find(network);
    if (it == forks.end())
        return std::nullopt;
    return it->second;
}

uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Valid blocks of every Paris and Shanghai file and of 1 in 3 files (seeded by the path) of
// Cancun, Prague and Osaka.
const std::vector<Sample>& samples()
{
    static std::vector<Sample> out = []
    {
        std::vector<Sample> s;
        const fs::path root = test::fixture_dir("eest") + "/blockchain_tests";
        for (const char* dir : {"paris", "shanghai", "cancun", "prague", "osaka"})
        {
            std::vector<fs::path> files;
            if (!fs::exists(root / dir))
                continue;
            for (const auto& e : fs::recursive_directory_iterator(root / dir))
                if (e.is_regular_file() && e.path().extension() == ".json")
                    files.push_back(e.path());
            std::sort(files.begin(), files.end());
            for (const fs::path& f : files)
            {
                const std::string rel = fs::relative(f, root).string();
                uint64_t h = 0;
                for (const char c : rel)
                    h = mix(h ^ static_cast<uint8_t>(c));
                const bool small_dir =
                    std::string_view{dir} == "paris" || std::string_view{dir} == "shanghai";
                if (!small_dir && h % 3 != 0)
                    continue;
                std::ifstream in{f};
                const auto doc = nlohmann::json::parse(in, nullptr, false);
                if (doc.is_discarded())
                    continue;
                for (const auto& [name, t] : doc.items())
                {
                    const auto fork = fork_of(t.value("network", ""));
                    if (!fork)
                        continue;
                    for (const auto& b : t["blocks"])
                    {
                        if (!b.contains("blockHeader") || !b.contains("rlp"))
                            continue;
                        auto rlp = from_hex(b["rlp"].get<std::string>().substr(2));
                        if (rlp)
                            s.push_back({rel + ":" + name, *fork, std::move(*rlp)});
                    }
                }
            }
        }
        return s;
    }();
    return out;
}

bool empty_requests(const chain::BlockHeader& h)
{
    return !h.requests_hash || *h.requests_hash == crypto::sha256({});
}
}  // namespace

TEST(payload, eest_valid_blocks_round_trip)
{
    const auto& s = samples();
    ASSERT_FALSE(s.empty()) << "no EEST fixtures under " << test::fixture_dir("eest");
    std::map<Fork, size_t> per_fork;
    size_t round_trips = 0, with_requests = 0, with_blobs = 0, with_withdrawals = 0;
    for (const Sample& smp : s)
    {
        SCOPED_TRACE(smp.name);
        chain::Block block;
        ASSERT_EQ(chain::decode_block(smp.rlp, block), chain::Error::ok);
        ASSERT_EQ(stateless::encode_block(block), smp.rlp);

        stateless::StatelessInput in;
        in.schema = stateless::SchemaVersion::prefixed_r1;
        in.chain_id = 1;
        const auto p = stateless::block_to_payload(block, smp.fork, {}, in);
        ASSERT_TRUE(p.ok()) << stateless::payload_error_name(p.error);
        EXPECT_EQ(p.computed_hash, block.header.hash);

        // Through the SSZ encoding, as the guest sees it.
        const bytes enc = stateless::encode_stateless_input(in);
        stateless::StatelessInput dec;
        ASSERT_EQ(stateless::decode_stateless_input(enc, dec), ssz::Error::success);
        ASSERT_EQ(dec.fork, smp.fork);
        chain::Block back;
        const auto r = stateless::payload_to_block(dec, back);
        if (!empty_requests(block.header))
        {
            ++with_requests;
            EXPECT_EQ(r.error, stateless::PayloadError::invalid_block_hash);
            continue;
        }
        ASSERT_TRUE(r.ok()) << stateless::payload_error_name(r.error);
        EXPECT_EQ(back.header.hash, block.header.hash);
        EXPECT_EQ(stateless::encode_block(back), smp.rlp);
        EXPECT_EQ(back.encoded_size, smp.rlp.size());
        ++round_trips;
        ++per_fork[smp.fork];
        with_blobs += !dec.new_payload_request.versioned_hashes.empty();
        with_withdrawals += !dec.new_payload_request.execution_payload.withdrawals.empty();
    }
    std::printf(
        "payload round trips: %zu blocks (%zu with blobs, %zu with withdrawals); %zu "
        "Prague+ blocks with requests rejected without them\n",
        round_trips, with_blobs, with_withdrawals, with_requests);
    for (const Fork f : {Fork::paris, Fork::shanghai, Fork::cancun, Fork::prague, Fork::osaka})
        EXPECT_GE(per_fork[f], f == Fork::paris ? 10u : 50u) << stateless::to_string(f);
    EXPECT_GE(with_blobs, 5u);
    EXPECT_GE(with_withdrawals, 5u);
    EXPECT_GE(with_requests, 1u);
}

TEST(payload, tampered_payloads_are_rejected)
{
    size_t blob_blocks = 0, checked = 0;
    for (const Sample& smp : samples())
    {
        chain::Block block;
        ASSERT_EQ(chain::decode_block(smp.rlp, block), chain::Error::ok);
        if (!empty_requests(block.header) || block.transactions.empty())
            continue;
        SCOPED_TRACE(smp.name);
        stateless::StatelessInput in;
        in.schema = stateless::SchemaVersion::prefixed_r1;
        ASSERT_TRUE(stateless::block_to_payload(block, smp.fork, {}, in).ok());
        chain::Block out;
        {
            auto t = in;
            t.new_payload_request.execution_payload.block_hash.bytes[0] ^= 1;
            EXPECT_EQ(stateless::payload_to_block(t, out).error,
                stateless::PayloadError::invalid_block_hash);
        }
        {
            // A different gas_used: the header no longer hashes to block_hash.
            auto t = in;
            ++t.new_payload_request.execution_payload.gas_used;
            EXPECT_EQ(stateless::payload_to_block(t, out).error,
                stateless::PayloadError::invalid_block_hash);
        }
        {
            // A transaction cut short does not decode.
            auto t = in;
            auto& tx = t.new_payload_request.execution_payload.transactions[0];
            tx = tx.first(tx.size() - 1);
            const auto r = stateless::payload_to_block(t, out);
            EXPECT_EQ(r.error, stateless::PayloadError::invalid_transaction);
            EXPECT_EQ(r.index, 0u);
        }
        if (!in.new_payload_request.versioned_hashes.empty())
        {
            ++blob_blocks;
            auto t = in;
            t.new_payload_request.versioned_hashes.back().bytes[31] ^= 1;
            EXPECT_EQ(stateless::payload_to_block(t, out).error,
                stateless::PayloadError::invalid_versioned_hashes);
            t = in;
            t.new_payload_request.versioned_hashes.pop_back();
            EXPECT_EQ(stateless::payload_to_block(t, out).error,
                stateless::PayloadError::invalid_versioned_hashes);
        }
        {
            // Another fork's shape: the field set differs.
            const Fork other = smp.fork == Fork::paris ? Fork::shanghai : Fork::paris;
            stateless::StatelessInput t;
            EXPECT_FALSE(stateless::block_to_payload(block, other, {}, t).ok());
        }
        ++checked;
    }
    EXPECT_GE(checked, 50u);
    EXPECT_GE(blob_blocks, 5u);
}

TEST(payload, amsterdam_has_a_chain_config)
{
    // Amsterdam runs with its own rules and BPO2's blob schedule (EEST blobSchedule.Amsterdam).
    const auto c = stateless::chain_config_for(Fork::amsterdam, 1);
    ASSERT_TRUE(c.has_value());
    ASSERT_EQ(c->schedule.size(), 1u);
    EXPECT_EQ(c->schedule[0].fork, stele::Fork::Amsterdam);
    EXPECT_EQ(c->schedule[0].blob.target, 14u);
    EXPECT_EQ(c->schedule[0].blob.max, 21u);
    EXPECT_EQ(c->schedule[0].blob.update_fraction, 11684671u);
}
