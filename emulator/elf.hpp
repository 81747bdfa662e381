// ELF64 parsing and validation for RV64IM zkVM programs.
//
// Two rule sets:
//  - load rules: the zkVM ELF-loading standard (header identity, image from PT_LOAD only,
//    4-aligned p_vaddr, no overlap, no W+X, entry 4-aligned inside an executable segment,
//    everything inside the address space); every zkVM and stelevm apply these.
//  - build rules: what our toolchain must produce on top (e_flags == 0, i.e. no RVC and the
//    soft-float ABI; every word of every executable segment an RV64IM instruction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace stele::emu
{
// ELF64 constants the loader and the standards checker share (System V gABI).
inline constexpr uint16_t ET_EXEC = 2;
inline constexpr uint16_t EM_RISCV = 243;
inline constexpr uint32_t PT_LOAD = 1;
inline constexpr uint32_t SHT_SYMTAB = 2;
inline constexpr size_t EHDR_SIZE = 64;
inline constexpr size_t PHDR_SIZE = 56;
inline constexpr size_t SHDR_SIZE = 64;
inline constexpr size_t SYM_SIZE = 24;
inline constexpr uint32_t PF_X = 1;
inline constexpr uint32_t PF_W = 2;
inline constexpr uint32_t PF_R = 4;

struct Segment
{
    unsigned index;  // program-header index, for messages
    uint64_t vaddr;
    uint64_t memsz;
    uint64_t offset;
    uint64_t filesz;
    uint32_t flags;

    [[nodiscard]] bool executable() const noexcept
    {
        return flags & PF_X;
    }
    [[nodiscard]] bool writable() const noexcept
    {
        return flags & PF_W;
    }
    [[nodiscard]] bool readable() const noexcept
    {
        return flags & PF_R;
    }
    [[nodiscard]] uint64_t end() const noexcept
    {
        return vaddr + memsz;
    }
};

struct Symbol
{
    std::string name;
    uint64_t value;
    uint64_t size;
};

struct ElfImage
{
    uint64_t entry = 0;
    uint32_t flags = 0;             // e_flags
    std::vector<Segment> segments;  // PT_LOAD segments with p_memsz > 0, by address
    std::vector<Symbol> functions;  // STT_FUNC symbols with a size, by address (may be empty)
};

struct ElfError
{
    std::string message;
};

struct LoadRules
{
    // Highest address (exclusive) a segment may reach.
    uint64_t address_space_end = uint64_t{1} << 32;
    // Segments may not start below this address (the trapping null region).
    uint64_t null_guard_end = 0x1000;
};

// Parses the ELF and applies the load rules. On failure returns false and sets err.
[[nodiscard]] bool parse_elf(
    std::span<const uint8_t> file, const LoadRules& rules, ElfImage& out, ElfError& err);

// Applies the build rules to a parsed image. Returns every violation (empty: clean).
[[nodiscard]] std::vector<std::string> check_build_rules(
    std::span<const uint8_t> file, const ElfImage& image);

// Human-readable flags, e.g. "R X".
[[nodiscard]] std::string flags_string(uint32_t flags);

// "0x" and lower-case hex digits, for messages.
[[nodiscard]] std::string hex_string(uint64_t v);

// A little-endian field of an ELF file at OFF (the caller checks the bounds).
template <typename T>
[[nodiscard]] T elf_field(std::span<const uint8_t> f, size_t off) noexcept
{
    T v;
    std::memcpy(&v, f.data() + off, sizeof(T));  // ELFDATA2LSB on a little-endian host
    return v;
}
}  // namespace stele::emu
