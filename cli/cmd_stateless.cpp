// The stateless mode of `stele spec run`: for every block, the stateful pre-state produces the
// canonical witness, and the block is then validated from block + witness alone (a fresh
// validator with no access to the stateful state). Optionally, the witness of a seeded sample
// of blocks is damaged (one node / code / header dropped or altered) and the validator must
// answer with the matching missing-data or witness error, never with a verdict on the block.
#include "cmd_stateless.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <emulator/cost_model.hpp>
#include <emulator/machine.hpp>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/validate/guest_program.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/validate.hpp>
#include <stateless/validate/witness_builder.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "block_inputs.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
struct Totals
{
    std::atomic<uint64_t> blocks{0}, valid_accepted{0}, invalid_rejected{0}, same_reason{0},
        not_decodable{0}, state_nodes{0}, codes{0}, headers{0}, bytes{0};
    std::atomic<uint64_t> adv_cases{0}, adv_ok{0}, adv_failed{0};
    // Reference data (zkevm fixtures).
    std::atomic<uint64_t> ref_equal{0}, ref_spare{0}, ref_damaged{0}, program_equal{0};
};
Totals g_totals;

// --mode guest, per network (fork or transition) of the tests.
struct GuestStats
{
    uint64_t run = 0, agreed = 0, skipped = 0, cycles = 0, max_cycles = 0;
};
std::mutex g_guest_mutex;
std::map<std::string, GuestStats> g_guest;
std::map<std::string, uint64_t> g_guest_skips;  // reason -> blocks
std::string g_guest_name;

void guest_skip(const std::string& network, const std::string& reason, GuestBlockRecord& rec)
{
    rec.verdict = "skipped";
    rec.reason = reason;
    std::lock_guard lock{g_guest_mutex};
    ++g_guest[network].skipped;
    ++g_guest_skips[reason];
}

// Runs the block through the validator ELF; "" when it agrees with the host. Fills in rec.
std::string guest_check_block(const chain::Block& block, const stateless::Witness& w,
    const stateless::ValidationResult& host, chain::Error stateful_error,
    const StatelessCheckOptions& opt, GuestBlockRecord& rec)
{
    const auto fork = payload_fork_at(*opt.config, block.header.number, block.header.timestamp);
    if (!fork)
    {
        guest_skip(
            opt.network, "before Paris or after BPO2 under Osaka rules: no engine payload", rec);
        return "";
    }
    chain::Block b = block;
    if (*fork >= stateless::Fork::amsterdam && !host.block_access_list.empty())
        b.block_access_list = host.block_access_list;
    stateless::StatelessInput in;
    in.schema = stateless::SchemaVersion::prefixed_r1;
    in.chain_id = opt.config->chain_id;
    if (const stateless::PayloadResult p = stateless::block_to_payload(b, *fork, host.requests, in);
        !p.ok())
    {
        guest_skip(opt.network,
            "the block has no payload (" + std::string{stateless::payload_error_name(p.error)} +
                ")",
            rec);
        return "";
    }
    const std::vector<stateless::PublicKey> keys = public_keys_host(block);
    for (const stateless::PublicKey& k : keys)
        in.public_keys.push_back(k.view());
    for (const bytes& n : w.state)
        in.witness.state.push_back(n);
    for (const bytes& c : w.codes)
        in.witness.codes.push_back(c);
    for (const bytes& h : w.headers)
        in.witness.headers.push_back(h);
    const bytes input = stateless::encode_stateless_input(in);
    {
        // What the guest would see: a block whose data the input cannot carry (request data
        // that is not whole typed requests) or whose rules its fork id does not give (a blob
        // schedule other than the mainnet one of that fork) is not the guest's to judge.
        stateless::StatelessInput back;
        if (const ssz::Error e = stateless::decode_stateless_input(input, back);
            e != ssz::Error::success)
        {
            guest_skip(opt.network,
                "the block's input does not decode (" + std::string{ssz::to_string(e)} +
                    "): data the typed SSZ input cannot carry",
                rec);
            return "";
        }
        const auto implied = stateless::chain_config_for(*fork, opt.config->chain_id);
        const chain::BlobParams& want =
            opt.config->rules_at(block.header.number, block.header.timestamp).blob;
        const chain::BlobParams& got = implied->schedule[0].blob;
        if (*fork >= stateless::Fork::cancun && (want.target != got.target || want.max != got.max ||
                                                    want.update_fraction != got.update_fraction))
        {
            guest_skip(opt.network,
                "blob parameters other than the mainnet ones of " +
                    std::string{stateless::to_string(*fork)} + " (the input names only the fork)",
                rec);
            return "";
        }
    }

    emu::Options eo;
    eo.max_cycles = opt.guest->max_cycles;
    eo.log_sink = [](std::string_view) {};
    emu::Machine m;
    emu::ElfError err;
    if (!m.load(opt.guest->elf, input, eo, err))
        return "guest: ELF rejected: " + err.message;
    const emu::RunResult run = m.run();
    rec.cycles = run.cycles;
    rec.accelerators = run.accelerators;
    const auto add = [](uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; };
    for (const emu::AccelReport& a : run.accelerators)
        rec.accelerator_cost =
            add(rec.accelerator_cost, emu::accel_cost(a.stats, emu::cost_model_v1()[a.number]));
    rec.cost = add(run.cycles, rec.accelerator_cost);
    for (const emu::RegionStats& r : run.regions)
        rec.regions.emplace_back(r.name, r.total);
    if (!run.ok())
        return "guest: " + run.describe();
    const bytes out{m.output().begin(), m.output().end()};
    stateless::StatelessValidationResult res;
    if (stateless::decode_validation_result(out, stateless::SchemaVersion::prefixed_r1, res) !=
        ssz::Error::success)
        return "guest: output does not decode: " + to_hex0x(out);
    const bool valid = stateful_error == chain::Error::ok;
    std::string diff;
    if (res.new_payload_request_root != stateless::new_payload_request_root(in))
        diff = "payload-request root " + to_hex0x(res.new_payload_request_root) + " != host's";
    else if (res.successful_validation != valid)
        diff = std::string{"verdict "}
                   .append(res.successful_validation ? "valid" : "invalid")
                   .append(", stateful ")
                   .append(valid ? std::string_view{"valid"} : chain::error_name(stateful_error));
    else if (const bytes host_out = stateless::run_stateless_program(input); host_out != out)
        diff = "output " + to_hex0x(out) + " != the host program's " + to_hex0x(host_out);
    if (opt.guest->calibration && diff.empty())
    {
        emu::Machine sm;
        if (!sm.load(opt.guest->software_elf, input, eo, err))
            return "guest: software ELF rejected: " + err.message;
        const emu::RunResult sr = sm.run();
        if (!sr.ok() || sm.output() != m.output())
            return "guest: the software build disagrees: " + sr.describe();
        std::string line = std::to_string(sr.cycles) + " " + std::to_string(run.cycles);
        std::array<emu::AccelStats, emu::kAccelCount + 1> per{};
        for (const emu::AccelReport& a : run.accelerators)
            per[a.number] = a.stats;
        for (unsigned k = 1; k <= emu::kAccelCount; ++k)
            line += " " + std::to_string(per[k].calls) + " " + std::to_string(per[k].input_bytes) +
                    " " + std::to_string(per[k].work);
        line += "\n";
        std::lock_guard lock{g_guest_mutex};
        std::fputs(line.c_str(), opt.guest->calibration);
    }
    std::lock_guard lock{g_guest_mutex};
    GuestStats& s = g_guest[opt.network];
    ++s.run;
    s.cycles += run.cycles;
    s.max_cycles = std::max(s.max_cycles, run.cycles);
    if (!diff.empty())
        return "guest " + opt.guest->name + ": " + diff;
    ++s.agreed;
    return "";
}

std::string guest_check(const chain::Block& block, const stateless::Witness& w,
    const stateless::ValidationResult& host, chain::Error stateful_error,
    const StatelessCheckOptions& opt)
{
    GuestBlockRecord rec;
    rec.number = block.header.number;
    rec.valid = stateful_error == chain::Error::ok;
    rec.gas_used = rec.valid ? host.gas_used : 0;  // a rejected block's gas counts for nothing
    std::string d = guest_check_block(block, w, host, stateful_error, opt, rec);
    if (opt.guest_blocks)
    {
        if (rec.verdict.empty())
        {
            rec.verdict = d.empty() ? "agreed" : "failed";
            rec.reason = d;
        }
        opt.guest_blocks->push_back(std::move(rec));
    }
    return d;
}

// Compares a generated witness with the reference one as sets (each list is sorted and
// deduplicated by the canonical rules, but a reference may not be). Returns "" when equal, else
// what differs; `superset` tells whether the reference holds everything generated.
std::string compare_witness(const stateless::Witness& w, const ReferenceBlock& ref, bool& superset)
{
    std::string out;
    superset = true;
    // By item hash (GCC 12 warns falsely on sorting byte vectors; hashes compare the same).
    const auto part =
        [&](const char* name, const std::vector<bytes>& ours, const std::vector<bytes>& theirs)
    {
        std::set<hash256> a, b;
        for (const bytes& x : ours)
            a.insert(keccak256(x));
        for (const bytes& x : theirs)
            b.insert(keccak256(x));
        std::vector<hash256> missing, extra;
        std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(missing));
        std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(extra));
        if (missing.empty() && extra.empty())
            return;
        superset = superset && extra.empty();
        if (!out.empty())
            out += "; ";
        out += std::string{name} + ": " + std::to_string(missing.size()) +
               " only in the reference, " + std::to_string(extra.size()) + " only in ours";
        out += " (first " + to_hex0x(extra.empty() ? missing[0] : extra[0]) + ")";
    };
    part("state", w.state, ref.state);
    part("codes", w.codes, ref.codes);
    part("headers", w.headers, ref.headers);
    return out;
}

// One accepted block of a timed run.
struct BlockRecord
{
    std::string label;
    uint64_t number = 0, gas = 0;
    double stateful = 0, commit = 0, record = 0, validate = 0;  // CPU seconds
    uint64_t prestate_nodes = 0;
    uint64_t nodes = 0, node_bytes = 0, codes = 0, code_bytes = 0, headers = 0, header_bytes = 0;
};
std::mutex g_records_mutex;
std::vector<BlockRecord> g_records;

double thread_cpu_seconds()
{
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

uint64_t total_bytes(const std::vector<bytes>& list)
{
    uint64_t n = 0;
    for (const bytes& b : list)
        n += b.size();
    return n;
}

using stateless::Status;
using stateless::ValidationResult;

// validate() with public keys is not reentrant (the engine is single-threaded): one at a time.
std::mutex g_keys_mutex;

ValidationResult run_validator(bytes_view block_rlp, const std::vector<bytes>& state,
    const std::vector<bytes>& codes, const std::vector<bytes>& headers,
    const StatelessCheckOptions& opt, const std::vector<stateless::PublicKey>* keys = nullptr)
{
    chain::Block block;
    if (chain::decode_block(block_rlp, block) != chain::Error::ok)
    {
        ValidationResult r;
        r.status = Status::block_invalid;
        r.block_error = chain::Error::rlp_structures_encoding;
        return r;
    }
    const std::vector<bytes_view> sv(state.begin(), state.end());
    const std::vector<bytes_view> cv(codes.begin(), codes.end());
    const std::vector<bytes_view> hv(headers.begin(), headers.end());
    stateless::ValidateOptions vo;
    vo.config = opt.config;
    vo.precompiles = opt.precompiles;
    vo.recover = opt.recover;
    if (keys)
    {
        vo.use_public_keys = true;
        vo.public_keys = *keys;
        std::lock_guard lock{g_keys_mutex};
        return stateless::validate(block, {sv, cv, hv}, vo);
    }
    return stateless::validate(block, {sv, cv, hv}, vo);
}

std::string describe(const ValidationResult& r)
{
    if (r.status == Status::block_invalid)
        return std::string{stateless::status_name(r.status)} + " (" +
               std::string{chain::error_name(r.block_error)} + ")";
    return describe_witness_problem(r);
}

uint64_t splitmix(uint64_t& x)
{
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Damages the witness in each supported way once; returns "" if every answer was as required.
std::string adversarial(bytes_view block_rlp, const stateless::Witness& w, uint64_t seed,
    const StatelessCheckOptions& opt, const std::vector<stateless::PublicKey>& keys)
{
    std::string failures;
    const auto expect = [&](const char* what, const ValidationResult& r, bool good)
    {
        ++g_totals.adv_cases;
        if (good)
        {
            ++g_totals.adv_ok;
            return;
        }
        ++g_totals.adv_failed;
        if (!failures.empty())
            failures.append("; ");
        failures.append("adversarial ").append(what).append(": ").append(describe(r));
    };
    uint64_t rng = seed;
    if (!w.state.empty())
    {
        const size_t i = splitmix(rng) % w.state.size();
        auto s = w.state;
        s.erase(s.begin() + static_cast<ptrdiff_t>(i));
        const auto r = run_validator(block_rlp, s, w.codes, w.headers, opt);
        expect("drop node", r, r.status == Status::missing_trie_node);
        s = w.state;
        bytes& n = s[i];
        n[splitmix(rng) % n.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, s, w.codes, w.headers, opt);
        expect("tamper node", r2, r2.status == Status::missing_trie_node);
    }
    if (!w.codes.empty())
    {
        const size_t i = splitmix(rng) % w.codes.size();
        auto c = w.codes;
        c.erase(c.begin() + static_cast<ptrdiff_t>(i));
        const auto r = run_validator(block_rlp, w.state, c, w.headers, opt);
        expect("drop code", r, r.status == Status::missing_code);
        c = w.codes;
        bytes& code = c[i];
        code[splitmix(rng) % code.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, w.state, c, w.headers, opt);
        expect("tamper code", r2, r2.status == Status::missing_code);
    }
    if (opt.public_keys && !keys.empty())
    {
        // Another transaction's key (or a corrupted one): the signature check must fail.
        auto k = keys;
        const size_t i = splitmix(rng) % k.size();
        k[i].bytes[1 + splitmix(rng) % 64] ^= 1;
        const auto r = run_validator(block_rlp, w.state, w.codes, w.headers, opt, &k);
        expect("tamper public key", r, r.status == Status::signer_mismatch);
        k = keys;
        k.pop_back();
        const auto r2 = run_validator(block_rlp, w.state, w.codes, w.headers, opt, &k);
        expect("drop public key", r2, r2.status == Status::signer_mismatch);
    }
    if (!w.headers.empty())
    {
        // The oldest header: the only BLOCKHASH target that far back, or the parent.
        auto h = w.headers;
        h.erase(h.begin());
        const auto r = run_validator(block_rlp, w.state, w.codes, h, opt);
        expect("drop header", r, r.status == Status::missing_ancestor_header);
        h = w.headers;
        bytes& hb = h.back();
        hb[splitmix(rng) % hb.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, w.state, w.codes, h, opt);
        expect("tamper parent header", r2,
            r2.status != Status::ok && r2.status != Status::block_invalid);
    }
    return failures;
}
// Benchmark category of a record: the directory under `compute/` (instruction, precompile,
// scenario) or the fixture file's parent directory.
std::string category_of(const std::string& label)
{
    const std::string file = label.substr(0, label.find("::"));
    std::vector<std::string> parts;
    for (size_t b = 0, e; b <= file.size(); b = e + 1)
    {
        e = std::min(file.find('/', b), file.size());
        parts.push_back(file.substr(b, e - b));
    }
    for (size_t i = 0; i + 2 < parts.size(); ++i)
        if (parts[i] == "compute")
            return parts[i + 1];
    return parts.size() >= 2 ? parts[parts.size() - 2] : std::string{"(top)"};
}

template <typename F>
double median_of(const std::vector<BlockRecord>& rs, F f)
{
    std::vector<double> v;
    for (const BlockRecord& r : rs)
        v.push_back(static_cast<double>(f(r)));
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename F>
double max_of(const std::vector<BlockRecord>& rs, F f)
{
    double m = 0;
    for (const BlockRecord& r : rs)
        m = std::max(m, static_cast<double>(f(r)));
    return m;
}

void print_timing()
{
    std::lock_guard lock{g_records_mutex};
    if (g_records.empty())
        return;
    std::map<std::string, std::vector<BlockRecord>> per_cat;
    for (const BlockRecord& r : g_records)
        per_cat[category_of(r.label)].push_back(r);
    per_cat["total"] = g_records;
    const auto mgas_s = [](uint64_t gas, double s)
    { return s > 0 ? static_cast<double>(gas) / 1e6 / s : 0.0; };

    std::printf(
        "\nstateless throughput (CPU time; validation = block + witness alone, including "
        "the sparse-trie build and the post-state root):\n");
    std::printf("%-36s %6s %10s %12s %12s %8s %12s %12s\n", "category", "blocks", "Mgas",
        "stateful", "stateless", "ratio", "gen commit", "gen record");
    std::printf("%-36s %6s %10s %12s %12s %8s %12s %12s\n", "", "", "", "Mgas/s", "Mgas/s", "sl/sf",
        "s total", "s total");
    for (const auto& [cat, rs] : per_cat)
    {
        uint64_t gas = 0;
        double sf = 0, sl = 0, commit = 0, record = 0;
        for (const BlockRecord& r : rs)
        {
            gas += r.gas;
            sf += r.stateful;
            sl += r.validate;
            commit += r.commit;
            record += r.record;
        }
        const double a = mgas_s(gas, sf), b = mgas_s(gas, sl);
        std::printf("%-36s %6zu %10.1f %12.1f %12.1f %8.2f %12.3f %12.3f\n", cat.c_str(), rs.size(),
            static_cast<double>(gas) / 1e6, a, b, a > 0 ? b / a : 0.0, commit, record);
    }

    const std::vector<BlockRecord>& all = g_records;
    std::printf("\nwitness per block over %zu blocks (median / max):\n", all.size());
    struct Row
    {
        const char* name;
        uint64_t BlockRecord::*field;
    };
    static constexpr Row rows[] = {{"state nodes", &BlockRecord::nodes},
        {"state bytes", &BlockRecord::node_bytes}, {"codes", &BlockRecord::codes},
        {"code bytes", &BlockRecord::code_bytes}, {"headers", &BlockRecord::headers},
        {"header bytes", &BlockRecord::header_bytes},
        {"pre-state trie nodes (all)", &BlockRecord::prestate_nodes}};
    for (const Row& row : rows)
        std::printf("  %-28s %10.0f / %.0f\n", row.name,
            median_of(all, [&](auto& r) { return r.*row.field; }),
            max_of(all, [&](auto& r) { return r.*row.field; }));
    struct TimeRow
    {
        const char* name;
        double BlockRecord::*field;
    };
    static constexpr TimeRow times[] = {{"generation: commit (ms)", &BlockRecord::commit},
        {"generation: record (ms)", &BlockRecord::record},
        {"stateless validation (ms)", &BlockRecord::validate}};
    for (const TimeRow& row : times)
        std::printf("  %-28s %10.3f / %.3f\n", row.name,
            1e3 * median_of(all, [&](auto& r) { return r.*row.field; }),
            1e3 * max_of(all, [&](auto& r) { return r.*row.field; }));
}
}  // namespace

std::string stateless_check_block(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, bytes_view block_rlp,
    chain::Error stateful_error, const StatelessCheckOptions& opt)
{
    chain::Block block;
    if (chain::decode_block(block_rlp, block) != chain::Error::ok)
    {
        ++g_totals.not_decodable;
        return "";  // rejected before any state is involved, stateful or not
    }
    ++g_totals.blocks;
    stateless::ValidateOptions vo;
    vo.config = opt.config;
    vo.precompiles = opt.precompiles;
    vo.recover = opt.recover;
    BlockRecord rec;
    const double c0 = thread_cpu_seconds();
    stateless::PreStateTries tries;
    if (ancestors.empty() || !tries.build(pre, ancestors.back().state_root))
        return "witness: pre-state does not match the parent state root";
    const double c1 = thread_cpu_seconds();
    const stateless::WitnessBuildResult gen =
        stateless::record_witness(tries, ancestors, block, vo);
    rec.commit = c1 - c0;
    rec.record = thread_cpu_seconds() - c1;
    rec.prestate_nodes = tries.node_count();
    if (gen.pre_state_mismatch)
        return "witness: pre-state does not match the parent state root";
    // The generating run sees the complete pre-state: it must reach the stateful verdict.
    if (gen.verdict.missing_data() ||
        (gen.verdict.status == Status::ok) != (stateful_error == chain::Error::ok))
        return std::string{"witness generation run: "}.append(describe(gen.verdict));
    const stateless::Witness& w = gen.witness;
    if (const ReferenceBlock* ref = opt.reference)
    {
        // Byte 32 of the expected output: successful_validation.
        const bool reference_valid = ref->output.size() > 32 && ref->output[32] == 1;
        if (ref->has_witness)
        {
            bool superset = false;
            const std::string d = compare_witness(w, *ref, superset);
            if (!reference_valid)
                ++g_totals.ref_damaged;
            else if (d.empty())
                ++g_totals.ref_equal;
            else if (superset)
                ++g_totals.ref_spare;
            else
                return "generated witness differs from the reference: " + d;
        }
        if (!ref->input.empty())
        {
            const bytes got = stateless::run_stateless_program(ref->input);
            if (got != ref->output)
                return "stateless program on the reference input: output " + to_hex0x(got) +
                       ", expected " + to_hex0x(ref->output);
            ++g_totals.program_equal;
        }
    }
    if (!opt.dump_dir.empty())
    {
        const std::string base = opt.dump_dir + "/" + to_hex0x(block.header.hash);
        std::ofstream{base + ".rlp"} << to_hex0x(block_rlp) << "\n";
        std::ofstream{base + ".witness.json"} << witness::to_json(witness::to_execution_witness(w));
        // What a consumer of the dump needs to judge it: the rules and the expected verdict.
        std::ofstream{base + ".meta"}
            << opt.network << " "
            << (stateful_error == chain::Error::ok ? "valid" : chain::error_name(stateful_error))
            << " " << block.transactions.size() << "\n";
    }
    rec.nodes = w.state.size();
    rec.node_bytes = total_bytes(w.state);
    rec.codes = w.codes.size();
    rec.code_bytes = total_bytes(w.codes);
    rec.headers = w.headers.size();
    rec.header_bytes = total_bytes(w.headers);
    g_totals.state_nodes += rec.nodes;
    g_totals.codes += rec.codes;
    g_totals.headers += rec.headers;
    g_totals.bytes += rec.node_bytes + rec.code_bytes + rec.header_bytes;

    std::vector<stateless::PublicKey> keys;
    if (opt.public_keys)
        keys = public_keys_host(block);  // a zero key where recovery fails
    const double v0 = thread_cpu_seconds();
    const ValidationResult r = run_validator(
        block_rlp, w.state, w.codes, w.headers, opt, opt.public_keys ? &keys : nullptr);
    rec.validate = thread_cpu_seconds() - v0;
    std::string out;
    if (stateful_error == chain::Error::ok)
    {
        if (r.status != Status::ok)
            out = std::string{"stateless rejected a valid block: "}.append(describe(r));
        else
        {
            ++g_totals.valid_accepted;
            if (opt.timing)
            {
                rec.label = opt.label;
                rec.number = block.header.number;
                rec.gas = r.gas_used;
                rec.stateful = opt.stateful_cpu_seconds;
                std::lock_guard lock{g_records_mutex};
                g_records.push_back(std::move(rec));
            }
        }
    }
    else
    {
        if (r.status == Status::block_invalid || r.status == Status::parent_mismatch ||
            (r.status == Status::signer_mismatch &&
                stateful_error == chain::Error::invalid_signature))
        {
            ++g_totals.invalid_rejected;
            if (r.block_error == stateful_error)
                ++g_totals.same_reason;
        }
        else
        {
            out = "stateless on invalid block (stateful ";
            out.append(chain::error_name(stateful_error)).append("): ").append(describe(r));
        }
    }
    if (out.empty() && opt.guest)
        out = guest_check(block, w, r, stateful_error, opt);
    if (opt.adversarial_every)
    {
        uint64_t seed = 0;
        std::memcpy(&seed, block.header.hash.bytes, 8);
        uint64_t pick = seed;
        if (splitmix(pick) % opt.adversarial_every == 0)
        {
            std::string a = adversarial(block_rlp, w, seed, opt, keys);
            if (!a.empty())
            {
                if (!out.empty())
                    out.append("; ");
                out.append(a);
            }
        }
    }
    return out;
}

void stateless_set_guest_name(const std::string& name)
{
    g_guest_name = name;
}

void stateless_print_summary()
{
    const Totals& t = g_totals;
    std::printf(
        "stateless: %llu blocks (%llu undecodable skipped): %llu valid accepted, %llu "
        "invalid rejected (%llu with the stateful reason)\n",
        static_cast<unsigned long long>(t.blocks.load()),
        static_cast<unsigned long long>(t.not_decodable.load()),
        static_cast<unsigned long long>(t.valid_accepted.load()),
        static_cast<unsigned long long>(t.invalid_rejected.load()),
        static_cast<unsigned long long>(t.same_reason.load()));
    std::printf("stateless witnesses: %llu nodes, %llu codes, %llu headers, %llu bytes total\n",
        static_cast<unsigned long long>(t.state_nodes.load()),
        static_cast<unsigned long long>(t.codes.load()),
        static_cast<unsigned long long>(t.headers.load()),
        static_cast<unsigned long long>(t.bytes.load()));
    if (t.ref_equal.load() + t.ref_spare.load() + t.ref_damaged.load() + t.program_equal.load())
        std::printf(
            "reference witnesses: %llu equal to the generated one, %llu with spare items on "
            "purpose, %llu damaged on purpose (not compared); reference inputs: %llu outputs "
            "byte-identical from the stateless program\n",
            static_cast<unsigned long long>(t.ref_equal.load()),
            static_cast<unsigned long long>(t.ref_spare.load()),
            static_cast<unsigned long long>(t.ref_damaged.load()),
            static_cast<unsigned long long>(t.program_equal.load()));
    {
        std::lock_guard lock{g_guest_mutex};
        if (!g_guest.empty())
        {
            GuestStats all;
            std::printf("\nguest %s\n%-28s %8s %8s %8s %14s %12s\n", g_guest_name.c_str(),
                "network", "run", "agreed", "skipped", "cycles", "max cycles");
            for (const auto& [network, s] : g_guest)
            {
                std::printf("%-28s %8llu %8llu %8llu %14llu %12llu\n", network.c_str(),
                    static_cast<unsigned long long>(s.run),
                    static_cast<unsigned long long>(s.agreed),
                    static_cast<unsigned long long>(s.skipped),
                    static_cast<unsigned long long>(s.cycles),
                    static_cast<unsigned long long>(s.max_cycles));
                all.run += s.run;
                all.agreed += s.agreed;
                all.skipped += s.skipped;
            }
            for (const auto& [reason, n] : g_guest_skips)
                std::printf("guest skipped: %llu blocks: %s\n", static_cast<unsigned long long>(n),
                    reason.c_str());
            std::printf("guest: %llu blocks run, %llu agreed with the host, %llu skipped\n",
                static_cast<unsigned long long>(all.run),
                static_cast<unsigned long long>(all.agreed),
                static_cast<unsigned long long>(all.skipped));
        }
    }
    if (t.adv_cases.load())
        std::printf("stateless adversarial: %llu cases, %llu answered as required, %llu wrong\n",
            static_cast<unsigned long long>(t.adv_cases.load()),
            static_cast<unsigned long long>(t.adv_ok.load()),
            static_cast<unsigned long long>(t.adv_failed.load()));
    print_timing();
}

std::string stateless_blocks_json()
{
    std::lock_guard lock{g_records_mutex};
    nlohmann::json a = nlohmann::json::array();
    for (const BlockRecord& r : g_records)
        a.push_back({{"test", r.label}, {"number", r.number}, {"gas", r.gas},
            {"stateful_cpu_s", r.stateful}, {"witness_commit_cpu_s", r.commit},
            {"witness_record_cpu_s", r.record}, {"stateless_cpu_s", r.validate},
            {"prestate_nodes", r.prestate_nodes}, {"state_nodes", r.nodes},
            {"state_bytes", r.node_bytes}, {"codes", r.codes}, {"code_bytes", r.code_bytes},
            {"headers", r.headers}, {"header_bytes", r.header_bytes}});
    return a.dump();
}
}  // namespace stele::cli
