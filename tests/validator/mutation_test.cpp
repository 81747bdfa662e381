// The validator guest on hostile inputs: seeded mutations of the zkevm fixtures' real
// statelessInputBytes (bit flips, truncations, corrupted SSZ offsets, witness items swapped
// between lists) run through the accelerated validator ELF in stelevm (in process). Every run
// must end with the guest's own exit (no trap, abort or limit), a result of the schema's size,
// the same bytes as the stateless program on the host, and never accept a mutated block whose
// payload (hence post-state) differs from the original: a success must carry the original
// payload-request root. STELE_MUTATIONS sets the count (default 600; 10,000 in the guest-full
// label). And determinism: 100 runs of one input agree in everything stelevm reports.
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <cstdlib>
#include <emulator/machine.hpp>
#include <fstream>
#include <random>
#include <stateless-input/fixtures.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/validate/guest_program.hpp>
#include <stateless/validate/stateless_input.hpp>

using namespace stele;

namespace
{
enum class Kind
{
    bit_flips,
    truncation,
    offset,
    swap,
};
constexpr const char* kKindNames[] = {"bit flips", "truncation", "offset", "swapped items"};

bytes mutate(const bytes& in, Kind kind, std::mt19937_64& rng)
{
    bytes out = in;
    switch (kind)
    {
        case Kind::bit_flips:
        {
            const int n = 1 + static_cast<int>(rng() % 8);
            for (int i = 0; i < n; ++i)
                out[rng() % out.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
            break;
        }
        case Kind::truncation:
            out.resize(rng() % out.size());
            break;
        case Kind::offset:
        {
            // One of the SSZ offsets of the fixed parts (StatelessInput's, then the payload
            // request's and the witness's): a 4-byte little-endian value in the first bytes.
            const size_t at = (rng() % 16) * 4 % (out.size() - 4);
            uint32_t v = static_cast<uint32_t>(rng());
            if (rng() % 2)
                v = static_cast<uint32_t>(out.size() + rng() % 64);  // just past the end
            for (int i = 0; i < 4; ++i)
                out[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
            break;
        }
        case Kind::swap:
        {
            stateless::StatelessInput d;
            if (stateless::decode_stateless_input(in, d) != ssz::Error::success ||
                d.witness.state.empty() || d.witness.codes.empty())
                return mutate(in, Kind::bit_flips, rng);
            std::swap(d.witness.state[rng() % d.witness.state.size()],
                d.witness.codes[rng() % d.witness.codes.size()]);
            if (!d.witness.headers.empty() && rng() % 2)
                std::swap(d.witness.headers[rng() % d.witness.headers.size()],
                    d.witness.state[rng() % d.witness.state.size()]);
            out = stateless::encode_stateless_input(d);
            break;
        }
    }
    return out;
}

bytes read_file(const std::string& path)
{
    std::ifstream f{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{f}, {}};
}
}  // namespace

TEST(ValidatorMutations, HostileInputsEndTypedAndAreNeverAccepted)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_GE(records.size(), 200u);
    const bytes elf = read_file(test::guest_elf("stateless/guest", "validator_accel", "stelevm"));
    ASSERT_FALSE(elf.empty());
    size_t count = 600;
    if (const char* e = std::getenv("STELE_MUTATIONS"))
        count = std::strtoull(e, nullptr, 10);

    std::mt19937_64 rng{0x5eed5eed};
    size_t by_kind[4] = {}, rejected = 0, undecodable = 0, accepted_same = 0;
    uint64_t max_cycles = 0;
    for (size_t i = 0; i < count; ++i)
    {
        const auto& rec = records[rng() % records.size()];
        const auto kind = static_cast<Kind>(i % 4);
        const bytes input = mutate(rec.input, kind, rng);
        ++by_kind[static_cast<int>(kind)];
        SCOPED_TRACE(
            rec.name + " / " + kKindNames[static_cast<int>(kind)] + " #" + std::to_string(i));

        emu::Options o;
        o.max_cycles = 2'000'000'000;
        o.log_sink = [](std::string_view) {};
        emu::Machine m;
        emu::ElfError err;
        ASSERT_TRUE(m.load(elf, input, o, err)) << err.message;
        const emu::RunResult r = m.run();
        ASSERT_EQ(r.outcome, emu::Outcome::Success) << r.describe();
        max_cycles = std::max(max_cycles, r.cycles);
        const bytes out{m.output().begin(), m.output().end()};
        ASSERT_EQ(stele::to_hex(out), stele::to_hex(stateless::run_stateless_program(input)));

        const auto schema = stateless::detect_schema(input);
        const auto layout = schema.value_or(stateless::SchemaVersion::prefixed_r1);
        ASSERT_EQ(out.size(), layout == stateless::SchemaVersion::zkevm_v0_3
                                  ? stateless::result_size_v0_3
                                  : stateless::result_size_r1);
        stateless::StatelessValidationResult got, orig;
        ASSERT_EQ(stateless::decode_validation_result(out, layout, got), ssz::Error::success);
        ASSERT_EQ(stateless::decode_validation_result(
                      rec.output, stateless::SchemaVersion::zkevm_v0_3, orig),
            ssz::Error::success);
        if (got.new_payload_request_root == hash256{} && !got.successful_validation)
            ++undecodable;
        else if (!got.successful_validation)
            ++rejected;
        else
        {
            // Accepted: only if it is the original block (a mutation that left the payload
            // and what the execution reads intact, e.g. a flip inside a spare witness item).
            EXPECT_EQ(got.new_payload_request_root, orig.new_payload_request_root);
            EXPECT_TRUE(orig.successful_validation);
            ++accepted_same;
        }
    }
    std::printf(
        "validator mutations: %zu runs (%zu bit flips, %zu truncations, %zu offsets, %zu "
        "swaps): %zu undecodable (default result), %zu rejected, %zu accepted as the "
        "unchanged block; 0 traps, 0 host crashes; at most %llu cycles\n",
        count, by_kind[0], by_kind[1], by_kind[2], by_kind[3], undecodable, rejected, accepted_same,
        static_cast<unsigned long long>(max_cycles));
}

TEST(ValidatorDeterminism, SameInputSameCyclesOutputAndProfile)
{
    // 100 runs of one real input (the middle zkevm fixture block) give the
    // same outcome, cycles, regions, accelerator counts, output and folded profile; the software
    // build gives the same output bytes (its cycles differ, by design).
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    const auto& rec = records[records.size() / 2];
    const bytes accel = read_file(test::guest_elf("stateless/guest", "validator_accel", "stelevm"));
    const bytes soft = read_file(test::guest_elf("stateless/guest", "validator", "stelevm"));
    struct Run
    {
        emu::Outcome outcome;
        uint64_t cycles;
        std::string output, folded, regions, accelerators;
    };
    const auto run = [&](const bytes& elf)
    {
        emu::Options o;
        o.profile = true;
        o.log_sink = [](std::string_view) {};
        emu::Machine m;
        emu::ElfError err;
        EXPECT_TRUE(m.load(elf, rec.input, o, err)) << err.message;
        const emu::RunResult r = m.run();
        Run x{r.outcome, r.cycles, m.output(), m.profiler().folded(), {}, {}};
        for (const auto& g : r.regions)
            x.regions +=
                g.name + ":" + std::to_string(g.count) + ":" + std::to_string(g.total) + ";";
        for (const auto& a : r.accelerators)
            x.accelerators += a.name + ":" + std::to_string(a.stats.calls) + ":" +
                              std::to_string(a.stats.input_bytes) + ";";
        return x;
    };
    const Run first = run(accel);
    ASSERT_EQ(first.outcome, emu::Outcome::Success);
    EXPECT_EQ(
        stele::to_hex(bytes{first.output.begin(), first.output.end()}), stele::to_hex(rec.output));
    EXPECT_FALSE(first.folded.empty());
    for (int i = 1; i < 100; ++i)
    {
        const Run again = run(accel);
        ASSERT_EQ(again.outcome, first.outcome) << i;
        ASSERT_EQ(again.cycles, first.cycles) << i;
        ASSERT_EQ(again.output, first.output) << i;
        ASSERT_EQ(again.regions, first.regions) << i;
        ASSERT_EQ(again.accelerators, first.accelerators) << i;
        ASSERT_EQ(again.folded, first.folded) << i;
    }
    const Run s = run(soft);
    ASSERT_EQ(s.outcome, emu::Outcome::Success);
    EXPECT_EQ(s.output, first.output);
    std::printf(
        "determinism: 100 accelerated runs of %s identical (%llu cycles each); the "
        "software build's output is the same bytes (%llu cycles)\n",
        rec.name.c_str(), static_cast<unsigned long long>(first.cycles),
        static_cast<unsigned long long>(s.cycles));
}
