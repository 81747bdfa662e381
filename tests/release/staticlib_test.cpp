// libstele_validator.a / libstele_validator_software.a (stateless/guest/staticlib):
//  * the archives leave undefined exactly the symbols the zkvm-standards let a vendor library
//    provide (nm -u, minus what another member defines), and define main;
//  * linked against guest-rt's two backends (stand-ins for a vendor SDK, tests/guest/
//    staticlib.cmake) they give the very ELFs the validator's own builds give, byte for byte;
//  * and those ELFs write statelessOutputBytes on real inputs in stelevm and qemu-riscv64.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <common/files.hpp>
#include <common/paths.hpp>
#include <common/process.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stateless-input/fixtures.hpp>
#include <stateless/core/hex.hpp>

namespace test = stele::test;
using stele::bytes;

using stele::test::read_bytes;
using stele::test::write_bytes;

namespace
{
const std::string kLibDir = std::string{STELE_GUEST_BIN_DIR} + "/stateless/guest/staticlib";

// Symbol names of `nm ARGS archive` lines ("<value> <type> <name>" or "<type> <name>").
std::set<std::string> nm(
    const std::vector<std::string>& args, const std::string& archive, const std::string& types = "")
{
    std::vector<std::string> argv{STELE_GUEST_NM};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back(archive);
    const auto r = test::run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> names;
    std::istringstream in{r.out};
    std::string line;
    while (std::getline(in, line))
    {
        if (line.empty() || line.back() == ':')
            continue;  // member headers
        std::istringstream ls{line};
        std::vector<std::string> f{std::istream_iterator<std::string>{ls}, {}};
        if (f.size() < 2)
            continue;
        const std::string& type = f[f.size() - 2];
        if (types.empty() || types.find(type) != std::string::npos)
            names.insert(f.back());
    }
    return names;
}

// The zkvm_accelerators.h functions, read from the header the archives were compiled against.
std::set<std::string> accelerator_functions()
{
    std::ifstream h{std::string{STELE_SOURCE_DIR} + "/guest-rt/include/stele/zkvm_accelerators.h"};
    const std::string text{std::istreambuf_iterator<char>{h}, {}};
    // Declarations read "zkvm_status zkvm_<name>(".
    std::set<std::string> names;
    static constexpr std::string_view kDecl = "zkvm_status zkvm_";
    for (size_t at = text.find(kDecl); at != std::string::npos; at = text.find(kDecl, at + 1))
    {
        const size_t start = at + kDecl.size() - 5;
        size_t end = start;
        while (end < text.size() &&
               (std::islower(static_cast<unsigned char>(text[end])) ||
                   std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '_'))
            ++end;
        if (end < text.size() && text[end] == '(')
            names.insert(text.substr(start, end - start));
    }
    return names;
}

// What a standard vendor library and linker script provide: io-interface, termination
// (abort), the static-library standard's linker-script symbols (_heap_start / _heap_end) and,
// for the accelerated archive, the accelerator interface.
std::set<std::string> standard_symbols(bool accelerated)
{
    std::set<std::string> s{"read_input", "write_output", "abort", "_heap_start", "_heap_end"};
    if (accelerated)
        for (const auto& a : accelerator_functions())
            s.insert(a);
    return s;
}

struct GuestRun
{
    int exit_code = -1;
    bytes output;
    uint64_t cycles = 0;
};

GuestRun run_stelevm(const std::string& elf, const std::string& input, const std::string& dir)
{
    const std::string out = dir + "/out.bin";
    std::remove(out.c_str());
    const auto r = test::run_process(
        {test::stele_cli(), "run", elf, "--input", input, "--output", out, "--json"}, {},
        std::chrono::seconds{600});
    GuestRun g{r.exit_code, read_bytes(out), 0};
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    if (!j.is_discarded() && j.contains("cycles"))
        g.cycles = j["cycles"].get<uint64_t>();
    return g;
}
}  // namespace

TEST(staticlib, header_declares_the_19_accelerators)
{
    EXPECT_EQ(accelerator_functions().size(), 19u);
}

TEST(staticlib, undefined_symbols_are_the_standard_interface)
{
    for (const bool accelerated : {true, false})
    {
        const std::string archive =
            kLibDir + (accelerated ? "/libstele_validator.a" : "/libstele_validator_software.a");
        SCOPED_TRACE(archive);
        const auto undefined = nm({"-u"}, archive);
        const auto defined = nm({"--defined-only"}, archive);
        ASSERT_FALSE(undefined.empty());
        std::set<std::string> external;
        for (const auto& u : undefined)
            if (!defined.contains(u))
                external.insert(u);
        // The memory functions the standard lets a vendor provide would be allowed too; the
        // archive carries weak ones, so they are not left undefined.
        EXPECT_EQ(external, standard_symbols(accelerated));

        // main is defined (strongly); the vendor's entry points are not.
        EXPECT_TRUE(nm({"--defined-only"}, archive, "T").contains("main"));
        for (const char* vendor : {"_start", "read_input", "write_output", "abort"})
            EXPECT_FALSE(defined.contains(vendor)) << vendor;
        // What a vendor may provide as well is weak here, so the vendor's definition wins.
        const auto weak = nm({"--defined-only"}, archive, "WwVv");
        for (const char* overridable : {"memcpy", "memmove", "memset", "memcmp", "write_log",
                 "__cxa_atexit", "__dso_handle", "malloc", "free", "stele_panic"})
            EXPECT_TRUE(weak.contains(overridable)) << overridable << " is not weak";
        const auto strong = nm({"--defined-only"}, archive, "TDBR");
        for (const char* overridable : {"memcpy", "memmove", "memset", "memcmp", "write_log"})
            EXPECT_FALSE(strong.contains(overridable)) << overridable << " is strong";
    }
}

TEST(staticlib, vendor_links_are_byte_identical_to_the_source_builds)
{
    const std::pair<std::string, std::string> pairs[][2] = {
        {{"staticlib_validator_accel", "stelevm"}, {"validator_accel", "stelevm"}},
        {{"staticlib_validator", "stelevm"}, {"validator", "stelevm"}},
        {{"staticlib_validator", "linux"}, {"validator", "linux"}},
    };
    for (const auto& p : pairs)
    {
        const std::string lib = test::guest_elf("tests/guest", p[0].first, p[0].second);
        const std::string src = test::guest_elf("stateless/guest", p[1].first, p[1].second);
        const bytes a = read_bytes(lib), b = read_bytes(src);
        ASSERT_GT(a.size(), 100000u) << lib;
        EXPECT_TRUE(a == b) << lib << " differs from " << src;
    }
}

TEST(staticlib, vendor_links_write_stateless_output_bytes)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_GE(records.size(), 10u);
    const std::string dir = test::scratch_dir("staticlib_runs");
    const std::string in = dir + "/in.bin";
    // A few inputs spread over the fixtures: valid blocks and damaged witnesses.
    size_t ran = 0, valid = 0;
    for (size_t i = 0; i < records.size(); i += records.size() / 4)
    {
        const auto& rec = records[i];
        SCOPED_TRACE(rec.name);
        write_bytes(in, rec.input);
        valid += rec.output.size() > 32 && rec.output[32] == 1;
        for (const char* name : {"validator_accel", "validator"})
        {
            const GuestRun lib = run_stelevm(
                test::guest_elf("tests/guest", std::string{"staticlib_"} + name, "stelevm"), in,
                dir);
            const GuestRun src =
                run_stelevm(test::guest_elf("stateless/guest", name, "stelevm"), in, dir);
            ASSERT_EQ(lib.exit_code, 0) << name;
            EXPECT_EQ(stele::to_hex(lib.output), stele::to_hex(rec.output)) << name;
            EXPECT_EQ(lib.output, src.output) << name;
            EXPECT_EQ(lib.cycles, src.cycles) << name;
            std::printf("%s %s: %llu cycles (library link), %llu (source build)\n",
                rec.name.c_str(), name, static_cast<unsigned long long>(lib.cycles),
                static_cast<unsigned long long>(src.cycles));
        }
        ASSERT_FALSE(test::qemu().empty()) << "qemu-riscv64 not installed";
        const auto q = test::run_process(
            {test::qemu(), test::guest_elf("tests/guest", "staticlib_validator", "linux")},
            std::string{rec.input.begin(), rec.input.end()}, std::chrono::seconds{600});
        EXPECT_EQ(q.exit_code, 0);
        EXPECT_EQ(stele::to_hex(bytes{q.out.begin(), q.out.end()}), stele::to_hex(rec.output));
        ++ran;
    }
    EXPECT_GE(ran, 4u);
    EXPECT_GE(valid, 1u);
}
