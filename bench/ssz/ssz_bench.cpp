// Stateless input codec: decode, hash_tree_root(new_payload_request) and encode of the largest
// EEST zkevm fixture input, and of a synthetic mainnet-sized input (tens of thousands of witness
// nodes), plus the Merkleization of large lists.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/core/ssz.hpp>
#include <stateless/validate/stateless_input.hpp>

using namespace stele;
namespace fs = std::filesystem;

namespace
{
// The largest statelessInputBytes of the zkevm fixtures (extracted once next to the bench).
const bytes& largest_fixture_input()
{
    static const bytes input = []
    {
        const std::string dir = STELE_BENCH_SCRATCH;
        if (!fs::exists(dir + "/.extracted"))
        {
            fs::create_directories(dir);
            const std::string cmd = "zstd -dc '" + std::string{STELE_FIXTURES_DIR} +
                                    "/eest-zkevm-amsterdam.tar.zst' | tar -x -C '" + dir + "'";
            if (std::system(cmd.c_str()) != 0)
                return bytes{};
            std::ofstream{dir + "/.extracted"} << "ok\n";
        }
        bytes best;
        for (const auto& e : fs::recursive_directory_iterator(dir))
        {
            if (!e.is_regular_file() || e.path().extension() != ".json")
                continue;
            std::ifstream in{e.path()};
            const auto doc = nlohmann::json::parse(in);
            for (const auto& [name, test] : doc.items())
                for (const auto& b : test.at("blocks"))
                    if (b.contains("statelessInputBytes"))
                        if (auto x = from_hex(b["statelessInputBytes"].get<std::string>());
                            x && x->size() > best.size())
                            best = std::move(*x);
        }
        return best;
    }();
    return input;
}

// A synthetic Amsterdam input shaped like a busy mainnet block: 400 transactions, 40,000 state
// nodes (~300 bytes), 1,500 codes (~6 KiB), 256 headers, a 60 KiB block access list.
struct Synthetic
{
    std::vector<bytes> storage;
    bytes encoded;
};

const Synthetic& synthetic()
{
    static const Synthetic s = []
    {
        Synthetic r;
        std::mt19937_64 rng{42};
        auto keep = [&](size_t n) -> bytes_view
        {
            bytes b(n);
            for (auto& x : b)
                x = static_cast<uint8_t>(rng());
            r.storage.push_back(std::move(b));
            return r.storage.back();
        };
        r.storage.reserve(50000);
        stateless::StatelessInput in;
        auto& p = in.new_payload_request.execution_payload;
        for (int i = 0; i < 400; ++i)
            p.transactions.push_back(keep(100 + rng() % 400));
        for (int i = 0; i < 16; ++i)
            p.withdrawals.push_back({rng(), rng(), {}, rng()});
        p.block_access_list = keep(60000);
        for (int i = 0; i < 40000; ++i)
            in.witness.state.push_back(keep(100 + rng() % 433));
        for (int i = 0; i < 1500; ++i)
            in.witness.codes.push_back(keep(1000 + rng() % 10000));
        for (int i = 0; i < 256; ++i)
            in.witness.headers.push_back(keep(600));
        for (int i = 0; i < 400; ++i)
            in.public_keys.push_back(keep(65));
        r.encoded = stateless::encode_stateless_input(in);
        return r;
    }();
    return s;
}

void decode_and_root(benchmark::State& state, const bytes& input)
{
    if (input.empty())
    {
        state.SkipWithError("fixture input unavailable");
        return;
    }
    for (auto _ : state)
    {
        stateless::StatelessInput in;
        if (stateless::decode_stateless_input(input, in) != ssz::Error::success)
        {
            state.SkipWithError("decode failed");
            return;
        }
        benchmark::DoNotOptimize(stateless::new_payload_request_root(in));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
    state.counters["input_bytes"] = static_cast<double>(input.size());
}

void decode_only(benchmark::State& state, const bytes& input)
{
    for (auto _ : state)
    {
        stateless::StatelessInput in;
        benchmark::DoNotOptimize(stateless::decode_stateless_input(input, in));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
}

void BM_FixtureLargestDecodeRoot(benchmark::State& state)
{
    decode_and_root(state, largest_fixture_input());
}
BENCHMARK(BM_FixtureLargestDecodeRoot);

void BM_FixtureLargestDecode(benchmark::State& state)
{
    decode_only(state, largest_fixture_input());
}
BENCHMARK(BM_FixtureLargestDecode);

void BM_FixtureLargestEncode(benchmark::State& state)
{
    stateless::StatelessInput in;
    if (stateless::decode_stateless_input(largest_fixture_input(), in) != ssz::Error::success)
    {
        state.SkipWithError("decode failed");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(stateless::encode_stateless_input(in));
}
BENCHMARK(BM_FixtureLargestEncode);

void BM_SyntheticDecodeRoot(benchmark::State& state)
{
    decode_and_root(state, synthetic().encoded);
}
BENCHMARK(BM_SyntheticDecodeRoot)->Unit(benchmark::kMillisecond);

void BM_SyntheticDecode(benchmark::State& state)
{
    decode_only(state, synthetic().encoded);
}
BENCHMARK(BM_SyntheticDecode)->Unit(benchmark::kMillisecond);

// hash_tree_root of the witness state as List[ByteList[1024], 2^22] (40,000 nodes): the
// large-list case, were a schema to commit to the witness.
void BM_WitnessStateListRoot(benchmark::State& state)
{
    stateless::StatelessInput in;
    (void)stateless::decode_stateless_input(synthetic().encoded, in);
    std::vector<hash256> roots(in.witness.state.size());
    for (auto _ : state)
    {
        for (size_t i = 0; i < roots.size(); ++i)
            roots[i] = ssz::htr_byte_list(in.witness.state[i], 1024);
        benchmark::DoNotOptimize(ssz::htr_list_of_roots(roots, uint64_t{1} << 22));
    }
    state.counters["nodes"] = static_cast<double>(roots.size());
}
BENCHMARK(BM_WitnessStateListRoot)->Unit(benchmark::kMillisecond);

void BM_ByteListRoot1MiB(benchmark::State& state)
{
    const bytes data(1 << 20, 0x5a);
    for (auto _ : state)
        benchmark::DoNotOptimize(ssz::htr_byte_list(data, uint64_t{1} << 30));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_ByteListRoot1MiB)->Unit(benchmark::kMillisecond);
}  // namespace
