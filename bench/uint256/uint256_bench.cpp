// Micro benchmarks of uint256 mul and div (the EVM's MUL/DIV/MULMOD hot paths).
#include <benchmark/benchmark.h>

#include <random>
#include <stateless/core/uint256.hpp>
#include <vector>

namespace
{
std::vector<stele::uint256> inputs(unsigned words, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::vector<stele::uint256> v(1024);
    for (auto& x : v)
        for (unsigned i = 0; i < words; ++i)
            x.w[i] = rng() | (i + 1 == words ? 1ull << 63 : 0);
    return v;
}

void mul(benchmark::State& state)
{
    const auto a = inputs(4, 1), b = inputs(4, 2);
    size_t i = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(a[i] * b[i]);
        i = (i + 1) & 1023;
    }
}
BENCHMARK(mul);

void div(benchmark::State& state)
{
    const auto a = inputs(4, 3), b = inputs(static_cast<unsigned>(state.range(0)), 4);
    size_t i = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(stele::udivrem(a[i], b[i]));
        i = (i + 1) & 1023;
    }
}
BENCHMARK(div)->Arg(1)->Arg(2)->Arg(3)->Arg(4);

void mulmod(benchmark::State& state)
{
    const auto a = inputs(4, 5), b = inputs(4, 6), m = inputs(3, 7);
    size_t i = 0;
    for (auto _ : state)
    {
        benchmark::DoNotOptimize(stele::mulmod(a[i], b[i], m[i]));
        i = (i + 1) & 1023;
    }
}
BENCHMARK(mulmod);
}  // namespace
