// `stele report merge`: joins the JSON-lines files of a sharded `stele spec run --shard I/N
// --jsonl FILE` into one summary (text, JSON or Markdown): totals and passed / failed / skipped
// per fork, skip reasons, the failures, and with --mode guest the guest's blocks, gas, cycles
// and cost. It checks that the files belong together: one mode, one shard count, one filter and
// guest ELF; every shard 0..N-1 present once and complete (its end line written, the end line's
// totals equal to its test lines); no test in two files.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"

namespace stele::cli
{
namespace
{
using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char* kFormat = "stele-spec-jsonl-1";
constexpr uint64_t kListedDuplicates = 5;  // named one by one; all are counted

struct Counts
{
    uint64_t passed = 0, failed = 0, skipped = 0;

    void add(const std::string& verdict)
    {
        if (verdict == "passed")
            ++passed;
        else if (verdict == "failed")
            ++failed;
        else
            ++skipped;
    }
};

struct GuestTotals
{
    uint64_t blocks = 0, agreed = 0, failed = 0, skipped = 0;
    uint64_t gas = 0, cycles = 0, accelerator_cost = 0, cost = 0;
    std::vector<double> cycles_per_gas;  // per block that used gas

    // The median block's cycles per gas (0 without blocks): a corpus total is dominated by a
    // few blocks of huge gas (the legacy static tests run up to 2^44 gas in a few cycles).
    [[nodiscard]] double median_cycles_per_gas() const
    {
        if (cycles_per_gas.empty())
            return 0;
        std::vector<double> v = cycles_per_gas;
        std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    }
};

struct AccelTotals
{
    uint64_t calls = 0, input_bytes = 0, cost = 0;
};

struct Failure
{
    std::string file, test, network, reason, shard_file;
};

struct Merged
{
    std::string mode, guest_elf, cost_model, filter;
    unsigned count = 0;  // shards of the run (from the headers)
    std::vector<std::string> inputs;
    std::set<unsigned> present;
    std::vector<unsigned> missing;
    std::vector<std::string> problems;  // the files do not make one whole run
    std::vector<std::string> warnings;
    Counts total;
    std::map<std::string, Counts> per_fork;
    std::map<std::string, uint64_t> skip_reasons;
    std::vector<Failure> failures;
    std::set<std::string> missing_files;
    uint64_t duplicates = 0;
    double seconds_sum = 0, seconds_max = 0;  // the shards' own run times
    GuestTotals guest;
    std::map<std::string, GuestTotals> guest_per_network;
    std::map<std::string, uint64_t> guest_skips;
    std::map<std::string, uint64_t> regions;  // name -> cycles over all agreed blocks
    std::map<std::string, AccelTotals> accelerators;
};

uint64_t u64(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

std::string text(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::string shard_name(unsigned index, unsigned count)
{
    return std::to_string(index) + "/" + std::to_string(count);
}

void add_guest_block(Merged& m, const json& b)
{
    const std::string verdict = text(b, "verdict");
    for (GuestTotals* g : {&m.guest, &m.guest_per_network[text(b, "network")]})
    {
        ++g->blocks;
        if (verdict == "agreed")
            ++g->agreed;
        else if (verdict == "failed")
            ++g->failed;
        else
            ++g->skipped;
        if (verdict == "skipped")
            continue;
        g->gas += u64(b, "gas_used");
        g->cycles += u64(b, "cycles");
        g->accelerator_cost += u64(b, "accelerator_cost");
        g->cost += u64(b, "cost");
        if (const uint64_t gas = u64(b, "gas_used"))
            g->cycles_per_gas.push_back(
                static_cast<double>(u64(b, "cycles")) / static_cast<double>(gas));
    }
    if (verdict == "skipped")
    {
        ++m.guest_skips[text(b, "reason")];
        return;
    }
    if (const auto r = b.find("regions"); r != b.end() && r->is_object())
        for (const auto& [name, cycles] : r->items())
            if (cycles.is_number_unsigned())
                m.regions[name] += cycles.get<uint64_t>();
    if (const auto a = b.find("accelerators"); a != b.end() && a->is_object())
        for (const auto& [name, s] : a->items())
        {
            AccelTotals& t = m.accelerators[name];
            t.calls += u64(s, "calls");
            t.input_bytes += u64(s, "input_bytes");
            t.cost += u64(s, "cost");
        }
}

// Checks a shard's header against the first one; differences that make the union not one run
// are problems, the rest warnings.
void compare_headers(Merged& m, const json& first, const std::string& first_file, const json& h,
    const std::string& file)
{
    const auto differ = [&](const char* key)
    { return first.value(key, json{}) != h.value(key, json{}); };
    const auto show = [&](const char* key, const json& j) { return j.value(key, json{}).dump(); };
    for (const char* key : {"mode", "filter", "guest_elf", "reason_check", "cost_model"})
        if (differ(key))
            m.problems.push_back(std::string{"mixed runs: "} + key + " is " + show(key, first) +
                                 " in " + first_file + " but " + show(key, h) + " in " + file);
    if (first["shard"].value("count", 0u) != h["shard"].value("count", 0u))
        m.problems.push_back("mixed shard counts: " + first_file + " is one of " +
                             std::to_string(first["shard"].value("count", 0u)) + ", " + file +
                             " one of " + std::to_string(h["shard"].value("count", 0u)));
    for (const char* key : {"stele", "paths"})
        if (differ(key))
            m.warnings.push_back(std::string{key} + " differs: " + show(key, first) + " in " +
                                 first_file + ", " + show(key, h) + " in " + file);
}

// Reads one shard file into m; false (with the reason in error) if it is not a stele JSONL file.
bool read_shard(const std::string& file, Merged& m, std::map<std::string, std::string>& owner,
    json& first_header, std::string& first_file, std::string& error)
{
    std::ifstream in{file, std::ios::binary};
    if (!in)
    {
        error = "cannot read " + file;
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string all = ss.str();
    std::vector<std::string> lines;
    for (size_t b = 0; b < all.size();)
    {
        size_t e = all.find('\n', b);
        const bool whole = e != std::string::npos;
        if (!whole)
            e = all.size();
        if (e > b)
            lines.push_back(all.substr(b, e - b) + (whole ? "" : "\x01"));  // marks a cut line
        b = e + 1;
    }
    if (lines.empty())
    {
        error = file + " is empty";
        return false;
    }
    json header;
    unsigned index = 0, count = 0;
    bool ended = false;
    json end;
    Counts own;
    uint64_t own_tests = 0;
    std::map<std::string, std::vector<json>> pending;  // guest blocks before their test line
    for (size_t n = 0; n < lines.size(); ++n)
    {
        std::string line = lines[n];
        const bool cut = !line.empty() && line.back() == '\x01';
        if (cut)
            line.pop_back();
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object())
        {
            if (cut && n + 1 == lines.size() && n > 0)
            {
                m.warnings.push_back(file +
                                     ": the last line is cut short (the shard was killed "
                                     "while writing); ignored");
                break;
            }
            error = file + ":" + std::to_string(n + 1) + ": not a JSON object";
            return false;
        }
        const std::string type = text(j, "type");
        if (n == 0)
        {
            if (type != "header" || text(j, "format") != kFormat || !j["shard"].is_object())
            {
                error =
                    file + ": not a `stele spec run --jsonl` file (no " + kFormat + " header line)";
                return false;
            }
            header = j;
            index = j["shard"].value("index", 0u);
            count = j["shard"].value("count", 0u);
            if (first_file.empty())
            {
                first_header = j;
                first_file = file;
                m.mode = text(j, "mode");
                m.guest_elf = text(j, "guest_elf");
                m.cost_model = text(j, "cost_model");
                m.filter = text(j, "filter");
                m.count = count;
            }
            else
                compare_headers(m, first_header, first_file, j, file);
            if (count == m.count && !m.present.insert(index).second)
                m.problems.push_back("shard " + shard_name(index, count) +
                                     " is given twice (again in " + file + ")");
            continue;
        }
        if (type == "block")
        {
            pending[text(j, "file") + '\0' + text(j, "test")].push_back(std::move(j));
            continue;
        }
        if (type == "missing_file")
        {
            m.missing_files.insert(text(j, "file"));
            continue;
        }
        if (type == "end")
        {
            ended = true;
            end = j;
            continue;
        }
        if (type != "test")
        {
            m.warnings.push_back(
                file + ":" + std::to_string(n + 1) + ": unknown line type '" + type + "' ignored");
            continue;
        }
        const std::string key = text(j, "file") + '\0' + text(j, "test");
        const std::string verdict = text(j, "verdict");
        own.add(verdict);
        ++own_tests;
        std::vector<json> blocks;
        if (const auto it = pending.find(key); it != pending.end())
        {
            blocks = std::move(it->second);
            pending.erase(it);
        }
        if (const auto [it, fresh] = owner.emplace(key, file); !fresh)
        {
            if (++m.duplicates <= kListedDuplicates)
                m.problems.push_back("duplicate test: " + text(j, "file") + " :: " +
                                     text(j, "test") + " in " + it->second + " and " + file);
            continue;
        }
        m.total.add(verdict);
        m.per_fork[text(j, "network")].add(verdict);
        if (verdict == "skipped")
            ++m.skip_reasons[text(j, "reason")];
        else if (verdict == "failed")
            m.failures.push_back(
                {text(j, "file"), text(j, "test"), text(j, "network"), text(j, "reason"), file});
        for (const json& b : blocks)
            add_guest_block(m, b);
    }
    if (!pending.empty())
        m.warnings.push_back(file + ": guest block lines of " + std::to_string(pending.size()) +
                             " test(s) without their test line (cut short); ignored");
    const std::string name = "shard " + shard_name(index, count) + " (" + file + ")";
    if (!ended)
        m.problems.push_back(name + " has no end line: it was killed or is still running (its " +
                             std::to_string(own_tests) + " complete tests are counted)");
    else
    {
        if (u64(end, "passed") != own.passed || u64(end, "failed") != own.failed ||
            u64(end, "skipped") != own.skipped)
            m.problems.push_back(
                name + ": the end line's totals (" + std::to_string(u64(end, "passed")) +
                " passed, " + std::to_string(u64(end, "failed")) + " failed, " +
                std::to_string(u64(end, "skipped")) + " skipped) differ from its test lines");
        const double s = end.value("seconds", 0.0);
        m.seconds_sum += s;
        m.seconds_max = std::max(m.seconds_max, s);
    }
    m.inputs.push_back(file);
    return true;
}

std::string fmt(const char* f, auto... args)
{
    char buf[512];
    std::snprintf(buf, sizeof buf, f, args...);
    return buf;
}

double per_gas(uint64_t cycles, uint64_t gas)
{
    return gas ? static_cast<double>(cycles) / static_cast<double>(gas) : 0.0;
}

using ull = unsigned long long;

std::string shard_status(const Merged& m)
{
    if (m.missing.empty())
        return "all " + std::to_string(m.count) + " shards present";
    std::string s = "MISSING shards";
    for (unsigned i : m.missing)
        s += " " + shard_name(i, m.count);
    return s;
}

std::string render_text(const Merged& m)
{
    std::string o;
    o += fmt("merged %zu file(s) of a %s run: %s\n", m.inputs.size(), m.mode.c_str(),
        shard_status(m).c_str());
    for (const Failure& f : m.failures)
        o += "FAIL " + f.file + "\n     " + f.test + "\n     " + f.reason + "\n";
    o += fmt("\n%-28s %8s %8s %8s\n", "fork", "passed", "failed", "skipped");
    for (const auto& [fork, c] : m.per_fork)
        o += fmt("%-28s %8llu %8llu %8llu\n", fork.c_str(), static_cast<ull>(c.passed),
            static_cast<ull>(c.failed), static_cast<ull>(c.skipped));
    for (const auto& [reason, n] : m.skip_reasons)
        o += fmt("skipped: %llu tests ", static_cast<ull>(n)) + reason + "\n";
    for (const auto& f : m.missing_files)
        o += "skipped file (not in this copy: Git LFS pointer / unreadable): " + f + "\n";
    if (m.guest.blocks)
    {
        o += "\nguest " + m.guest_elf + " (cost model " + m.cost_model +
             "; gas of the blocks the stateful import accepted; cyc/gas = all cycles / all gas, "
             "median = the median block's)\n";
        o += fmt("%-28s %8s %8s %8s %8s %16s %14s %14s %10s %10s\n", "network", "blocks", "agreed",
            "failed", "skipped", "gas", "cycles", "cost", "cyc/gas", "median");
        const auto row = [&](const std::string& n, const GuestTotals& g)
        {
            o += fmt("%-28s %8llu %8llu %8llu %8llu %16llu %14llu %14llu %10.4f %10.2f\n",
                n.c_str(), static_cast<ull>(g.blocks), static_cast<ull>(g.agreed),
                static_cast<ull>(g.failed), static_cast<ull>(g.skipped), static_cast<ull>(g.gas),
                static_cast<ull>(g.cycles), static_cast<ull>(g.cost), per_gas(g.cycles, g.gas),
                g.median_cycles_per_gas());
        };
        for (const auto& [n, g] : m.guest_per_network)
            row(n, g);
        row("total", m.guest);
        for (const auto& [reason, n] : m.guest_skips)
            o += fmt("guest skipped: %llu blocks: ", static_cast<ull>(n)) + reason + "\n";
        for (const auto& [name, c] : m.regions)
            o += fmt("guest region %-24s %16llu cycles (%.1f %%)\n", name.c_str(),
                static_cast<ull>(c), 100.0 * per_gas(c, m.guest.cycles));
        for (const auto& [name, a] : m.accelerators)
            o += fmt("guest accelerator %-19s %10llu calls %16llu cost\n", name.c_str(),
                static_cast<ull>(a.calls), static_cast<ull>(a.cost));
    }
    o +=
        fmt("merged: %llu passed, %llu failed, %llu skipped (%llu tests, %zu files missing); "
            "shards ran %.1f s in all, the longest %.1f s\n",
            static_cast<ull>(m.total.passed), static_cast<ull>(m.total.failed),
            static_cast<ull>(m.total.skipped),
            static_cast<ull>(m.total.passed + m.total.failed + m.total.skipped),
            m.missing_files.size(), m.seconds_sum, m.seconds_max);
    for (const auto& w : m.warnings)
        o += "warning: " + w + "\n";
    for (const auto& p : m.problems)
        o += "problem: " + p + "\n";
    if (m.duplicates > kListedDuplicates)
        o += fmt("problem: %llu duplicate tests in all\n", static_cast<ull>(m.duplicates));
    if (!m.problems.empty())
        o += "INCOMPLETE OR INCONSISTENT: these files are not one whole run\n";
    return o;
}

// Markdown table cells: no bars or line breaks.
std::string cell(std::string s)
{
    std::string o;
    for (char c : s)
        o += c == '|' ? std::string{"\\|"} : c == '\n' ? std::string{" "} : std::string(1, c);
    return o;
}

std::string render_markdown(const Merged& m)
{
    std::string o = "# stele spec run: merged shards\n\n";
    o +=
        fmt("Mode `%s`, %zu file(s): %s. **%llu passed, %llu failed, %llu skipped**; shards ran "
            "%.1f s in all, the longest %.1f s.\n\n",
            m.mode.c_str(), m.inputs.size(), shard_status(m).c_str(),
            static_cast<ull>(m.total.passed), static_cast<ull>(m.total.failed),
            static_cast<ull>(m.total.skipped), m.seconds_sum, m.seconds_max);
    if (!m.problems.empty())
    {
        o += "**Incomplete or inconsistent: these files are not one whole run.**\n\n";
        for (const auto& p : m.problems)
            o += "- problem: " + cell(p) + "\n";
        o += "\n";
    }
    for (const auto& w : m.warnings)
        o += "- warning: " + cell(w) + "\n";
    o += "\n| fork | passed | failed | skipped |\n|---|---:|---:|---:|\n";
    for (const auto& [fork, c] : m.per_fork)
        o += fmt("| %s | %llu | %llu | %llu |\n", cell(fork).c_str(), static_cast<ull>(c.passed),
            static_cast<ull>(c.failed), static_cast<ull>(c.skipped));
    if (!m.skip_reasons.empty())
    {
        o += "\n| skip reason | tests |\n|---|---:|\n";
        for (const auto& [reason, n] : m.skip_reasons)
            o += "| " + cell(reason) + fmt(" | %llu |\n", static_cast<ull>(n));
    }
    if (!m.failures.empty())
    {
        o += "\n## Failures\n\n| file | test | reason |\n|---|---|---|\n";
        for (const Failure& f : m.failures)
            o += "| " + cell(f.file) + " | " + cell(f.test) + " | " + cell(f.reason) + " |\n";
    }
    if (m.guest.blocks)
    {
        o += "\n## Guest `" + m.guest_elf + "` (cost model " + m.cost_model +
             ")\n\nGas: of the blocks "
             "the stateful import accepted.\n\n";
        o += "| network | blocks | agreed | failed | skipped | gas | cycles | cost | Σcycles/Σgas "
             "| median cycles/gas |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        const auto row = [&](const std::string& n, const GuestTotals& g)
        {
            o += fmt("| %s | %llu | %llu | %llu | %llu | %llu | %llu | %llu | %.4f | %.2f |\n",
                cell(n).c_str(), static_cast<ull>(g.blocks), static_cast<ull>(g.agreed),
                static_cast<ull>(g.failed), static_cast<ull>(g.skipped), static_cast<ull>(g.gas),
                static_cast<ull>(g.cycles), static_cast<ull>(g.cost), per_gas(g.cycles, g.gas),
                g.median_cycles_per_gas());
        };
        for (const auto& [n, g] : m.guest_per_network)
            row(n, g);
        row("**total**", m.guest);
        if (!m.regions.empty())
        {
            o += "\n| region | cycles | share |\n|---|---:|---:|\n";
            for (const auto& [name, c] : m.regions)
                o += fmt("| %s | %llu | %.1f %% |\n", cell(name).c_str(), static_cast<ull>(c),
                    100.0 * per_gas(c, m.guest.cycles));
        }
        if (!m.accelerators.empty())
        {
            o += "\n| accelerator | calls | input bytes | cost |\n|---|---:|---:|---:|\n";
            for (const auto& [name, a] : m.accelerators)
                o += fmt("| %s | %llu | %llu | %llu |\n", cell(name).c_str(),
                    static_cast<ull>(a.calls), static_cast<ull>(a.input_bytes),
                    static_cast<ull>(a.cost));
        }
    }
    return o;
}

ordered_json counts_json(const Counts& c)
{
    return {{"passed", c.passed}, {"failed", c.failed}, {"skipped", c.skipped}};
}

ordered_json guest_json(const GuestTotals& g)
{
    return {{"blocks", g.blocks}, {"agreed", g.agreed}, {"failed", g.failed},
        {"skipped", g.skipped}, {"gas", g.gas}, {"cycles", g.cycles},
        {"accelerator_cost", g.accelerator_cost}, {"cost", g.cost},
        {"cycles_per_gas", per_gas(g.cycles, g.gas)},
        {"median_cycles_per_gas", g.median_cycles_per_gas()}};
}

std::string render_json(const Merged& m)
{
    ordered_json j = {{"format", "stele-spec-summary-1"}, {"mode", m.mode},
        {"complete", m.problems.empty()}, {"inputs", m.inputs},
        {"shards", {{"count", m.count}, {"present", m.present}, {"missing", m.missing}}},
        {"problems", m.problems}, {"warnings", m.warnings}, {"duplicates", m.duplicates},
        {"passed", m.total.passed}, {"failed", m.total.failed}, {"skipped", m.total.skipped},
        {"seconds", {{"sum", m.seconds_sum}, {"max", m.seconds_max}}}};
    j["per_fork"] = ordered_json::object();
    for (const auto& [fork, c] : m.per_fork)
        j["per_fork"][fork] = counts_json(c);
    j["skip_reasons"] = ordered_json::object();
    for (const auto& [reason, n] : m.skip_reasons)
        j["skip_reasons"][reason] = n;
    j["missing_files"] = m.missing_files;
    j["failures"] = ordered_json::array();
    for (const Failure& f : m.failures)
        j["failures"].push_back({{"file", f.file}, {"test", f.test}, {"network", f.network},
            {"reason", f.reason}, {"shard_file", f.shard_file}});
    if (m.guest.blocks)
    {
        ordered_json g = guest_json(m.guest);
        g["elf"] = m.guest_elf;
        g["cost_model"] = m.cost_model;
        g["per_network"] = ordered_json::object();
        for (const auto& [n, t] : m.guest_per_network)
            g["per_network"][n] = guest_json(t);
        g["skip_reasons"] = m.guest_skips;
        g["regions"] = m.regions;
        g["accelerators"] = ordered_json::object();
        for (const auto& [name, a] : m.accelerators)
            g["accelerators"][name] = {
                {"calls", a.calls}, {"input_bytes", a.input_bytes}, {"cost", a.cost}};
        j["guest"] = std::move(g);
    }
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

struct MergeArgs
{
    std::vector<std::string> files;
    std::string format = "text";
    std::string out;
};

int merge(const MergeArgs& a)
{
    Merged m;
    std::map<std::string, std::string> owner;  // file NUL test -> the shard file that has it
    json first_header;
    std::string first_file;
    for (const std::string& f : a.files)
    {
        std::string error;
        if (!read_shard(f, m, owner, first_header, first_file, error))
        {
            std::fprintf(stderr, "stele report merge: %s\n", error.c_str());
            return 2;
        }
    }
    for (unsigned i = 0; i < m.count; ++i)
        if (!m.present.count(i))
            m.missing.push_back(i);
    if (!m.missing.empty())
        m.problems.insert(m.problems.begin(), shard_status(m) + " of " + std::to_string(m.count));
    std::sort(m.failures.begin(), m.failures.end(),
        [](const Failure& x, const Failure& y)
        { return std::tie(x.file, x.test) < std::tie(y.file, y.test); });

    const std::string out = a.format == "json"       ? render_json(m)
                            : a.format == "markdown" ? render_markdown(m)
                                                     : render_text(m);
    if (a.out.empty())
        std::fwrite(out.data(), 1, out.size(), stdout);
    else if (std::ofstream o{a.out, std::ios::binary}; !(o << out))
    {
        std::fprintf(stderr, "stele report merge: cannot write %s\n", a.out.c_str());
        return 2;
    }
    if (!m.problems.empty())
    {
        if (!a.out.empty() || a.format != "text")
            for (const auto& p : m.problems)
                std::fprintf(stderr, "stele report merge: problem: %s\n", p.c_str());
        return 3;
    }
    return m.total.failed || m.guest.failed ? 1 : 0;
}
}  // namespace

void register_report(CLI::App& app, int& exit_code)
{
    auto* report = app.add_subcommand("report", "Summaries of runs written as JSON lines");
    report->require_subcommand(1);
    auto args = std::make_shared<MergeArgs>();
    auto* m = report->add_subcommand("merge",
        "Join the --jsonl files of the shards of a `stele spec run --shard I/N` into one summary");
    m->add_option("files", args->files, "The shards' JSON-lines files")->required();
    m->add_option("--format", args->format, "text (default), json or markdown")
        ->check(CLI::IsMember({"text", "json", "markdown"}));
    m->add_option("--out", args->out, "Write the summary to this file instead of stdout");
    m->footer(
        "Checks that the files make one whole run: the same mode, filter, guest ELF and shard "
        "count in every header; each shard 0..N-1 present once, with its end line (a shard "
        "killed mid-run has none; its complete tests are still counted) whose totals equal its "
        "test lines; no test in two files (the first is counted, every duplicate is a problem).\n"
        "Exit codes: 0 one whole run and every test passed or was skipped; 1 one whole run with "
        "failed tests; 2 usage error, unreadable file or not a `spec run --jsonl` file; 3 the "
        "files are not one whole run (missing, repeated or unfinished shards, duplicate tests, "
        "mixed modes): the summary is still written, marked incomplete.");
    m->callback([args, &exit_code] { exit_code = merge(*args); });
}
}  // namespace stele::cli
