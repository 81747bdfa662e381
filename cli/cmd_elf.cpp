// `stele elf check`: validates guest ELFs against the zkvm-standards ELF rules (the loading and
// validation standard, the static-library / linker-script standard's symbols and sections, the
// RISC-V target's instruction set), the public standards analyzer's checks, and our build rules.
// Every violated rule is reported with its id: `FILE: FAIL <rule-id>: <detail>`.
#include <cstdio>

#include "../emulator/elf_standards.hpp"
#include "../emulator/text.hpp"
#include "commands.hpp"
#include "file_read.hpp"

namespace stele::cli
{
namespace
{
// The rules of the ELF-loading standard alone (what every zkVM loader applies).
bool is_load_rule(emu::ElfRule r)
{
    using R = emu::ElfRule;
    switch (r)
    {
        case R::HeaderMagic:
        case R::HeaderClass64:
        case R::HeaderLittleEndian:
        case R::HeaderRiscv:
        case R::HeaderExecutable:
        case R::ProgramHeaders:
        case R::LoadFileRange:
        case R::LoadMemorySize:
        case R::LoadAlignment:
        case R::LoadAddressRange:
        case R::LoadNoOverlap:
        case R::WriteXorExecute:
        case R::ExecPermissions:
        case R::EntryAligned:
        case R::EntryExecutable:
            return true;
        default:
            return false;
    }
}

int check_one(const std::string& path, bool load_only)
{
    const std::string shown = emu::printable(path);
    std::vector<uint8_t> bytes;
    // The ELF's segments must lie below 2 GiB (the input window); 1 GiB is ample.
    if (const std::string e = read_regular_file(path, uint64_t{1} << 30, bytes); !e.empty())
    {
        std::fprintf(stderr, "%s: cannot read file: %s\n", shown.c_str(), e.c_str());
        return 1;
    }
    const emu::ElfCheckReport report = emu::check_elf_standards(bytes);
    size_t failures = 0;
    for (const auto& f : report.findings)
    {
        if (load_only && !is_load_rule(f.rule))
            continue;
        std::fprintf(stderr, "%s: FAIL %s: %s\n", shown.c_str(), emu::rule_id(f.rule),
            emu::printable(f.detail).c_str());
        ++failures;
    }
    if (failures > 0)
        return 1;
    std::printf("%s: ok (entry 0x%llx, %zu segments:", shown.c_str(),
        static_cast<unsigned long long>(report.entry), report.segments.size());
    for (const auto& s : report.segments)
        std::printf(" %s", emu::flags_string(s.flags).c_str());
    std::printf("; %llu instruction words, %llu ecall)\n",
        static_cast<unsigned long long>(report.instructions),
        static_cast<unsigned long long>(report.ecalls));
    return 0;
}
}  // namespace

void register_elf(CLI::App& app, int& exit_code)
{
    auto* elf = app.add_subcommand("elf", "Inspect guest ELF files");
    elf->require_subcommand(1);
    auto* check = elf->add_subcommand("check",
        "Check ELFs against the zkvm-standards ELF rules and the standards analyzer's checks: "
        "ELF64 LE RISC-V ET_EXEC, no PT_DYNAMIC/PT_INTERP, load ranges inside the file and the "
        "address space, p_filesz <= p_memsz, VMA == LMA, alignment, no overlap, W^X, X or R+X "
        "code, entry 4-aligned inside an executable segment, read-only data outside executable "
        "segments, visible _start (= entry), main, read_input, write_output, no compressed, "
        "floating-point, atomic or CSR instructions; and stele's build rules (e_flags 0, every "
        "executable word RV64IM). Each violation prints 'FILE: FAIL <rule-id>: <detail>'; exit 1 "
        "if any file fails. ecall is allowed (it is how a vendor library reaches the zkVM) and "
        "counted.");
    static std::vector<std::string> files;
    static bool load_only = false;
    check->add_option("files", files, "ELF files")->required()->check(CLI::ExistingFile);
    check->add_flag("--load-rules-only", load_only,
        "Apply only the ELF-loading standard's rules (header, PT_LOAD image, W^X, entry)");
    check->callback(
        [&exit_code]
        {
            for (const auto& f : files)
                exit_code |= check_one(f, load_only);
        });
}
}  // namespace stele::cli
