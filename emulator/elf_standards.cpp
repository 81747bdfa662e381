#include "elf_standards.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "rv64im.hpp"

namespace stele::emu
{
namespace
{
constexpr uint32_t PT_DYNAMIC = 2;
constexpr uint32_t PT_INTERP = 3;
constexpr uint32_t SHT_NOBITS = 8;
constexpr uint64_t SHF_WRITE = 1;
constexpr uint64_t SHF_ALLOC = 2;
constexpr uint64_t SHF_EXECINSTR = 4;
constexpr uint8_t STB_LOCAL = 0;
constexpr uint8_t STV_HIDDEN = 2;
constexpr uint8_t STV_INTERNAL = 1;
constexpr uint16_t SHN_UNDEF = 0;
constexpr size_t kMaxPerRule = 8;  // findings listed per rule; the rest are counted

template <typename T>
T rd(std::span<const uint8_t> f, size_t off) noexcept
{
    return elf_field<T>(f, off);
}

std::string hex(uint64_t v)
{
    return hex_string(v);
}

bool in_file(std::span<const uint8_t> f, uint64_t off, uint64_t size) noexcept
{
    return off <= f.size() && size <= f.size() - off;
}

struct Phdr
{
    unsigned index;
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct Shdr
{
    std::string name;
    uint32_t type;
    uint64_t flags, addr, offset, size;
    uint32_t link;
};

std::string seg_name(const Phdr& p)
{
    return "segment " + std::to_string(p.index) + " [" + hex(p.vaddr) + ", " +
           hex(p.vaddr + p.memsz) + ") " + flags_string(p.flags);
}

class Checker
{
public:
    Checker(std::span<const uint8_t> f, const LoadRules& rules) : m_f(f), m_rules(rules) {}

    ElfCheckReport run()
    {
        if (!header())
            return std::move(m_report);
        program_headers();
        sections();
        symbols();
        instructions();
        return std::move(m_report);
    }

private:
    void add(ElfRule rule, std::string detail)
    {
        if (++m_count[rule] <= kMaxPerRule)
            m_report.findings.push_back({rule, std::move(detail)});
        else if (m_count[rule] == kMaxPerRule + 1)
            m_report.findings.push_back({rule, "more violations of this rule not listed"});
    }

    bool header()
    {
        if (m_f.size() < 4 || m_f[0] != 0x7F || m_f[1] != 'E' || m_f[2] != 'L' || m_f[3] != 'F')
        {
            add(ElfRule::HeaderMagic, "not an ELF file (bad magic)");
            return false;
        }
        if (m_f.size() < EHDR_SIZE)
        {
            add(ElfRule::HeaderMagic, "truncated: " + std::to_string(m_f.size()) +
                                          " bytes is smaller than an ELF64 header");
            return false;
        }
        bool readable = true;
        if (m_f[4] != 2)
        {
            add(ElfRule::HeaderClass64, "not ELF64 (EI_CLASS = " + std::to_string(m_f[4]) + ")");
            readable = false;
        }
        if (m_f[5] != 1)
        {
            add(ElfRule::HeaderLittleEndian,
                "not little-endian (EI_DATA = " + std::to_string(m_f[5]) + ")");
            readable = false;
        }
        if (!readable)
            return false;  // the fields below would be misread
        if (const auto machine = rd<uint16_t>(m_f, 18); machine != EM_RISCV)
            add(ElfRule::HeaderRiscv,
                "wrong machine (e_machine = " + std::to_string(machine) + ", want EM_RISCV 243)");
        if (const auto type = rd<uint16_t>(m_f, 16); type != ET_EXEC)
            add(ElfRule::HeaderExecutable,
                "not a static executable (e_type = " + std::to_string(type) + ", want ET_EXEC 2)");
        m_report.entry = rd<uint64_t>(m_f, 24);
        if (const auto flags = rd<uint32_t>(m_f, 48); flags != 0)
            add(ElfRule::EFlagsZero,
                "e_flags = " + hex(flags) + ", want 0 (no RVC, soft-float LP64 ABI)");
        return true;
    }

    void program_headers()
    {
        const uint64_t phoff = rd<uint64_t>(m_f, 32);
        const uint16_t phentsize = rd<uint16_t>(m_f, 54);
        const uint16_t phnum = rd<uint16_t>(m_f, 56);
        if (phnum == 0 || phentsize != PHDR_SIZE ||
            !in_file(m_f, phoff, uint64_t{phnum} * PHDR_SIZE))
        {
            add(ElfRule::ProgramHeaders, phnum == 0 ? "no program headers"
                                         : phentsize != PHDR_SIZE
                                             ? "bad e_phentsize " + std::to_string(phentsize)
                                             : "truncated: program header table outside the file");
            return;
        }
        for (unsigned i = 0; i < phnum; ++i)
        {
            const size_t o = phoff + size_t{i} * PHDR_SIZE;
            Phdr p{i, rd<uint32_t>(m_f, o), rd<uint32_t>(m_f, o + 4), rd<uint64_t>(m_f, o + 8),
                rd<uint64_t>(m_f, o + 16), rd<uint64_t>(m_f, o + 24), rd<uint64_t>(m_f, o + 32),
                rd<uint64_t>(m_f, o + 40), rd<uint64_t>(m_f, o + 48)};
            if (p.type == PT_DYNAMIC || p.type == PT_INTERP)
                add(ElfRule::Static, "program header " + std::to_string(i) + " is " +
                                         (p.type == PT_DYNAMIC ? "PT_DYNAMIC" : "PT_INTERP") +
                                         ": not a statically linked executable");
            if (p.type == PT_LOAD && p.memsz > 0)
                m_loads.push_back(p);
        }
        if (m_loads.empty())
        {
            add(ElfRule::ProgramHeaders, "no PT_LOAD segment with contents");
            return;
        }
        for (const Phdr& p : m_loads)
            load_segment(p);
        std::vector<Phdr> sorted = m_loads;
        std::sort(sorted.begin(), sorted.end(),
            [](const Phdr& a, const Phdr& b) { return a.vaddr < b.vaddr; });
        for (size_t i = 1; i < sorted.size(); ++i)
        {
            const Phdr& a = sorted[i - 1];
            const Phdr& b = sorted[i];
            // a's end, saturated: a wrapping segment is reported by the address-range rule.
            const uint64_t a_end = a.memsz > ~a.vaddr ? ~uint64_t{0} : a.vaddr + a.memsz;
            if (b.vaddr < a_end)
                add(ElfRule::LoadNoOverlap, seg_name(b) + " overlaps " + seg_name(a));
        }
        const uint64_t entry = m_report.entry;
        if (entry % 4 != 0)
            add(ElfRule::EntryAligned, "entry point " + hex(entry) + " is not 4-aligned");
        const bool entry_ok = std::any_of(m_loads.begin(), m_loads.end(),
            [&](const Phdr& s)
            { return (s.flags & PF_X) && entry >= s.vaddr && entry - s.vaddr < s.memsz; });
        if (!entry_ok)
            add(ElfRule::EntryExecutable,
                "entry point " + hex(entry) + " is not inside an executable segment");
        for (const Phdr& p : m_loads)
            m_report.segments.push_back({p.index, p.vaddr, p.memsz, p.offset, p.filesz, p.flags});
    }

    void load_segment(const Phdr& p)
    {
        const std::string name = seg_name(p);
        if (!in_file(m_f, p.offset, p.filesz))
            add(ElfRule::LoadFileRange, name + ": file bytes [" + hex(p.offset) + ", +" +
                                            hex(p.filesz) + ") lie outside the file (truncated?)");
        if (p.filesz > p.memsz)
            add(ElfRule::LoadMemorySize,
                name + ": p_filesz " + hex(p.filesz) + " exceeds p_memsz " + hex(p.memsz));
        if (p.vaddr != p.paddr)
            add(ElfRule::LoadVmaLma, name + ": p_paddr " + hex(p.paddr) +
                                         " differs from p_vaddr (no relocation is done)");
        if (p.vaddr % 4 != 0)
            add(ElfRule::LoadAlignment, name + ": p_vaddr is not 4-aligned");
        else if (p.align > 1 &&
                 ((p.align & (p.align - 1)) != 0 || p.vaddr % p.align != p.offset % p.align))
            add(ElfRule::LoadAlignment,
                name + ": p_align " + hex(p.align) +
                    " is not a power of two with p_vaddr == p_offset modulo it");
        if (p.vaddr < m_rules.null_guard_end)
            add(ElfRule::LoadAddressRange,
                name + ": maps the null guard region below " + hex(m_rules.null_guard_end));
        if (p.memsz > m_rules.address_space_end || p.vaddr > m_rules.address_space_end - p.memsz)
            add(ElfRule::LoadAddressRange, name + ": p_memsz " + hex(p.memsz) +
                                               " reaches past the address space end " +
                                               hex(m_rules.address_space_end));
        if ((p.flags & PF_X) && (p.flags & PF_W))
            add(ElfRule::WriteXorExecute, name + ": both writable and executable (W^X)");
        else if ((p.flags & PF_X) && (p.flags & ~(PF_R | PF_X)) != 0)
            add(ElfRule::ExecPermissions,
                name + ": executable segment with flags " + hex(p.flags) + " (want X or R+X)");
        if ((p.flags & PF_X) && p.filesz != p.memsz)
            add(ElfRule::ExecFullyInFile, name + ": executable segment has zero-filled bytes");
    }

    void sections()
    {
        const uint64_t shoff = rd<uint64_t>(m_f, 40);
        const uint16_t shnum = rd<uint16_t>(m_f, 60);
        const uint16_t shstrndx = rd<uint16_t>(m_f, 62);
        if (shoff == 0 || shnum == 0 || rd<uint16_t>(m_f, 58) != SHDR_SIZE ||
            !in_file(m_f, shoff, uint64_t{shnum} * SHDR_SIZE))
        {
            add(ElfRule::CodeDataSeparated,
                "no readable section headers: read-only data cannot be told from code (keep "
                "section headers in released ELFs)");
            return;
        }
        uint64_t stroff = 0, strsize = 0;
        if (shstrndx < shnum)
        {
            const size_t sh = shoff + size_t{shstrndx} * SHDR_SIZE;
            stroff = rd<uint64_t>(m_f, sh + 24);
            strsize = rd<uint64_t>(m_f, sh + 32);
            if (!in_file(m_f, stroff, strsize))
                strsize = 0;
        }
        for (unsigned i = 0; i < shnum; ++i)
        {
            const size_t sh = shoff + size_t{i} * SHDR_SIZE;
            Shdr s{"", rd<uint32_t>(m_f, sh + 4), rd<uint64_t>(m_f, sh + 8),
                rd<uint64_t>(m_f, sh + 16), rd<uint64_t>(m_f, sh + 24), rd<uint64_t>(m_f, sh + 32),
                rd<uint32_t>(m_f, sh + 40)};
            if (const uint32_t n = rd<uint32_t>(m_f, sh); n < strsize)
            {
                const char* p = reinterpret_cast<const char*>(m_f.data() + stroff + n);
                s.name.assign(p, strnlen(p, strsize - n));
            }
            m_sections.push_back(std::move(s));
        }
        // Read-only data (allocated, neither writable nor code) must not lie in an executable
        // segment: a zkVM with execute-only (PF_X) code terminates on any load from it.
        for (const Shdr& s : m_sections)
        {
            if ((s.flags & SHF_ALLOC) == 0 || (s.flags & (SHF_WRITE | SHF_EXECINSTR)) != 0 ||
                s.size == 0)
                continue;
            for (const Phdr& p : m_loads)
                if ((p.flags & PF_X) && s.addr < p.vaddr + p.memsz && p.vaddr < s.addr + s.size)
                    add(ElfRule::CodeDataSeparated, "read-only data section " +
                                                        (s.name.empty() ? "?" : s.name) + " [" +
                                                        hex(s.addr) + ", +" + hex(s.size) +
                                                        ") lies in executable " + seg_name(p));
        }
    }

    void symbols()
    {
        struct Sym
        {
            uint64_t value;
            bool visible;
        };
        std::map<std::string, Sym> wanted{
            {"_start", {}}, {"main", {}}, {"read_input", {}}, {"write_output", {}}};
        std::map<std::string, bool> found;
        for (const Shdr& s : m_sections)
        {
            if (s.type != SHT_SYMTAB || !in_file(m_f, s.offset, s.size) ||
                s.link >= m_sections.size())
                continue;
            const Shdr& str = m_sections[s.link];
            if (str.type == SHT_NOBITS || !in_file(m_f, str.offset, str.size))
                continue;
            for (uint64_t o = s.offset; o + SYM_SIZE <= s.offset + s.size; o += SYM_SIZE)
            {
                const uint32_t name = rd<uint32_t>(m_f, o);
                if (name >= str.size)
                    continue;
                const char* p = reinterpret_cast<const char*>(m_f.data() + str.offset + name);
                const std::string n(p, strnlen(p, str.size - name));
                const auto it = wanted.find(n);
                if (it == wanted.end())
                    continue;
                const uint8_t info = m_f[o + 4], other = m_f[o + 5];
                const uint16_t shndx = rd<uint16_t>(m_f, o + 6);
                const uint8_t vis = other & 3;
                const bool visible = (info >> 4) != STB_LOCAL && shndx != SHN_UNDEF &&
                                     vis != STV_HIDDEN && vis != STV_INTERNAL;
                if (visible || !found[n])
                    it->second = {rd<uint64_t>(m_f, o + 8), visible};
                found[n] = found[n] || visible;
            }
        }
        auto need = [&](const char* sym, ElfRule rule)
        {
            if (!found[sym])
                add(rule, std::string{"no visible (global or weak, defined) symbol "} + sym);
        };
        need("_start", ElfRule::SymbolStart);
        need("main", ElfRule::SymbolMain);
        need("read_input", ElfRule::SymbolReadInput);
        need("write_output", ElfRule::SymbolWriteOutput);
        if (found["_start"] && wanted["_start"].value != m_report.entry)
            add(ElfRule::EntryIsStart,
                "e_entry " + hex(m_report.entry) + " is not _start " + hex(wanted["_start"].value));
    }

    void instructions()
    {
        for (const Phdr& p : m_loads)
        {
            if (!(p.flags & PF_X) || !in_file(m_f, p.offset, p.filesz))
                continue;
            for (uint64_t off = 0; off + 4 <= p.filesz; off += 4)
                word(p.vaddr + off, rd<uint32_t>(m_f, p.offset + off));
            if (p.filesz % 4 != 0)
                add(ElfRule::Rv64imOnly, seg_name(p) + ": size is not a multiple of 4");
        }
    }

    void word(uint64_t addr, uint32_t w)
    {
        ++m_report.instructions;
        const IsaCheck c = check_rv64im(w);
        if (c == IsaCheck::Ok)
        {
            m_report.ecalls += w == 0x00000073;
            return;
        }
        const std::string at = hex(addr) + ": ";
        const uint32_t opcode = w & 0x7F;
        if (c == IsaCheck::Compressed)
            add(ElfRule::NoCompressed, at + "compressed (RVC) instruction " + hex(w));
        else if (c == IsaCheck::LongEncoding)
            add(ElfRule::Rv64imOnly, at + "long (>32-bit) encoding " + hex(w));
        else if (opcode == 0x07 || opcode == 0x27 || opcode == 0x43 || opcode == 0x47 ||
                 opcode == 0x4B || opcode == 0x4F || opcode == 0x53)
            add(ElfRule::NoFloatingPoint, at + "floating-point (F/D) instruction " + hex(w));
        else if (opcode == 0x2F)
            add(ElfRule::NoAtomic, at + "atomic (A) instruction " + hex(w));
        else if (opcode == 0x73)
            add(ElfRule::NoCsr, at +
                                    (((w >> 12) & 7) != 0 ? "CSR (Zicsr) instruction "
                                                          : "privileged SYSTEM instruction ") +
                                    hex(w));
        else
            add(ElfRule::Rv64imOnly, at + "instruction outside RV64IM " + hex(w));
    }

    std::span<const uint8_t> m_f;
    const LoadRules& m_rules;
    ElfCheckReport m_report;
    std::vector<Phdr> m_loads;
    std::vector<Shdr> m_sections;
    std::map<ElfRule, size_t> m_count;
};
}  // namespace

const char* rule_id(ElfRule rule) noexcept
{
    switch (rule)
    {
        case ElfRule::HeaderMagic:
            return "elf.header.magic";
        case ElfRule::HeaderClass64:
            return "elf.header.class64";
        case ElfRule::HeaderLittleEndian:
            return "elf.header.little-endian";
        case ElfRule::HeaderRiscv:
            return "elf.header.riscv";
        case ElfRule::HeaderExecutable:
            return "elf.header.executable";
        case ElfRule::ProgramHeaders:
            return "elf.header.program-headers";
        case ElfRule::Static:
            return "elf.linkage.static";
        case ElfRule::LoadFileRange:
            return "elf.load.file-ranges";
        case ElfRule::LoadMemorySize:
            return "elf.load.memory-size";
        case ElfRule::LoadVmaLma:
            return "elf.load.vma-lma";
        case ElfRule::LoadAlignment:
            return "elf.load.alignment";
        case ElfRule::LoadAddressRange:
            return "elf.load.address-range";
        case ElfRule::LoadNoOverlap:
            return "elf.load.no-overlap";
        case ElfRule::WriteXorExecute:
            return "elf.permissions.wx";
        case ElfRule::ExecPermissions:
            return "elf.permissions.executable";
        case ElfRule::EntryAligned:
            return "elf.entry.aligned";
        case ElfRule::EntryExecutable:
            return "elf.entry.executable";
        case ElfRule::CodeDataSeparated:
            return "elf.separation.code-data";
        case ElfRule::SymbolStart:
            return "linker.symbol.start";
        case ElfRule::EntryIsStart:
            return "linker.entry.start";
        case ElfRule::SymbolMain:
            return "linker.symbol.main";
        case ElfRule::SymbolReadInput:
            return "interface.read-input";
        case ElfRule::SymbolWriteOutput:
            return "interface.write-output";
        case ElfRule::NoCompressed:
            return "target.compressed-excluded";
        case ElfRule::NoFloatingPoint:
            return "target.soft-float";
        case ElfRule::NoAtomic:
            return "target.no-atomic";
        case ElfRule::NoCsr:
            return "target.no-csr";
        case ElfRule::Rv64imOnly:
            return "stele.rv64im";
        case ElfRule::EFlagsZero:
            return "stele.e-flags";
        case ElfRule::ExecFullyInFile:
            return "stele.exec-in-file";
    }
    return "?";
}

ElfCheckReport check_elf_standards(std::span<const uint8_t> file, const LoadRules& rules)
{
    return Checker{file, rules}.run();
}
}  // namespace stele::emu
