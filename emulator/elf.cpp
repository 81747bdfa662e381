#include "elf.hpp"

#include <algorithm>
#include <cstring>

#include "rv64im.hpp"

namespace stele::emu
{
namespace
{
constexpr uint8_t STT_FUNC = 2;

template <typename T>
T rd(std::span<const uint8_t> f, size_t off) noexcept
{
    return elf_field<T>(f, off);
}

std::string hex(uint64_t v)
{
    return hex_string(v);
}

std::string seg_name(const Segment& s)
{
    return "segment " + std::to_string(s.index) + " [" + hex(s.vaddr) + ", " + hex(s.end()) + ") " +
           flags_string(s.flags);
}

bool fail(ElfError& err, std::string msg)
{
    err.message = std::move(msg);
    return false;
}

// Reads STT_FUNC symbols; a malformed or absent table just yields none (symbols are optional).
void read_functions(std::span<const uint8_t> f, uint64_t shoff, uint16_t shnum, ElfImage& out)
{
    if (shoff == 0 || shoff > f.size() || shnum > (f.size() - shoff) / SHDR_SIZE)
        return;
    for (unsigned i = 0; i < shnum; ++i)
    {
        const size_t sh = shoff + i * SHDR_SIZE;
        if (rd<uint32_t>(f, sh + 4) != SHT_SYMTAB)
            continue;
        const uint64_t off = rd<uint64_t>(f, sh + 24), size = rd<uint64_t>(f, sh + 32);
        const uint32_t link = rd<uint32_t>(f, sh + 40);
        if (off > f.size() || size > f.size() - off || link >= shnum)
            return;
        const size_t strsh = shoff + link * SHDR_SIZE;
        const uint64_t stroff = rd<uint64_t>(f, strsh + 24), strsize = rd<uint64_t>(f, strsh + 32);
        if (stroff > f.size() || strsize > f.size() - stroff)
            return;
        for (uint64_t s = off; s + SYM_SIZE <= off + size; s += SYM_SIZE)
        {
            const uint32_t name = rd<uint32_t>(f, s);
            const uint8_t info = f[s + 4];
            const uint64_t value = rd<uint64_t>(f, s + 8), sz = rd<uint64_t>(f, s + 16);
            if ((info & 0xF) != STT_FUNC || sz == 0 || name >= strsize)
                continue;
            const char* p = reinterpret_cast<const char*>(f.data() + stroff + name);
            out.functions.push_back({std::string(p, strnlen(p, strsize - name)), value, sz});
        }
    }
    std::sort(out.functions.begin(), out.functions.end(),
        [](const Symbol& a, const Symbol& b) { return a.value < b.value; });
}
}  // namespace

std::string hex_string(uint64_t v)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    do
    {
        s.insert(s.begin(), digits[v & 0xF]);
        v >>= 4;
    } while (v);
    return "0x" + s;
}

std::string flags_string(uint32_t flags)
{
    std::string s;
    s += (flags & PF_R) ? 'R' : '-';
    s += (flags & PF_W) ? 'W' : '-';
    s += (flags & PF_X) ? 'X' : '-';
    return s;
}

bool parse_elf(std::span<const uint8_t> f, const LoadRules& rules, ElfImage& out, ElfError& err)
{
    out = {};
    if (f.size() < EHDR_SIZE)
        return fail(err,
            "truncated: " + std::to_string(f.size()) + " bytes is smaller than an ELF64 header");
    if (f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return fail(err, "not an ELF file (bad magic)");
    if (f[4] != 2)
        return fail(err, "not ELF64 (EI_CLASS = " + std::to_string(f[4]) + ")");
    if (f[5] != 1)
        return fail(err, "not little-endian (EI_DATA = " + std::to_string(f[5]) + ")");
    if (const auto type = rd<uint16_t>(f, 16); type != ET_EXEC)
        return fail(
            err, "not a static executable (e_type = " + std::to_string(type) + ", want ET_EXEC)");
    if (const auto machine = rd<uint16_t>(f, 18); machine != EM_RISCV)
        return fail(
            err, "wrong machine (e_machine = " + std::to_string(machine) + ", want EM_RISCV 243)");

    out.entry = rd<uint64_t>(f, 24);
    out.flags = rd<uint32_t>(f, 48);
    const uint64_t phoff = rd<uint64_t>(f, 32);
    const uint64_t shoff = rd<uint64_t>(f, 40);
    const uint16_t phentsize = rd<uint16_t>(f, 54);
    const uint16_t phnum = rd<uint16_t>(f, 56);
    const uint16_t shnum = rd<uint16_t>(f, 60);
    if (phnum == 0)
        return fail(err, "no program headers");
    if (phentsize != PHDR_SIZE)
        return fail(err, "bad e_phentsize " + std::to_string(phentsize));
    if (phoff > f.size() || phnum > (f.size() - phoff) / PHDR_SIZE)
        return fail(err, "truncated: program header table outside the file");

    for (unsigned i = 0; i < phnum; ++i)
    {
        const size_t ph = phoff + i * PHDR_SIZE;
        if (rd<uint32_t>(f, ph) != PT_LOAD)
            continue;
        Segment s{i, rd<uint64_t>(f, ph + 16), rd<uint64_t>(f, ph + 40), rd<uint64_t>(f, ph + 8),
            rd<uint64_t>(f, ph + 32), rd<uint32_t>(f, ph + 4)};
        if (s.memsz == 0)
            continue;
        const std::string name = seg_name(s);
        if (s.vaddr % 4 != 0)
            return fail(err, name + ": p_vaddr is not 4-aligned");
        if (s.filesz > s.memsz)
            return fail(err, name + ": p_filesz " + hex(s.filesz) + " exceeds p_memsz");
        if (s.offset > f.size() || s.filesz > f.size() - s.offset)
            return fail(err, name + ": file bytes [" + hex(s.offset) + ", +" + hex(s.filesz) +
                                 ") lie outside the file (truncated?)");
        if (s.vaddr < rules.null_guard_end)
            return fail(
                err, name + ": maps the null guard region below " + hex(rules.null_guard_end));
        if (s.memsz > rules.address_space_end || s.vaddr > rules.address_space_end - s.memsz)
            return fail(err, name + ": p_memsz " + hex(s.memsz) +
                                 " reaches past the address space end " +
                                 hex(rules.address_space_end));
        if (s.executable() && s.writable())
            return fail(err, name + ": both writable and executable (W^X)");
        out.segments.push_back(s);
    }
    if (out.segments.empty())
        return fail(err, "no PT_LOAD segment with contents");

    std::sort(out.segments.begin(), out.segments.end(),
        [](const Segment& a, const Segment& b) { return a.vaddr < b.vaddr; });
    for (size_t i = 1; i < out.segments.size(); ++i)
    {
        const Segment& a = out.segments[i - 1];
        const Segment& b = out.segments[i];
        if (b.vaddr < a.end())
            return fail(err, seg_name(b) + " overlaps " + seg_name(a));
    }

    if (out.entry % 4 != 0)
        return fail(err, "entry point " + hex(out.entry) + " is not 4-aligned");
    const bool entry_ok = std::any_of(out.segments.begin(), out.segments.end(),
        [&](const Segment& s)
        { return s.executable() && out.entry >= s.vaddr && out.entry < s.end(); });
    if (!entry_ok)
        return fail(err, "entry point " + hex(out.entry) + " is not inside an executable segment");

    read_functions(f, shoff, shnum, out);
    return true;
}

std::vector<std::string> check_build_rules(std::span<const uint8_t> f, const ElfImage& image)
{
    std::vector<std::string> problems;
    if (image.flags != 0)
        problems.push_back(
            "e_flags = " + hex(image.flags) + ", want 0 (no RVC, soft-float LP64 ABI)");
    for (const Segment& s : image.segments)
    {
        if (!s.executable())
            continue;
        if (s.filesz != s.memsz)
            problems.push_back(seg_name(s) + ": executable segment has zero-filled bytes");
        size_t reported = 0;
        for (uint64_t off = 0; off + 4 <= s.filesz; off += 4)
        {
            const uint32_t w = rd<uint32_t>(f, s.offset + off);
            const IsaCheck c = check_rv64im(w);
            if (c == IsaCheck::Ok)
                continue;
            if (++reported > 8)
            {
                problems.push_back(seg_name(s) + ": more instructions outside RV64IM not listed");
                break;
            }
            const char* why = c == IsaCheck::Compressed     ? "compressed (RVC) instruction"
                              : c == IsaCheck::LongEncoding ? "long (>32-bit) encoding"
                                                            : "instruction outside RV64IM";
            problems.push_back(hex(s.vaddr + off) + ": " + why + " " + hex(w));
        }
        if (s.filesz % 4 != 0)
            problems.push_back(seg_name(s) + ": size is not a multiple of 4");
    }
    return problems;
}
}  // namespace stele::emu
