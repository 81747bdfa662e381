// SSZ core and the stateless input codec: known roots, Merkleization against naive reference
// constructions hashed with OpenSSL, every malformed-input class -> its typed error, and
// encode/decode round trips of StatelessInput for every fork and schema version.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/core/ssz.hpp>
#include <stateless/validate/stateless_input.hpp>

using namespace stele;
using namespace stele::ssz;
using stele::stateless::Fork;
using stele::stateless::SchemaVersion;

namespace
{
hash256 ossl_pair(const hash256& a, const hash256& b)
{
    uint8_t buf[64];
    std::memcpy(buf, a.bytes, 32);
    std::memcpy(buf + 32, b.bytes, 32);
    hash256 r;
    SHA256(buf, 64, r.bytes);
    return r;
}

// The spec's merkleize, literally: pad to next_pow2(limit) leaves with zero chunks, then hash
// pairwise level by level (feasible for small limits only).
hash256 naive_merkleize(std::vector<hash256> chunks, uint64_t limit)
{
    uint64_t width = 1;
    while (width < limit || width < chunks.size())
        width *= 2;
    chunks.resize(width);
    while (chunks.size() > 1)
    {
        std::vector<hash256> next(chunks.size() / 2);
        for (size_t i = 0; i < next.size(); ++i)
            next[i] = ossl_pair(chunks[2 * i], chunks[2 * i + 1]);
        chunks = std::move(next);
    }
    return chunks[0];
}

// EIP-7916 merkleize_progressive, literally (recursive): the first num_leaves chunks as a
// binary subtree on the left, the rest (with 4x the leaves) on the right.
hash256 naive_progressive(std::span<const hash256> chunks, uint64_t num_leaves = 1)
{
    if (chunks.empty())
        return hash256{};
    const size_t n = chunks.size() < num_leaves ? chunks.size() : num_leaves;
    return ossl_pair(
        naive_merkleize({chunks.begin(), chunks.begin() + static_cast<ptrdiff_t>(n)}, num_leaves),
        naive_progressive(chunks.subspan(n), num_leaves * 4));
}

std::vector<hash256> pack(bytes_view b)
{
    std::vector<hash256> c((b.size() + 31) / 32);
    for (size_t i = 0; i < c.size(); ++i)
        std::memcpy(c[i].bytes, b.data() + 32 * i, std::min<size_t>(32, b.size() - 32 * i));
    return c;
}

hash256 len_chunk(uint64_t n)
{
    hash256 h;
    store_le(h.bytes, n, 8);
    return h;
}

bytes random_bytes(std::mt19937_64& rng, size_t n)
{
    bytes b(n);
    for (auto& x : b)
        x = static_cast<uint8_t>(rng());
    return b;
}

hash256 random_hash(std::mt19937_64& rng)
{
    return hash256::from(random_bytes(rng, 32));
}

bytes le32(uint32_t v)
{
    return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}

bytes cat(std::initializer_list<bytes> parts)
{
    bytes r;
    for (const auto& p : parts)
        r.insert(r.end(), p.begin(), p.end());
    return r;
}
}  // namespace

// ---- Merkleization ---------------------------------------------------------------------------

TEST(SszMerkle, ZeroHashesArePublishedValues)
{
    EXPECT_TRUE(zero_hash(0).is_zero());
    // consensus-specs zero hashes (also the empty List[uint8, 64] chunk roots).
    EXPECT_EQ(
        to_hex(zero_hash(1)), "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
    EXPECT_EQ(
        to_hex(zero_hash(2)), "db56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71");
    hash256 z;
    for (unsigned d = 0; d <= 64; ++d)
    {
        EXPECT_EQ(zero_hash(d), z) << d;
        z = ossl_pair(z, z);
    }
}

TEST(SszMerkle, TreeDepth)
{
    EXPECT_EQ(tree_depth(0), 0u);
    EXPECT_EQ(tree_depth(1), 0u);
    EXPECT_EQ(tree_depth(2), 1u);
    EXPECT_EQ(tree_depth(3), 2u);
    EXPECT_EQ(tree_depth(4), 2u);
    EXPECT_EQ(tree_depth(5), 3u);
    EXPECT_EQ(tree_depth(uint64_t{1} << 40), 40u);
    EXPECT_EQ(tree_depth((uint64_t{1} << 40) + 1), 41u);
}

TEST(SszMerkle, MerkleizeMatchesTheLiteralDefinition)
{
    std::mt19937_64 rng{1};
    for (uint64_t limit : {1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 64, 100})
        for (size_t n = 0; n <= limit; n += (limit > 16 ? 7 : 1))
        {
            std::vector<hash256> chunks(n);
            for (auto& c : chunks)
                c = random_hash(rng);
            EXPECT_EQ(merkleize(chunks, limit), naive_merkleize(chunks, limit))
                << n << "/" << limit;
        }
}

TEST(SszMerkle, LargeLimitsUseZeroSubtrees)
{
    // One chunk under a 2^40 limit: the chunk hashed up 40 levels against zero subtrees.
    std::mt19937_64 rng{2};
    const hash256 c = random_hash(rng);
    hash256 expect = c;
    for (unsigned d = 0; d < 40; ++d)
        expect = ossl_pair(expect, zero_hash(d));
    EXPECT_EQ(merkleize(std::span{&c, 1}, uint64_t{1} << 40), expect);
    EXPECT_EQ(merkleize({}, uint64_t{1} << 40), zero_hash(40));
}

TEST(SszMerkle, MerkleizeBytesEqualsMerkleizeOfPackedChunks)
{
    std::mt19937_64 rng{3};
    for (size_t len : {0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 200, 256, 1000})
        for (uint64_t limit_chunks : {uint64_t{64}, uint64_t{1} << 25})
        {
            const bytes b = random_bytes(rng, len);
            EXPECT_EQ(merkleize_bytes(b, limit_chunks), merkleize(pack(b), limit_chunks)) << len;
        }
}

TEST(SszMerkle, ProgressiveMatchesTheLiteralDefinition)
{
    std::mt19937_64 rng{4};
    for (size_t n : {0, 1, 2, 4, 5, 6, 20, 21, 22, 85, 86, 100, 400})
    {
        std::vector<hash256> chunks(n);
        for (auto& c : chunks)
            c = random_hash(rng);
        EXPECT_EQ(merkleize_progressive(chunks), naive_progressive(chunks)) << n;
        bytes flat;
        for (const auto& c : chunks)
            flat.insert(flat.end(), c.begin(), c.end());
        EXPECT_EQ(merkleize_progressive_bytes(flat), naive_progressive(chunks)) << n;
    }
}

TEST(SszRoots, BasicTypes)
{
    EXPECT_EQ(to_hex(htr_uint(0)), std::string(64, '0'));
    EXPECT_EQ(to_hex(htr_uint(0x0102030405060708)),
        "0807060504030201000000000000000000000000000000000000000000000000");
    EXPECT_EQ(to_hex(htr_bool(true)), "01" + std::string(62, '0'));
    EXPECT_EQ(to_hex(htr_bool(false)), std::string(64, '0'));
    // Bytes20 is right-padded to one chunk.
    const bytes addr(20, 0xab);
    EXPECT_EQ(to_hex(htr_byte_vector(addr)),
        "abababababababababababababababababababab" + std::string(24, '0'));
}

TEST(SszRoots, ByteListIsChunksMixedWithLength)
{
    const bytes abc{'a', 'b', 'c'};
    // ByteList[32] "abc": one chunk, then mix_in_length(3).
    EXPECT_EQ(to_hex(htr_byte_list(abc, 32)),
        to_hex(ossl_pair(hash256::from(cat({abc, bytes(29, 0)})), len_chunk(3))));
    // ByteList[2^24] "abc": the chunk hashed up 19 levels, then the length.
    hash256 r = hash256::from(cat({abc, bytes(29, 0)}));
    for (unsigned d = 0; d < 19; ++d)
        r = ossl_pair(r, zero_hash(d));
    EXPECT_EQ(htr_byte_list(abc, uint64_t{1} << 24), ossl_pair(r, len_chunk(3)));
    // Empty lists: the zero subtree of the limit's depth, length 0.
    EXPECT_EQ(htr_byte_list({}, 1024), ossl_pair(zero_hash(5), len_chunk(0)));
    EXPECT_EQ(htr_list_of_roots({}, 4096), ossl_pair(zero_hash(12), len_chunk(0)));
    EXPECT_EQ(htr_progressive_byte_list({}), ossl_pair(hash256{}, len_chunk(0)));
}

TEST(SszRoots, BitvectorAndBitlist)
{
    // Bitlist[10] with bits 1,0,1 (delimiter at bit 3): 0b1101 = 0x0d; value bits 0b101.
    const bytes bl{0x0d};
    EXPECT_EQ(htr_bitlist(bl, 10),
        ossl_pair(hash256::from(cat({bytes{0x05}, bytes(31, 0)})), len_chunk(3)));
    // A full byte of bits: the delimiter sits in its own byte.
    const bytes bl8{0xff, 0x01};
    EXPECT_EQ(htr_bitlist(bl8, 2048), ossl_pair(merkleize(pack(bytes{0xff}), 8), len_chunk(8)));
    const bytes bv{0x05};
    EXPECT_EQ(htr_bitvector(bv, 3), hash256::from(cat({bytes{0x05}, bytes(31, 0)})));
}

TEST(SszRoots, ContainerAndProgressiveContainer)
{
    std::mt19937_64 rng{5};
    std::vector<hash256> f(19);
    for (auto& x : f)
        x = random_hash(rng);
    EXPECT_EQ(htr_container(f), naive_merkleize(f, 19));
    hash256 active;
    active.bytes[0] = 0xff;
    active.bytes[1] = 0xff;
    active.bytes[2] = 0x07;
    EXPECT_EQ(htr_progressive_container(f), ossl_pair(naive_progressive(f), active));
}

// ---- Strict decoding: every malformed class gives its error ---------------------------------

TEST(SszDecode, Scalars)
{
    uint64_t v = 0;
    bool b = false;
    EXPECT_EQ(decode_uint(bytes{1, 2}, 2, v), Error::success);
    EXPECT_EQ(v, 0x0201u);
    EXPECT_EQ(decode_uint(bytes{1, 2, 3}, 2, v), Error::wrong_fixed_size);
    EXPECT_EQ(decode_uint(bytes{}, 8, v), Error::wrong_fixed_size);
    EXPECT_EQ(decode_bool(bytes{0}, b), Error::success);
    EXPECT_FALSE(b);
    EXPECT_EQ(decode_bool(bytes{1}, b), Error::success);
    EXPECT_TRUE(b);
    EXPECT_EQ(decode_bool(bytes{2}, b), Error::invalid_bool);
    EXPECT_EQ(decode_bool(bytes{0xff}, b), Error::invalid_bool);
    EXPECT_EQ(decode_bool(bytes{0, 0}, b), Error::wrong_fixed_size);
    EXPECT_EQ(check_byte_vector(bytes(19), 20), Error::wrong_fixed_size);
    EXPECT_EQ(check_byte_list(bytes(33), 32), Error::byte_list_too_long);
    EXPECT_EQ(check_byte_list(bytes(32), 32), Error::success);
}

TEST(SszDecode, Bits)
{
    uint64_t n = 0;
    EXPECT_EQ(check_bitvector(bytes{0x07}, 3), Error::success);
    EXPECT_EQ(check_bitvector(bytes{0x0f}, 3), Error::invalid_bitvector);
    EXPECT_EQ(check_bitvector(bytes{0xff, 0x00}, 3), Error::wrong_fixed_size);
    EXPECT_EQ(check_bitlist(bytes{0x0d}, 10, n), Error::success);
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(check_bitlist(bytes{}, 10, n), Error::invalid_bitlist);
    EXPECT_EQ(check_bitlist(bytes{0xff, 0x00}, 10, n), Error::invalid_bitlist);  // no delimiter
    EXPECT_EQ(check_bitlist(bytes{0xff, 0x0f}, 10, n), Error::invalid_bitlist);  // 11 bits > 10
}

TEST(SszDecode, FixedLists)
{
    uint64_t n = 0;
    EXPECT_EQ(check_fixed_list(bytes(64), 32, 2, n), Error::success);
    EXPECT_EQ(n, 2u);
    EXPECT_EQ(check_fixed_list(bytes(65), 32, 4, n), Error::list_size_not_multiple);
    EXPECT_EQ(check_fixed_list(bytes(96), 32, 2, n), Error::list_too_long);
}

TEST(SszDecode, Containers)
{
    // {a: uint16, b: variable, c: uint8, d: variable}: fixed part 2 + 4 + 1 + 4 = 11.
    const std::array<uint32_t, 4> sizes{2, 0, 1, 0};
    std::array<bytes_view, 4> f;
    const bytes good =
        cat({bytes{0x34, 0x12}, le32(11), bytes{7}, le32(13), bytes{0xaa, 0xbb}, bytes{0xcc}});
    ASSERT_EQ(split_container(good, sizes, f), Error::success);
    EXPECT_EQ(bytes(f[1].begin(), f[1].end()), (bytes{0xaa, 0xbb}));
    EXPECT_EQ(bytes(f[3].begin(), f[3].end()), (bytes{0xcc}));
    EXPECT_EQ(f[2][0], 7);

    EXPECT_EQ(split_container(bytes(10), sizes, f), Error::input_too_short);
    EXPECT_EQ(split_container(cat({bytes{0, 0}, le32(12), bytes{7}, le32(13), bytes(3)}), sizes, f),
        Error::first_offset_mismatch);
    EXPECT_EQ(split_container(cat({bytes{0, 0}, le32(10), bytes{7}, le32(13), bytes(3)}), sizes, f),
        Error::first_offset_mismatch);
    EXPECT_EQ(split_container(cat({bytes{0, 0}, le32(11), bytes{7}, le32(15), bytes(3)}), sizes, f),
        Error::offset_out_of_range);
    EXPECT_EQ(split_container(cat({bytes{0, 0}, le32(11), bytes{7}, le32(11), bytes(3)}), sizes, f),
        Error::success);  // an empty variable field
    std::array<uint32_t, 3> three{0, 0, 0};
    std::array<bytes_view, 3> g;
    EXPECT_EQ(split_container(cat({le32(12), le32(14), le32(13), bytes(4)}), three, g),
        Error::offset_not_monotonic);

    // All-fixed containers must be exactly their size (trailing bytes are an error).
    const std::array<uint32_t, 2> fixed{8, 1};
    std::array<bytes_view, 2> h;
    EXPECT_EQ(split_container(bytes(9), fixed, h), Error::success);
    EXPECT_EQ(split_container(bytes(10), fixed, h), Error::wrong_fixed_size);
    EXPECT_EQ(split_container(bytes(8), fixed, h), Error::input_too_short);
}

TEST(SszDecode, VariableLists)
{
    std::vector<bytes_view> items;
    EXPECT_EQ(split_list({}, 0, items), Error::success);
    EXPECT_TRUE(items.empty());
    const bytes two = cat({le32(8), le32(9), bytes{1}, bytes{2, 3}});
    ASSERT_EQ(split_list(two, 2, items), Error::success);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[1].size(), 2u);
    EXPECT_EQ(split_list(two, 1, items), Error::list_too_long);
    EXPECT_EQ(split_list(bytes{1, 2}, 4, items), Error::input_too_short);
    EXPECT_EQ(split_list(cat({le32(0)}), 4, items), Error::first_offset_mismatch);
    EXPECT_EQ(
        split_list(cat({le32(6), le32(7), bytes(2)}), 4, items), Error::first_offset_mismatch);
    EXPECT_EQ(split_list(cat({le32(12), le32(8)}), 4, items), Error::offset_out_of_range);
    EXPECT_EQ(split_list(cat({le32(8), le32(20), bytes(4)}), 4, items), Error::offset_out_of_range);
    EXPECT_EQ(split_list(cat({le32(12), le32(14), le32(13), bytes(4)}), 4, items),
        Error::offset_not_monotonic);
    // A huge first offset claims many elements: rejected before any allocation.
    EXPECT_EQ(
        split_list(cat({le32(0xfffffffc)}), uint64_t{1} << 40, items), Error::offset_out_of_range);
}

TEST(SszEncode, ByteListsRoundTrip)
{
    std::mt19937_64 rng{6};
    for (size_t n : {0, 1, 2, 17})
    {
        std::vector<bytes> storage;
        for (size_t i = 0; i < n; ++i)
            storage.push_back(random_bytes(rng, rng() % 50));
        std::vector<bytes_view> views(storage.begin(), storage.end());
        bytes enc;
        put_byte_lists(enc, views);
        EXPECT_EQ(enc.size(), byte_lists_size(views));
        std::vector<bytes_view> back;
        ASSERT_EQ(split_list(enc, n, back), Error::success);
        ASSERT_EQ(back.size(), n);
        for (size_t i = 0; i < n; ++i)
            EXPECT_TRUE(
                std::equal(back[i].begin(), back[i].end(), storage[i].begin(), storage[i].end()));
    }
}

// ---- StatelessInput codec --------------------------------------------------------------------

namespace
{
// Owns the byte strings a synthetic StatelessInput views.
struct Sample
{
    std::vector<bytes> storage;
    stateless::StatelessInput input;

    bytes_view keep(bytes b)
    {
        storage.push_back(std::move(b));
        return storage.back();
    }
};

std::unique_ptr<Sample> make_sample(
    SchemaVersion schema, Fork fork, uint64_t seed, size_t scale = 1)
{
    std::mt19937_64 rng{seed};
    auto s = std::make_unique<Sample>();
    s->storage.reserve(1000 * scale + 100);
    auto& in = s->input;
    in.schema = schema;
    in.fork = fork;
    in.chain_id = rng();
    auto& p = in.new_payload_request.execution_payload;
    p.parent_hash = random_hash(rng);
    p.fee_recipient = address::from(random_bytes(rng, 20));
    p.state_root = random_hash(rng);
    p.receipts_root = random_hash(rng);
    p.logs_bloom = bloom::from(random_bytes(rng, 256));
    p.prev_randao = random_hash(rng);
    p.block_number = rng();
    p.gas_limit = rng();
    p.gas_used = rng();
    p.timestamp = rng();
    p.extra_data = s->keep(random_bytes(rng, rng() % 33));
    p.base_fee_per_gas = random_hash(rng);
    p.block_hash = random_hash(rng);
    for (size_t i = 0, n = rng() % 5 * scale; i < n; ++i)
        p.transactions.push_back(s->keep(random_bytes(rng, rng() % 300)));
    const auto v = stateless::payload_version(fork);
    if (v >= stateless::PayloadVersion::v2)
        for (size_t i = 0, n = rng() % 4; i < n; ++i)
            p.withdrawals.push_back({rng(), rng(), address::from(random_bytes(rng, 20)), rng()});
    if (v >= stateless::PayloadVersion::v3)
    {
        p.blob_gas_used = rng();
        p.excess_blob_gas = rng();
    }
    if (v >= stateless::PayloadVersion::v4)
    {
        p.block_access_list = s->keep(random_bytes(rng, rng() % 500));
        p.slot_number = rng();
    }
    auto& npr = in.new_payload_request;
    if (stateless::has_blob_fields(fork))
    {
        for (size_t i = 0, n = rng() % 4; i < n; ++i)
            npr.versioned_hashes.push_back(random_hash(rng));
        npr.parent_beacon_block_root = random_hash(rng);
    }
    if (stateless::has_execution_requests(fork))
    {
        auto& r = npr.execution_requests;
        if (schema == SchemaVersion::zkevm_v0_3)
        {
            for (uint8_t t = 0; t < rng() % 4; ++t)
                r.raw.push_back(s->keep(cat({bytes{t}, random_bytes(rng, 76 * (1 + rng() % 3))})));
        }
        else
        {
            r.deposits = s->keep(random_bytes(rng, stateless::deposit_request_size * (rng() % 3)));
            r.withdrawals =
                s->keep(random_bytes(rng, stateless::withdrawal_request_size * (rng() % 3)));
            r.consolidations =
                s->keep(random_bytes(rng, stateless::consolidation_request_size * (rng() % 3)));
            if (fork >= Fork::amsterdam)
            {
                r.builder_deposits = s->keep(
                    random_bytes(rng, stateless::builder_deposit_request_size * (rng() % 3)));
                r.builder_exits =
                    s->keep(random_bytes(rng, stateless::builder_exit_request_size * (rng() % 3)));
            }
        }
    }
    for (size_t i = 0, n = 1 + rng() % 20 * scale; i < n; ++i)
        in.witness.state.push_back(s->keep(random_bytes(rng, rng() % 533)));
    for (size_t i = 0, n = rng() % 4 * scale; i < n; ++i)
        in.witness.codes.push_back(s->keep(random_bytes(rng, rng() % 2000)));
    for (size_t i = 0, n = 1 + rng() % 5; i < n; ++i)
        in.witness.headers.push_back(s->keep(random_bytes(rng, 500 + rng() % 100)));
    for (size_t i = 0; i < p.transactions.size(); ++i)
        in.public_keys.push_back(s->keep(random_bytes(rng, stateless::public_key_size)));
    return s;
}

const std::vector<Fork> all_forks{Fork::paris, Fork::shanghai, Fork::cancun, Fork::prague,
    Fork::osaka, Fork::bpo1, Fork::bpo2, Fork::amsterdam};

void expect_same_views(std::span<const bytes_view> a, std::span<const bytes_view> b)
{
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_TRUE(std::equal(a[i].begin(), a[i].end(), b[i].begin(), b[i].end())) << i;
}
}  // namespace

class StatelessInputRoundTrip : public ::testing::TestWithParam<std::pair<SchemaVersion, Fork>>
{
};

TEST_P(StatelessInputRoundTrip, EncodeDecodeEncodeIsIdentity)
{
    const auto [schema, fork] = GetParam();
    for (uint64_t seed = 0; seed < 20; ++seed)
    {
        const auto s = make_sample(schema, fork, seed);
        const bytes enc = stateless::encode_stateless_input(s->input);
        EXPECT_EQ(stateless::detect_schema(enc), schema);

        stateless::StatelessInput back;
        ASSERT_EQ(stateless::decode_stateless_input(enc, back), Error::success) << seed;
        EXPECT_EQ(back.schema, schema);
        EXPECT_EQ(back.fork, fork);
        EXPECT_EQ(back.chain_id, s->input.chain_id);
        const auto& p = s->input.new_payload_request.execution_payload;
        const auto& q = back.new_payload_request.execution_payload;
        EXPECT_EQ(q.parent_hash, p.parent_hash);
        EXPECT_EQ(q.fee_recipient, p.fee_recipient);
        EXPECT_EQ(q.logs_bloom, p.logs_bloom);
        EXPECT_EQ(q.timestamp, p.timestamp);
        EXPECT_EQ(q.base_fee_per_gas, p.base_fee_per_gas);
        EXPECT_EQ(q.withdrawals, p.withdrawals);
        EXPECT_EQ(q.blob_gas_used, p.blob_gas_used);
        EXPECT_EQ(q.slot_number, p.slot_number);
        expect_same_views(q.transactions, p.transactions);
        expect_same_views(back.witness.state, s->input.witness.state);
        expect_same_views(back.witness.codes, s->input.witness.codes);
        expect_same_views(back.witness.headers, s->input.witness.headers);
        expect_same_views(back.public_keys, s->input.public_keys);
        EXPECT_EQ(back.new_payload_request.versioned_hashes,
            s->input.new_payload_request.versioned_hashes);
        expect_same_views(back.new_payload_request.execution_requests.raw,
            s->input.new_payload_request.execution_requests.raw);
        EXPECT_EQ(stateless::encode_stateless_input(back), enc);
        EXPECT_EQ(stateless::new_payload_request_root(back),
            stateless::new_payload_request_root(s->input));
    }
}

INSTANTIATE_TEST_SUITE_P(AllShapes, StatelessInputRoundTrip,
    ::testing::Values(std::pair{SchemaVersion::zkevm_v0_3, Fork::amsterdam},
        std::pair{SchemaVersion::prefixed_r1, Fork::paris},
        std::pair{SchemaVersion::prefixed_r1, Fork::shanghai},
        std::pair{SchemaVersion::prefixed_r1, Fork::cancun},
        std::pair{SchemaVersion::prefixed_r1, Fork::prague},
        std::pair{SchemaVersion::prefixed_r1, Fork::osaka},
        std::pair{SchemaVersion::prefixed_r1, Fork::bpo1},
        std::pair{SchemaVersion::prefixed_r1, Fork::bpo2},
        std::pair{SchemaVersion::prefixed_r1, Fork::amsterdam}),
    [](const auto& info)
    {
        return std::string(info.param.first == SchemaVersion::zkevm_v0_3 ? "v0_3_" : "r1_") +
               std::string(stateless::to_string(info.param.second));
    });

TEST(StatelessInput, RootsCommitToThePayloadShape)
{
    // The same content under forks of different shapes gives different roots; Prague through
    // BPO2 share one shape (ElectraFulu), so their roots agree.
    const auto root = [](Fork f)
    {
        return stateless::new_payload_request_root(
            make_sample(SchemaVersion::prefixed_r1, f, 7)->input);
    };
    const std::vector<hash256> distinct{root(Fork::paris), root(Fork::shanghai), root(Fork::cancun),
        root(Fork::prague), root(Fork::amsterdam)};
    for (size_t i = 0; i < distinct.size(); ++i)
        for (size_t j = i + 1; j < distinct.size(); ++j)
            EXPECT_NE(distinct[i], distinct[j]) << i << " " << j;
    EXPECT_EQ(root(Fork::osaka), root(Fork::prague));
    EXPECT_EQ(root(Fork::bpo1), root(Fork::prague));
    EXPECT_EQ(root(Fork::bpo2), root(Fork::prague));
}

TEST(StatelessInput, SchemaDetection)
{
    EXPECT_EQ(stateless::detect_schema(bytes{0x15, 0x01, 0, 0}), SchemaVersion::prefixed_r1);
    EXPECT_EQ(stateless::detect_schema(bytes{0x0e, 0x01}), SchemaVersion::prefixed_r1);
    EXPECT_EQ(stateless::detect_schema(bytes{0x14, 0x00, 0x00, 0x00}), SchemaVersion::zkevm_v0_3);
    EXPECT_EQ(stateless::detect_schema(bytes{0x16, 0x01, 0, 0}), std::nullopt);  // unknown fork
    EXPECT_EQ(stateless::detect_schema(bytes{0x15, 0x02, 0, 0}), std::nullopt);  // unknown revision
    EXPECT_EQ(stateless::detect_schema(bytes{}), std::nullopt);
    stateless::StatelessInput out;
    EXPECT_EQ(
        stateless::decode_stateless_input(bytes{0x16, 0x01, 0, 0}, out), Error::unknown_schema);
    EXPECT_EQ(stateless::decode_stateless_input(bytes{0x16, 0x01}, SchemaVersion::prefixed_r1, out),
        Error::unknown_schema);
    EXPECT_EQ(stateless::decode_stateless_input(bytes{0x15}, SchemaVersion::prefixed_r1, out),
        Error::input_too_short);
}

TEST(StatelessInput, EveryTruncationIsAnError)
{
    for (const auto& [schema, fork] : {std::pair{SchemaVersion::zkevm_v0_3, Fork::amsterdam},
             std::pair{SchemaVersion::prefixed_r1, Fork::prague}})
    {
        // Without public keys the last offset points at the very end, so every strict prefix
        // breaks an offset (a trailing variable-size key could otherwise be cut validly).
        auto s = make_sample(schema, fork, 11);
        s->input.public_keys.clear();
        const bytes enc = stateless::encode_stateless_input(s->input);
        stateless::StatelessInput out;
        for (size_t n = 0; n < enc.size(); ++n)
            EXPECT_NE(stateless::decode_stateless_input(bytes_view{enc}.first(n), schema, out),
                Error::success)
                << n;
    }
}

TEST(StatelessInput, MutatedInputsDecodeCanonicallyOrFail)
{
    // Strict SSZ decoding is injective: whatever a mutated input decodes to re-encodes to the
    // same bytes; everything else is a typed error (run under ASan/UBSan: no crash, no OOB).
    std::mt19937_64 rng{12};
    size_t decoded = 0, rejected = 0;
    for (const auto& [schema, fork] : {std::pair{SchemaVersion::zkevm_v0_3, Fork::amsterdam},
             std::pair{SchemaVersion::prefixed_r1, Fork::cancun},
             std::pair{SchemaVersion::prefixed_r1, Fork::amsterdam}})
    {
        const auto s = make_sample(schema, fork, 13);
        const bytes enc = stateless::encode_stateless_input(s->input);
        for (int iter = 0; iter < 3000; ++iter)
        {
            bytes m = enc;
            const int kind = static_cast<int>(rng() % 3);
            const size_t at = rng() % m.size();
            if (kind == 0)
                m[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
            else if (kind == 1)
                m[at] = static_cast<uint8_t>(rng());
            else  // an offset-sized word anywhere set to a nearby or wild value
            {
                const size_t w = at & ~size_t{3};
                if (w + 4 <= m.size())
                    store_le(m.data() + w,
                        (rng() % 2) ? load_le(m.data() + w, 4) + (rng() % 9) - 4 : rng(), 4);
            }
            stateless::StatelessInput out;
            const Error e = stateless::decode_stateless_input(m, schema, out);
            if (e == Error::success)
            {
                ++decoded;
                EXPECT_EQ(stateless::encode_stateless_input(out), m);
                (void)stateless::new_payload_request_root(out);
            }
            else
                ++rejected;
        }
    }
    EXPECT_GT(decoded, 0u);
    EXPECT_GT(rejected, 0u);
}

TEST(StatelessInput, LimitsAreEnforced)
{
    // v0.3: extra_data > 32 bytes, > 256 headers, a header > 1 KiB, a public key > 65 bytes.
    auto s = make_sample(SchemaVersion::zkevm_v0_3, Fork::amsterdam, 21);
    stateless::StatelessInput out;
    const bytes big_extra(33, 1);
    s->input.new_payload_request.execution_payload.extra_data = big_extra;
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::byte_list_too_long);

    s = make_sample(SchemaVersion::zkevm_v0_3, Fork::amsterdam, 21);
    const bytes header(100, 2);
    s->input.witness.headers.assign(257, header);
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::list_too_long);
    s->input.witness.headers.assign(256, header);
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::success);
    const bytes big_header(1025, 3);
    s->input.witness.headers.assign(1, big_header);
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::byte_list_too_long);

    s = make_sample(SchemaVersion::zkevm_v0_3, Fork::amsterdam, 21);
    const bytes big_key(66, 4);
    s->input.public_keys.assign(1, big_key);
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::byte_list_too_long);

    // r1: public keys are Bytes65 vectors: a list of 66 bytes is not a whole number of keys.
    s = make_sample(SchemaVersion::prefixed_r1, Fork::osaka, 22);
    s->input.public_keys.assign(1, big_key);
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::list_size_not_multiple);
    // r1: a deposit list that is not a whole number of 192-byte deposits.
    s = make_sample(SchemaVersion::prefixed_r1, Fork::osaka, 22);
    const bytes partial(191, 5);
    s->input.new_payload_request.execution_requests.deposits = partial;
    EXPECT_EQ(stateless::decode_stateless_input(stateless::encode_stateless_input(s->input), out),
        Error::list_size_not_multiple);
}

TEST(StatelessValidationResult, EncodingsAndBooleans)
{
    stateless::StatelessValidationResult r;
    r.new_payload_request_root.bytes[0] = 0xaa;
    r.successful_validation = true;
    r.chain_id = 1;
    r.schema_id = stateless::schema_id(Fork::amsterdam);
    const bytes v03 = stateless::encode_validation_result(r, SchemaVersion::zkevm_v0_3);
    EXPECT_EQ(v03.size(), stateless::result_size_v0_3);
    EXPECT_EQ(to_hex(v03), "aa" + std::string(62, '0') + "01" + "0100000000000000");
    const bytes r1 = stateless::encode_validation_result(r, SchemaVersion::prefixed_r1);
    EXPECT_EQ(r1.size(), stateless::result_size_r1);
    EXPECT_EQ(to_hex(r1).substr(82), "0115");  // uint16 0x1501, little-endian
    stateless::StatelessValidationResult back;
    ASSERT_EQ(
        stateless::decode_validation_result(r1, SchemaVersion::prefixed_r1, back), Error::success);
    EXPECT_EQ(back, r);
    bytes bad = v03;
    bad[32] = 2;
    EXPECT_EQ(stateless::decode_validation_result(bad, SchemaVersion::zkevm_v0_3, back),
        Error::invalid_bool);
    EXPECT_EQ(stateless::decode_validation_result(r1, SchemaVersion::zkevm_v0_3, back),
        Error::wrong_fixed_size);
    EXPECT_EQ(stateless::decode_validation_result(v03, SchemaVersion::prefixed_r1, back),
        Error::input_too_short);
}

TEST(StatelessInput, PrefixedRootsMatchPublishedReferenceVectors)
{
    // paradigmxyz/stateless (tests-zkevm@v0.8.2 schema) new_payload_request.rs,
    // progressive_container_roots_match_reference_vectors: its payload_v1..v4 and request
    // containers, rebuilt here field by field.
    const auto filled = [](size_t n, uint8_t b) { return bytes(n, b); };
    const bytes extra = filled(7, 0xee), tx = filled(8, 0xdd), bal = filled(33, 0xba);
    const auto le8 = [](uint64_t v)
    {
        bytes b(8);
        store_le(b.data(), v, 8);
        return b;
    };
    const bytes deposit = cat({filled(48, 1), filled(32, 2), le8(3), filled(96, 4), le8(5)});
    const bytes withdrawal_request = cat({filled(20, 1), filled(48, 2), le8(3)});
    const bytes consolidation = cat({filled(20, 1), filled(48, 2), filled(48, 3)});
    const bytes builder_deposit = cat({filled(48, 1), filled(32, 2), le8(3), filled(96, 4)});
    const bytes builder_exit = cat({filled(20, 1), filled(48, 2)});

    const auto input = [&](Fork fork)
    {
        stateless::StatelessInput in;
        in.schema = SchemaVersion::prefixed_r1;
        in.fork = fork;
        auto& p = in.new_payload_request.execution_payload;
        p.parent_hash = hash256::from(filled(32, 1));
        p.fee_recipient = address::from(filled(20, 2));
        p.state_root = hash256::from(filled(32, 3));
        p.receipts_root = hash256::from(filled(32, 4));
        p.logs_bloom = bloom::from(filled(256, 5));
        p.prev_randao = hash256::from(filled(32, 6));
        p.block_number = 100;
        p.gas_limit = 30'000'000;
        p.gas_used = 21'000;
        p.timestamp = 1'700'000'000;
        p.extra_data = extra;
        p.base_fee_per_gas = hash256::from(filled(32, 7));
        p.block_hash = hash256::from(filled(32, 8));
        p.transactions = {tx};
        if (fork >= Fork::shanghai)
            p.withdrawals = {{1, 2, address::from(filled(20, 3)), 4}};
        if (fork >= Fork::cancun)
        {
            p.blob_gas_used = 131'072;
            p.excess_blob_gas = 262'144;
            in.new_payload_request.versioned_hashes = {hash256::from(filled(32, 9))};
            in.new_payload_request.parent_beacon_block_root = hash256::from(filled(32, 10));
        }
        if (fork >= Fork::prague)
        {
            auto& r = in.new_payload_request.execution_requests;
            r.deposits = deposit;
            r.withdrawals = withdrawal_request;
            r.consolidations = consolidation;
            if (fork >= Fork::amsterdam)
            {
                r.builder_deposits = builder_deposit;
                r.builder_exits = builder_exit;
            }
        }
        if (fork >= Fork::amsterdam)
        {
            p.block_access_list = bal;
            p.slot_number = 42;
        }
        return in;
    };
    const auto h = [](const char* hex) { return *fixed_from_hex<32>(hex); };
    const hash256 payload_v3 =
        h("b9ccbb429059770fb1c3796aa98dc5d5df321b6226d46ed14203cfe8df186834");
    const hash256 payload_v4 =
        h("fc49b59feaa0a2877a26f64bf9e6e30c3848c32c6c2ffa6ca4943a57d640f753");
    const hash256 requests_electra =
        h("56dff976fcc8547491480bb0c68c391852c66410c1768707a851c5038047b78f");
    const hash256 requests_gloas =
        h("0304da3c1bcc50b26b9d6408ea98648962bde84bc81f5d50d645f2b3dcc0e9b0");
    const hash256 vh = htr_progressive_list_of_roots(std::vector{hash256::from(filled(32, 9))});
    const hash256 pbbr = hash256::from(filled(32, 10));

    // A one-field container's root is its field's root: Paris/Shanghai give the payload roots.
    EXPECT_EQ(to_hex(stateless::new_payload_request_root(input(Fork::paris))),
        "7607fcf862b0f219726ad51d8651d49a9bbbe12fb62edaacd399c25db92b8d77");
    EXPECT_EQ(to_hex(stateless::new_payload_request_root(input(Fork::shanghai))),
        "2e3ce606be3d7aa667c2babf22196711f68b45bea6716c6446ec5dce4bd39449");
    EXPECT_EQ(stateless::new_payload_request_root(input(Fork::cancun)),
        htr_container(std::vector{payload_v3, vh, pbbr}));
    for (Fork f : {Fork::prague, Fork::osaka, Fork::bpo1, Fork::bpo2})
        EXPECT_EQ(stateless::new_payload_request_root(input(f)),
            htr_container(std::vector{payload_v3, vh, pbbr, requests_electra}));
    EXPECT_EQ(stateless::new_payload_request_root(input(Fork::amsterdam)),
        htr_container(std::vector{payload_v4, vh, pbbr, requests_gloas}));
}

TEST(SszRoots, ProgressiveListsMatchPublishedReferenceVectors)
{
    // paradigmxyz/stateless input.rs, progressive_witness_and_public_key_roots_match_reference_
    // vectors: ProgressiveList[ByteList[1024]] of one 3-byte node, ProgressiveList[ByteList[2^16]]
    // of one 5-byte code, ProgressiveList[Bytes65] of one key.
    const bytes node(3, 0xaa), code(5, 0xbb), key(65, 0xcc);
    EXPECT_EQ(to_hex(htr_progressive_list_of_roots(std::vector{htr_byte_list(node, 1024)})),
        "8a25ed609796eeb1a5d772d19d1e9236b069e0dc2c9fc1f5db166e73c0e7d5fc");
    EXPECT_EQ(to_hex(htr_progressive_list_of_roots(std::vector{htr_byte_list(code, 1 << 16)})),
        "a547789a596b86c52d812f5e04a9375ad0030c486748e04eb80ae80fc7a93e9c");
    EXPECT_EQ(to_hex(htr_progressive_list_of_roots(std::vector{htr_byte_vector(key)})),
        "4c4b20e8ab80e7c80dc192092e936a59dd856cb8fa3f7e73b1e05e552fa0f783");
}

TEST(StatelessInput, ExecutionRequestsList)
{
    // Prefixed: typed lists become `type ‖ data`, ascending, empty ones omitted.
    auto s = make_sample(SchemaVersion::prefixed_r1, Fork::amsterdam, 31);
    auto& r = s->input.new_payload_request.execution_requests;
    const bytes w = cat({bytes(20, 1), bytes(48, 2), bytes(8, 3)});
    const bytes x = cat({bytes(20, 4), bytes(48, 5)});
    r = {};
    r.withdrawals = w;
    r.builder_exits = x;
    auto list = stateless::execution_requests_list(s->input);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0], cat({bytes{0x01}, w}));
    EXPECT_EQ(list[1], cat({bytes{0x04}, x}));
    // Builder requests exist only from Amsterdam; nothing at all before Prague.
    s->input.fork = Fork::osaka;
    r.builder_exits = {};
    EXPECT_EQ(stateless::execution_requests_list(s->input).size(), 1u);
    s->input.fork = Fork::cancun;
    EXPECT_TRUE(stateless::execution_requests_list(s->input).empty());
    // v0.3 carries the list itself.
    auto v = make_sample(SchemaVersion::zkevm_v0_3, Fork::amsterdam, 32);
    const bytes e0 = cat({bytes{0x00}, bytes(192, 7)});
    v->input.new_payload_request.execution_requests.raw = {e0};
    list = stateless::execution_requests_list(v->input);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0], e0);
}
