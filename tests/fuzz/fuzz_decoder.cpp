// libFuzzer target: the RV64IM decoder and interpreter. The input is a program: its words are
// the text segment (so every decoder path is reached), its first 64 bytes also seed the data
// segment and registers. The program runs under both dispatch loops with a cycle limit; they
// must agree exactly, and the decoder must agree with the ISA membership check.
#include <cstdlib>
#include <cstring>
#include <emulator/decoder.hpp>
#include <emulator/machine.hpp>
#include <emulator/rv64im.hpp>

#include "../emulator/rv_asm.hpp"

namespace
{
struct Result
{
    stele::emu::RunResult r;
    uint64_t x[32];
    std::string out;
};

Result run(
    const std::vector<uint8_t>& elf, const uint8_t* seed, size_t seed_size, stele::emu::Dispatch d)
{
    using namespace stele::emu;
    Options opt;
    opt.max_cycles = 20000;
    opt.max_memory = 1 << 20;
    opt.dispatch = d;
    Machine m;
    ElfError err;
    Result o{};
    if (!m.load(elf, {}, opt, err))
        std::abort();  // our own well-formed wrapper must load
    for (unsigned i = 1; i < 32 && (i + 1) * 8 <= seed_size; ++i)
    {
        uint64_t v;
        std::memcpy(&v, seed + i * 8, 8);
        m.set_reg(i, (i % 4 == 0) ? stele::test::rv::kDataBase + (v & 0x2FF8) : v);
    }
    o.r = m.run();
    for (unsigned i = 0; i < 32; ++i)
        o.x[i] = m.reg(i);
    o.out = m.output();
    return o;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace stele::emu;
    if (size < 4 || size > 4096)
        return 0;
    std::vector<uint32_t> code(size / 4);
    std::memcpy(code.data(), data, code.size() * 4);
    const uint64_t base = stele::test::rv::kTextBase;
    for (size_t i = 0; i < code.size(); ++i)
    {
        const Entry e = decode(code[i], base + 4 * i, base, base + 4 * code.size());
        if ((e.op == Op::ILLEGAL) != (check_rv64im(code[i]) != IsaCheck::Ok))
            std::abort();
        if (static_cast<unsigned>(e.op) >= kOpCount || e.rd > kSinkReg || e.rs1 > 31 || e.rs2 > 31)
            std::abort();
    }
    std::vector<uint8_t> dat(0x3000);
    std::memcpy(dat.data(), data, std::min<size_t>(size, dat.size()));
    const auto elf = stele::test::rv::program(code, dat);
    const Result a = run(elf, data, size, Dispatch::Threaded);
    const Result b = run(elf, data, size, Dispatch::Switch);
    if (a.r.outcome != b.r.outcome || a.r.cycles != b.r.cycles || a.r.pc != b.r.pc ||
        std::memcmp(a.x, b.x, sizeof a.x) != 0 || a.out != b.out ||
        a.r.trap.detail != b.r.trap.detail || a.r.cycles > 20000)
        std::abort();
    return 0;
}
