// Primitives: secp256k1 recovery (ours vs libsecp256k1), MPT root of 10,000 entries, RLP
// decoding. Run: build/bench/primitives/bench_primitives
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <random>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/modexp.hpp>
#include <stateless/crypto/p256.hpp>
#include <stateless/crypto/ripemd160.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/trie/trie.hpp>
#include <vector>

using namespace stele;

namespace
{
struct SigCase
{
    hash256 msg;
    uint8_t sig[64];
    int recid;
};

std::vector<SigCase> make_sigs(size_t n)
{
    auto* ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN);
    std::mt19937_64 rng{42};
    std::vector<SigCase> v(n);
    for (auto& c : v)
    {
        uint8_t key[32];
        do
            for (auto& b : key)
                b = static_cast<uint8_t>(rng());
        while (!secp256k1_ec_seckey_verify(ctx, key));
        for (auto& b : c.msg.bytes)
            b = static_cast<uint8_t>(rng());
        secp256k1_ecdsa_recoverable_signature rs;
        secp256k1_ecdsa_sign_recoverable(ctx, &rs, c.msg.bytes, key, nullptr, nullptr);
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, c.sig, &c.recid, &rs);
    }
    secp256k1_context_destroy(ctx);
    return v;
}

void secp256k1_recover_stele(benchmark::State& state)
{
    const auto sigs = make_sigs(64);
    size_t i = 0;
    for (auto _ : state)
    {
        const auto& c = sigs[i++ % sigs.size()];
        auto r = crypto::secp256k1_recover(c.msg, c.sig, static_cast<uint8_t>(c.recid));
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(secp256k1_recover_stele);

void secp256k1_recover_libsecp256k1(benchmark::State& state)
{
    const auto sigs = make_sigs(64);
    auto* ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
    size_t i = 0;
    for (auto _ : state)
    {
        const auto& c = sigs[i++ % sigs.size()];
        secp256k1_ecdsa_recoverable_signature s;
        secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &s, c.sig, c.recid);
        secp256k1_pubkey pk;
        benchmark::DoNotOptimize(secp256k1_ecdsa_recover(ctx, &pk, &s, c.msg.bytes));
        uint8_t out[65];
        size_t len = 65;
        secp256k1_ec_pubkey_serialize(ctx, out, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
        benchmark::DoNotOptimize(out);
    }
    secp256k1_context_destroy(ctx);
}
BENCHMARK(secp256k1_recover_libsecp256k1);

void mpt_root_10k(benchmark::State& state)
{
    std::mt19937_64 rng{1};
    std::vector<bytes> keys(10000), values(10000);
    for (size_t i = 0; i < keys.size(); ++i)
    {
        keys[i].resize(32);
        for (auto& b : keys[i])
            b = static_cast<uint8_t>(rng());
        values[i].resize(1 + rng() % 80);
        for (auto& b : values[i])
            b = static_cast<uint8_t>(rng());
    }
    std::vector<trie::KeyValue> kv;
    for (size_t i = 0; i < keys.size(); ++i)
        kv.push_back({keys[i], values[i]});
    for (auto _ : state)
        benchmark::DoNotOptimize(trie::trie_root(kv));
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kv.size()));
}
BENCHMARK(mpt_root_10k)->Unit(benchmark::kMillisecond);

void rlp_decode_block_like(benchmark::State& state)
{
    // 200 legacy-transaction-shaped lists inside one list.
    bytes enc;
    rlp::Encoder e{enc};
    const auto outer = e.begin_list();
    std::mt19937_64 rng{2};
    for (int i = 0; i < 200; ++i)
    {
        const auto m = e.begin_list();
        e.u64(rng() % 1000).u64(rng()).u64(21000);
        bytes to(20), data(rng() % 200);
        e.string(to).u64(rng()).string(data).u64(37);
        bytes r(32, 0x11), s(32, 0x22);
        e.string(r).string(s);
        e.end_list(m);
    }
    e.end_list(outer);
    for (auto _ : state)
    {
        rlp::Decoder d{enc};
        auto l = d.list();
        uint64_t sum = 0;
        while (!l.at_end())
        {
            auto tx = l.list();
            sum += tx.u64() + tx.u64() + tx.u64();
            (void)tx.fixed<20>();
            sum += tx.u64();
            sum += tx.string().size();
            sum += tx.u64();
            (void)tx.uint_be(32);
            (void)tx.uint_be(32);
            tx.finish();
        }
        d.finish();
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * enc.size()));
}
BENCHMARK(rlp_decode_block_like);

void secp256k1_verify_stele(benchmark::State& state)
{
    const auto sigs = make_sigs(16);
    std::vector<crypto::Secp256k1Pubkey> keys;
    for (const auto& c : sigs)
        keys.push_back(*crypto::secp256k1_recover(c.msg, c.sig, static_cast<uint8_t>(c.recid)));
    size_t i = 0;
    for (auto _ : state)
    {
        const size_t k = i++ % sigs.size();
        benchmark::DoNotOptimize(crypto::secp256k1_verify(sigs[k].msg, sigs[k].sig, keys[k]));
    }
}
BENCHMARK(secp256k1_verify_stele);

void p256_verify_stele(benchmark::State& state)
{
    // The generator as the key with an arbitrary (invalid) signature: the full computation runs.
    const uint8_t g[64] = {0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
        0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39,
        0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7,
        0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb,
        0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5};
    uint8_t h[32], r[32], s[32];
    for (int i = 0; i < 32; ++i)
    {
        h[i] = static_cast<uint8_t>(i * 3 + 1);
        r[i] = static_cast<uint8_t>(i * 5 + 2);
        s[i] = static_cast<uint8_t>(i * 7 + 3);
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(crypto::p256_verify(h, r, s, g, g + 32));
}
BENCHMARK(p256_verify_stele);

void modexp_256(benchmark::State& state)
{
    std::mt19937_64 rng{5};
    bytes b(32), e(32), m(32), out;
    for (size_t i = 0; i < 32; ++i)
    {
        b[i] = static_cast<uint8_t>(rng());
        e[i] = static_cast<uint8_t>(rng());
        m[i] = static_cast<uint8_t>(rng());
    }
    m[31] |= 1;
    for (auto _ : state)
    {
        crypto::modexp(b, e, m, out);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(modexp_256);

void ripemd160_1k(benchmark::State& state)
{
    const bytes data(1024, 0x5a);
    for (auto _ : state)
        benchmark::DoNotOptimize(crypto::ripemd160(data));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(ripemd160_1k);

void sparse_trie_update(benchmark::State& state)
{
    // A 10,000-entry trie as witness nodes; 200 updates through a sparse view + new root.
    std::mt19937_64 rng{3};
    std::vector<bytes> keys(10000);
    trie::Trie full;
    for (auto& k : keys)
    {
        k.resize(32);
        for (auto& b : k)
            b = static_cast<uint8_t>(rng());
        const bytes v(40, static_cast<uint8_t>(rng()));
        (void)full.put(k, v);
    }
    hash256 root;
    (void)full.root_hash(root);
    std::vector<bytes> nodes;
    (void)full.collect_nodes(nodes);
    trie::NodeStore store;
    for (const auto& n : nodes)
        (void)store.add(n);
    const bytes nv(40, 0x77);
    for (auto _ : state)
    {
        trie::Trie t{&store, root};
        for (int i = 0; i < 200; ++i)
            (void)t.put(keys[static_cast<size_t>(i) * 37], nv);
        hash256 r;
        benchmark::DoNotOptimize(t.root_hash(r));
    }
}
BENCHMARK(sparse_trie_update)->Unit(benchmark::kMicrosecond);

void keccakf1600_bench(benchmark::State& state)
{
    uint64_t st[25] = {};
    for (auto _ : state)
    {
        keccakf1600(st);
        benchmark::DoNotOptimize(st);
    }
}
BENCHMARK(keccakf1600_bench);
}  // namespace
