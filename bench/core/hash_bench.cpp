// Native hashing throughput: Keccak-256 and SHA-256 at the sizes the engine hashes most
// (32 B keys/slots, 1 KiB trie nodes/code).
#include <benchmark/benchmark.h>

#include <stateless/core/keccak.hpp>
#include <stateless/crypto/sha256.hpp>

namespace
{
void keccak256(benchmark::State& state)
{
    const stele::bytes data(static_cast<size_t>(state.range(0)), 0xa5);
    for (auto _ : state)
        benchmark::DoNotOptimize(stele::keccak256(data));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(keccak256)->Arg(32)->Arg(1024);

void keccakf1600(benchmark::State& state)
{
    uint64_t st[25] = {};
    for (auto _ : state)
    {
        stele::keccakf1600(st);
        benchmark::DoNotOptimize(st);
    }
}
BENCHMARK(keccakf1600);

void sha256(benchmark::State& state)
{
    const stele::bytes data(static_cast<size_t>(state.range(0)), 0xa5);
    for (auto _ : state)
        benchmark::DoNotOptimize(stele::crypto::sha256(data));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(sha256)->Arg(32)->Arg(1024);
}  // namespace
