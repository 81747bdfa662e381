// Differential test against @chainsafe/ssz (tests/ssz/oracle): an independent implementation
// deserializes our encodings, re-serializes them byte for byte, and computes hash_tree_root,
// for generic list / progressive types and for the NewPayloadRequest of every schema and fork.
#include <gtest/gtest.h>

#include <common/process.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stateless/core/hex.hpp>
#include <stateless/core/ssz.hpp>
#include <stateless/validate/stateless_input.hpp>

using namespace stele;
using namespace stele::ssz;
using stele::stateless::Fork;
using stele::stateless::SchemaVersion;

namespace
{
struct Case
{
    std::string type;
    bytes ssz;
    hash256 our_root;
};

// Runs the oracle once over all cases; checks re-serialization and the root of each.
void check_against_oracle(const std::vector<Case>& cases)
{
    const std::string dir = STELE_SSZ_ORACLE_DIR;
    ASSERT_TRUE(std::filesystem::exists(dir + "/node_modules/@chainsafe/ssz"))
        << "the SSZ oracle is not installed in " << dir << " (npm ci failed: no npm registry?)";
    ASSERT_TRUE(std::filesystem::exists(STELE_NODE))
        << "node (Node.js) not found: run scripts/setup";
    std::string input;
    for (const auto& c : cases)
        input += nlohmann::json{{"type", c.type}, {"hex", to_hex(c.ssz)}}.dump() + "\n";
    const auto r =
        test::run_process({STELE_NODE, dir + "/oracle.mjs"}, input, std::chrono::seconds{300});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines{r.out};
    std::string line;
    size_t i = 0;
    for (; std::getline(lines, line) && i < cases.size(); ++i)
    {
        const auto answer = nlohmann::json::parse(line);
        ASSERT_FALSE(answer.contains("error")) << cases[i].type << ": " << answer.dump();
        EXPECT_EQ(answer.at("ssz").get<std::string>(), to_hex(cases[i].ssz)) << cases[i].type;
        EXPECT_EQ(answer.at("root").get<std::string>(), to_hex(cases[i].our_root)) << cases[i].type;
    }
    EXPECT_EQ(i, cases.size());
}

bytes random_bytes(std::mt19937_64& rng, size_t n)
{
    bytes b(n);
    for (auto& x : b)
        x = static_cast<uint8_t>(rng());
    return b;
}
}  // namespace

TEST(SszOracle, GenericTypes)
{
    std::mt19937_64 rng{100};
    std::vector<Case> cases;
    for (uint64_t limit : {uint64_t{32}, uint64_t{1000}, uint64_t{1} << 24, uint64_t{1} << 30})
        for (size_t len : {0, 1, 31, 32, 33, 64, 65, 999})
            if (len <= limit)
            {
                const bytes b = random_bytes(rng, len);
                cases.push_back({"bytelist_" + std::to_string(limit), b, htr_byte_list(b, limit)});
            }
    for (size_t len : {0, 1, 32, 33, 160, 161, 672, 673, 2720, 2721, 10000})
    {
        const bytes b = random_bytes(rng, len);
        cases.push_back({"pbytelist", b, htr_progressive_byte_list(b)});
    }
    for (size_t n : {0, 1, 2, 5, 21, 22, 85, 86, 300})
    {
        const bytes b = random_bytes(rng, 32 * n);
        std::vector<hash256> roots(n);
        for (size_t i = 0; i < n; ++i)
            roots[i] = hash256::from(bytes_view{b}.subspan(32 * i, 32));
        cases.push_back({"plist_bytes32", b, htr_progressive_list_of_roots(roots)});
        cases.push_back({"list_bytes32_4096", b, htr_list_of_roots(roots, 4096)});
        const bytes u = random_bytes(rng, 8 * n);
        cases.push_back({"list_uint64_1024", u, htr_packed_list(u, 8, 1024)});
        cases.push_back({"plist_uint64", u, mix_in_length(merkleize_progressive_bytes(u), n)});
    }
    for (size_t n_bits : {1, 7, 8, 9, 256, 257, 1000})
    {
        bytes b = random_bytes(rng, (n_bits + 7) / 8);
        if (n_bits % 8)
            b.back() &= static_cast<uint8_t>((1u << (n_bits % 8)) - 1);
        cases.push_back({"bitvector_" + std::to_string(n_bits), b, htr_bitvector(b, n_bits)});
        // The same bits as a Bitlist[2048] (delimiter appended).
        bytes bl = b;
        if (n_bits % 8 == 0)
            bl.push_back(1);
        else
            bl.back() |= static_cast<uint8_t>(1u << (n_bits % 8));
        cases.push_back({"bitlist_2048", bl, htr_bitlist(bl, 2048)});
    }
    for (size_t n : {1, 2, 3, 5, 17, 19, 21, 40})
    {
        const bytes b = random_bytes(rng, 8 * n);
        std::vector<hash256> f(n);
        for (size_t i = 0; i < n; ++i)
            f[i] = htr_uint(load_le(b.data() + 8 * i, 8));
        cases.push_back({"pcontainer_u64_" + std::to_string(n), b, htr_progressive_container(f)});
    }
    // A list of variable-size byte strings.
    {
        std::vector<bytes> items;
        for (int i = 0; i < 50; ++i)
            items.push_back(random_bytes(rng, rng() % 600));
        std::vector<bytes_view> views(items.begin(), items.end());
        bytes enc;
        put_byte_lists(enc, views);
        std::vector<hash256> roots;
        for (const auto& v : views)
            roots.push_back(htr_byte_list(v, 1024));
        cases.push_back({"list_bytelist_4194304_1024", enc, htr_list_of_roots(roots, 4194304)});
    }
    check_against_oracle(cases);
}

TEST(SszOracle, NewPayloadRequestOfEverySchemaAndFork)
{
    std::mt19937_64 rng{200};
    std::vector<Case> cases;
    const std::vector<std::pair<SchemaVersion, Fork>> shapes{
        {SchemaVersion::zkevm_v0_3, Fork::amsterdam}, {SchemaVersion::prefixed_r1, Fork::paris},
        {SchemaVersion::prefixed_r1, Fork::shanghai}, {SchemaVersion::prefixed_r1, Fork::cancun},
        {SchemaVersion::prefixed_r1, Fork::prague}, {SchemaVersion::prefixed_r1, Fork::osaka},
        {SchemaVersion::prefixed_r1, Fork::bpo2}, {SchemaVersion::prefixed_r1, Fork::amsterdam}};
    std::vector<bytes> storage;
    storage.reserve(10000);
    auto keep = [&](bytes b) -> bytes_view
    {
        storage.push_back(std::move(b));
        return storage.back();
    };
    for (const auto& [schema, fork] : shapes)
        for (int rep = 0; rep < 4; ++rep)
        {
            stateless::StatelessInput in;
            in.schema = schema;
            in.fork = fork;
            auto& p = in.new_payload_request.execution_payload;
            p.parent_hash = hash256::from(random_bytes(rng, 32));
            p.fee_recipient = address::from(random_bytes(rng, 20));
            p.logs_bloom = bloom::from(random_bytes(rng, 256));
            p.block_number = rng() >> 1;
            p.timestamp = rng();
            p.extra_data = keep(random_bytes(rng, rng() % 33));
            p.base_fee_per_gas = hash256::from(random_bytes(rng, 32));
            for (size_t i = 0, n = rng() % 8; i < n; ++i)
                p.transactions.push_back(keep(random_bytes(rng, rng() % 400)));
            for (size_t i = 0, n = rng() % 17; i < n; ++i)
                p.withdrawals.push_back(
                    {rng(), rng(), address::from(random_bytes(rng, 20)), rng()});
            if (stateless::payload_version(fork) < stateless::PayloadVersion::v2)
                p.withdrawals.clear();
            p.blob_gas_used = rng();
            p.excess_blob_gas = rng();
            p.block_access_list = keep(random_bytes(rng, rng() % 700));
            p.slot_number = rng();
            if (stateless::payload_version(fork) < stateless::PayloadVersion::v3)
                p.blob_gas_used = p.excess_blob_gas = 0;
            if (stateless::payload_version(fork) < stateless::PayloadVersion::v4)
            {
                p.block_access_list = {};
                p.slot_number = 0;
            }
            auto& npr = in.new_payload_request;
            if (stateless::has_blob_fields(fork))
            {
                for (size_t i = 0, n = rng() % 7; i < n; ++i)
                    npr.versioned_hashes.push_back(hash256::from(random_bytes(rng, 32)));
                npr.parent_beacon_block_root = hash256::from(random_bytes(rng, 32));
            }
            if (stateless::has_execution_requests(fork))
            {
                auto& r = npr.execution_requests;
                if (schema == SchemaVersion::zkevm_v0_3)
                    for (uint8_t t = 0; t < 3; ++t)
                        r.raw.push_back(keep(random_bytes(rng, 1 + rng() % 300)));
                else
                {
                    r.deposits =
                        keep(random_bytes(rng, stateless::deposit_request_size * (rng() % 3)));
                    r.withdrawals =
                        keep(random_bytes(rng, stateless::withdrawal_request_size * (rng() % 3)));
                    r.consolidations = keep(
                        random_bytes(rng, stateless::consolidation_request_size * (rng() % 3)));
                    if (fork >= Fork::amsterdam)
                    {
                        r.builder_deposits = keep(random_bytes(
                            rng, stateless::builder_deposit_request_size * (rng() % 3)));
                        r.builder_exits = keep(
                            random_bytes(rng, stateless::builder_exit_request_size * (rng() % 3)));
                    }
                }
            }
            const bytes enc = stateless::encode_stateless_input(in);
            // The NewPayloadRequest is the first field of StatelessInput.
            const bytes_view body =
                bytes_view{enc}.subspan(schema == SchemaVersion::prefixed_r1 ? 2 : 0);
            std::array<bytes_view, 4> f;
            const std::array<uint32_t, 4> sizes{0, 0, 8, 0};
            ASSERT_EQ(split_container(body, sizes, f), Error::success);
            const std::string type = schema == SchemaVersion::zkevm_v0_3
                                         ? "npr_v0_3"
                                         : "npr_r1_" + [](std::string s)
            {
                for (auto& c : s)
                    c = static_cast<char>(std::tolower(c));
                return s;
            }(std::string(stateless::to_string(fork)));
            cases.push_back(
                {type, bytes(f[0].begin(), f[0].end()), stateless::new_payload_request_root(in)});
        }
    check_against_oracle(cases);
}
