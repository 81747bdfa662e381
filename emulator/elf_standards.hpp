// The zkvm-standards ELF rules as one typed check list, for `stele elf check` and the release.
//
// Sources (facts in shared/reference/zkvm-standards.md): elf-loading-and-validation (header
// identity, image from PT_LOAD only, load ranges, no overlap, W^X, entry 4-aligned inside an
// executable segment), static-library-and-linker-script (read-only data outside executable
// segments, _start = entry, main), io-interface (read_input, write_output) and riscv-target
// (RV64IM: no compressed, floating-point, atomic or CSR instructions), plus the checks of the
// public zkevm-standards-analyzer (static linkage, p_filesz <= p_memsz, VMA == LMA, p_align
// congruence, X or RX executable segments) and stele's own build rules (e_flags 0, executable
// segments fully in the file). Unlike parse_elf (the loader: first error wins), every violated
// rule is reported, each once per place, with a stable rule id.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "elf.hpp"

namespace stele::emu
{
enum class ElfRule : uint8_t
{
    HeaderMagic,         // elf.header.magic: \x7fELF, a complete ELF64 header
    HeaderClass64,       // elf.header.class64: EI_CLASS == ELFCLASS64
    HeaderLittleEndian,  // elf.header.little-endian: EI_DATA == ELFDATA2LSB
    HeaderRiscv,         // elf.header.riscv: e_machine == EM_RISCV
    HeaderExecutable,    // elf.header.executable: e_type == ET_EXEC
    ProgramHeaders,      // elf.header.program-headers: a readable PHDR table with >= 1 PT_LOAD
    Static,              // elf.linkage.static: no PT_DYNAMIC, no PT_INTERP
    LoadFileRange,       // elf.load.file-ranges: [p_offset, +p_filesz) inside the file
    LoadMemorySize,      // elf.load.memory-size: p_filesz <= p_memsz
    LoadVmaLma,          // elf.load.vma-lma: p_vaddr == p_paddr
    LoadAlignment,       // elf.load.alignment: p_vaddr 4-aligned; p_align congruence
    LoadAddressRange,    // elf.load.address-range: above the null guard, below the space's end
    LoadNoOverlap,       // elf.load.no-overlap
    WriteXorExecute,     // elf.permissions.wx
    ExecPermissions,     // elf.permissions.executable: an executable segment is X or R+X
    EntryAligned,        // elf.entry.aligned
    EntryExecutable,     // elf.entry.executable
    CodeDataSeparated,   // elf.separation.code-data: no read-only data section in an X segment
    SymbolStart,         // linker.symbol.start: a visible, defined _start
    EntryIsStart,        // linker.entry.start: e_entry == _start
    SymbolMain,          // linker.symbol.main
    SymbolReadInput,     // interface.read-input
    SymbolWriteOutput,   // interface.write-output
    NoCompressed,        // target.compressed-excluded
    NoFloatingPoint,     // target.soft-float
    NoAtomic,            // target.no-atomic
    NoCsr,               // target.no-csr: Zicsr, and privileged SYSTEM instructions (mret, wfi)
    Rv64imOnly,          // stele.rv64im: every executable word an RV64IM instruction
    EFlagsZero,          // stele.e-flags: e_flags == 0 (no RVC, soft-float LP64)
    ExecFullyInFile,     // stele.exec-in-file: no zero-filled bytes in an executable segment
};

[[nodiscard]] const char* rule_id(ElfRule rule) noexcept;

struct ElfFinding
{
    ElfRule rule;
    std::string detail;
};

struct ElfCheckReport
{
    std::vector<ElfFinding> findings;  // empty: the ELF follows every rule
    uint64_t entry = 0;
    uint64_t instructions = 0;  // 32-bit words decoded in executable segments
    uint64_t ecalls = 0;        // of them, ecall (the vendor library's calls into the zkVM)
    std::vector<Segment> segments;
};

// Applies every rule. Header problems that make the rest unreadable stop the check early.
[[nodiscard]] ElfCheckReport check_elf_standards(
    std::span<const uint8_t> file, const LoadRules& rules = {});
}  // namespace stele::emu
