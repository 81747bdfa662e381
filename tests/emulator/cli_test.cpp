// `stele run`: exit codes per outcome, output/log separation, --json, --profile, --help.
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace stele::test;

namespace
{
std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string write_input(const std::string& dir, const std::string& bytes)
{
    const std::string p = dir + "/input";
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

std::string probe()
{
    return guest_elf("tests/guest", "emu_probe", "stelevm");
}
}  // namespace

TEST(SteleRunCli, HelloPrintsOutputAndReport)
{
    const auto r = run_process({stele_cli(), "run", guest_elf("examples", "hello", "stelevm")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "hello from an RV64IM guest\n");               // only the output on stdout
    EXPECT_NE(r.err.find("hello: starting\n"), std::string::npos);  // the log on stderr
    EXPECT_NE(r.err.find("stelevm: success"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cycles"), std::string::npos);
}

TEST(SteleRunCli, ExitCodesPerOutcome)
{
    const std::string dir = scratch_dir("cli-exit-codes");
    struct Case
    {
        const char* mode;
        std::vector<std::string> extra;
        int code;
        const char* says;
    };
    const Case cases[] = {
        {"exit7", {}, 1, "failure: exit code 7"},
        {"null", {}, 4, "trap: load_fault"},
        {"loop", {"--max-cycles", "100000"}, 5, "cycle limit"},
        {"heap", {"--max-memory", "16M"}, 6, "memory limit"},
    };
    for (const Case& c : cases)
    {
        std::vector<std::string> argv = {
            stele_cli(), "run", probe(), "--input", write_input(dir, c.mode)};
        argv.insert(argv.end(), c.extra.begin(), c.extra.end());
        const auto r = run_process(argv);
        EXPECT_EQ(r.exit_code, c.code) << c.mode << ": " << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.mode << ": " << r.err;
    }
    const auto abort_run =
        run_process({stele_cli(), "run", guest_elf("examples", "fail", "stelevm")});
    EXPECT_EQ(abort_run.exit_code, 3);
    EXPECT_NE(abort_run.err.find("abort: fail: this guest always aborts"), std::string::npos);
    const auto bad = run_process({stele_cli(), "run", guest_elf("tests/guest", "bad_wx", "linux")});
    EXPECT_EQ(bad.exit_code, 7);
    EXPECT_NE(bad.err.find("both writable and executable"), std::string::npos) << bad.err;
    const auto usage = run_process({stele_cli(), "run", probe(), "--max-memory", "lots"});
    EXPECT_EQ(usage.exit_code, 2);
}

TEST(SteleRunCli, JsonReportAndFiles)
{
    const std::string dir = scratch_dir("cli-json");
    const auto r = run_process({stele_cli(), "run", probe(), "--input", write_input(dir, "profile"),
        "--output", dir + "/out", "--log", dir + "/log", "--profile", dir + "/p.folded", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["outcome"], "success");
    EXPECT_EQ(j["exit_code"], 0);
    EXPECT_GT(j["cycles"].get<uint64_t>(), 10000u);
    EXPECT_EQ(j["unaligned_accesses"], 0);
    ASSERT_EQ(j["regions"].size(), 2u);
    EXPECT_EQ(j["regions"][0]["name"], "inner");
    EXPECT_EQ(j["regions"][0]["count"], 3);
    ASSERT_FALSE(j["functions"].empty());
    EXPECT_EQ(j["functions"][0]["inclusive"], j["cycles"]);
    EXPECT_EQ(j["output_file"], dir + "/out");
    EXPECT_EQ(slurp(dir + "/out").size(), 8u);
    uint64_t total = 0;
    std::istringstream folded(slurp(dir + "/p.folded"));
    for (std::string line; std::getline(folded, line);)
        total += std::stoull(line.substr(line.rfind(' ') + 1));
    EXPECT_EQ(total, j["cycles"].get<uint64_t>());

    // speedscope for a .json profile name; a trap is described in the JSON.
    const auto s = run_process({stele_cli(), "run", probe(), "--input", write_input(dir, "null"),
        "--profile", dir + "/p.json", "--json"});
    EXPECT_EQ(s.exit_code, 4);
    const auto t = nlohmann::json::parse(s.out);
    EXPECT_EQ(t["outcome"], "trap");
    EXPECT_EQ(t["trap"]["kind"], "load_fault");
    EXPECT_EQ(t["trap"]["address"], "0x8");
    const auto ss = nlohmann::json::parse(slurp(dir + "/p.json"));
    EXPECT_EQ(ss["profiles"][0]["type"], "sampled");
}

TEST(SteleRunCli, HelpExplainsOptionsAndExitCodes)
{
    const auto r = run_process({stele_cli(), "run", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* s : {"--input", "--output", "--max-cycles", "--max-memory", "--profile",
             "--json", "Exit codes", "0x80000000", "speedscope"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s;
}
