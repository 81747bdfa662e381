// `stele run`: runs an RV64IM guest ELF in stelevm and reports its outcome and cycles.
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../emulator/cost_model.hpp"
#include "../emulator/machine.hpp"
#include "../emulator/text.hpp"
#include "commands.hpp"
#include "file_read.hpp"

namespace stele::cli
{
namespace
{
constexpr const char* kRunHelp = R"(Run an RV64IM guest ELF in stelevm, stele's zkVM emulator.

The ELF must follow the zkVM ELF-loading rules (`stele elf check --load-only` shows why one is
rejected). The input file is mapped read-only at 0x80000000 before start (the guest's
read_input); what the guest passes to write_output (or Linux write to fd 1) is the output; its
write_log (or write to fd 2) goes to stderr or --log FILE, never into the output.

Cycles are retired RV64IM instructions (an ecall counts 1). The same ELF and input always give
the same output and cycle count. The report (stderr, or stdout with --json) lists cycles,
misaligned accesses, memory touched, the guest's named cycle regions, the accelerator calls, and
the top functions by inclusive and exclusive cycles from the ELF's symbol table.

Accelerators (the 19 zkvm_accelerators.h functions, ecalls 0x201..0x213) run on the host: each
call counts 1 cycle (the ecall). The report lists per accelerator the calls, the input bytes read
from guest memory, the work (hash bytes, blake2f rounds, pairing/MSM pairs, modexp modulus
words^2 * exponent bits; 0 for fixed-size calls) and the calls that returned ZKVM_EFAIL. Each
call is priced: accelerator_cycles = sum(calls * PER_CALL + input_bytes * PER_INPUT_BYTE +
work * PER_WORK), and cost = total_cycles = cycles + accelerator_cycles. The prices are the
built-in cost model stele-cost-v1 (what the same work costs in software in stele's guest,
fitted over the EEST blockchain tests; emulator/cost_model.hpp), or a zkVM's own with
--accel-cost FILE: each line `NAME PER_CALL [PER_INPUT_BYTE [PER_WORK]]` (NAME as in the
report, e.g. keccak256 or zkvm_keccak256; `#` starts a comment; unlisted accelerators cost 0).
(--max-cycles limits the instructions only.) Each call's work is bounded (see
emulator/README.md): above the bound the call traps (exit 4).

Exit codes:
  0  success: the guest halted with exit code 0
  1  failure: the guest halted with a non-zero exit code (shown in the report)
  2  usage error
  3  abort: the guest called abort() / stele_panic (message shown)
  4  trap: illegal instruction, bad memory access, misaligned or non-executable jump, ebreak,
     unknown ecall, a bad buffer passed to an ecall or accelerator (kind, pc and address shown)
  5  cycle limit (--max-cycles) reached
  6  memory limit (--max-memory) reached
  7  the ELF or the input could not be loaded, or a file could not be written (reason shown)
  8  output limit (--max-output) reached: the guest wrote more output or more log than allowed,
     or the --profile export would be larger
  9  wall-clock timeout (--timeout) reached

Limits: --max-cycles defaults to 10^11 instructions (minutes; no block the engine validates
comes near it), --max-output to 64 MiB, --max-memory to 4 GiB; --accel-cost prices are
0..1e15 and costs saturate at 2^64 - 1.

Examples:
  stele run build/guest/examples/hello.stelevm.elf
  stele run guest.elf --input block.bin --output result.bin --json > report.json
  stele run guest.elf --profile prof.folded    # flamegraph.pl / inferno / speedscope
  stele run guest.elf --profile prof.json      # speedscope (https://www.speedscope.app))";

// Size caps checked before reading: the ELF's segments must lie below the input window
// (2 GiB), and the input must fit that window.
constexpr uint64_t kMaxElfBytes = uint64_t{1} << 30;
constexpr uint64_t kMaxInputBytes = emu::Memory::kSpace - 0x80000000ull;

bool write_file(const std::string& path, std::string_view data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(out);
}

// "64M", "2GiB", "4096", "1g" -> bytes.
bool parse_size(const std::string& s, uint64_t& out)
{
    // Digits first: std::stoull would accept " 5" and wrap "-5" to 2^64 - 5.
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0])))
        return false;
    size_t pos = 0;
    unsigned long long v = 0;
    try
    {
        v = std::stoull(s, &pos);
    }
    catch (...)
    {
        return false;
    }
    std::string unit = s.substr(pos);
    for (auto& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    unsigned shift = 0;
    if (unit.empty() || unit == "B")
        shift = 0;
    else if (unit == "K" || unit == "KB" || unit == "KIB")
        shift = 10;
    else if (unit == "M" || unit == "MB" || unit == "MIB")
        shift = 20;
    else if (unit == "G" || unit == "GB" || unit == "GIB")
        shift = 30;
    else
        return false;
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    out = static_cast<uint64_t>(v) << shift;
    return true;
}

std::string to_hex(std::string_view bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(bytes.size() * 2);
    for (const char c : bytes)
    {
        s += digits[(static_cast<unsigned char>(c) >> 4) & 0xF];
        s += digits[static_cast<unsigned char>(c) & 0xF];
    }
    return s;
}

std::string hex64(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// 10^11 instructions: minutes of emulation, beyond any block the engine validates, so a guest
// that loops forever stops by default. `--max-cycles unlimited` lifts it.
constexpr uint64_t kDefaultMaxCycles = 100'000'000'000;
// Accelerator prices above this are refused: a cost must stay an exact integer in a double.
constexpr double kMaxPrice = 1e15;

struct RunArgs
{
    std::string elf;
    std::string input;
    std::string output;
    std::string log;
    std::string profile;
    std::string max_memory = "4GiB";
    std::string max_output = "64MiB";
    std::string max_cycles = std::to_string(kDefaultMaxCycles);
    double timeout = 0;
    unsigned top = 10;
    bool json = false;
    bool switch_dispatch = false;
    bool no_functions = false;
    std::string accel_cost;
};

using emu::AccelPrice;

// The --accel-cost file: `NAME PER_CALL [PER_INPUT_BYTE [PER_WORK]]` per line, `#` comments.
bool read_prices(
    const std::string& path, std::array<AccelPrice, emu::kAccelCount + 1>& prices, std::string& err)
{
    std::ifstream in(path);
    if (!in)
    {
        err = "cannot read " + path;
        return false;
    }
    std::string line;
    for (unsigned lineno = 1; std::getline(in, line); ++lineno)
    {
        if (const auto hash = line.find('#'); hash != std::string::npos)
            line.resize(hash);
        std::istringstream fields(line);
        std::string name;
        if (!(fields >> name))
            continue;
        AccelPrice p;
        std::string extra;
        const unsigned n = emu::accel_number(name);
        if (n == 0 || !(fields >> p.per_call) || !(p.per_call >= 0 && p.per_call <= kMaxPrice))
        {
            err = path + ":" + std::to_string(lineno) +
                  ": expected `NAME PER_CALL [PER_INPUT_BYTE]` with an accelerator name";
            return false;
        }
        if (!(fields >> p.per_byte))
            p.per_byte = 0;
        if (!(fields >> p.per_work))
            p.per_work = 0;
        if (!(p.per_byte >= 0 && p.per_byte <= kMaxPrice) ||
            !(p.per_work >= 0 && p.per_work <= kMaxPrice) || (fields.clear(), fields >> extra))
        {
            err = path + ":" + std::to_string(lineno) +
                  ": bad PER_INPUT_BYTE or PER_WORK (0..1e15) or extra fields";
            return false;
        }
        prices[n] = p;
    }
    return true;
}

// Saturates at 2^64 - 1 (a cost that large means "more than can be counted", never 0).
uint64_t accel_cost(const emu::AccelReport& a, const AccelPrice& p)
{
    return emu::accel_cost(a.stats, p);
}

uint64_t saturating_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

int run(const RunArgs& a)
{
    std::vector<uint8_t> elf, input;
    if (const std::string e = read_regular_file(a.elf, kMaxElfBytes, elf); !e.empty())
    {
        std::fprintf(stderr, "stele run: cannot read ELF %s: %s\n", emu::printable(a.elf).c_str(),
            e.c_str());
        return 7;
    }
    if (const std::string e =
            a.input.empty() ? "" : read_regular_file(a.input, kMaxInputBytes, input);
        !e.empty())
    {
        std::fprintf(stderr, "stele run: cannot read input %s: %s\n",
            emu::printable(a.input).c_str(), e.c_str());
        return 7;
    }
    emu::Options opt;
    if (!parse_size(a.max_memory, opt.max_memory))
    {
        std::fprintf(
            stderr, "stele run: bad --max-memory '%s' (e.g. 512M, 2GiB)\n", a.max_memory.c_str());
        return 2;
    }
    if (!parse_size(a.max_output, opt.max_output))
    {
        std::fprintf(
            stderr, "stele run: bad --max-output '%s' (e.g. 1M, 64MiB)\n", a.max_output.c_str());
        return 2;
    }
    if (opt.max_memory < emu::Memory::kPageSize || opt.max_memory > emu::Memory::kSpace)
    {
        std::fprintf(
            stderr, "stele run: --max-memory '%s' is outside 4K..4GiB\n", a.max_memory.c_str());
        return 2;
    }
    if (a.max_cycles == "unlimited")
        opt.max_cycles = UINT64_MAX;
    else if (uint64_t n = 0; !a.max_cycles.empty() &&
                             a.max_cycles.find_first_not_of("0123456789") == std::string::npos &&
                             a.max_cycles.size() <= 19 && (n = std::stoull(a.max_cycles)) > 0)
        opt.max_cycles = n;
    else
    {
        std::fprintf(stderr,
            "stele run: bad --max-cycles '%s': a number of cycles from 1 to 10^19, or "
            "'unlimited'\n",
            a.max_cycles.c_str());
        return 2;
    }
    if (!(a.timeout >= 0 && a.timeout <= 1e9))
    {
        std::fprintf(stderr, "stele run: --timeout must be 0..1e9 seconds\n");
        return 2;
    }
    opt.timeout_seconds = a.timeout;
    // The built-in cost model unless --accel-cost replaces it (unlisted accelerators then 0).
    std::array<AccelPrice, emu::kAccelCount + 1> prices = emu::cost_model_v1();
    const std::string cost_model =
        a.accel_cost.empty() ? std::string{emu::kCostModelName} : "--accel-cost " + a.accel_cost;
    const bool priced = true;
    if (!a.accel_cost.empty())
    {
        prices = {};
        std::string err;
        if (!read_prices(a.accel_cost, prices, err))
        {
            std::fprintf(stderr, "stele run: --accel-cost: %s\n", err.c_str());
            return 2;
        }
    }
    // The function table is on by default (it costs a few percent); --profile adds the export.
    opt.profile = !a.no_functions || !a.profile.empty();
    opt.dispatch = a.switch_dispatch ? emu::Dispatch::Switch : emu::Dispatch::Threaded;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> log_file{nullptr, &std::fclose};
    if (!a.log.empty())
    {
        log_file.reset(std::fopen(a.log.c_str(), "wb"));
        if (!log_file)
        {
            std::fprintf(stderr, "stele run: cannot write log %s\n", emu::printable(a.log).c_str());
            return 7;
        }
    }
    // A log on the terminal is guest text: control characters are escaped (newlines and tabs
    // kept); a --log file gets the bytes as written.
    std::FILE* log_to = log_file ? log_file.get() : stderr;
    auto log_filter = std::make_shared<emu::PrintableStream>(true);
    opt.log_sink = [log_to, log_filter, raw = !a.log.empty()](std::string_view s)
    {
        const std::string shown = raw ? std::string{} : log_filter->feed(s);
        const std::string_view bytes = raw ? s : std::string_view{shown};
        std::fwrite(bytes.data(), 1, bytes.size(), log_to);
        std::fflush(log_to);
    };
    // The output is streamed (to --output, or to stdout for the text report) as the guest writes
    // it; only --json without --output keeps it in memory, for output_hex.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out_file{nullptr, &std::fclose};
    if (!a.output.empty())
    {
        out_file.reset(std::fopen(a.output.c_str(), "wb"));
        if (!out_file)
        {
            std::fprintf(
                stderr, "stele run: cannot write output %s\n", emu::printable(a.output).c_str());
            return 7;
        }
    }
    bool output_failed = false;
    if (out_file || !a.json)
    {
        std::FILE* out_to = out_file ? out_file.get() : stdout;
        opt.output_sink = [out_to, &output_failed](std::string_view s)
        {
            if (std::fwrite(s.data(), 1, s.size(), out_to) != s.size())
                output_failed = true;
        };
    }

    emu::Machine m;
    emu::ElfError err;
    if (!m.load(elf, input, opt, err))
    {
        std::fprintf(stderr, "stele run: %s: rejected: %s\n", emu::printable(a.elf).c_str(),
            emu::printable(err.message).c_str());
        return 7;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const emu::RunResult r = m.run();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int code = emu::exit_code_for(r);

    if (a.log.empty())
    {
        const std::string rest = log_filter->flush();  // a sequence cut off at the end
        std::fwrite(rest.data(), 1, rest.size(), stderr);
    }
    if (out_file && (output_failed || std::fflush(out_file.get()) != 0))
    {
        std::fprintf(
            stderr, "stele run: cannot write output %s\n", emu::printable(a.output).c_str());
        return 7;
    }
    std::fflush(stdout);
    std::vector<emu::FunctionCycles> functions;
    if (opt.profile)
        functions = m.profiler().functions();
    if (!a.profile.empty())
    {
        const bool speedscope =
            a.profile.size() >= 5 && a.profile.compare(a.profile.size() - 5, 5, ".json") == 0;
        std::string data;
        if (!(speedscope ? m.profiler().speedscope(data, a.elf, opt.max_output)
                         : m.profiler().folded(data, opt.max_output)))
        {
            std::fprintf(stderr, "stele run: the profile would exceed --max-output (%llu bytes)\n",
                static_cast<unsigned long long>(opt.max_output));
            return 8;
        }
        if (!write_file(a.profile, data))
        {
            std::fprintf(
                stderr, "stele run: cannot write profile %s\n", emu::printable(a.profile).c_str());
            return 7;
        }
    }
    const double mips = secs > 0 ? static_cast<double>(r.cycles) / secs / 1e6 : 0.0;
    uint64_t accel_cycles = 0;
    for (const auto& acc : r.accelerators)
        accel_cycles = saturating_add(accel_cycles, accel_cost(acc, prices[acc.number]));

    if (a.json)
    {
        nlohmann::ordered_json j;
        j["outcome"] = emu::outcome_name(r.outcome);
        j["exit_code"] = code;
        if (r.outcome == emu::Outcome::Success || r.outcome == emu::Outcome::Failure)
            j["guest_exit_code"] = r.exit_code;
        if (r.outcome == emu::Outcome::Abort)
            j["abort_message"] = r.abort_message;
        if (r.outcome == emu::Outcome::Trap || r.outcome == emu::Outcome::MemoryLimit ||
            r.outcome == emu::Outcome::OutputLimit)
        {
            j["trap"] = {{"kind", emu::trap_name(r.trap.kind)}, {"pc", hex64(r.trap.pc)},
                {"address", hex64(r.trap.address)}, {"detail", r.trap.detail}};
            if (r.trap.kind == emu::TrapKind::IllegalInstruction)
                j["trap"]["word"] = hex64(r.trap.word);
            if (r.trap.kind == emu::TrapKind::UnknownEcall)
                j["trap"]["number"] = hex64(r.trap.number);
        }
        j["message"] = r.describe();
        j["pc"] = hex64(r.pc);
        j["cycles"] = r.cycles;
        j["unaligned_accesses"] = r.unaligned_accesses;
        j["touched_pages"] = r.touched_pages;
        j["touched_bytes"] = r.touched_pages * emu::Memory::kPageSize;
        j["seconds"] = secs;
        j["mips"] = mips;
        j["regions"] = nlohmann::json::array();
        for (const auto& reg : r.regions)
            j["regions"].push_back({{"name", reg.name}, {"count", reg.count}, {"total", reg.total},
                {"min", reg.min}, {"max", reg.max}});
        j["unclosed_regions"] = r.unclosed_regions;
        j["accelerators"] = nlohmann::json::array();
        for (const auto& acc : r.accelerators)
        {
            nlohmann::ordered_json e = {{"name", acc.name}, {"number", acc.number},
                {"calls", acc.stats.calls}, {"input_bytes", acc.stats.input_bytes},
                {"failures", acc.stats.failures}, {"work", acc.stats.work}};
            if (priced)
                e["cost"] = accel_cost(acc, prices[acc.number]);
            j["accelerators"].push_back(e);
        }
        j["cost_scopes"] = nlohmann::json::array();
        for (const auto& sc : r.cost_scopes)
        {
            uint64_t accel = 0;
            for (unsigned k = 1; k <= emu::kAccelCount; ++k)
                accel = saturating_add(accel, emu::accel_cost(sc.accelerators[k], prices[k]));
            j["cost_scopes"].push_back({{"id", sc.id}, {"count", sc.count}, {"cycles", sc.cycles},
                {"accelerator_cycles", accel}, {"cost", saturating_add(sc.cycles, accel)}});
        }
        j["unclosed_cost_scopes"] = r.unclosed_cost_scopes;
        if (priced)
        {
            j["cost_model"] = cost_model;
            j["accelerator_cycles"] = accel_cycles;
            j["total_cycles"] = saturating_add(r.cycles, accel_cycles);
            j["cost"] = saturating_add(r.cycles, accel_cycles);
        }
        if (opt.profile)
        {
            j["functions"] = nlohmann::json::array();
            for (const auto& f : functions)
                j["functions"].push_back({{"name", f.name}, {"inclusive", f.inclusive},
                    {"exclusive", f.exclusive}, {"calls", f.calls}});
            if (!a.profile.empty())
                j["profile_file"] = a.profile;
            j["profile_truncated"] = m.profiler().truncated();
        }
        if (a.output.empty())
            j["output_hex"] = to_hex(m.output());
        else
            j["output_file"] = a.output;
        j["output_size"] = m.output_size();
        // Guest text (abort message, region names) is bytes, not necessarily UTF-8: invalid
        // sequences become U+FFFD so the report stays valid JSON.
        std::printf(
            "%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return code;
    }

    std::fprintf(stderr, "stelevm: %s\n", emu::printable(r.describe()).c_str());
    std::fprintf(stderr, "  cycles              %llu  (%.1f MIPS)\n",
        static_cast<unsigned long long>(r.cycles), mips);
    std::fprintf(stderr, "  unaligned accesses  %llu\n",
        static_cast<unsigned long long>(r.unaligned_accesses));
    std::fprintf(stderr, "  memory touched      %llu KiB\n",
        static_cast<unsigned long long>(r.touched_pages * 4));
    std::fprintf(stderr, "  output              %llu bytes\n",
        static_cast<unsigned long long>(m.output_size()));
    if (!r.regions.empty())
    {
        std::fprintf(
            stderr, "  %-32s %10s %14s %12s %12s\n", "region", "count", "total", "min", "max");
        for (const auto& reg : r.regions)
            std::fprintf(stderr, "  %-32s %10llu %14llu %12llu %12llu\n",
                emu::printable(reg.name).c_str(), static_cast<unsigned long long>(reg.count),
                static_cast<unsigned long long>(reg.total),
                static_cast<unsigned long long>(reg.min), static_cast<unsigned long long>(reg.max));
    }
    for (const auto& name : r.unclosed_regions)
        std::fprintf(stderr, "  region '%s' was never closed\n", emu::printable(name).c_str());
    if (!r.accelerators.empty())
    {
        std::fprintf(
            stderr, "  %-32s %10s %14s %12s", "accelerator", "calls", "input bytes", "failures");
        std::fprintf(stderr, priced ? " %14s\n" : "\n", "cost");
        for (const auto& acc : r.accelerators)
        {
            std::fprintf(stderr, "  %-32s %10llu %14llu %12llu", acc.name.c_str(),
                static_cast<unsigned long long>(acc.stats.calls),
                static_cast<unsigned long long>(acc.stats.input_bytes),
                static_cast<unsigned long long>(acc.stats.failures));
            if (priced)
                std::fprintf(stderr, " %14llu\n",
                    static_cast<unsigned long long>(accel_cost(acc, prices[acc.number])));
            else
                std::fprintf(stderr, "\n");
        }
    }
    if (!r.cost_scopes.empty())
    {
        std::fprintf(stderr, "  %-10s %10s %16s %16s\n", "cost scope", "count", "cycles", "cost");
        for (const auto& sc : r.cost_scopes)
        {
            uint64_t accel = 0;
            for (unsigned k = 1; k <= emu::kAccelCount; ++k)
                accel = saturating_add(accel, emu::accel_cost(sc.accelerators[k], prices[k]));
            std::fprintf(stderr, "  %-10u %10llu %16llu %16llu\n", sc.id,
                static_cast<unsigned long long>(sc.count),
                static_cast<unsigned long long>(sc.cycles),
                static_cast<unsigned long long>(saturating_add(sc.cycles, accel)));
        }
    }
    for (const unsigned id : r.unclosed_cost_scopes)
        std::fprintf(stderr, "  cost scope %u was never closed\n", id);
    if (priced)
        std::fprintf(stderr,
            "  accelerator cycles  %llu (%s)\n  total cycles        %llu\n  cost                "
            "%llu "
            "(%s: cycles + accelerator cycles)\n",
            static_cast<unsigned long long>(accel_cycles), cost_model.c_str(),
            static_cast<unsigned long long>(saturating_add(r.cycles, accel_cycles)),
            static_cast<unsigned long long>(saturating_add(r.cycles, accel_cycles)),
            cost_model.c_str());
    if (opt.profile)
    {
        const double total = r.cycles ? static_cast<double>(r.cycles) : 1.0;
        auto table = [&](const char* title, std::vector<emu::FunctionCycles> fns, bool by_exclusive)
        {
            if (by_exclusive)
                std::stable_sort(fns.begin(), fns.end(),
                    [](const auto& x, const auto& y) { return x.exclusive > y.exclusive; });
            std::fprintf(stderr, "  %-40s %14s %7s %14s %7s %10s\n", title, "inclusive", "%",
                "exclusive", "%", "calls");
            for (size_t i = 0; i < fns.size() && i < a.top; ++i)
            {
                const auto& f = fns[i];
                std::fprintf(stderr, "  %-40.40s %14llu %6.2f%% %14llu %6.2f%% %10llu\n",
                    f.name.c_str(), static_cast<unsigned long long>(f.inclusive),
                    100.0 * static_cast<double>(f.inclusive) / total,
                    static_cast<unsigned long long>(f.exclusive),
                    100.0 * static_cast<double>(f.exclusive) / total,
                    static_cast<unsigned long long>(f.calls));
            }
        };
        table("top functions by inclusive cycles", functions, false);
        table("top functions by exclusive cycles", functions, true);
        if (m.profiler().truncated())
            std::fprintf(stderr,
                "  (more than %u distinct call stacks: calls into new ones are charged to "
                "their callers)\n",
                emu::Profiler::kMaxNodes);
        if (!a.profile.empty())
            std::fprintf(stderr, "  profile written to %s\n", emu::printable(a.profile).c_str());
    }
    return code;
}
}  // namespace

void register_run(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<RunArgs>();
    auto* cmd = app.add_subcommand("run", "Run an RV64IM guest ELF in stelevm (cycles, profile)");
    cmd->description(kRunHelp);
    cmd->add_option("elf", args->elf, "Guest ELF (RV64IM, static, zkVM load rules)")->required();
    cmd->add_option("--input", args->input, "File whose bytes the guest reads with read_input");
    cmd->add_option("--output", args->output, "Write the guest's output here (default: stdout)");
    cmd->add_option("--log", args->log, "Write the guest's log here (default: stderr)");
    cmd->add_option("--max-cycles", args->max_cycles,
           "Stop with exit code 5 after N cycles, N >= 1, or 'unlimited' (0 is a usage error)")
        ->capture_default_str();
    cmd->add_option("--timeout", args->timeout,
        "Stop with exit code 9 after this many seconds of wall-clock time (default 0: none); "
        "unlike --max-cycles not reproducible");
    cmd->add_option("--max-memory", args->max_memory,
           "Memory limit in touched bytes, 4K..4GiB, e.g. 512M, 2GiB; exit code 6")
        ->capture_default_str();
    cmd->add_option("--max-output", args->max_output,
           "Limit on the guest's output and, separately, on its log, e.g. 1M (default: 64MiB); "
           "a write past it stops the run with exit code 8. Also bounds the --profile file")
        ->capture_default_str();
    cmd->add_option("--profile", args->profile,
        "Write the function profile for flame-graph viewers: FILE.json = speedscope, any other "
        "name = folded stacks (flamegraph.pl, inferno, speedscope)");
    cmd->add_option("--top", args->top, "Functions shown per table in the report")
        ->capture_default_str();
    cmd->add_flag("--no-functions", args->no_functions,
        "Skip the function table (inclusive/exclusive cycles per ELF symbol), a few percent "
        "faster");
    cmd->add_option("--accel-cost", args->accel_cost,
           "Price list for accelerator calls (lines `NAME PER_CALL [PER_INPUT_BYTE [PER_WORK]]`) "
           "instead of the built-in cost model stele-cost-v1")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--json", args->json, "Print the whole report as JSON on stdout");
    cmd->add_flag("--switch-dispatch", args->switch_dispatch,
        "Use the switch interpreter loop instead of computed goto (same results, slower)");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}
}  // namespace stele::cli
