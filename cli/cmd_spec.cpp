// `stele spec run`: the EEST blockchain-test runner. Imports every test natively (stateful, on
// the in-memory state), checks postState / postStateHash, lastblockhash and that every
// `expectException` block is rejected for the expected reason; prints passed / failed /
// skipped per fork and the first differing field of each failure. `--shard I/N` runs one of N
// disjoint parts of the tests, `--jsonl` writes one JSON line per test (and per guest block) as
// it completes, for `stele report merge`.
#include <pthread.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <emulator/cost_model.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stateless/chain/block.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/state/memory_state.hpp>
#include <thread>

#include "cmd_stateless.hpp"
#include "commands.hpp"
#include "eest_fixture.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
namespace fs = std::filesystem;
using chain::Error;

enum class Outcome
{
    passed,
    failed,
    skipped,
};

struct TestResult
{
    uint64_t gas = 0;        // gas of the accepted blocks
    double cpu_seconds = 0;  // thread CPU time spent in block import (apply_block)
    double wall_seconds = 0;
    std::string file;
    std::string name;
    std::string network;
    Outcome outcome = Outcome::passed;
    std::string detail;                    // first differing field, or the skip reason
    std::string key;                       // the file's shard key (see FixtureFile)
    double seconds = 0;                    // wall time of the whole test (all modes' checks)
    std::vector<GuestBlockRecord> blocks;  // --mode guest: per block the guest saw
};

std::string hex_u256_str(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    size_t i = 0;
    while (i < 31 && be[i] == 0)
        ++i;
    return to_hex0x({be + i, 32 - i});
}

// ---- one test ------------------------------------------------------------------------------

bool reason_matches(std::string_view expected, Error got)
{
    const std::string_view name = chain::error_name(got);
    size_t start = 0;
    while (start <= expected.size())
    {
        size_t bar = expected.find('|', start);
        if (bar == std::string_view::npos)
            bar = expected.size();
        if (expected.substr(start, bar - start) == name)
            return true;
        start = bar + 1;
    }
    return false;
}

// A zkevm fixture block's reference witness and guest input/output, if it has them.
bool reference_of(simdjson::dom::element bj, ReferenceBlock& ref)
{
    simdjson::dom::element w;
    if (!bj["executionWitness"].get(w))
    {
        ref.has_witness = true;
        const auto list = [&](const char* key, std::vector<bytes>& out)
        {
            simdjson::dom::array a;
            if (!w[key].get(a))
                for (simdjson::dom::element e : a)
                    out.push_back(hex_bytes(str(e)));
        };
        list("state", ref.state);
        list("codes", ref.codes);
        list("headers", ref.headers);
    }
    std::string_view in, out;
    if (!bj["statelessInputBytes"].get(in) && !bj["statelessOutputBytes"].get(out))
    {
        ref.input = hex_bytes(in);
        ref.output = hex_bytes(out);
    }
    return ref.has_witness || !ref.input.empty();
}

const char* precompile_owner(unsigned addr)
{
    return (addr >= 6 && addr <= 8) || (addr >= 0x0a && addr <= 0x11) ? "pairing" : "crypto";
}

TestResult run_test(const std::string& name, simdjson::dom::element t,
    const evm::PrecompileTable& precompiles, bool check_reasons, bool stateless_mode,
    unsigned adversarial_every, bool public_keys, const std::string& dump_dir, bool timing,
    const GuestOptions* guest, const std::string& file)
{
    TestResult res;
    res.name = name;
    res.network = std::string{str(t["network"])};
    const auto fail = [&](std::string d)
    {
        res.outcome = Outcome::failed;
        res.detail = std::move(d);
        return res;
    };

    chain::ChainConfig config;
    state::InMemoryState db;
    std::vector<chain::BlockHeader> headers(1);
    if (std::string e = load_test_chain(t, config, db, headers[0]); !e.empty())
        return fail(e);

    chain::BlockEnv env;
    env.config = &config;
    env.precompiles = &precompiles;
    env.recover = recover_address_host;
    env.block_hash = block_hash_from_headers;
    env.block_hash_ctx = &headers;

    unsigned missing = 0;
    simdjson::dom::array blocks;
    if (t["blocks"].get(blocks))
        return fail("no blocks");
    size_t bi = 0;
    for (simdjson::dom::element bj : blocks)
    {
        const std::string where = "block " + std::to_string(bi++);
        std::string_view expect;
        const bool expect_fail = !bj["expectException"].get(expect);
        const bytes rlp = hex_bytes(str(bj["rlp"]));
        chain::Block block;
        Error err = chain::decode_block(rlp, block);
        chain::BlockOutcome out;
        if (err == Error::ok)
        {
            state::InMemoryState snapshot = db;
            timespec c0, c1;
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
            const auto w0 = std::chrono::steady_clock::now();
            out = chain::apply_block(db, env, headers.back(), block);
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
            res.wall_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
            const double block_cpu = static_cast<double>(c1.tv_sec - c0.tv_sec) +
                                     static_cast<double>(c1.tv_nsec - c0.tv_nsec) * 1e-9;
            res.cpu_seconds += block_cpu;
            if (out.error == Error::ok)
                res.gas += out.gas_used;
            err = out.error;
            if (out.missing_precompile)
                missing = out.missing_precompile;
            if (stateless_mode && !out.missing_precompile)
            {
                StatelessCheckOptions so{&config, &precompiles, recover_address_host,
                    adversarial_every, public_keys, dump_dir, timing, file + "::" + name, block_cpu,
                    res.network};
                ReferenceBlock ref;
                if (reference_of(bj, ref))
                    so.reference = &ref;
                so.guest = guest;
                so.guest_blocks = &res.blocks;
                const size_t first = res.blocks.size();
                const std::string d = stateless_check_block(snapshot, headers, rlp, out.error, so);
                for (size_t k = first; k < res.blocks.size(); ++k)
                    res.blocks[k].index = bi - 1;
                if (!d.empty())
                    return fail(where + ": " + d);
            }
            if (err != Error::ok)
                db = std::move(snapshot);
        }
        if (expect_fail)
        {
            if (err == Error::ok)
            {
                if (missing)
                    break;
                return fail(where + ": accepted, expected " + std::string{expect});
            }
            if (check_reasons && !reason_matches(expect, err) && !missing)
                return fail(where + ": rejected with " + std::string{chain::error_name(err)} +
                            ", expected " + std::string{expect});
            continue;
        }
        if (err != Error::ok)
        {
            if (missing)
                break;
            std::string d = where + ": rejected with " + std::string{chain::error_name(err)};
            if (!out.receipts.empty() || out.tx_index)
                d += " (tx " + std::to_string(out.tx_index) + ")";
            return fail(d);
        }
        simdjson::dom::element bh;
        if (!bj["blockHeader"].get(bh))
        {
            const hash256 expected_hash = hex_fixed<32>(str(bh["hash"]));
            if (expected_hash != block.header.hash)
                return fail(where + ": hash " + to_hex0x(block.header.hash) +
                            " != " + to_hex0x(expected_hash));
        }
        headers.push_back(block.header);
    }

    if (missing)
    {
        res.outcome = Outcome::skipped;
        char buf[96];
        std::snprintf(
            buf, sizeof buf, "needs %s precompile 0x%02x", precompile_owner(missing), missing);
        res.detail = buf;
        return res;
    }

    const hash256 last = hex_fixed<32>(str(t["lastblockhash"]));
    if (last != headers.back().hash)
        return fail("lastblockhash " + to_hex0x(headers.back().hash) + " != " + to_hex0x(last));

    simdjson::dom::object post;
    std::string_view post_hash;
    if (!t["postState"].get(post))
    {
        size_t expected_accounts = 0;
        for (auto [addr_s, acc] : post)
        {
            ++expected_accounts;
            const address addr = hex_fixed<20>(addr_s);
            const auto* e = db.find(addr);
            const std::string a = std::string{addr_s};
            if (!e)
                return fail("postState " + a + ": missing account");
            const uint64_t nonce = hex_u256(str(acc["nonce"])).w[0];
            if (e->info.nonce != nonce)
                return fail("postState " + a + " nonce: " + std::to_string(e->info.nonce) +
                            " != " + std::to_string(nonce));
            const uint256 bal = hex_u256(str(acc["balance"]));
            if (!(e->info.balance == bal))
                return fail("postState " + a + " balance: " + hex_u256_str(e->info.balance) +
                            " != " + hex_u256_str(bal));
            const bytes code = hex_bytes(str(acc["code"]));
            const hash256 ch = code.empty() ? state::kEmptyCodeHash : keccak256(code);
            if (ch != e->info.code_hash)
                return fail("postState " + a + " code differs");
            size_t expected_slots = 0;
            simdjson::dom::object storage;
            if (!acc["storage"].get(storage))
            {
                for (auto [k, v] : storage)
                {
                    const uint256 key = hex_u256(k), val = hex_u256(str(v));
                    if (val.is_zero())
                        continue;
                    ++expected_slots;
                    const uint256* ours = e->storage.find(key);
                    const uint256 got = ours ? *ours : uint256{};
                    if (!(got == val))
                        return fail("postState " + a + " storage[" + hex_u256_str(key) +
                                    "]: " + hex_u256_str(got) + " != " + hex_u256_str(val));
                }
            }
            size_t ours_slots = 0;
            e->storage.for_each(
                [&](const uint256&, const uint256& v) { ours_slots += !v.is_zero(); });
            if (ours_slots != expected_slots)
                return fail("postState " + a + ": " + std::to_string(ours_slots) +
                            " storage slots != " + std::to_string(expected_slots));
        }
        size_t ours = 0;
        std::string extra;
        db.for_each(
            [&](const address& a, const state::InMemoryState::Entry&)
            {
                ++ours;
                simdjson::dom::element x;
                if (post[to_hex0x(a)].get(x) && extra.empty())
                    extra = to_hex0x(a);
            });
        if (ours != expected_accounts)
            return fail("postState: unexpected account " + extra);
    }
    else if (!t["postStateHash"].get(post_hash))
    {
        const hash256 expected = hex_fixed<32>(post_hash);
        const hash256 root = db.state_root();
        if (root != expected)
            return fail("postStateHash " + to_hex0x(root) + " != " + to_hex0x(expected));
    }
    return res;
}

// ---- files ---------------------------------------------------------------------------------

// A fixture file and its key: the path relative to the directory argument it was found under,
// prefixed by that directory's own name (`blockchain_tests/cancun/x.json`), or a file argument's
// name. The key, not where the fixtures are mounted, decides the shard, so that every host of a
// sharded run partitions alike.
struct FixtureFile
{
    std::string path;
    std::string key;
};

void collect(const std::string& path, std::vector<FixtureFile>& files)
{
    std::error_code ec;
    const fs::path root = fs::path{path}.lexically_normal();
    if (fs::is_directory(path, ec))
    {
        fs::path base = root.filename().empty() ? root.parent_path().filename() : root.filename();
        for (const auto& e : fs::recursive_directory_iterator(path, ec))
            if (e.is_regular_file() && e.path().extension() == ".json")
                files.push_back({e.path().string(),
                    (base / e.path().lexically_normal().lexically_relative(root))
                        .generic_string()});
    }
    else
        files.push_back({path, root.filename().generic_string()});
}

// --shard I/N: part I (0-based, as Slurm array indices, Kubernetes JOB_COMPLETION_INDEX and
// `parallel ... ::: $(seq 0 N-1)` give it) of N.
struct Shard
{
    unsigned index = 0;
    unsigned count = 1;
};

enum class ShardError
{
    ok,
    malformed,           // not I/N in decimal digits
    zero_count,          // N = 0
    count_too_large,     // N > kMaxShards
    index_out_of_range,  // I >= N
};
constexpr unsigned kMaxShards = 1'000'000;

const char* shard_error_message(ShardError e)
{
    switch (e)
    {
        case ShardError::ok:
            return "ok";
        case ShardError::malformed:
            return "malformed: expected I/N in decimal digits, e.g. 0/4";
        case ShardError::zero_count:
            return "zero shards: N must be at least 1";
        case ShardError::count_too_large:
            return "too many shards: N must be at most 1000000";
        case ShardError::index_out_of_range:
            return "index out of range: I counts from 0 and must be less than N";
    }
    return "?";
}

ShardError parse_shard(std::string_view s, Shard& out)
{
    const size_t slash = s.find('/');
    if (slash == std::string_view::npos)
        return ShardError::malformed;
    const auto number = [](std::string_view d, uint64_t& v)
    {
        if (d.empty() || d.size() > 9 ||
            d.find_first_not_of("0123456789") != std::string_view::npos)
            return false;
        return std::from_chars(d.data(), d.data() + d.size(), v).ec == std::errc{};
    };
    uint64_t i = 0, n = 0;
    if (!number(s.substr(0, slash), i) || !number(s.substr(slash + 1), n))
        return ShardError::malformed;
    if (n == 0)
        return ShardError::zero_count;
    if (n > kMaxShards)
        return ShardError::count_too_large;
    if (i >= n)
        return ShardError::index_out_of_range;
    out = {static_cast<unsigned>(i), static_cast<unsigned>(n)};
    return ShardError::ok;
}

// The shard of a test: the first 8 bytes of keccak256(file key, NUL, test name), big-endian,
// mod N. Entries about a whole file (it does not parse, or is not in this copy) use the name "".
unsigned shard_of(std::string_view key, std::string_view test, unsigned count)
{
    std::string k{key};
    k.push_back('\0');
    k.append(test);
    const hash256 h = keccak256({reinterpret_cast<const uint8_t*>(k.data()), k.size()});
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = v << 8 | h.bytes[i];
    return static_cast<unsigned>(v % count);
}

// --jsonl: one JSON object per line, each test's lines written and flushed at once when it
// completes, so that a killed shard leaves only whole lines (bar possibly the last).
class JsonLines
{
public:
    bool open(const std::string& path)
    {
        f_ = std::fopen(path.c_str(), "w");
        return f_ != nullptr;
    }
    ~JsonLines()
    {
        if (f_)
            std::fclose(f_);
    }
    explicit operator bool() const
    {
        return f_ != nullptr;
    }
    void write(const std::vector<nlohmann::ordered_json>& lines)
    {
        std::string text;
        for (const auto& j : lines)
            text += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        std::lock_guard lock{mu_};
        std::fwrite(text.data(), 1, text.size(), f_);
        std::fflush(f_);
    }

private:
    std::FILE* f_ = nullptr;
    std::mutex mu_;
};

const char* outcome_name(Outcome o)
{
    return o == Outcome::passed ? "passed" : o == Outcome::failed ? "failed" : "skipped";
}

// The lines of one test: its guest blocks first, then the test itself.
std::vector<nlohmann::ordered_json> test_lines(const TestResult& r, const std::string& mode)
{
    std::vector<nlohmann::ordered_json> lines;
    for (const GuestBlockRecord& b : r.blocks)
    {
        nlohmann::ordered_json j = {{"type", "block"}, {"file", r.key}, {"test", r.name},
            {"network", r.network}, {"block", b.index}, {"number", b.number}, {"valid", b.valid},
            {"verdict", b.verdict}, {"reason", b.reason}, {"gas_used", b.gas_used},
            {"cycles", b.cycles}, {"accelerator_cost", b.accelerator_cost}, {"cost", b.cost}};
        j["regions"] = nlohmann::ordered_json::object();
        for (const auto& [name, cycles] : b.regions)
            j["regions"][name] = cycles;
        j["accelerators"] = nlohmann::ordered_json::object();
        for (const emu::AccelReport& a : b.accelerators)
            j["accelerators"][a.name] = {{"calls", a.stats.calls},
                {"input_bytes", a.stats.input_bytes}, {"work", a.stats.work},
                {"cost", emu::accel_cost(a.stats, emu::cost_model_v1()[a.number])}};
        lines.push_back(std::move(j));
    }
    lines.push_back({{"type", "test"}, {"file", r.key}, {"test", r.name}, {"network", r.network},
        {"mode", mode}, {"verdict", outcome_name(r.outcome)}, {"reason", r.detail},
        {"seconds", r.seconds}, {"gas", r.gas}, {"guest_blocks", r.blocks.size()}});
    return lines;
}

std::string json_escape(std::string_view s)
{
    std::string o;
    for (char c : s)
    {
        if (c == '"' || c == '\\')
        {
            o += '\\';
            o += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        }
        else
            o += c;
    }
    return o;
}

struct Options
{
    std::vector<std::string> paths;
    std::string filter;
    std::string json;
    unsigned jobs = 0;
    bool no_reason_check = false;
    bool timing = false;
    bool list_failures = true;
    std::string mode = "stateful";
    unsigned adversarial_every = 0;
    bool public_keys = false;
    std::string dump_witness;
    std::string guest_elf;
    bool software = false;
    std::string calibrate;
    std::string shard;  // I/N, validated by parse_shard
    std::string jsonl;
};

// The validator ELF of --mode guest: --guest-elf, else the build tree's next to this binary
// (<build>/cli/stele -> <build>/guest/stateless/guest/).
std::string find_guest_elf(const Options& opt, std::string& error)
{
    if (!opt.guest_elf.empty())
        return opt.guest_elf;
    const char* name = opt.software ? "validator.stelevm.elf" : "validator_accel.stelevm.elf";
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    const fs::path guess = self.parent_path().parent_path() / "guest/stateless/guest" / name;
    if (!ec && fs::exists(guess))
        return guess.string();
    error = std::string{"no "} + name + " next to this binary (looked at " + guess.string() +
            "): give --guest-elf FILE";
    return "";
}

int run(const Options& opt)
{
    std::vector<FixtureFile> files;
    for (const auto& p : opt.paths)
        collect(p, files);
    std::sort(files.begin(), files.end(),
        [](const FixtureFile& a, const FixtureFile& b) { return a.path < b.path; });
    Shard shard;
    if (const ShardError e = opt.shard.empty() ? ShardError::ok : parse_shard(opt.shard, shard);
        e != ShardError::ok)
    {
        std::fprintf(
            stderr, "stele spec run: --shard %s: %s\n", opt.shard.c_str(), shard_error_message(e));
        return 2;
    }

    evm::PrecompileTable precompiles = evm::default_precompiles();

    GuestOptions guest;
    const bool guest_mode = opt.mode == "guest";
    if (guest_mode)
    {
        std::string error;
        const std::string path = find_guest_elf(opt, error);
        std::ifstream f{path, std::ios::binary};
        if (path.empty() || !f)
        {
            std::fprintf(stderr, "stele spec run: %s\n",
                error.empty() ? ("cannot read " + path).c_str() : error.c_str());
            return 2;
        }
        guest.elf.assign(std::istreambuf_iterator<char>{f}, {});
        guest.name = fs::path{path}.filename().string();
        stateless_set_guest_name(guest.name);
        if (!opt.calibrate.empty())
        {
            Options sw = opt;
            sw.software = true;
            sw.guest_elf.clear();
            const std::string sp = find_guest_elf(sw, error);
            std::ifstream sf{sp, std::ios::binary};
            if (sp.empty() || !sf || opt.software)
            {
                std::fprintf(stderr, "stele spec run: --calibrate: %s\n",
                    opt.software ? "runs both builds itself; drop --software"
                                 : (error.empty() ? "cannot read " + sp : error).c_str());
                return 2;
            }
            guest.software_elf.assign(std::istreambuf_iterator<char>{sf}, {});
            guest.calibration = std::fopen(opt.calibrate.c_str(), "w");
            if (!guest.calibration)
            {
                std::fprintf(stderr, "stele spec run: cannot write %s\n", opt.calibrate.c_str());
                return 2;
            }
        }
    }

    JsonLines jsonl;
    if (!opt.jsonl.empty())
    {
        if (!jsonl.open(opt.jsonl))
        {
            std::fprintf(stderr, "stele spec run: cannot write %s\n", opt.jsonl.c_str());
            return 2;
        }
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        nlohmann::ordered_json h = {{"type", "header"}, {"format", "stele-spec-jsonl-1"},
            {"stele", STELE_VERSION}, {"mode", opt.mode},
            {"shard", {{"index", shard.index}, {"count", shard.count}}}, {"paths", opt.paths},
            {"filter", opt.filter}, {"reason_check", !opt.no_reason_check},
            {"guest_elf", guest_mode ? guest.name : ""}, {"cost_model", emu::kCostModelName},
            {"host", host}, {"started_unix", static_cast<long long>(std::time(nullptr))}};
        jsonl.write({h});
    }

    std::mutex mu;
    std::vector<TestResult> results;
    std::vector<std::string> missing_files;
    std::atomic<size_t> next{0}, done{0}, seen{0};
    const bool tty = isatty(2);
    const auto t0 = std::chrono::steady_clock::now();

    auto worker = [&]
    {
        simdjson::dom::parser parser;
        for (;;)
        {
            const size_t i = next.fetch_add(1);
            if (i >= files.size())
                break;
            const std::string& f = files[i].path;
            const std::string& key = files[i].key;
            const bool owns_file = shard_of(key, "", shard.count) == shard.index;
            std::vector<TestResult> local;
            simdjson::padded_string content;
            bool lfs = false;
            if (simdjson::padded_string::load(f).get(content))
                lfs = true;
            else if (std::string_view{content.data(), content.size()}.starts_with(
                         "version https://git-lfs"))
                lfs = true;
            simdjson::dom::object doc;
            if (!lfs && parser.parse(content).get(doc))
            {
                ++seen;
                TestResult r;
                r.file = f;
                r.key = key;
                r.name = "(file)";
                r.outcome = Outcome::failed;
                r.detail = "JSON does not parse";
                if (owns_file)
                {
                    if (jsonl)
                        jsonl.write(test_lines(r, opt.mode));
                    local.push_back(r);
                }
            }
            else if (!lfs)
            {
                for (auto [name, test] : doc)
                {
                    const std::string n{name};
                    if (!opt.filter.empty() && n.find(opt.filter) == std::string::npos &&
                        f.find(opt.filter) == std::string::npos)
                        continue;
                    ++seen;
                    if (shard_of(key, n, shard.count) != shard.index)
                        continue;
                    const auto w0 = std::chrono::steady_clock::now();
                    TestResult r = run_test(n, test, precompiles, !opt.no_reason_check,
                        opt.mode != "stateful", opt.adversarial_every, opt.public_keys,
                        opt.dump_witness, opt.timing, guest_mode ? &guest : nullptr, f);
                    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0)
                                    .count();
                    r.file = f;
                    r.key = key;
                    if (jsonl)
                        jsonl.write(test_lines(r, opt.mode));
                    local.push_back(std::move(r));
                }
            }
            const size_t d = done.fetch_add(1) + 1;
            if (lfs && owns_file && jsonl)
                jsonl.write({{{"type", "missing_file"}, {"file", key},
                    {"reason", "not in this copy: Git LFS pointer / unreadable"}}});
            std::lock_guard lock{mu};
            if (lfs && owns_file)
                missing_files.push_back(f);
            for (auto& r : local)
                results.push_back(std::move(r));
            if (tty)
            {
                size_t nf = 0;
                for (const auto& r : results)
                    nf += r.outcome == Outcome::failed;
                const int width = 40;
                const int filled = static_cast<int>(width * d / std::max<size_t>(files.size(), 1));
                std::fprintf(stderr, "\r[%s%s] %zu/%zu files, %zu tests, %zu failed ",
                    std::string(static_cast<size_t>(filled), '#').c_str(),
                    std::string(static_cast<size_t>(width - filled), ' ').c_str(), d, files.size(),
                    results.size(), nf);
            }
        }
    };
    unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
    // Workers get a large stack: a test may nest 1024 calls deep, and sanitizer builds make
    // every interpreter frame several times bigger (std::thread cannot set a stack size).
    std::vector<pthread_t> threads;
    using Worker = decltype(worker);
    const auto entry = [](void* p) -> void*
    {
        (*static_cast<Worker*>(p))();
        return nullptr;
    };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t{512} << 20);
    for (unsigned j = 0; j < jobs; ++j)
    {
        pthread_t th;
        if (pthread_create(&th, &attr, entry, &worker) == 0)
            threads.push_back(th);
    }
    pthread_attr_destroy(&attr);
    if (threads.empty())
        worker();
    for (pthread_t th : threads)
        pthread_join(th, nullptr);
    if (tty)
        std::fprintf(stderr, "\n");
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::sort(results.begin(), results.end(),
        [](const TestResult& a, const TestResult& b)
        { return std::tie(a.file, a.name) < std::tie(b.file, b.name); });
    struct Counts
    {
        size_t passed = 0, failed = 0, skipped = 0;
    };
    std::map<std::string, Counts> per_fork;
    std::map<std::string, size_t> skip_reasons;
    Counts total;
    for (const auto& r : results)
    {
        auto& c = per_fork[r.network];
        switch (r.outcome)
        {
            case Outcome::passed:
                ++c.passed;
                ++total.passed;
                break;
            case Outcome::failed:
                ++c.failed;
                ++total.failed;
                if (opt.list_failures)
                    std::printf("FAIL %s\n     %s\n     %s\n", r.file.c_str(), r.name.c_str(),
                        r.detail.c_str());
                break;
            case Outcome::skipped:
                ++c.skipped;
                ++total.skipped;
                ++skip_reasons[r.detail];
                break;
        }
    }
    std::printf("\n%-28s %8s %8s %8s\n", "fork", "passed", "failed", "skipped");
    for (const auto& [fork, c] : per_fork)
        std::printf("%-28s %8zu %8zu %8zu\n", fork.c_str(), c.passed, c.failed, c.skipped);
    for (const auto& [reason, n] : skip_reasons)
        std::printf("skipped: %zu tests %s\n", n, reason.c_str());
    for (const auto& f : missing_files)
        std::printf(
            "skipped file (not in this copy: Git LFS pointer / unreadable): %s\n", f.c_str());
    std::printf(
        "spec: %zu passed, %zu failed, %zu skipped (%zu files, %zu files missing) in %.1f s\n",
        total.passed, total.failed, total.skipped, files.size(), missing_files.size(), secs);
    if (shard.count > 1)
        std::printf("shard %u/%u: %zu of the %zu tests found\n", shard.index, shard.count,
            results.size(), seen.load());
    if (opt.mode != "stateful")
        stateless_print_summary();
    if (jsonl)
        jsonl.write({{{"type", "end"}, {"passed", total.passed}, {"failed", total.failed},
            {"skipped", total.skipped}, {"tests", results.size()},
            {"tests_all_shards", seen.load()}, {"files", files.size()},
            {"missing_files", missing_files.size()}, {"seconds", secs}}});
    if (guest.calibration)
        std::fclose(guest.calibration);

    if (opt.timing)
    {
        // Block import throughput (apply_block: header checks, sender recovery, execution,
        // roots), by category: the directory under `compute/` (instruction, precompile,
        // scenario) or the file's parent directory; and per file.
        struct Acc
        {
            uint64_t gas = 0;
            double cpu = 0, wall = 0;
        };
        std::map<std::string, Acc> per_cat, per_file;
        Acc all;
        for (const auto& r : results)
        {
            if (r.outcome != Outcome::passed)
                continue;
            const fs::path fp{r.file};
            std::string cat = fp.parent_path().filename().string();
            for (auto it = fp.begin(); it != fp.end(); ++it)
                if (*it == "compute" && std::next(it) != fp.end())
                    cat = std::next(it)->string();
            for (Acc* a : {&per_cat[cat], &per_file[fp.stem().string()], &all})
            {
                a->gas += r.gas;
                a->cpu += r.cpu_seconds;
                a->wall += r.wall_seconds;
            }
        }
        const auto line = [](const std::string& n, const Acc& a)
        {
            std::printf("%-40s %10.1f Mgas %9.3f s cpu %9.1f Mgas/s (cpu) %9.1f Mgas/s (wall)\n",
                n.c_str(), static_cast<double>(a.gas) / 1e6, a.cpu,
                a.cpu > 0 ? static_cast<double>(a.gas) / 1e6 / a.cpu : 0.0,
                a.wall > 0 ? static_cast<double>(a.gas) / 1e6 / a.wall : 0.0);
        };
        std::printf("\nblock import throughput per file:\n");
        for (const auto& [n, a] : per_file)
            line(n, a);
        std::printf("\nblock import throughput per category:\n");
        for (const auto& [n, a] : per_cat)
            line(n, a);
        line("total", all);
    }

    if (!opt.json.empty())
    {
        std::ofstream js{opt.json};
        js << "{\"passed\":" << total.passed << ",\"failed\":" << total.failed
           << ",\"skipped\":" << total.skipped << ",\"seconds\":" << secs << ",\"per_fork\":{";
        bool first = true;
        for (const auto& [fork, c] : per_fork)
        {
            js << (first ? "" : ",") << "\"" << json_escape(fork) << "\":{\"passed\":" << c.passed
               << ",\"failed\":" << c.failed << ",\"skipped\":" << c.skipped << "}";
            first = false;
        }
        js << "},\"missing_files\":[";
        first = true;
        for (const auto& f : missing_files)
        {
            js << (first ? "" : ",") << "\"" << json_escape(f) << "\"";
            first = false;
        }
        js << "],\"tests\":[";
        first = true;
        for (const auto& r : results)
        {
            if (r.outcome == Outcome::passed)
                continue;
            js << (first ? "" : ",") << "{\"file\":\"" << json_escape(r.file) << "\",\"name\":\""
               << json_escape(r.name) << "\",\"network\":\"" << json_escape(r.network)
               << "\",\"outcome\":\"" << (r.outcome == Outcome::failed ? "failed" : "skipped")
               << "\",\"detail\":\"" << json_escape(r.detail) << "\"}";
            first = false;
        }
        js << "]";
        if (opt.mode == "stateless" && opt.timing)
            js << ",\"stateless_blocks\":" << stateless_blocks_json();
        js << "}\n";
    }
    // A shard may hold none of the tests; a run that found none at all is an error.
    return total.failed == 0 && seen.load() > 0 ? 0 : 1;
}
}  // namespace

void register_spec(CLI::App& app, int& exit_code)
{
    auto* spec = app.add_subcommand("spec", "Execution spec tests (EEST)");
    spec->require_subcommand(1);
    auto opt = std::make_shared<Options>();
    auto* r = spec->add_subcommand("run", "Run EEST blockchain tests natively (stateful import)");
    r->add_option("paths", opt->paths, "Fixture files or directories")->required();
    r->add_option("--filter", opt->filter, "Only tests whose name or file path contains this text");
    r->add_option("--json", opt->json, "Write a JSON report to this file");
    r->add_option("-j,--jobs", opt->jobs, "Worker threads (default: all cores)");
    r->add_flag("--timing", opt->timing,
        "Report block-import throughput (Mgas/s) per category and per file; with --mode "
        "stateless also stateless throughput, witness generation time and witness sizes (use "
        "-j1 for clean figures)");
    r->add_flag("--no-reason-check", opt->no_reason_check,
        "Accept any rejection of an expectException block, whatever the reason");
    r->add_option("--mode", opt->mode,
         "stateful: import on the in-memory state; stateless: also generate each block's "
         "witness and validate the block from block + witness alone; guest: also run every "
         "block from Paris on through the validator ELF in stelevm (input from the host "
         "preflight) and require the same verdict and payload-request root")
        ->check(CLI::IsMember({"stateful", "stateless", "guest"}));
    r->add_option("--guest-elf", opt->guest_elf,
        "With --mode guest: the validator ELF (default: the build tree's "
        "validator_accel.stelevm.elf, or validator.stelevm.elf with --software)");
    r->add_flag("--software", opt->software,
        "With --mode guest: the software build of the validator (no accelerators)");
    r->add_option("--calibrate", opt->calibrate,
        "With --mode guest: also run the software build and write per block its cycles, the "
        "accelerated build's and its accelerator counts to this file (input of "
        "bench/guest/calibrate.py)");
    r->add_option("--adversarial", opt->adversarial_every,
        "With --mode stateless: damage the witness of about 1 in N blocks (seeded by the block "
        "hash) and require a missing-data / witness error");
    r->add_flag("--public-keys", opt->public_keys,
        "With --mode stateless: give the validator each signer's public key (recovered on the "
        "host) to verify instead of recovering");
    r->add_option("--dump-witness", opt->dump_witness,
        "With --mode stateless: write <block hash>.rlp and <block hash>.witness.json per block "
        "into this (existing) directory");
    r->add_option("--shard", opt->shard,
         "Run only part I of N (I = 0..N-1): a test belongs to shard keccak256(FILE NUL TEST) mod "
         "N (first 8 bytes, big-endian), FILE being its path under the directory argument "
         "prefixed by that directory's name (a file argument: its name), so the N shards are "
         "disjoint, together the whole run, whatever -j, the traversal order or where the "
         "fixtures are mounted. Join the shards' --jsonl with `stele report merge`")
        ->type_name("I/N")
        ->check(CLI::Validator(
            [](std::string& v) -> std::string
            {
                Shard s;
                const ShardError e = parse_shard(v, s);
                return e == ShardError::ok ? "" : "--shard " + v + ": " + shard_error_message(e);
            },
            "I/N", "shard"));
    r->add_option("--jsonl", opt->jsonl,
        "Write JSON lines to this file, flushed per test as it completes: a header (stele "
        "version, mode, shard, paths), one line per test (file, test, network, verdict, reason, "
        "seconds), with --mode guest first one per block the guest saw (valid, verdict, gas, "
        "cycles, cost, regions, accelerators), and an end line with the totals");
    r->footer(
        "Exit codes: 0 every test of this run (or shard) passed or was skipped, and the paths "
        "held tests; 1 a test failed, or no test was found; 2 a usage error (including a "
        "malformed --shard such as 3/2, 0/0 or 1-of-2) or an unreadable ELF / unwritable "
        "output file.");
    r->callback([opt, &exit_code] { exit_code = run(*opt); });
}
}  // namespace stele::cli
