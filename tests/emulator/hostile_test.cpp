// Hostile inputs to stelevm and `stele run` (issue 21): each ends in a typed result with a clear
// message, never an abort, a hang or unbounded memory.
#include <gtest/gtest.h>
#include <stele/stelevm_abi.h>
#include <sys/stat.h>
#include <unistd.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <cstring>
#include <emulator/text.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stateless/validate/stateless_input.hpp>

#include "emu_util.hpp"

using namespace stele;
using namespace stele::test;
using namespace stele::test::rv;

namespace
{
std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
    return path;
}

struct Func
{
    std::string name;
    uint64_t value;
    uint64_t size;
};

// Appends a .symtab and .strtab with STT_FUNC symbols to an ELF from make_elf.
std::vector<uint8_t> with_symbols(std::vector<uint8_t> f, const std::vector<Func>& fns)
{
    auto put = [&](size_t off, auto v) { std::memcpy(f.data() + off, &v, sizeof v); };
    std::string strtab(1, '\0');
    std::vector<uint8_t> symtab(24);  // symbol 0 is null
    for (const Func& fn : fns)
    {
        std::vector<uint8_t> sym(24);
        const auto name = static_cast<uint32_t>(strtab.size());
        std::memcpy(sym.data(), &name, 4);
        sym[4] = 0x12;  // STB_GLOBAL, STT_FUNC
        std::memcpy(sym.data() + 8, &fn.value, 8);
        std::memcpy(sym.data() + 16, &fn.size, 8);
        symtab.insert(symtab.end(), sym.begin(), sym.end());
        strtab += fn.name;
        strtab += '\0';
    }
    const uint64_t symoff = f.size();
    f.insert(f.end(), symtab.begin(), symtab.end());
    const uint64_t stroff = f.size();
    f.insert(f.end(), strtab.begin(), strtab.end());
    while (f.size() % 8)
        f.push_back(0);
    const uint64_t shoff = f.size();
    f.resize(f.size() + 3 * 64);
    const size_t sym_sh = shoff + 64, str_sh = shoff + 128;
    put(sym_sh + 4, uint32_t{2});  // SHT_SYMTAB
    put(sym_sh + 24, symoff);
    put(sym_sh + 32, static_cast<uint64_t>(symtab.size()));
    put(sym_sh + 40, uint32_t{2});
    put(sym_sh + 56, uint64_t{24});
    put(str_sh + 4, uint32_t{3});  // SHT_STRTAB
    put(str_sh + 24, stroff);
    put(str_sh + 32, static_cast<uint64_t>(strtab.size()));
    put(40, shoff);
    put(58, uint16_t{64});
    put(60, uint16_t{3});
    return f;
}

// An ecall with a0 = kDataBase + offset, a1 = size.
void call(std::vector<uint32_t>& code, uint64_t number, uint64_t offset, uint64_t size)
{
    li(code, 10, kDataBase + offset);
    li(code, 11, size);
    li(code, 17, number);
    code.push_back(kEcall);
}

std::vector<uint8_t> data_with(const std::vector<std::pair<size_t, std::string>>& strings)
{
    std::vector<uint8_t> d(0x3000);
    for (const auto& [off, s] : strings)
        std::memcpy(d.data() + off, s.data(), s.size());
    return d;
}

bool has_control_bytes(const std::string& s)
{
    for (const char c : s)
        if (c == '\x1b' || c == '\r' || c == '\x07')
            return true;
    return false;
}
}  // namespace

// --- 1: text that is not valid UTF-8 --------------------------------------------------------

TEST(HostileText, Utf8SanitizersReplaceAndEscape)
{
    EXPECT_EQ(emu::valid_utf8("ok \xc3\xa9"), "ok \xc3\xa9");
    EXPECT_EQ(emu::valid_utf8("\xff"), "\xEF\xBF\xBD");
    EXPECT_EQ(emu::valid_utf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
    EXPECT_EQ(
        emu::valid_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    EXPECT_EQ(emu::valid_utf8("\xf4\x90\x80\x80").size(), 12u);                    // above U+10FFFF
    EXPECT_EQ(emu::printable("a\x1b[2Jb\nc\xff"), "a\\x1b[2Jb\\nc\\xff");
    EXPECT_EQ(emu::printable("\xc2\x9b"), "\\x9b");          // C1 CSI
    EXPECT_EQ(emu::printable("\xe2\x80\xae"), "\\u{202e}");  // right-to-left override
    EXPECT_EQ(emu::printable("line\n\tx", true), "line\n\tx");
    emu::PrintableStream st(true);
    EXPECT_EQ(st.feed("\xc3"), "");
    EXPECT_EQ(st.feed("\xa9!"), "\xc3\xa9!");
    EXPECT_EQ(st.feed("\xe2\x82"), "");
    EXPECT_EQ(st.flush(), "\\xe2\\x82");
}

TEST(HostileText, InvalidUtf8InAbortRegionsAndSymbolsKeepsReportsValid)
{
    const std::string dir = scratch_dir("hostile-utf8");
    const std::string region = "r\xff\xfe\x1b[31m";
    const std::string message = "bad \xc3\x28 \x1b]0;title\x07 end";
    std::vector<uint32_t> code;
    call(code, STELEVM_REGION_START, 0x100, region.size());
    call(code, STELEVM_REGION_END, 0x100, region.size());
    call(code, STELEVM_REGION_START, 0x100, region.size());  // left open
    call(code, STELEVM_ABORT, 0x200, message.size());
    auto elf = with_symbols(program(code, data_with({{0x100, region}, {0x200, message}})),
        {{"\xff\xfe_start\n\x1b[2J", kTextBase, code.size() * 4}});
    const std::string path = write_file(dir + "/utf8.elf", elf);

    const auto r = run_process({stele_cli(), "run", path, "--json", "--profile", dir + "/p.json"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
    EXPECT_EQ(j["outcome"], "abort");
    EXPECT_NE(j["abort_message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
    ASSERT_EQ(j["regions"].size(), 1u);
    EXPECT_EQ(j["regions"][0]["count"], 1);
    ASSERT_FALSE(j["functions"].empty());
    nlohmann::json ss;
    ASSERT_NO_THROW(ss = nlohmann::json::parse(slurp(dir + "/p.json")));
    EXPECT_EQ(ss["profiles"][0]["type"], "sampled");
    EXPECT_FALSE(has_control_bytes(ss.dump()));

    // Folded stacks: one line per stack even with a newline in the symbol name.
    const auto f = run_process({stele_cli(), "run", path, "--profile", dir + "/p.folded"});
    EXPECT_EQ(f.exit_code, 3);
    const std::string folded = slurp(dir + "/p.folded");
    EXPECT_EQ(std::count(folded.begin(), folded.end(), '\n'), 1) << folded;

    // The text report escapes what a terminal would act on.
    EXPECT_FALSE(has_control_bytes(f.err)) << f.err;
    EXPECT_NE(f.err.find("\\x1b]0;title\\x07"), std::string::npos) << f.err;
    EXPECT_NE(f.err.find("r\\xff\\xfe\\x1b[31m"), std::string::npos) << f.err;
}

// --- 2: unbounded guest output --------------------------------------------------------------

namespace
{
// Calls `ecall number(kDataBase, size)` `times` times, then exits 0. The data segment is
// `memsz` bytes (zero-filled, untouched: it costs no memory).
std::vector<uint8_t> repeated_call(uint64_t number, uint64_t size, uint64_t times, uint64_t memsz)
{
    std::vector<uint32_t> code;
    li(code, 9, times);  // s1 counts down
    const size_t loop = code.size();
    call(code, number, 0, size);
    code.push_back(addi(9, 9, -1));
    code.push_back(bne(9, 0, -static_cast<int32_t>((code.size() - loop) * 4)));
    exit_with(code, 0);
    return program(code, std::vector<uint8_t>(0x1000, 'x'), memsz);
}
}  // namespace

TEST(HostileOutput, AHugeWriteStopsAtTheOutputLimitWithoutCopying)
{
    const std::string dir = scratch_dir("hostile-output");
    // 1.75 GiB per write_output from an untouched zero-filled segment, under a 1 MiB memory limit.
    const std::string elf = write_file(dir + "/big.elf",
        repeated_call(STELEVM_WRITE_OUTPUT, uint64_t{7} << 28, 4, uint64_t{7} << 28));
    const auto r = run_process(
        {stele_cli(), "run", elf, "--max-memory", "1M", "--max-cycles", "1000", "--json"}, {},
        std::chrono::seconds{30});
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 8) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["outcome"], "output_limit");
    EXPECT_EQ(j["trap"]["kind"], "output_limit");
    EXPECT_EQ(j["output_size"], 0);
    EXPECT_NE(j["message"].get<std::string>().find("limit of 67108864 bytes (--max-output)"),
        std::string::npos)
        << j["message"];

    // The same for the log, and through Linux write(2, ...).
    const std::string log_elf = write_file(dir + "/biglog.elf",
        repeated_call(STELEVM_WRITE_LOG, uint64_t{7} << 28, 4, uint64_t{7} << 28));
    const auto l = run_process(
        {stele_cli(), "run", log_elf, "--max-memory", "1M"}, {}, std::chrono::seconds{30});
    EXPECT_EQ(l.exit_code, 8) << l.err;
    EXPECT_NE(l.err.find("bytes to the log after 0 would exceed"), std::string::npos) << l.err;

    // A bad limit is a usage error.
    EXPECT_EQ(run_process({stele_cli(), "run", elf, "--max-output", "lots"}).exit_code, 2);
}

TEST(HostileOutput, OutputIsStreamedToTheFileUpToTheLimit)
{
    const std::string dir = scratch_dir("hostile-output-stream");
    const std::string elf = write_file(
        dir + "/mib.elf", repeated_call(STELEVM_WRITE_OUTPUT, uint64_t{1} << 20, 3, 1 << 20));
    const auto ok = run_process({stele_cli(), "run", elf, "--output", dir + "/out", "--json"});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(slurp(dir + "/out").size(), 3u << 20);
    EXPECT_EQ(nlohmann::json::parse(ok.out)["output_size"], 3 << 20);

    const auto cut = run_process(
        {stele_cli(), "run", elf, "--output", dir + "/out", "--max-output", "2M", "--json"});
    EXPECT_EQ(cut.exit_code, 8) << cut.err;
    EXPECT_EQ(slurp(dir + "/out").size(), 2u << 20);  // what was written before the limit
    EXPECT_EQ(nlohmann::json::parse(cut.out)["output_size"], 2 << 20);

    // Text report: the output streams to stdout.
    const auto text = run_process({stele_cli(), "run", elf, "--max-output", "2M"});
    EXPECT_EQ(text.exit_code, 8);
    EXPECT_EQ(text.out.size(), 2u << 20);
    EXPECT_NE(text.err.find("output limit reached"), std::string::npos) << text.err;
}

TEST(HostileOutput, RegionBookkeepingIsBounded)
{
    const std::string dir = scratch_dir("hostile-regions");
    const std::string elf =
        write_file(dir + "/regions.elf", repeated_call(STELEVM_REGION_START, 16, 100000, 0));
    const auto r = run_process({stele_cli(), "run", elf, "--json"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["trap"]["kind"], "bad_region");
    EXPECT_NE(j["trap"]["detail"].get<std::string>().find("more than 1024 regions open at once"),
        std::string::npos)
        << j["trap"];
    EXPECT_EQ(j["unclosed_regions"].size(), 1024u);
}

// --- 3: non-regular and oversized files -----------------------------------------------------

TEST(HostileFiles, NonRegularAndOversizedFilesAreRefusedBeforeReading)
{
    const std::string dir = scratch_dir("hostile-files");
    const std::string fifo = dir + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string sparse = dir + "/sparse";  // 3 GiB, no blocks
    {
        std::ofstream(sparse, std::ios::binary) << "";
    }
    ASSERT_EQ(::truncate(sparse.c_str(), int64_t{3} << 30), 0);
    const std::string hello = guest_elf("examples", "hello", "stelevm");
    struct Case
    {
        std::string file;
        const char* says;
    };
    const Case cases[] = {{dir, "directory"}, {"/dev/zero", "(a device)"}, {fifo, "(a FIFO)"},
        {sparse, "more than the limit"}};
    for (const Case& c : cases)
    {
        const std::vector<std::vector<std::string>> commands = {
            {stele_cli(), "run", hello, "--input", c.file}, {stele_cli(), "run", c.file},
            {stele_cli(), "input", "show", c.file}, {stele_cli(), "elf", "check", c.file}};
        for (const auto& argv : commands)
        {
            const auto r = run_process(argv, {}, std::chrono::seconds{20});
            EXPECT_FALSE(r.timed_out) << argv[1] << " " << c.file;
            EXPECT_NE(r.exit_code, 0) << argv[1] << " " << c.file;
            EXPECT_LT(r.exit_code, 128) << argv[1] << " " << c.file << ": " << r.err;  // no signal
            EXPECT_NE(r.err.find(c.says), std::string::npos)
                << argv[1] << " " << argv[2] << " " << c.file << ": " << r.err;
        }
    }
    EXPECT_EQ(run_process({stele_cli(), "run", hello, "--input", dir + "/missing"}).exit_code, 7);
}

// --- 6: endless guests ----------------------------------------------------------------------

namespace
{
std::vector<uint8_t> endless_loop()
{
    return program({jal(0, 0)});
}
}  // namespace

TEST(HostileLimits, TimeoutStopsAnEndlessLoopAndZeroCyclesIsAUsageError)
{
    const std::string dir = scratch_dir("hostile-limits");
    const std::string elf = write_file(dir + "/loop.elf", endless_loop());
    const auto t = run_process(
        {stele_cli(), "run", elf, "--timeout", "0.5", "--json"}, {}, std::chrono::seconds{30});
    ASSERT_FALSE(t.timed_out);
    EXPECT_EQ(t.exit_code, 9) << t.err;
    const auto j = nlohmann::json::parse(t.out);
    EXPECT_EQ(j["outcome"], "timeout");
    EXPECT_GT(j["cycles"].get<uint64_t>(), 0u);
    const auto u =
        run_process({stele_cli(), "run", elf, "--max-cycles", "unlimited", "--timeout", "0.2"}, {},
            std::chrono::seconds{30});
    EXPECT_EQ(u.exit_code, 9) << u.err;
    EXPECT_NE(u.err.find("wall-clock timeout"), std::string::npos) << u.err;
    for (const char* bad : {"0", "-1", "lots", "99999999999999999999"})
    {
        const auto r = run_process({stele_cli(), "run", elf, "--max-cycles", bad});
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.err.find("'unlimited'"), std::string::npos) << r.err;
    }
    EXPECT_EQ(run_process({stele_cli(), "run", elf, "--timeout", "-1"}).exit_code, 2);
    const auto help = run_process({stele_cli(), "run", "--help"});
    EXPECT_NE(help.out.find("100000000000"), std::string::npos);  // the documented default
    EXPECT_NE(help.out.find("--timeout"), std::string::npos);
}

TEST(HostileLimits, SlicedRunsForTheTimeoutCountTheSameCycles)
{
    emu::Options plain;
    plain.max_cycles = 50'000'003;
    emu::Options sliced = plain;
    sliced.timeout_seconds = 1000;
    for (const auto d : {emu::Dispatch::Threaded, emu::Dispatch::Switch})
    {
        const EmuRun a = run_once(endless_loop(), {}, plain, {}, d);
        const EmuRun b = run_once(endless_loop(), {}, sliced, {}, d);
        EXPECT_EQ(a.result.outcome, emu::Outcome::CycleLimit);
        EXPECT_EQ(b.result.outcome, emu::Outcome::CycleLimit);
        EXPECT_EQ(a.result.cycles, b.result.cycles);
        EXPECT_EQ(a.result.cycles, 50'000'003u);
        EXPECT_EQ(a.result.pc, b.result.pc);
    }
}

// --- 9: option ranges -----------------------------------------------------------------------

TEST(HostileOptions, OutOfRangeValuesAreUsageErrors)
{
    const std::string dir = scratch_dir("hostile-options");
    const std::string hello = guest_elf("examples", "hello", "stelevm");
    for (const char* mem : {"-5", " 5", "+5", "8G", "0", "100"})
    {
        const auto r = run_process({stele_cli(), "run", hello, "--max-memory", mem});
        EXPECT_EQ(r.exit_code, 2) << mem << ": " << r.err;
    }
    EXPECT_EQ(run_process({stele_cli(), "run", hello, "--max-memory", "4GiB"}).exit_code, 0);
    EXPECT_EQ(run_process({stele_cli(), "run", hello, "--max-output", "-1"}).exit_code, 2);
    for (const char* line : {"keccak256 1e308\n", "keccak256 1 1e308\n", "keccak256 nan\n",
             "keccak256 inf\n", "keccak256 -1\n"})
    {
        std::ofstream(dir + "/prices") << line;
        const auto r = run_process({stele_cli(), "run", hello, "--accel-cost", dir + "/prices"});
        EXPECT_EQ(r.exit_code, 2) << line << r.err;
        EXPECT_NE(r.err.find("prices:1"), std::string::npos) << r.err;
    }
    // The largest price is accepted and its cost is exact.
    std::ofstream(dir + "/prices") << "keccak256 1e15 1e15\n";
    const auto ok = run_process({stele_cli(), "run", "--json", "--no-functions", "--accel-cost",
        dir + "/prices", guest_elf("tests/guest", "accel_cycles", "stelevm")});
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    const auto j = nlohmann::json::parse(ok.out);
    for (const auto& a : j["accelerators"])
    {
        if (a["name"] == "keccak256")
        {
            EXPECT_EQ(a["cost"].get<uint64_t>(), 1025'000'000'000'000'000u);
        }
    }
}

// --- 8: the decoder cache -------------------------------------------------------------------

TEST(HostileElf, DecoderCacheMustFitTheMemoryLimit)
{
    const std::string dir = scratch_dir("hostile-cache");
    std::vector<uint32_t> code;
    exit_with(code, 0);
    // A few bytes of code in a 255 MiB executable segment: a 1 GiB decoder cache.
    const auto elf = make_elf(kTextBase, {{kTextBase, 5, words(code), uint64_t{255} << 20}});
    ASSERT_LT(elf.size(), 8192u);
    const std::string path = write_file(dir + "/wide.elf", elf);
    const auto r = run_process({stele_cli(), "run", path, "--max-memory", "1M"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_NE(r.err.find("decoder cache of"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("exceeds the memory limit of 1048576 bytes"), std::string::npos) << r.err;
    // Within the limit it loads and runs.
    emu::Machine m;
    emu::ElfError err;
    emu::Options opt;
    opt.max_memory = uint64_t{1} << 20;
    EXPECT_TRUE(m.load(program(code), {}, opt, err)) << err.message;
}

// --- 7: accelerator work bounded by the arguments -------------------------------------------

namespace
{
emu::RunResult accel_run(unsigned n, const std::vector<uint64_t>& args, uint64_t data_memsz = 0)
{
    std::vector<uint32_t> code;
    for (size_t i = 0; i < args.size(); ++i)
        li(code, static_cast<uint32_t>(10 + i), args[i]);
    li(code, 17, STELEVM_ACCEL_BASE + n);
    code.push_back(kEcall);
    exit_with(code, 0);
    return run_once(program(code, std::vector<uint8_t>(0x3000), data_memsz), {}, {}, {},
        emu::Dispatch::Threaded)
        .result;
}
}  // namespace

TEST(HostileAccelerators, WorkAboveTheBoundsTrapsAtOnce)
{
    struct Case
    {
        const char* name;
        unsigned number;
        std::vector<uint64_t> args;
        const char* says;
    };
    const uint64_t d = kDataBase;
    const Case cases[] = {
        {"blake2f 2^32-1 rounds", 10, {0xFFFFFFFF, d, d + 0x100, d + 0x200, 0},
            "a round count of 4294967295 exceeds stelevm's limit of 67108864"},
        {"keccak256 of 1 GiB", 1, {d, uint64_t{1} << 30, d + 0x100}, "an input length of"},
        {"sha256 of 1 GiB", 4, {d, uint64_t{1} << 30, d + 0x100}, "an input length of"},
        {"bn254 100000 pairs", 9, {d, 100000, d + 0x100}, "a pair count of 100000"},
        {"bls12 100000 pairs", 16, {d, 100000, d + 0x100}, "a pair count of 100000"},
        {"bls12 g1 msm 10^6 pairs", 13, {d, 1000000, d + 0x100}, "a pair count of 1000000"},
    };
    for (const Case& c : cases)
    {
        const auto t0 = std::chrono::steady_clock::now();
        // A 1.5 GiB zero-filled data segment, so the buffers themselves are readable.
        const auto r = accel_run(c.number, c.args, uint64_t{3} << 29);
        EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds{5}) << c.name;
        ASSERT_EQ(r.outcome, emu::Outcome::Trap) << c.name << ": " << r.describe();
        EXPECT_EQ(r.trap.kind, emu::TrapKind::EcallFault) << c.name;
        EXPECT_NE(r.trap.detail.find(c.says), std::string::npos) << c.name << ": " << r.trap.detail;
    }
    // At the EVM's sizes the calls run: blake2f with 12 rounds.
    const auto ok = accel_run(10, {12, d, d + 0x100, d + 0x200, 0});
    EXPECT_EQ(ok.outcome, emu::Outcome::Success) << ok.describe();
}

// --- 12: the fork byte is checked against the chain's schedule --------------------------------

TEST(HostileInput, InputShowChecksTheForkByteAgainstTheSchedule)
{
    const std::string dir = scratch_dir("hostile-fork");
    auto make = [&](stateless::Fork fork)
    {
        stateless::StatelessInput in;
        in.schema = stateless::SchemaVersion::prefixed_r1;
        in.fork = fork;
        in.chain_id = 1;
        // Mainnet: Prague from 1746612311 (2025-05-07), Osaka from 1764798551 (2025-12-03).
        in.new_payload_request.execution_payload.block_number = 22'500'000;
        in.new_payload_request.execution_payload.timestamp = 1'750'000'000;
        const std::string path = dir + "/" + std::string{stateless::to_string(fork)} + ".in";
        write_file(path, stateless::encode_stateless_input(in));
        return path;
    };
    const std::string relabelled = make(stateless::Fork::osaka);
    const std::string honest = make(stateless::Fork::prague);
    const auto bad = run_process({stele_cli(), "input", "show", relabelled, "--chain-id", "1"});
    EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
    EXPECT_NE(
        bad.err.find("fork byte says Osaka, but the chain schedules Prague"), std::string::npos)
        << bad.err;
    const auto good = run_process({stele_cli(), "input", "show", honest, "--chain-id", "1"});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    EXPECT_NE(good.out.find("fork check  ok (Prague"), std::string::npos) << good.out;
    const auto unchecked = run_process({stele_cli(), "input", "show", relabelled});
    EXPECT_EQ(unchecked.exit_code, 0) << unchecked.err;
    EXPECT_NE(unchecked.out.find("fork check  not done"), std::string::npos) << unchecked.out;
}

// --- 10: terminal control characters in names and guest text ---------------------------------

TEST(HostileText, GuestLogAndFileNamesAreEscapedOnTheTerminal)
{
    const std::string dir = scratch_dir("hostile-escape");
    const std::string log = "\x1b[2J\x1b]0;pwned\x07line one\nline two\n";
    std::vector<uint32_t> code;
    call(code, STELEVM_WRITE_LOG, 0x100, log.size());
    exit_with(code, 0);
    const std::string elf = write_file(dir + "/log.elf", program(code, data_with({{0x100, log}})));
    const auto r = run_process({stele_cli(), "run", elf});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(has_control_bytes(r.err)) << r.err;
    EXPECT_NE(r.err.find("\\x1b[2J\\x1b]0;pwned\\x07line one\nline two\n"), std::string::npos)
        << r.err;
    // With --log FILE the file gets the bytes as written.
    EXPECT_EQ(run_process({stele_cli(), "run", elf, "--log", dir + "/log"}).exit_code, 0);
    EXPECT_EQ(slurp(dir + "/log"), log);

    // A file name with a newline and an escape sequence is shown escaped.
    const std::string name = dir + "/evil\n\x1b[31mname";
    const auto missing = run_process({stele_cli(), "run", elf, "--input", name});
    EXPECT_EQ(missing.exit_code, 7);
    EXPECT_FALSE(has_control_bytes(missing.err)) << missing.err;
    EXPECT_NE(missing.err.find("evil\\n\\x1b[31mname"), std::string::npos) << missing.err;
    EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

TEST(HostileAccelerators, WorkIsCountedAndPriced)
{
    const std::string dir = scratch_dir("hostile-accel-price");
    std::vector<uint32_t> code;
    for (const uint64_t rounds : {12u, 1000u})
    {
        li(code, 10, rounds);
        li(code, 11, kDataBase);
        li(code, 12, kDataBase + 0x100);
        li(code, 13, kDataBase + 0x200);
        li(code, 14, 0);
        li(code, 17, STELEVM_ACCEL_BASE + 10);
        code.push_back(kEcall);
    }
    exit_with(code, 0);
    const std::string elf = write_file(dir + "/blake.elf", program(code));
    std::ofstream(dir + "/prices") << "blake2f 10 0 2\n";
    const auto r = run_process(
        {stele_cli(), "run", elf, "--json", "--no-functions", "--accel-cost", dir + "/prices"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["accelerators"].size(), 1u);
    EXPECT_EQ(j["accelerators"][0]["work"], 1012);  // rounds, whatever the input bytes
    EXPECT_EQ(j["accelerators"][0]["cost"], 2 * 10 + 2 * 1012);
    EXPECT_EQ(j["accelerator_cycles"], 2 * 10 + 2 * 1012);
}
