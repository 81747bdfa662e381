// Primitives: secp256k1 recovery (ours vs libsecp256k1), MPT root of 10,000 entries, RLP
// decoding. Run: build/bench/primitives/bench_primitives
#include <benchmark/benchmark.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/trie/trie.hpp>

#include <random>
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
