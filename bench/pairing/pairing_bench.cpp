// Native timings of the pairing-curve precompiles (input bytes → output), including decoding,
// on-curve and subgroup checks.
#include <benchmark/benchmark.h>

#include "inputs.hpp"

using namespace stele;
using namespace stele::crypto;

using namespace stele::bench::pairing;

namespace
{
void run(benchmark::State& state, PrecompileResult (*f)(bytes_view), const bytes& in)
{
    if (!f(in).success)
    {
        state.SkipWithError("precompile failed on the benchmark input");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(f(in));
}

void bn254_pairing_2(benchmark::State& s)
{
    run(s, bn254_pairing, bn254_two_pairs());
}
void bls12_pairing_2(benchmark::State& s)
{
    run(s, bls12_pairing, bls_two_pairs());
}
void bls12_g1msm_64(benchmark::State& s)
{
    run(s, bls12_g1msm, bls_g1_msm_input(64));
}
void kzg_point_evaluation_1(benchmark::State& s)
{
    run(s, kzg_point_evaluation, kzg_input());
}
void bn254_mul_1(benchmark::State& s)
{
    run(s, crypto::bn254_mul, bn254_mul_input());
}
void bls12_map_fp2_to_g2_1(benchmark::State& s)
{
    run(s, bls12_map_fp2_to_g2, bls12_map_fp2_input());
}
}  // namespace

BENCHMARK(bn254_pairing_2)->Unit(benchmark::kMicrosecond);
BENCHMARK(bls12_pairing_2)->Unit(benchmark::kMicrosecond);
BENCHMARK(bls12_g1msm_64)->Unit(benchmark::kMicrosecond);
BENCHMARK(kzg_point_evaluation_1)->Unit(benchmark::kMicrosecond);
BENCHMARK(bn254_mul_1)->Unit(benchmark::kMicrosecond);
BENCHMARK(bls12_map_fp2_to_g2_1)->Unit(benchmark::kMicrosecond);
