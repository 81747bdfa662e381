// The zkvm-standards ELF rules (emulator/elf_standards.cpp, `stele elf check`): a hand-made ELF
// that follows every rule passes; for each rule, a copy patched to break exactly that rule gives
// exactly that rule's finding (every guest ELF of the build passing: elf_test).
#include <gtest/gtest.h>

#include <common/paths.hpp>
#include <common/process.hpp>
#include <cstring>
#include <emulator/elf_standards.hpp>
#include <functional>
#include <set>

using namespace stele::emu;
using namespace stele::test;

namespace
{
struct Seg
{
    uint32_t type = 1, flags = 5;
    uint64_t vaddr = 0, memsz = 0;
    std::vector<uint8_t> bytes;
    uint64_t align = 0;
    int64_t offset_delta = 0;  // added to the real file offset (to break the file range)
    int64_t paddr_delta = 0;   // p_paddr - p_vaddr
};

struct Sym
{
    std::string name;
    uint64_t value;
    uint8_t bind = 1;  // STB_GLOBAL
    uint8_t other = 0;
};

struct Spec
{
    uint16_t machine = 243, type = 2;
    uint32_t e_flags = 0;
    uint64_t entry = 0x10000;
    uint16_t phentsize = 56;
    std::vector<uint32_t> code = {0x00000013, 0x00000013, 0x00000073, 0x00008067};
    std::vector<Seg> segs;
    std::vector<Sym> syms = {
        {"_start", 0x10000}, {"main", 0x10004}, {"read_input", 0x10008}, {"write_output", 0x1000C}};
    uint64_t rodata_addr = 0x11000, rodata_size = 8;  // the .rodata section header
    bool sections = true;
    uint32_t text_memsz_extra = 0;
};

void put(std::vector<uint8_t>& f, size_t off, auto v)
{
    std::memcpy(f.data() + off, &v, sizeof v);
}

// A valid guest: R+X text (the code), R rodata, RW data; .text/.rodata/.symtab/.strtab sections.
Spec good()
{
    Spec s;
    std::vector<uint8_t> text;
    for (uint32_t w : s.code)
        for (int i = 0; i < 4; ++i)
            text.push_back(static_cast<uint8_t>(w >> (8 * i)));
    s.segs = {{1, 5, 0x10000, text.size(), text}, {1, 4, 0x11000, 8, std::vector<uint8_t>(8, 7)},
        {1, 6, 0x12000, 0x1000, {}}};
    return s;
}

std::vector<uint8_t> build(Spec s)
{
    // Text bytes follow the code (a patched code list replaces them).
    s.segs[0].bytes.clear();
    for (uint32_t w : s.code)
        for (int i = 0; i < 4; ++i)
            s.segs[0].bytes.push_back(static_cast<uint8_t>(w >> (8 * i)));
    if (s.segs[0].memsz != 0)
        s.segs[0].memsz = s.segs[0].bytes.size() + s.text_memsz_extra;

    std::vector<uint8_t> f(64 + 56 * s.segs.size());
    std::vector<uint64_t> offsets;
    for (const Seg& g : s.segs)
    {
        offsets.push_back(f.size());
        f.insert(f.end(), g.bytes.begin(), g.bytes.end());
    }
    // String and symbol tables.
    std::string strtab(1, '\0');
    std::vector<uint8_t> symtab(24, 0);
    for (const Sym& y : s.syms)
    {
        std::vector<uint8_t> e(24, 0);
        const uint32_t name = static_cast<uint32_t>(strtab.size());
        strtab += y.name + '\0';
        std::memcpy(e.data(), &name, 4);
        e[4] = static_cast<uint8_t>(y.bind << 4 | 2);  // STT_FUNC
        e[5] = y.other;
        const uint16_t shndx = 1;  // .text
        std::memcpy(e.data() + 6, &shndx, 2);
        std::memcpy(e.data() + 8, &y.value, 8);
        symtab.insert(symtab.end(), e.begin(), e.end());
    }
    const std::string shstr = std::string("\0.text\0.rodata\0.symtab\0.strtab\0.shstrtab\0", 41);
    const uint64_t symoff = f.size();
    f.insert(f.end(), symtab.begin(), symtab.end());
    const uint64_t stroff = f.size();
    f.insert(f.end(), strtab.begin(), strtab.end());
    const uint64_t shstroff = f.size();
    f.insert(f.end(), shstr.begin(), shstr.end());
    while (f.size() % 8)
        f.push_back(0);
    const uint64_t shoff = f.size();
    f.resize(f.size() + 6 * 64);
    auto shdr = [&](int i, uint32_t name, uint32_t type, uint64_t flags, uint64_t addr,
                    uint64_t off, uint64_t size, uint32_t link)
    {
        const size_t o = shoff + 64 * i;
        put(f, o, name);
        put(f, o + 4, type);
        put(f, o + 8, flags);
        put(f, o + 16, addr);
        put(f, o + 24, off);
        put(f, o + 32, size);
        put(f, o + 40, link);
    };
    shdr(1, 1, 1, 6, 0x10000, offsets[0], s.segs[0].bytes.size(), 0);  // .text AX
    shdr(2, 7, 1, 2, s.rodata_addr, offsets.size() > 1 ? offsets[1] : 0, s.rodata_size, 0);
    shdr(3, 15, 2, 0, 0, symoff, symtab.size(), 4);   // .symtab -> .strtab
    shdr(4, 23, 3, 0, 0, stroff, strtab.size(), 0);   // .strtab
    shdr(5, 31, 3, 0, 0, shstroff, shstr.size(), 0);  // .shstrtab

    f[0] = 0x7F, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
    put(f, 16, s.type);
    put(f, 18, s.machine);
    put(f, 20, uint32_t{1});
    put(f, 24, s.entry);
    put(f, 32, uint64_t{64});
    put(f, 40, s.sections ? shoff : uint64_t{0});
    put(f, 48, s.e_flags);
    put(f, 52, uint16_t{64});
    put(f, 54, s.phentsize);
    put(f, 56, static_cast<uint16_t>(s.segs.size()));
    put(f, 58, uint16_t{64});
    put(f, 60, static_cast<uint16_t>(s.sections ? 6 : 0));
    put(f, 62, uint16_t{5});
    for (size_t i = 0; i < s.segs.size(); ++i)
    {
        const Seg& g = s.segs[i];
        const size_t o = 64 + 56 * i;
        put(f, o, g.type);
        put(f, o + 4, g.flags);
        put(f, o + 8, static_cast<uint64_t>(static_cast<int64_t>(offsets[i]) + g.offset_delta));
        put(f, o + 16, g.vaddr);
        put(f, o + 24, static_cast<uint64_t>(static_cast<int64_t>(g.vaddr) + g.paddr_delta));
        put(f, o + 32, static_cast<uint64_t>(g.bytes.size()));
        put(f, o + 40, g.memsz);
        put(f, o + 48, g.align);
    }
    return f;
}

std::set<std::string> rules_of(const std::vector<uint8_t>& f, std::string* details = nullptr)
{
    std::set<std::string> ids;
    for (const auto& x : check_elf_standards(f).findings)
    {
        ids.insert(rule_id(x.rule));
        if (details)
            *details += std::string{rule_id(x.rule)} + ": " + x.detail + "\n";
    }
    return ids;
}

Sym& sym(Spec& s, const std::string& name)
{
    for (auto& y : s.syms)
        if (y.name == name)
            return y;
    throw std::runtime_error("no symbol " + name);
}
}  // namespace

TEST(ElfStandards, HandMadeGuestFollowsEveryRule)
{
    std::string details;
    const auto f = build(good());
    EXPECT_TRUE(rules_of(f, &details).empty()) << details;
    const auto r = check_elf_standards(f);
    EXPECT_EQ(r.instructions, 4u);
    EXPECT_EQ(r.ecalls, 1u);
    EXPECT_EQ(r.segments.size(), 3u);
}

TEST(ElfStandards, EachRuleViolatedAloneGivesItsTypedFinding)
{
    struct Case
    {
        const char* rule;
        std::function<void(Spec&)> patch;
        std::function<void(std::vector<uint8_t>&)> patch_bytes = {};
        const char* says = "";
    };
    const std::vector<Case> cases = {
        {"elf.header.magic", {}, [](auto& f) { f[1] = 'X'; }, "bad magic"},
        {"elf.header.magic", {}, [](auto& f) { f.resize(40); }, "truncated"},
        {"elf.header.class64", {}, [](auto& f) { f[4] = 1; }, "not ELF64"},
        {"elf.header.little-endian", {}, [](auto& f) { f[5] = 2; }, "not little-endian"},
        {"elf.header.riscv", [](Spec& s) { s.machine = 62; }, {}, "EM_RISCV"},
        {"elf.header.executable", [](Spec& s) { s.type = 3; }, {}, "ET_EXEC"},
        {"elf.header.program-headers", [](Spec& s) { s.phentsize = 32; }, {}, "e_phentsize"},
        {"elf.header.program-headers",
            [](Spec& s)
            {
                for (auto& g : s.segs)
                    g.type = 4;  // PT_NOTE
            },
            {}, "no PT_LOAD"},
        {"elf.linkage.static",
            [](Spec& s) {
                s.segs.push_back({2, 4, 0, 0, {}});
            },
            {}, "PT_DYNAMIC"},
        {"elf.linkage.static",
            [](Spec& s) {
                s.segs.push_back({3, 4, 0, 0, {}});
            },
            {}, "PT_INTERP"},
        {"elf.load.file-ranges", [](Spec& s) { s.segs[1].offset_delta = 1 << 20; }, {},
            "outside the file"},
        {"elf.load.memory-size", [](Spec& s) { s.segs[1].memsz = 4; }, {}, "exceeds p_memsz"},
        {"elf.load.vma-lma", [](Spec& s) { s.segs[1].paddr_delta = 0x1000; }, {}, "p_paddr"},
        {"elf.load.alignment", [](Spec& s) { s.segs[1].vaddr = 0x11002; }, {}, "4-aligned"},
        {"elf.load.alignment", [](Spec& s) { s.segs[1].align = 0x1000; }, {}, "p_align"},
        {"elf.load.address-range", [](Spec& s) { s.segs[1].vaddr = 0x800; }, {}, "null guard"},
        {"elf.load.address-range", [](Spec& s) { s.segs[2].memsz = uint64_t{1} << 40; }, {},
            "address space end"},
        {"elf.load.no-overlap", [](Spec& s) { s.segs[2].vaddr = 0x11004; }, {}, "overlaps"},
        {"elf.permissions.wx", [](Spec& s) { s.segs[0].flags = 7; }, {},
            "both writable and executable (W^X)"},
        {"elf.permissions.executable", [](Spec& s) { s.segs[0].flags = 5 | 8; }, {},
            "want X or R+X"},
        {"elf.entry.aligned",
            [](Spec& s)
            {
                s.entry = 0x10002;
                sym(s, "_start").value = 0x10002;
            },
            {}, "not 4-aligned"},
        {"elf.entry.executable",
            [](Spec& s)
            {
                s.entry = 0x11000;
                sym(s, "_start").value = 0x11000;
            },
            {}, "not inside an executable segment"},
        {"elf.separation.code-data",
            [](Spec& s)
            {
                s.rodata_addr = 0x10008;
                s.rodata_size = 4;
            },
            {}, "read-only data section .rodata"},
        {"linker.symbol.start", [](Spec& s) { sym(s, "_start").name = "_begin"; }, {}, "_start"},
        {"linker.symbol.start", [](Spec& s) { sym(s, "_start").bind = 0; }, {}, "_start"},
        {"linker.entry.start", [](Spec& s) { sym(s, "_start").value = 0x10004; }, {},
            "is not _start"},
        {"linker.symbol.main", [](Spec& s) { sym(s, "main").name = "mein"; }, {}, "main"},
        {"interface.read-input", [](Spec& s) { sym(s, "read_input").other = 2; }, {}, "read_input"},
        {"interface.write-output", [](Spec& s) { sym(s, "write_output").name = "write_out"; }, {},
            "write_output"},
        {"target.compressed-excluded", [](Spec& s) { s.code[1] = 0x00010001; }, {},
            "compressed (RVC) instruction 0x10001"},
        {"target.soft-float", [](Spec& s) { s.code[1] = 0x00052007; }, {}, "floating-point"},
        {"target.soft-float", [](Spec& s) { s.code[1] = 0x02B50553; }, {}, "floating-point"},
        {"target.no-atomic", [](Spec& s) { s.code[1] = 0x0005202F; }, {}, "atomic"},
        {"target.no-csr", [](Spec& s) { s.code[1] = 0xC0002573; }, {}, "CSR (Zicsr)"},
        {"target.no-csr", [](Spec& s) { s.code[1] = 0x30200073; }, {}, "privileged"},
        {"stele.rv64im", [](Spec& s) { s.code[1] = 0x0000100F; }, {}, "outside RV64IM"},
        {"stele.e-flags", [](Spec& s) { s.e_flags = 5; }, {}, "e_flags = 0x5"},
        {"stele.exec-in-file", [](Spec& s) { s.text_memsz_extra = 16; }, {}, "zero-filled"},
    };
    std::set<std::string> covered;
    for (const auto& c : cases)
    {
        Spec s = good();
        if (c.patch)
            c.patch(s);
        auto f = build(s);
        if (c.patch_bytes)
            c.patch_bytes(f);
        std::string details;
        const auto ids = rules_of(f, &details);
        EXPECT_EQ(ids, std::set<std::string>{c.rule}) << c.rule << ":\n" << details;
        EXPECT_NE(details.find(c.says), std::string::npos) << c.rule << ": " << details;
        covered.insert(c.rule);
    }
    // Every rule has a negative case.
    for (int r = 0; r <= static_cast<int>(ElfRule::ExecFullyInFile); ++r)
        EXPECT_TRUE(covered.contains(rule_id(static_cast<ElfRule>(r))))
            << rule_id(static_cast<ElfRule>(r)) << " has no negative case";
}

TEST(ElfStandards, StrippedElfFailsTheSectionAndSymbolRules)
{
    Spec s = good();
    s.sections = false;
    EXPECT_EQ(rules_of(build(s)),
        (std::set<std::string>{"elf.separation.code-data", "linker.symbol.start",
            "linker.symbol.main", "interface.read-input", "interface.write-output"}));
}

TEST(ElfStandards, HostileHeadersNeverReadOutOfBounds)
{
    // Program and section tables pointing past the end, huge counts, string offsets past the
    // table: findings, not crashes (ASan runs this).
    auto f = build(good());
    for (size_t off : {32u, 40u})
    {
        auto g = f;
        put(g, off, ~uint64_t{0} - 8);
        EXPECT_FALSE(rules_of(g).empty());
    }
    auto g = f;
    put(g, 56, uint16_t{0xFFFF});
    put(g, 60, uint16_t{0xFFFF});
    EXPECT_TRUE(rules_of(g).contains("elf.header.program-headers"));
    for (size_t cut = 0; cut < f.size(); cut += 7)
        (void)check_elf_standards(std::span<const uint8_t>{f.data(), cut});
}

TEST(ElfStandards, CliPrintsTheRuleIdOfEachViolation)
{
    const auto r =
        run_process({stele_cli(), "elf", "check", guest_elf("tests/guest", "bad_rvc", "linux")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("FAIL target.compressed-excluded: "), std::string::npos) << r.err;
    const auto wx =
        run_process({stele_cli(), "elf", "check", guest_elf("tests/guest", "bad_wx", "linux")});
    EXPECT_EQ(wx.exit_code, 1);
    EXPECT_NE(wx.err.find("FAIL elf.permissions.wx: "), std::string::npos) << wx.err;
}
