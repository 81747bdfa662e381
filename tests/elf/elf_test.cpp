// ELF validation: the zkVM load rules and stele's build rules, on synthetic images built here
// and on real ELFs from the guest tree (good ones and deliberately bad ones).
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <cstring>
#include <emulator/elf.hpp>
#include <emulator/elf_standards.hpp>
#include <fstream>
#include <iterator>

using namespace stele::emu;
using namespace stele::test;

namespace
{
struct Phdr
{
    uint32_t type = 1, flags = 5;
    uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0;
};

// A minimal ELF64 RISC-V executable: header, program headers, then the segment bytes.
std::vector<uint8_t> make_elf(std::vector<Phdr> phdrs, uint64_t entry, uint16_t machine = 243,
    const std::vector<uint32_t>& code = {0x00000013, 0x00000073})
{
    std::vector<uint8_t> f(64 + 56 * phdrs.size());
    const uint64_t data_off = f.size();
    for (uint32_t w : code)
        for (int i = 0; i < 4; ++i)
            f.push_back(static_cast<uint8_t>(w >> (8 * i)));
    auto put = [&](size_t off, auto v) { std::memcpy(f.data() + off, &v, sizeof v); };
    f[0] = 0x7F, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
    put(16, uint16_t{2});
    put(18, machine);
    put(20, uint32_t{1});
    put(24, entry);
    put(32, uint64_t{64});
    put(52, uint16_t{64});
    put(54, uint16_t{56});
    put(56, static_cast<uint16_t>(phdrs.size()));
    for (size_t i = 0; i < phdrs.size(); ++i)
    {
        Phdr p = phdrs[i];
        if (p.filesz && p.offset == 0)
            p.offset = data_off;
        const size_t o = 64 + 56 * i;
        put(o, p.type);
        put(o + 4, p.flags);
        put(o + 8, p.offset);
        put(o + 16, p.vaddr);
        put(o + 24, p.vaddr);
        put(o + 32, p.filesz);
        put(o + 40, p.memsz);
    }
    return f;
}

Phdr text(uint64_t vaddr = 0x10000, uint32_t flags = 5)
{
    return {1, flags, 0, vaddr, 8, 8};
}

std::string parse_error(const std::vector<uint8_t>& f)
{
    ElfImage img;
    ElfError err;
    if (parse_elf(f, LoadRules{}, img, err))
        return "";
    return err.message;
}

std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST(ElfLoadRules, AcceptsMinimalProgram)
{
    const auto f = make_elf({text(), {1, 6, 0, 0x20000, 0, 0x1000}}, 0x10000);
    ElfImage img;
    ElfError err;
    ASSERT_TRUE(parse_elf(f, LoadRules{}, img, err)) << err.message;
    EXPECT_EQ(img.entry, 0x10000u);
    ASSERT_EQ(img.segments.size(), 2u);
    EXPECT_TRUE(check_build_rules(f, img).empty());
}

TEST(ElfLoadRules, RejectsEachViolationWithItsMessage)
{
    struct Case
    {
        const char* name;
        std::vector<uint8_t> file;
        const char* message;
    };
    auto truncated = make_elf({text()}, 0x10000);
    truncated.resize(40);
    auto bad_magic = make_elf({text()}, 0x10000);
    bad_magic[1] = 'X';
    auto elf32 = make_elf({text()}, 0x10000);
    elf32[4] = 1;
    auto big_endian = make_elf({text()}, 0x10000);
    big_endian[5] = 2;
    auto phdr_cut = make_elf({text()}, 0x10000);
    phdr_cut.resize(100);
    const std::vector<Case> cases = {
        {"truncated", truncated, "truncated"},
        {"magic", bad_magic, "bad magic"},
        {"class", elf32, "not ELF64"},
        {"endianness", big_endian, "not little-endian"},
        {"program headers cut", phdr_cut, "program header table outside the file"},
        {"wrong machine", make_elf({text()}, 0x10000, 62), "wrong machine"},
        {"overlap", make_elf({text(), {1, 6, 0, 0x10004, 0, 0x100}}, 0x10000), "overlaps"},
        {"W+X", make_elf({text(0x10000, 7)}, 0x10000), "both writable and executable"},
        {"entry outside X", make_elf({text(), {1, 6, 0, 0x20000, 0, 0x100}}, 0x20000),
            "not inside an executable segment"},
        {"entry misaligned", make_elf({text()}, 0x10002), "not 4-aligned"},
        {"vaddr misaligned", make_elf({text(0x10002)}, 0x10004), "p_vaddr is not 4-aligned"},
        {"huge p_memsz", make_elf({text(), {1, 6, 0, 0x20000, 0, uint64_t{1} << 40}}, 0x10000),
            "reaches past the address space end"},
        {"wrapping p_memsz",
            make_elf({text(), {1, 6, 0, 0x20000, 0, ~uint64_t{0} - 0x100}}, 0x10000),
            "reaches past the address space end"},
        {"null region", make_elf({text(0x800)}, 0x800), "null guard"},
        {"filesz > memsz", make_elf({{1, 5, 0, 0x10000, 8, 4}}, 0x10000), "exceeds p_memsz"},
        {"file bytes outside", make_elf({{1, 5, 0x100000, 0x10000, 8, 8}}, 0x10000),
            "outside the file"},
        {"no load segment", make_elf({{4, 4, 0, 0, 0, 0}}, 0x10000), "no PT_LOAD"},
    };
    for (const auto& c : cases)
    {
        const std::string msg = parse_error(c.file);
        EXPECT_NE(msg.find(c.message), std::string::npos)
            << c.name << ": got '" << msg << "', want '" << c.message << "'";
    }
}

TEST(ElfLoadRules, SegmentOrderDoesNotMatter)
{
    const auto f = make_elf({{1, 6, 0, 0x30000, 0, 0x100}, text()}, 0x10000);
    EXPECT_EQ(parse_error(f), "");
}

TEST(ElfBuildRules, FlagsCompressedAndNonRv64imWords)
{
    // c.nop pair, a CSR read (Zicsr), an FP load (F) and an AMO (A): each is reported.
    const auto f = make_elf({{1, 5, 0, 0x10000, 16, 16}}, 0x10000, 243,
        {0x00010001, 0xC0002573, 0x00052007, 0x0005202F});
    ElfImage img;
    ElfError err;
    ASSERT_TRUE(parse_elf(f, LoadRules{}, img, err)) << err.message;
    const auto problems = check_build_rules(f, img);
    ASSERT_EQ(problems.size(), 4u);
    EXPECT_NE(problems[0].find("compressed"), std::string::npos) << problems[0];
    for (size_t i = 1; i < 4; ++i)
        EXPECT_NE(problems[i].find("outside RV64IM"), std::string::npos) << problems[i];
}

TEST(ElfBuildRules, FlagsNonZeroEFlags)
{
    auto f = make_elf({text()}, 0x10000);
    f[48] = 0x5;  // RVC | double-float ABI, as Debian's libgcc objects
    ElfImage img;
    ElfError err;
    ASSERT_TRUE(parse_elf(f, LoadRules{}, img, err));
    const auto problems = check_build_rules(f, img);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("e_flags"), std::string::npos);
}

TEST(ElfBuildRules, EveryGuestElfOfTheBuildPasses)
{
    std::ifstream list(std::string{STELE_GUEST_BIN_DIR} + "/guest-elfs.txt");
    ASSERT_TRUE(list) << "guest tree not built";
    std::string path;
    size_t checked = 0;
    while (std::getline(list, path))
    {
        if (path.empty())
            continue;
        const auto f = read_file(path);
        ElfImage img;
        ElfError err;
        ASSERT_TRUE(parse_elf(f, LoadRules{}, img, err)) << path << ": " << err.message;
        const auto problems = check_build_rules(f, img);
        EXPECT_TRUE(problems.empty()) << path << ": " << (problems.empty() ? "" : problems[0]);
        // And every zkvm-standards rule (emulator/elf_standards.hpp).
        for (const auto& finding : check_elf_standards(f).findings)
            ADD_FAILURE() << path << ": " << rule_id(finding.rule) << ": " << finding.detail;
        // Our layout: separate R+X text and R rodata, and no W+X segment.
        for (const auto& s : img.segments)
            EXPECT_FALSE(s.executable() && s.writable()) << path;
        EXPECT_FALSE(img.functions.empty()) << path << ": no function symbols for the profiler";
        ++checked;
    }
    EXPECT_GE(checked, 8u);
}

TEST(ElfCheckCli, RejectsCompressedInstruction)
{
    const auto r =
        run_process({stele_cli(), "elf", "check", guest_elf("tests/guest", "bad_rvc", "linux")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("compressed (RVC) instruction 0x10001"), std::string::npos) << r.err;
}

TEST(ElfCheckCli, RejectsWritableExecutableSegment)
{
    const auto r =
        run_process({stele_cli(), "elf", "check", guest_elf("tests/guest", "bad_wx", "linux")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("both writable and executable (W^X)"), std::string::npos) << r.err;
}

TEST(ElfCheckCli, AcceptsExample)
{
    const auto r =
        run_process({stele_cli(), "elf", "check", guest_elf("examples", "hello", "stelevm")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(": ok"), std::string::npos);
}
