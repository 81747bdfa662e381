// stelevm as a machine: memory map and permissions, traps, limits, the ecall ABI, cycle
// counting, regions and the function profiler, on synthetic programs and on a real guest-rt
// program (tests/guest/emu_probe.cpp).
#include <stele/stelevm_abi.h>

#include <common/paths.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "emu_util.hpp"

using namespace stele;
using namespace stele::test;
using namespace stele::test::rv;

namespace
{
std::vector<uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> probe_elf()
{
    return read_file(guest_elf("tests/guest", "emu_probe", "stelevm"));
}

EmuRun probe(const std::string& mode, emu::Options opt = {})
{
    return run_elf(probe_elf(), {}, opt, mode);
}

std::string load_error(const std::vector<uint8_t>& elf, const std::string& input = {})
{
    emu::Machine m;
    emu::ElfError err;
    if (m.load(
            elf, std::span(reinterpret_cast<const uint8_t*>(input.data()), input.size()), {}, err))
        return "";
    return err.message;
}
}  // namespace

// --- memory map -----------------------------------------------------------------------------

TEST(MemoryMap, NullPageTraps)
{
    const auto r = probe("null");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << r.result.describe();
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::LoadFault);
    EXPECT_EQ(r.result.trap.address, 8u);
}

TEST(MemoryMap, StackOverflowHitsTheGuardPage)
{
    const auto r = probe("stack");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << r.result.describe();
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::StoreFault);
    // The guard is the 4 KiB below the 16 MiB stack that ends at STELEVM_STACK_TOP.
    const uint64_t stack_bottom = STELEVM_STACK_TOP - (uint64_t{16} << 20);
    EXPECT_GE(r.result.trap.address, stack_bottom - 4096);
    EXPECT_LT(r.result.trap.address, stack_bottom);
}

TEST(MemoryMap, InputWindowIsReadOnly)
{
    const auto r = probe("input_write");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << r.result.describe();
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::StoreFault);
    EXPECT_EQ(r.result.trap.address, STELEVM_INPUT_BASE);
}

TEST(MemoryMap, InputIsZeroFilledToItsPageEndThenTraps)
{
    std::vector<uint32_t> code = {addi(17, 0, STELEVM_READ_INPUT), kEcall,
        add(5, 10, 11) /* one past the end */, i_type(0x03, 4, 6, 10, 2) /* last byte */,
        i_type(0x03, 4, 7, 5, 0) /* zero fill */};
    li(code, 8, STELEVM_INPUT_BASE + 4096);
    code.push_back(i_type(0x03, 4, 9, 8, -1));
    code.push_back(i_type(0x03, 4, 9, 8, 0)); /* next page */
    exit_with(code, 0);
    const auto r = run_elf(program(code), {}, {}, "abc");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << r.result.describe();
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::LoadFault);
    EXPECT_EQ(r.result.trap.address, STELEVM_INPUT_BASE + 4096);
    EXPECT_EQ(r.x[6], static_cast<uint64_t>('c'));
    EXPECT_EQ(r.x[7], 0u);
    EXPECT_EQ(r.x[9], 0u);
}

TEST(MemoryMap, TextIsNotWritableAndDataNotExecutable)
{
    const auto store = run_code({lui(5, 0x10), sd(5, 5, 0)});
    ASSERT_EQ(store.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(store.result.trap.kind, emu::TrapKind::StoreFault);
    EXPECT_EQ(store.result.trap.address, kTextBase);

    const auto fetch = run_code({lui(5, 0x20), jalr(0, 5, 0)});
    ASSERT_EQ(fetch.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(fetch.result.trap.kind, emu::TrapKind::FetchFault);
    EXPECT_EQ(fetch.result.trap.address, kDataBase);
    EXPECT_EQ(fetch.result.trap.pc, kTextBase + 4);
    EXPECT_EQ(fetch.result.cycles, 1u);  // the faulting jump does not retire
}

TEST(MemoryMap, TrappingJalrLeavesItsDestinationUnchanged)
{
    // rd = rs1 and rd != rs1, to data (fetch fault) and to a misaligned target: the trap
    // reports the target, and the register keeps its value (the jump did not retire).
    for (const int rd : {5, 6})
        for (const int32_t imm : {0, 6})
        {
            SCOPED_TRACE(rd * 100 + imm);
            const uint32_t base = imm == 0 ? 0x20 : 0x10;  // data segment / text
            const auto r = run_code({lui(5, base), addi(6, 0, 77), jalr(rd, 5, imm)});
            ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
            EXPECT_EQ(r.x[5], uint64_t{base} << 12);
            EXPECT_EQ(r.x[6], 77u);
        }
}

TEST(MemoryMap, MisalignedJumpTargetsTrap)
{
    // jalr to text + 6 (bit 0 is cleared, bit 1 is not): misaligned, no rounding.
    const auto r = run_code({lui(5, 0x10), jalr(0, 5, 6)});
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::InstructionMisaligned);
    EXPECT_EQ(r.result.trap.address, kTextBase + 6);
    // A taken branch by 6 bytes too; not taken it is harmless.
    const auto b = run_code({b_type(0, 0, 0, 6)});
    ASSERT_EQ(b.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(b.result.trap.kind, emu::TrapKind::InstructionMisaligned);
    const auto nb = run_code({addi(5, 0, 1), b_type(0, 5, 0, 6)});
    EXPECT_EQ(nb.result.outcome, emu::Outcome::Success) << nb.result.describe();
}

TEST(MemoryMap, RunningOffTheEndOfTextTraps)
{
    const auto r = run_elf(program({addi(5, 0, 1)}));
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::FetchFault);
    EXPECT_EQ(r.result.trap.pc, kTextBase + 4);
    EXPECT_EQ(r.result.cycles, 1u);
}

TEST(MemoryMap, ExecuteOnlySegmentCannotBeRead)
{
    std::vector<uint32_t> code = {lui(5, 0x10), ld(6, 5, 0)};
    exit_with(code, 0);
    const auto elf = make_elf(kTextBase, {{kTextBase, 1 /* X only */, words(code)}});
    const auto r = run_elf(elf);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::LoadFault);
}

TEST(MemoryMap, SegmentsSharingAPageKeepTheirPermissions)
{
    // Text [0x10000, 0x10020) and data right after it in the same page.
    std::vector<uint32_t> code = {
        lui(5, 0x10), addi(5, 5, 0x20), sd(5, 5, 0), ld(6, 5, 0), addi(17, 0, 93), kEcall, 0, 0};
    auto ok = make_elf(
        kTextBase, {{kTextBase, 5, words(code)}, {kTextBase + 0x20, 6, std::vector<uint8_t>(16)}});
    const auto r = run_elf(ok);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[6], kTextBase + 0x20);
    // A store into the text half of the page still traps; past the data, too.
    code[1] = addi(5, 5, 0x1C);
    const auto bad = run_elf(make_elf(
        kTextBase, {{kTextBase, 5, words(code)}, {kTextBase + 0x20, 6, std::vector<uint8_t>(16)}}));
    EXPECT_EQ(bad.result.trap.kind, emu::TrapKind::StoreFault);
    code[1] = addi(5, 5, 0x2C);  // sd at 0x1002C..0x10033: crosses the data segment's end
    const auto past = run_elf(make_elf(
        kTextBase, {{kTextBase, 5, words(code)}, {kTextBase + 0x20, 6, std::vector<uint8_t>(16)}}));
    EXPECT_EQ(past.result.trap.kind, emu::TrapKind::StoreFault);
}

// --- limits ---------------------------------------------------------------------------------

TEST(Limits, CycleLimitIsExact)
{
    // 1 + 2*100 + 3 instructions.
    std::vector<uint32_t> code = {addi(5, 0, 100), addi(5, 5, -1), bne(5, 0, -4)};
    exit_with(code, 0);
    const auto elf = program(code);
    const uint64_t total = 1 + 200 + 3;
    EXPECT_EQ(run_elf(elf).result.cycles, total);
    emu::Options opt;
    opt.max_cycles = total;
    EXPECT_EQ(run_elf(elf, {}, opt).result.outcome, emu::Outcome::Success);
    opt.max_cycles = total - 1;
    const auto r = run_elf(elf, {}, opt);
    EXPECT_EQ(r.result.outcome, emu::Outcome::CycleLimit);
    EXPECT_LE(r.result.cycles, total - 1);
}

TEST(Limits, EndlessLoopStopsAtTheCycleLimit)
{
    emu::Options opt;
    opt.max_cycles = 1000000;
    const auto r = probe("loop", opt);
    EXPECT_EQ(r.result.outcome, emu::Outcome::CycleLimit);
    EXPECT_LE(r.result.cycles, opt.max_cycles);
    EXPECT_GT(r.result.cycles, opt.max_cycles - 10);
}

TEST(Limits, MemoryLimitCountsTouchedPages)
{
    emu::Options opt;
    opt.max_memory = 32 << 20;
    const auto r = probe("heap", opt);
    EXPECT_EQ(r.result.outcome, emu::Outcome::MemoryLimit) << r.result.describe();
    EXPECT_EQ(r.result.touched_pages, (32u << 20) / 4096);
    opt.max_memory = 128 << 20;
    const auto ok = probe("heap", opt);
    EXPECT_EQ(ok.result.outcome, emu::Outcome::Success) << ok.result.describe();
    EXPECT_GT(ok.result.touched_pages, (64u << 20) / 4096);
}

// --- ecalls ---------------------------------------------------------------------------------

TEST(Ecalls, ExitCodesAndHalt)
{
    EXPECT_EQ(probe("exit7").result.exit_code, 7);
    EXPECT_EQ(probe("exit7").result.outcome, emu::Outcome::Failure);
    std::vector<uint32_t> halt = {addi(10, 0, -3), addi(17, 0, STELEVM_HALT), kEcall};
    const auto h = run_elf(program(halt));
    EXPECT_EQ(h.result.outcome, emu::Outcome::Failure);
    EXPECT_EQ(h.result.exit_code, -3);
    std::vector<uint32_t> lx = {addi(10, 0, 0x101), addi(17, 0, 94), kEcall};  // exit_group(257)
    EXPECT_EQ(run_elf(program(lx)).result.exit_code, 1);  // 8-bit status, as Linux
}

TEST(Ecalls, OutputLogAndLinuxWrite)
{
    std::vector<uint8_t> data(0x3000);
    std::memcpy(data.data(), "outlogerr", 9);
    std::vector<uint32_t> code = {lui(20, 0x20), addi(10, 20, 0), addi(11, 0, 3),
        addi(17, 0, STELEVM_WRITE_OUTPUT), kEcall, addi(10, 20, 3), addi(11, 0, 3),
        addi(17, 0, STELEVM_WRITE_LOG), kEcall, addi(10, 0, 1), addi(11, 20, 0), addi(12, 0, 3),
        addi(17, 0, 64), kEcall, addi(21, 10, 0), addi(10, 0, 2), addi(11, 20, 6), addi(12, 0, 3),
        addi(17, 0, 64), kEcall, addi(10, 0, 3), addi(17, 0, 64), kEcall, addi(22, 10, 0)};
    exit_with(code, 0);
    const auto r = run_elf(program(code, data));
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.output, "outout");
    EXPECT_EQ(r.log, "logerr");
    EXPECT_EQ(r.x[21], 3u);                         // write returns the size
    EXPECT_EQ(r.x[22], static_cast<uint64_t>(-9));  // fd 3: -EBADF
}

TEST(Ecalls, AbortCarriesTheMessage)
{
    const auto r = run_elf(read_file(guest_elf("examples", "fail", "stelevm")));
    ASSERT_EQ(r.result.outcome, emu::Outcome::Abort);
    EXPECT_NE(r.result.abort_message.find("fail: this guest always aborts"), std::string::npos)
        << r.result.abort_message;
    EXPECT_EQ(r.output, "");
}

TEST(Ecalls, UnknownNumbersTrapNamingTheNumber)
{
    // The accelerators (0x201..0x213) are served: tests/emulator/accel_test.cpp.
    for (const int32_t n :
        {0x7FF, STELEVM_ACCEL_BASE, STELEVM_ACCEL_BASE + STELEVM_ACCEL_COUNT + 1})
    {
        const auto u = run_code({addi(17, 0, n), kEcall});
        ASSERT_EQ(u.result.outcome, emu::Outcome::Trap);
        EXPECT_EQ(u.result.trap.kind, emu::TrapKind::UnknownEcall);
        EXPECT_EQ(u.result.trap.number, static_cast<uint64_t>(n));
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%x", n);
        EXPECT_NE(u.result.trap.detail.find(hex), std::string::npos) << u.result.trap.detail;
    }
}

TEST(Ecalls, HandlersPlugInByNumberWithGuestMemoryAccess)
{
    // A stand-in accelerator: sums a0[0..a1) into the 8 bytes at a2, returns 0.
    std::vector<uint8_t> data(0x3000);
    for (int i = 0; i < 10; ++i)
        data[static_cast<size_t>(i)] = static_cast<uint8_t>(i + 1);
    std::vector<uint32_t> code = {lui(10, 0x20), addi(11, 0, 10), lui(12, 0x20),
        addi(12, 12, 0x100), addi(17, 0, STELEVM_ACCEL_KECCAK256), kEcall, addi(5, 10, 0),
        lui(6, 0x20), ld(7, 6, 0x100)};
    exit_with(code, 0);
    emu::Machine m;
    emu::ElfError err;
    ASSERT_TRUE(m.load(program(code, data), {}, {}, err)) << err.message;
    m.set_ecall_handler(STELEVM_ACCEL_KECCAK256,
        [](emu::Machine& vm)
        {
            std::vector<uint8_t> buf(vm.reg(11));
            if (vm.memory().read(vm.reg(10), buf) != emu::Memory::Access::Ok)
            {
                vm.stop_trap(emu::TrapKind::EcallFault, vm.reg(10), "bad buffer");
                return false;
            }
            uint64_t sum = 0;
            for (uint8_t b : buf)
                sum += b;
            if (vm.memory().write(vm.reg(12), std::span(reinterpret_cast<const uint8_t*>(&sum),
                                                  8)) != emu::Memory::Access::Ok)
                return false;
            vm.set_reg(10, 0);
            return true;
        });
    const auto r = m.run();
    ASSERT_EQ(r.outcome, emu::Outcome::Success) << r.describe();
    EXPECT_EQ(m.reg(5), 0u);
    EXPECT_EQ(m.reg(7), 55u);
}

TEST(Ecalls, BadBuffersTrapAsEcallFaults)
{
    const auto r =
        run_code({addi(10, 0, 16), addi(11, 0, 8), addi(17, 0, STELEVM_WRITE_OUTPUT), kEcall});
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::EcallFault);
    EXPECT_EQ(r.result.trap.address, 16u);
    EXPECT_EQ(r.result.cycles, 4u);  // the ecall itself counts
}

TEST(Ecalls, ReadInputIsIdempotent)
{
    std::vector<uint32_t> code = {
        addi(17, 0, STELEVM_READ_INPUT), kEcall, addi(5, 10, 0), addi(6, 11, 0), kEcall};
    exit_with(code, 0);
    // exit_with overwrites a0: check the first call's values and the second's a1.
    const auto r = run_elf(program(code), {}, {}, "xyz");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success);
    EXPECT_EQ(r.x[5], STELEVM_INPUT_BASE);
    EXPECT_EQ(r.x[6], 3u);
    EXPECT_EQ(r.x[11], 3u);
}

TEST(Ecalls, LinuxReadConsumesTheInput)
{
    // read(0, data, 2) three times on a 3-byte input: 2, 1, 0 bytes; read(5, ...) is -EBADF.
    std::vector<uint32_t> code;
    for (unsigned i = 0; i < 3; ++i)
    {
        code.push_back(addi(10, 0, 0));
        code.push_back(lui(11, 0x20));
        code.push_back(addi(11, 11, static_cast<int32_t>(4 * i)));
        code.push_back(addi(12, 0, 2));
        code.push_back(addi(17, 0, 63));
        code.push_back(kEcall);
        code.push_back(addi(20 + i, 10, 0));
    }
    code.push_back(addi(10, 0, 5));
    code.push_back(kEcall);
    code.push_back(addi(23, 10, 0));
    exit_with(code, 0);
    const auto r = run_elf(program(code), {}, {}, "xyz");
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[20], 2u);
    EXPECT_EQ(r.x[21], 1u);
    EXPECT_EQ(r.x[22], 0u);
    EXPECT_EQ(r.x[23], static_cast<uint64_t>(-9));
    ASSERT_EQ(r.data.size(), 0x3000u);
    EXPECT_EQ(
        std::string(reinterpret_cast<const char*>(r.data.data()), 6), std::string("xy\0\0z\0", 6));
}

TEST(Ecalls, CycleCountAndRegions)
{
    const auto c = probe("cycles");
    ASSERT_EQ(c.result.outcome, emu::Outcome::Success);
    ASSERT_EQ(c.output.size(), 16u);
    uint64_t a = 0, b = 0;
    std::memcpy(&a, c.output.data(), 8);
    std::memcpy(&b, c.output.data() + 8, 8);
    EXPECT_GT(a, 0u);
    EXPECT_GT(b, a);
    EXPECT_LT(b - a, 20u);  // one call of a few instructions
    EXPECT_LT(b, c.result.cycles);

    const auto p = probe("profile");
    ASSERT_EQ(p.result.outcome, emu::Outcome::Success);
    ASSERT_EQ(p.result.regions.size(), 2u);
    const auto& inner = p.result.regions[0];
    const auto& outer = p.result.regions[1];
    EXPECT_EQ(inner.name, "inner");
    EXPECT_EQ(inner.count, 3u);
    EXPECT_EQ(outer.name, "outer");
    EXPECT_EQ(outer.count, 1u);
    EXPECT_LE(inner.min, inner.max);
    EXPECT_GE(inner.total, 3 * inner.min);
    EXPECT_GT(outer.total, inner.total);
    EXPECT_LT(outer.total, p.result.cycles);
    EXPECT_TRUE(p.result.unclosed_regions.empty());
}

TEST(Ecalls, CostScopesAttributeCyclesAndAcceleratorCalls)
{
    const auto p = probe("scopes");
    ASSERT_EQ(p.result.outcome, emu::Outcome::Success) << p.result.describe();
    ASSERT_EQ(p.result.cost_scopes.size(), 2u);
    const auto& outer = p.result.cost_scopes[0];
    const auto& inner = p.result.cost_scopes[1];
    EXPECT_EQ(outer.id, 7u);
    EXPECT_EQ(outer.count, 1u);
    EXPECT_EQ(inner.id, 9u);
    EXPECT_EQ(inner.count, 2u);
    EXPECT_GT(outer.cycles, inner.cycles);  // inclusive of the nested scopes
    EXPECT_LT(outer.cycles, p.result.cycles);
    // The keccak256 call made inside scope 9 counts for 9 and for 7 around it.
    EXPECT_EQ(inner.accelerators[1].calls, 1u);
    EXPECT_EQ(inner.accelerators[1].input_bytes, 100u);
    EXPECT_EQ(outer.accelerators[1].calls, 1u);
    EXPECT_TRUE(p.result.unclosed_cost_scopes.empty());

    const auto bad = probe("scope_mismatch");
    ASSERT_EQ(bad.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(bad.result.trap.kind, emu::TrapKind::BadCostScope);
    EXPECT_NE(bad.result.trap.detail.find("does not match the open scope 1"), std::string::npos)
        << bad.result.trap.detail;
    EXPECT_NE(emu::exit_code_for(bad.result), 1);  // a machine stop, not a guest failure

    const auto open = probe("scope_unclosed");
    ASSERT_EQ(open.result.outcome, emu::Outcome::Success);
    ASSERT_EQ(open.result.unclosed_cost_scopes.size(), 1u);
    EXPECT_EQ(open.result.unclosed_cost_scopes[0], 3u);
}

TEST(Ecalls, MismatchedRegionEndTraps)
{
    std::vector<uint8_t> data(0x3000);
    std::memcpy(data.data(), "ab", 2);
    const auto r = run_code(
        {lui(10, 0x20), addi(11, 0, 1), addi(17, 0, STELEVM_REGION_START), kEcall, lui(10, 0x20),
            addi(10, 10, 1), addi(11, 0, 1), addi(17, 0, STELEVM_REGION_END), kEcall},
        {}, {}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(r.result.trap.kind, emu::TrapKind::BadRegion);
    EXPECT_NE(r.result.trap.detail.find("'b'"), std::string::npos) << r.result.trap.detail;
}

// --- profiler -------------------------------------------------------------------------------

TEST(Profiler, FunctionCyclesFromTheSymbolTable)
{
    emu::Options opt;
    opt.profile = true;
    emu::Machine m;
    emu::ElfError err;
    const auto elf = probe_elf();
    const std::string mode = "profile";
    ASSERT_TRUE(m.load(
        elf, std::span(reinterpret_cast<const uint8_t*>(mode.data()), mode.size()), opt, err));
    const auto r = m.run();
    ASSERT_EQ(r.outcome, emu::Outcome::Success);
    EXPECT_EQ(r.cycles, probe("profile").result.cycles);  // profiling does not change the count
    const auto fns = m.profiler().functions();
    auto find = [&](const std::string& needle) -> const emu::FunctionCycles*
    {
        for (const auto& f : fns)
            if (f.name.find(needle) != std::string::npos)
                return &f;
        return nullptr;
    };
    const auto* leaf = find("leaf(");
    const auto* middle = find("middle(");
    const auto* main_fn = find("main");
    ASSERT_TRUE(leaf && middle && main_fn);
    EXPECT_EQ(leaf->calls, 30u);
    EXPECT_EQ(middle->calls, 3u);
    EXPECT_EQ(leaf->inclusive, leaf->exclusive);
    EXPECT_GT(leaf->exclusive, 30u * 100u);  // 100 loop iterations per call
    EXPECT_EQ(middle->inclusive, middle->exclusive + leaf->inclusive);
    EXPECT_GT(main_fn->inclusive, middle->inclusive);
    EXPECT_EQ(fns.front().inclusive, r.cycles);  // _start holds everything
    uint64_t sum = 0;
    for (const auto& f : fns)
        sum += f.exclusive;
    EXPECT_EQ(sum, r.cycles);

    // Folded stacks: each line "a;b;c N", the Ns sum to the cycles.
    std::istringstream folded(m.profiler().folded());
    std::string line;
    uint64_t total = 0;
    bool saw_leaf_stack = false;
    while (std::getline(folded, line))
    {
        const auto sp = line.rfind(' ');
        ASSERT_NE(sp, std::string::npos);
        total += std::stoull(line.substr(sp + 1));
        saw_leaf_stack |= line.find("main;") != std::string::npos &&
                          line.find("middle(") != std::string::npos &&
                          line.find("leaf(") != std::string::npos;
    }
    EXPECT_EQ(total, r.cycles);
    EXPECT_TRUE(saw_leaf_stack);
    const std::string ss = m.profiler().speedscope("probe");
    EXPECT_NE(ss.find("\"type\":\"sampled\""), std::string::npos);
}

// --- determinism and modes ------------------------------------------------------------------

TEST(Determinism, SameElfAndInputSameOutputAndCycles)
{
    std::mt19937_64 rng{7};
    std::string input(100000, '\0');
    for (auto& ch : input)
        ch = static_cast<char>(rng());
    const auto elf = read_file(guest_elf("examples", "echo", "stelevm"));
    const auto a = run_elf(elf, {}, {}, input);
    const auto b = run_elf(elf, {}, {}, input);
    ASSERT_EQ(a.result.outcome, emu::Outcome::Success);
    EXPECT_EQ(a.output, input);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.result.cycles, b.result.cycles);
    EXPECT_EQ(a.result.touched_pages, b.result.touched_pages);
}

TEST(Determinism, UncountedBaselineComputesTheSame)
{
    emu::Options opt;
    opt.count_cycles = false;
    const auto a = probe("profile", opt);
    const auto b = probe("profile");
    EXPECT_EQ(a.result.outcome, emu::Outcome::Success);
    EXPECT_EQ(a.output, b.output);
    EXPECT_EQ(a.result.cycles, 0u);
}

// --- loading --------------------------------------------------------------------------------

TEST(Loading, MalformedElfsAreRejectedWithTheirMessage)
{
    const std::vector<uint32_t> code = {addi(17, 0, 93), kEcall};
    auto truncated = program(code);
    truncated.resize(100);
    auto machine = program(code);
    machine[18] = 62;  // EM_X86_64
    struct Case
    {
        const char* name;
        std::vector<uint8_t> elf;
        const char* message;
    };
    const Case cases[] = {
        {"truncated", truncated, "truncated"},
        {"wrong machine", machine, "wrong machine"},
        {"overlap", make_elf(kTextBase, {{kTextBase, 5, words(code)}, {kTextBase + 4, 6, {}, 16}}),
            "overlaps"},
        {"W+X", make_elf(kTextBase, {{kTextBase, 7, words(code)}}), "both writable and executable"},
        {"entry outside X",
            make_elf(kDataBase, {{kTextBase, 5, words(code)}, {kDataBase, 6, {}, 16}}),
            "not inside an executable segment"},
        {"huge p_memsz",
            make_elf(
                kTextBase, {{kTextBase, 5, words(code)}, {kDataBase, 6, {}, uint64_t{1} << 40}}),
            "reaches past the address space end"},
        {"into the input window",
            make_elf(kTextBase, {{kTextBase, 5, words(code)}, {0x7FFFF000, 6, {}, 0x2000}}),
            "reaches past the address space end 0x80000000"},
        {"misaligned vaddr", make_elf(kTextBase + 2, {{kTextBase + 2, 5, words(code)}}),
            "p_vaddr is not 4-aligned"},
        {"entry misaligned", make_elf(kTextBase + 2, {{kTextBase, 5, words(code)}}),
            "not 4-aligned"},
    };
    for (const Case& c : cases)
    {
        const std::string msg = load_error(c.elf);
        EXPECT_NE(msg.find(c.message), std::string::npos) << c.name << ": '" << msg << "'";
    }
    // Messages name the segment.
    EXPECT_NE(load_error(cases[3].elf).find("segment 0 [0x10000, 0x10008) RWX"), std::string::npos)
        << load_error(cases[3].elf);
}

TEST(Loading, ExecutableSpanAndReloading)
{
    const std::vector<uint32_t> code = {addi(17, 0, 93), kEcall};
    const auto far =
        make_elf(kTextBase, {{kTextBase, 5, words(code)}, {0x20000000, 5, words(code)}});
    EXPECT_NE(load_error(far).find("executable segments span"), std::string::npos)
        << load_error(far);
    // Loading again into the same machine starts over; run() runs once per load.
    emu::Machine m;
    emu::ElfError err;
    const auto elf = program({addi(10, 0, 5), addi(17, 0, 93), kEcall});
    ASSERT_TRUE(m.load(elf, {}, {}, err));
    EXPECT_EQ(m.run().exit_code, 5);
    EXPECT_EQ(m.run().cycles, 3u);
    ASSERT_TRUE(m.load(program({addi(10, 0, 6), addi(17, 0, 93), kEcall}), {}, {}, err));
    EXPECT_EQ(m.run().exit_code, 6);
}

TEST(Loading, ZeroFillAndFileBytes)
{
    std::vector<uint8_t> bytes = {1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<uint32_t> code = {
        lui(5, 0x20), ld(6, 5, 0), ld(7, 5, 8), lui(8, 0x21), ld(9, 8, -8)};
    exit_with(code, 0);
    const auto r =
        run_elf(make_elf(kTextBase, {{kTextBase, 5, words(code)}, {kDataBase, 6, bytes, 0x1000}}));
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[6], 0x0807060504030201ull);
    EXPECT_EQ(r.x[7], 0u);
    EXPECT_EQ(r.x[9], 0u);
}
