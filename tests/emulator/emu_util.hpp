// Runs test programs in stelevm with both dispatch loops and checks that they agree.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <emulator/machine.hpp>
#include <map>

#include "rv_asm.hpp"

namespace stele::test
{
struct EmuRun
{
    emu::RunResult result;
    std::array<uint64_t, 32> x{};
    std::string output;
    std::string log;
    std::vector<uint8_t> data;  // kDataBase .. + 0x3000 after the run (when readable)
};

inline EmuRun run_once(const std::vector<uint8_t>& elf, const std::map<unsigned, uint64_t>& regs,
    emu::Options opt, const std::string& input, emu::Dispatch d)
{
    opt.dispatch = d;
    emu::Machine m;
    emu::ElfError err;
    EmuRun r;
    const auto in = std::span(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    if (!m.load(elf, in, opt, err))
    {
        ADD_FAILURE() << "load failed: " << err.message;
        return r;
    }
    for (const auto& [i, v] : regs)
        m.set_reg(i, v);
    r.result = m.run();
    for (unsigned i = 0; i < 32; ++i)
        r.x[i] = m.reg(i);
    r.output = m.output();
    r.log = m.log();
    r.data.resize(0x3000);
    if (m.memory().read(rv::kDataBase, r.data) != emu::Memory::Access::Ok)
        r.data.clear();
    return r;
}

// Runs in both dispatch modes; they must agree on everything observable.
inline EmuRun run_elf(const std::vector<uint8_t>& elf,
    const std::map<unsigned, uint64_t>& regs = {}, emu::Options opt = {},
    const std::string& input = {})
{
    EmuRun a = run_once(elf, regs, opt, input, emu::Dispatch::Threaded);
    const EmuRun b = run_once(elf, regs, opt, input, emu::Dispatch::Switch);
    EXPECT_EQ(a.result.outcome, b.result.outcome);
    EXPECT_EQ(a.result.cycles, b.result.cycles);
    EXPECT_EQ(a.result.pc, b.result.pc);
    EXPECT_EQ(a.result.trap.detail, b.result.trap.detail);
    EXPECT_EQ(a.result.unaligned_accesses, b.result.unaligned_accesses);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.data, b.data);
    return a;
}

// Code followed by exit(0).
inline EmuRun run_code(std::vector<uint32_t> code, const std::map<unsigned, uint64_t>& regs = {},
    emu::Options opt = {}, std::vector<uint8_t> data = std::vector<uint8_t>(0x3000))
{
    rv::exit_with(code, 0);
    return run_elf(rv::program(code, std::move(data)), regs, opt);
}
}  // namespace stele::test
