// libFuzzer target: the ELF loader (zkVM load rules, build rules, symbol table) on arbitrary
// bytes. Every input must give a typed result: accepted with consistent segments, or an error
// message; never a crash, hang or sanitizer report. Accepted images are also mapped and
// pre-decoded by stelevm and run for a few thousand cycles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <emulator/elf.hpp>
#include <emulator/machine.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace stele::emu;
    const std::span<const uint8_t> file(data, size);
    ElfImage img;
    ElfError err;
    if (!parse_elf(file, LoadRules{}, img, err))
    {
        if (err.message.empty())
            std::abort();  // a rejection must say why
        return 0;
    }
    for (size_t i = 0; i < img.segments.size(); ++i)
    {
        const Segment& s = img.segments[i];
        if (s.memsz == 0 || s.filesz > s.memsz || s.end() > (uint64_t{1} << 32) || s.vaddr % 4 ||
            (s.executable() && s.writable()))
            std::abort();
        if (i > 0 && img.segments[i - 1].end() > s.vaddr)
            std::abort();
    }
    (void)check_build_rules(file, img);

    // Mapping is per page: keep big images (a guest's 2 GiB heap) to the parser, so the fuzzer
    // stays fast; small accepted images are loaded and run.
    uint64_t pages = 0;
    for (const Segment& s : img.segments)
        pages += s.memsz / 4096 + 2;
    if (pages > 4096)
        return 0;
    Options opt;
    opt.max_cycles = 5000;
    opt.max_memory = 64 << 20;
    Machine m;
    if (m.load(file, {}, opt, err))
        (void)m.run();
    return 0;
}
