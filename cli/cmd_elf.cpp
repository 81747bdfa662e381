// `stele elf check`: validates guest ELFs against the zkVM load rules and our build rules.
#include <cstdio>
#include <fstream>
#include <iterator>

#include "../emulator/elf.hpp"
#include "../emulator/text.hpp"
#include "commands.hpp"
#include "file_read.hpp"

namespace stele::cli
{
namespace
{
int check_one(const std::string& path, bool load_only)
{
    std::vector<uint8_t> bytes;
    // The ELF's segments must lie below 2 GiB (the input window); 1 GiB is ample.
    if (const std::string e = read_regular_file(path, uint64_t{1} << 30, bytes); !e.empty())
    {
        std::fprintf(stderr, "%s: cannot read file: %s\n", emu::printable(path).c_str(), e.c_str());
        return 1;
    }
    emu::ElfImage image;
    emu::ElfError err;
    if (!emu::parse_elf(bytes, emu::LoadRules{}, image, err))
    {
        std::fprintf(stderr, "%s: rejected: %s\n", path.c_str(), err.message.c_str());
        return 1;
    }
    if (!load_only)
    {
        const auto problems = emu::check_build_rules(bytes, image);
        for (const auto& p : problems)
            std::fprintf(stderr, "%s: %s\n", path.c_str(), p.c_str());
        if (!problems.empty())
            return 1;
    }
    std::printf("%s: ok (entry 0x%llx, %zu segments:", path.c_str(),
        static_cast<unsigned long long>(image.entry), image.segments.size());
    for (const auto& s : image.segments)
        std::printf(" %s", emu::flags_string(s.flags).c_str());
    std::printf(")\n");
    return 0;
}
}  // namespace

void register_elf(CLI::App& app, int& exit_code)
{
    auto* elf = app.add_subcommand("elf", "Inspect guest ELF files");
    elf->require_subcommand(1);
    auto* check = elf->add_subcommand("check",
        "Check ELFs: the zkVM ELF-loading rules (ELF64 LSB RISC-V ET_EXEC, PT_LOAD image, no "
        "overlap, W^X, entry in an executable segment) and stele's build rules (e_flags == 0, "
        "every executable word an RV64IM instruction). Exit 1 if any file fails.");
    static std::vector<std::string> files;
    static bool load_only = false;
    check->add_option("files", files, "ELF files")->required()->check(CLI::ExistingFile);
    check->add_flag("--load-rules-only", load_only, "Apply only the zkVM loading rules");
    check->callback(
        [&exit_code]
        {
            for (const auto& f : files)
                exit_code |= check_one(f, load_only);
        });
}
}  // namespace stele::cli
