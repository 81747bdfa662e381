// The engine's primitives behave identically on RV64IM: the prim_vectors guest runs under
// qemu-riscv64 on random vectors, and its output must equal the host engine's on the same input.
#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <random>
#include <stateless/core/hex.hpp>
#include <tests/guest/prim_dispatch.hpp>

using namespace stele;
namespace pv = stele::prim_vectors;

namespace
{
struct Builder
{
    bytes in;
    size_t records = 0;
    void add(uint8_t op, bytes_view payload)
    {
        in.push_back(op);
        const auto n = static_cast<uint32_t>(payload.size());
        for (int i = 0; i < 4; ++i)
            in.push_back(static_cast<uint8_t>(n >> (8 * i)));
        in.insert(in.end(), payload.begin(), payload.end());
        ++records;
    }
};

bytes rnd(std::mt19937_64& rng, size_t n)
{
    bytes b(n);
    for (auto& x : b)
        x = static_cast<uint8_t>(rng());
    return b;
}

void put_kv(bytes& p, bytes_view k, bytes_view v)
{
    p.push_back(static_cast<uint8_t>(k.size()));
    p.insert(p.end(), k.begin(), k.end());
    p.push_back(static_cast<uint8_t>(v.size()));
    p.push_back(static_cast<uint8_t>(v.size() >> 8));
    p.insert(p.end(), v.begin(), v.end());
}

bytes build_vectors(uint64_t seed)
{
    std::mt19937_64 rng{seed};
    Builder b;
    auto* ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN);
    for (int i = 0; i < 40; ++i)
        b.add(pv::op_keccak, rnd(rng, rng() % 400));
    for (int i = 0; i < 40; ++i)
    {
        b.add(pv::op_sha256, rnd(rng, rng() % 300));
        b.add(pv::op_ripemd160, rnd(rng, rng() % 300));
    }
    for (int i = 0; i < 30; ++i)
    {
        // Real signatures (and a few corrupted ones) for ecrecover and verify.
        uint8_t key[32];
        do
            for (auto& x : key)
                x = static_cast<uint8_t>(rng());
        while (!secp256k1_ec_seckey_verify(ctx, key));
        bytes msg = rnd(rng, 32);
        secp256k1_ecdsa_recoverable_signature rs;
        EXPECT_EQ(secp256k1_ecdsa_sign_recoverable(ctx, &rs, msg.data(), key, nullptr, nullptr), 1);
        uint8_t sig[64];
        int recid = 0;
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, sig, &recid, &rs);
        if (i % 5 == 4)
            sig[rng() % 64] ^= 0x40;
        bytes input(msg);
        input.resize(64, 0);
        input[63] = static_cast<uint8_t>(27 + recid);
        input.insert(input.end(), sig, sig + 64);
        b.add(pv::op_ecrecover, input);
        secp256k1_pubkey pk;
        EXPECT_EQ(secp256k1_ec_pubkey_create(ctx, &pk, key), 1);
        uint8_t ser[65];
        size_t len = 65;
        secp256k1_ec_pubkey_serialize(ctx, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
        bytes v(msg);
        v.insert(v.end(), sig, sig + 64);
        v.insert(v.end(), ser + 1, ser + 65);
        b.add(pv::op_secp_verify, v);
    }
    for (int i = 0; i < 40; ++i)
    {
        const size_t bl = rng() % 70, el = rng() % 20, ml = rng() % 70;
        bytes p(96, 0);
        p[31] = static_cast<uint8_t>(bl);
        p[63] = static_cast<uint8_t>(el);
        p[95] = static_cast<uint8_t>(ml);
        const auto data = rnd(rng, bl + el + ml);
        p.insert(p.end(), data.begin(), data.end());
        b.add(pv::op_modexp, p);
    }
    for (int i = 0; i < 10; ++i)
    {
        bytes p = rnd(rng, 213);
        p[0] = p[1] = 0;
        p[2] = static_cast<uint8_t>(rng() % 2);    // up to 511 rounds
        p[212] = static_cast<uint8_t>(rng() % 3);  // 2 is invalid
        b.add(pv::op_blake2f, p);
    }
    for (int i = 0; i < 10; ++i)
    {
        // Random (mostly invalid) P-256 inputs plus one valid-looking key: exercises the
        // range and curve checks and, for on-curve keys, the full verification.
        bytes p = rnd(rng, 160);
        if (i % 2 == 0)
        {
            // The generator as the key: on the curve.
            const auto g = from_hex(
                "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")
                               .value();
            std::memcpy(p.data() + 96, g.data(), 64);
        }
        b.add(pv::op_p256verify, p);
    }
    for (int i = 0; i < 100; ++i)
    {
        bytes r = rnd(rng, 1 + rng() % 40);
        if (i % 2)
            r[0] = static_cast<uint8_t>(0xc0 + rng() % 64);
        b.add(pv::op_rlp_validate, r);
    }
    // Tries: a full root, then a sparse update over the full trie's nodes.
    for (int t = 0; t < 6; ++t)
    {
        std::vector<std::pair<bytes, bytes>> kv;
        for (int i = 0; i < 60; ++i)
            kv.emplace_back(rnd(rng, t % 2 ? 32 : 1 + rng() % 3), rnd(rng, 1 + rng() % 50));
        bytes p;
        trie::Trie full;
        for (const auto& [k, v] : kv)
        {
            put_kv(p, k, v);
            (void)full.put(k, v);
        }
        b.add(pv::op_trie_root, p);
        hash256 root;
        (void)full.root_hash(root);
        std::vector<bytes> nodes;
        (void)full.collect_nodes(nodes);
        if (t == 5)
            nodes.erase(nodes.begin() + 1);  // a missing node: the typed error must match too
        bytes s(root.begin(), root.end());
        s.push_back(static_cast<uint8_t>(nodes.size()));
        s.push_back(static_cast<uint8_t>(nodes.size() >> 8));
        for (const auto& n : nodes)
        {
            s.push_back(static_cast<uint8_t>(n.size()));
            s.push_back(static_cast<uint8_t>(n.size() >> 8));
            s.insert(s.end(), n.begin(), n.end());
        }
        for (int i = 0; i < 30; ++i)
        {
            const auto& k = kv[rng() % kv.size()].first;
            put_kv(s, k, i % 3 == 0 ? bytes{} : rnd(rng, 1 + rng() % 40));  // erase or update
        }
        b.add(pv::op_sparse_update, s);
    }
    secp256k1_context_destroy(ctx);
    return b.in;
}
}  // namespace

TEST(PrimitivesOnRv64im, SameResultsAsHost)
{
    const std::string q = stele::test::qemu();
    ASSERT_FALSE(q.empty()) << "qemu-riscv64 not found: run scripts/setup";
    for (uint64_t seed : {1, 2})
    {
        const auto input = build_vectors(seed);
        bytes want;
        ASSERT_TRUE(pv::run(input, want));
        const auto r = stele::test::run_process(
            {q, stele::test::guest_elf("tests/guest", "prim_vectors", "linux")},
            std::string{input.begin(), input.end()}, std::chrono::seconds{300});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const bytes got{r.out.begin(), r.out.end()};
        ASSERT_EQ(got.size(), want.size());
        // Locate the first differing record for a readable failure.
        size_t pos = 0, record = 0;
        while (pos + 4 <= want.size())
        {
            const uint32_t len = pv::rd32(want.data() + pos);
            ASSERT_TRUE(std::equal(want.begin() + static_cast<std::ptrdiff_t>(pos),
                want.begin() + static_cast<std::ptrdiff_t>(pos + 4 + len),
                got.begin() + static_cast<std::ptrdiff_t>(pos)))
                << "record " << record << " differs (seed " << seed << ")";
            pos += 4 + len;
            ++record;
        }
        EXPECT_EQ(pos, want.size());

        // The vectors exercise real work, not only failure paths.
        size_t in_pos = 0, out_pos = 0, recovered = 0, verified = 0, sparse_ok = 0,
               sparse_missing = 0;
        while (in_pos < input.size())
        {
            const uint8_t op = input[in_pos];
            in_pos += 5 + pv::rd32(input.data() + in_pos + 1);
            const uint32_t len = pv::rd32(want.data() + out_pos);
            const uint8_t* res = want.data() + out_pos + 4;
            out_pos += 4 + len;
            recovered += op == pv::op_ecrecover && len == 33;
            verified += op == pv::op_secp_verify && res[0] == 1;
            sparse_ok += op == pv::op_sparse_update && res[0] == 0;
            sparse_missing += op == pv::op_sparse_update && res[0] == 1;
        }
        EXPECT_GE(recovered, 24u);
        EXPECT_GE(verified, 20u);
        EXPECT_EQ(sparse_ok, 5u);
        EXPECT_EQ(sparse_missing, 1u);
    }
}

TEST(PrimitivesOnRv64im, MalformedInputAborts)
{
    const std::string q = stele::test::qemu();
    ASSERT_FALSE(q.empty());
    const auto r = stele::test::run_process(
        {q, stele::test::guest_elf("tests/guest", "prim_vectors", "linux")}, std::string{"\x63xx"});
    EXPECT_EQ(r.exit_code, 134);
}
