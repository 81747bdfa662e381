// Per-instruction conformance of stelevm: every RV64IM instruction on its edge cases, known
// answers from the ISA manual's rules, in both dispatch loops.
#include "emu_util.hpp"

using namespace stele;
using namespace stele::test;
using namespace stele::test::rv;

namespace
{
constexpr uint64_t kMin64 = 0x8000000000000000ull;
constexpr uint64_t kMax64 = 0x7FFFFFFFFFFFFFFFull;
constexpr uint64_t kNeg1 = ~uint64_t{0};

const std::vector<uint64_t> kEdge = {0, 1, 2, 3, 5, 31, 32, 33, 63, 64, kNeg1, kNeg1 - 1, kMin64,
    kMax64, 0x80000000ull, 0x7FFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFF80000000ull, 0x100000000ull,
    0x123456789ABCDEF0ull, 0xFEDCBA9876543210ull};

uint64_t sx32(uint64_t v)
{
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v)));
}

// Reference semantics, written from the RISC-V unprivileged spec (chapters RV64I and M).
uint64_t reference(const std::string& op, uint64_t a, uint64_t b)
{
    const auto sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
    const auto a32 = static_cast<int32_t>(a), b32 = static_cast<int32_t>(b);
    const auto ua32 = static_cast<uint32_t>(a), ub32 = static_cast<uint32_t>(b);
    using i128 = __int128;
    using u128 = unsigned __int128;
    if (op == "add")
        return a + b;
    if (op == "sub")
        return a - b;
    if (op == "sll")
        return a << (b & 63);
    if (op == "slt")
        return sa < sb;
    if (op == "sltu")
        return a < b;
    if (op == "xor")
        return a ^ b;
    if (op == "srl")
        return a >> (b & 63);
    if (op == "sra")
        return static_cast<uint64_t>(sa >> (b & 63));
    if (op == "or")
        return a | b;
    if (op == "and")
        return a & b;
    if (op == "addw")
        return sx32(a + b);
    if (op == "subw")
        return sx32(a - b);
    if (op == "sllw")
        return sx32(ua32 << (b & 31));
    if (op == "srlw")
        return sx32(ua32 >> (b & 31));
    if (op == "sraw")
        return sx32(static_cast<uint32_t>(a32 >> (b & 31)));
    if (op == "mul")
        return a * b;
    if (op == "mulh")
        return static_cast<uint64_t>((static_cast<i128>(sa) * sb) >> 64);
    if (op == "mulhsu")
        return static_cast<uint64_t>((static_cast<i128>(sa) * static_cast<i128>(b)) >> 64);
    if (op == "mulhu")
        return static_cast<uint64_t>((static_cast<u128>(a) * b) >> 64);
    if (op == "div")
        return b == 0 ? kNeg1 : (a == kMin64 && sb == -1) ? kMin64 : static_cast<uint64_t>(sa / sb);
    if (op == "divu")
        return b == 0 ? kNeg1 : a / b;
    if (op == "rem")
        return b == 0 ? a : (a == kMin64 && sb == -1) ? 0 : static_cast<uint64_t>(sa % sb);
    if (op == "remu")
        return b == 0 ? a : a % b;
    if (op == "mulw")
        return sx32(a * b);
    if (op == "divw")
        return ub32 == 0                         ? kNeg1
               : (a32 == INT32_MIN && b32 == -1) ? sx32(a)
                                                 : sx32(static_cast<uint32_t>(a32 / b32));
    if (op == "divuw")
        return ub32 == 0 ? kNeg1 : sx32(ua32 / ub32);
    if (op == "remw")
        return ub32 == 0                         ? sx32(a)
               : (a32 == INT32_MIN && b32 == -1) ? 0
                                                 : sx32(static_cast<uint32_t>(a32 % b32));
    if (op == "remuw")
        return ub32 == 0 ? sx32(a) : sx32(ua32 % ub32);
    ADD_FAILURE() << "no reference for " << op;
    return 0;
}

// Runs `op rd, rs1, rs2` on every pair of values (operands loaded from the data segment, results
// stored back), returns the results.
std::vector<uint64_t> run_pairs(
    uint32_t word_template, const std::vector<std::pair<uint64_t, uint64_t>>& pairs, uint32_t rd)
{
    std::vector<uint8_t> data(0x3000 + pairs.size() * 24);
    std::vector<uint32_t> code;
    // x31 walks the operand pairs, x30 the results (data memory is after the first 0x3000 bytes).
    li(code, 31, kDataBase + 0x3000);
    li(code, 30, kDataBase + 0x3000 + pairs.size() * 16);
    for (size_t i = 0; i < pairs.size(); ++i)
    {
        std::memcpy(data.data() + 0x3000 + i * 16, &pairs[i].first, 8);
        std::memcpy(data.data() + 0x3000 + i * 16 + 8, &pairs[i].second, 8);
        code.push_back(ld(1, 31, 0));
        code.push_back(ld(2, 31, 8));
        code.push_back(word_template);
        code.push_back(sd(rd, 30, 0));
        code.push_back(addi(31, 31, 16));
        code.push_back(addi(30, 30, 8));
    }
    exit_with(code, 0);
    const auto elf = rv::program(code, data);
    emu::Machine m;
    emu::ElfError err;
    EXPECT_TRUE(m.load(elf, {}, {}, err)) << err.message;
    const auto r = m.run();
    EXPECT_EQ(r.outcome, emu::Outcome::Success) << r.describe();
    std::vector<uint64_t> out(pairs.size());
    EXPECT_EQ(m.memory().read(kDataBase + 0x3000 + pairs.size() * 16,
                  std::span(reinterpret_cast<uint8_t*>(out.data()), out.size() * 8)),
        emu::Memory::Access::Ok);
    // The switch loop must compute the same.
    emu::Machine m2;
    emu::Options sw;
    sw.dispatch = emu::Dispatch::Switch;
    EXPECT_TRUE(m2.load(elf, {}, sw, err));
    EXPECT_EQ(m2.run().cycles, r.cycles);
    std::vector<uint64_t> out2(pairs.size());
    EXPECT_EQ(m2.memory().read(kDataBase + 0x3000 + pairs.size() * 16,
                  std::span(reinterpret_cast<uint8_t*>(out2.data()), out2.size() * 8)),
        emu::Memory::Access::Ok);
    EXPECT_EQ(out, out2);
    return out;
}

std::vector<std::pair<uint64_t, uint64_t>> edge_pairs()
{
    std::vector<std::pair<uint64_t, uint64_t>> p;
    for (uint64_t a : kEdge)
        for (uint64_t b : kEdge)
            p.emplace_back(a, b);
    return p;
}
}  // namespace

TEST(Rv64imRType, EveryRegisterInstructionOnEdgeValues)
{
    const auto pairs = edge_pairs();
    for (const ROp& op : kROps)
    {
        const auto got = run_pairs(r_type(op.op, op.f3, op.f7, 3, 1, 2), pairs, 3);
        ASSERT_EQ(got.size(), pairs.size());
        for (size_t i = 0; i < pairs.size(); ++i)
            EXPECT_EQ(got[i], reference(op.name, pairs[i].first, pairs[i].second))
                << op.name << std::hex << " a=0x" << pairs[i].first << " b=0x" << pairs[i].second;
    }
}

TEST(Rv64imRType, DivisionKnownAnswers)
{
    struct Case
    {
        const char* op;
        uint64_t a, b, want;
    };
    const Case cases[] = {
        {"div", 7, 0, kNeg1},   // x / 0 = -1
        {"divu", 7, 0, kNeg1},  // x / 0 = 2^64 - 1
        {"rem", 7, 0, 7},       // x % 0 = x
        {"remu", 7, 0, 7},
        {"div", kMin64, kNeg1, kMin64},  // INT64_MIN / -1 overflows to INT64_MIN
        {"rem", kMin64, kNeg1, 0},
        {"div", static_cast<uint64_t>(-7), 2, static_cast<uint64_t>(-3)},  // rounds toward zero
        {"rem", static_cast<uint64_t>(-7), 2, static_cast<uint64_t>(-1)},  // sign of the dividend
        {"divw", 0xFFFFFFFF80000000ull, kNeg1, 0xFFFFFFFF80000000ull},     // INT32_MIN / -1
        {"remw", 0x80000000ull, kNeg1, 0},
        {"divw", 0x1234500000007ull, 0xABC00000000ull, kNeg1},  // low words: 7 / 0
        {"divuw", 5, 0, kNeg1},
        {"remuw", 0x1FFFFFFFFull, 0, kNeg1},  // x % 0 = x, low word 0xFFFFFFFF sign-extended
        {"remw", 0x00000000FFFFFFF9ull, 0x100000000ull, 0xFFFFFFFFFFFFFFF9ull},
        {"mulh", kNeg1, kNeg1, 0},
        {"mulhu", kNeg1, kNeg1, kNeg1 - 1},
        {"mulhsu", kNeg1, kNeg1, kNeg1},  // -1 * (2^64-1) = -(2^64-1): high word -1
        {"mulw", 0x10000, 0x10000, 0},
        {"mulw", 0x7FFFFFFF, 2, 0xFFFFFFFFFFFFFFFEull},
    };
    for (const Case& c : cases)
    {
        const ROp* op = nullptr;
        for (const ROp& o : kROps)
            if (std::string{o.name} == c.op)
                op = &o;
        ASSERT_NE(op, nullptr);
        const auto got = run_pairs(r_type(op->op, op->f3, op->f7, 3, 1, 2), {{c.a, c.b}}, 3);
        EXPECT_EQ(got.at(0), c.want) << c.op << std::hex << " 0x" << c.a << ", 0x" << c.b;
    }
}

TEST(Rv64imWForms, ShiftAmountsAndSignExtension)
{
    // sllw/srlw/sraw use only the low 5 bits of rs2; all W results are sign-extended.
    const std::vector<std::pair<uint64_t, uint64_t>> pairs = {{1, 31}, {1, 32}, {1, 63},
        {0x80000000ull, 0}, {0xFFFFFFFF00000001ull, 33}, {0x0000000080000000ull, 32 + 4},
        {0x7FFFFFFF, 1}};
    for (const char* name : {"sllw", "srlw", "sraw", "addw", "subw"})
    {
        for (const ROp& op : kROps)
        {
            if (std::string{op.name} != name)
                continue;
            const auto got = run_pairs(r_type(op.op, op.f3, op.f7, 3, 1, 2), pairs, 3);
            for (size_t i = 0; i < pairs.size(); ++i)
                EXPECT_EQ(got[i], reference(name, pairs[i].first, pairs[i].second))
                    << name << " " << i;
        }
    }
    // Known answers.
    auto one = [](uint32_t w, uint64_t a) { return run_pairs(w, {{a, 0}}, 3).at(0); };
    EXPECT_EQ(one(r_type(0x3B, 1, 0, 3, 1, 0), 0x80000000ull), 0xFFFFFFFF80000000ull);  // sllw by 0
    EXPECT_EQ(one(i_type(0x1B, 1, 3, 1, 31), 1), 0xFFFFFFFF80000000ull);                // slliw 31
    EXPECT_EQ(one(i_type(0x1B, 5, 3, 1, 31), 0x80000000ull), 1u);                       // srliw 31
    EXPECT_EQ(one(i_type(0x1B, 5, 3, 1, 0x400 | 31), 0x80000000ull), kNeg1);            // sraiw 31
    EXPECT_EQ(one(i_type(0x1B, 5, 3, 1, 0), 0xFFFFFFFF7FFFFFFFull), 0x7FFFFFFFull);     // srliw 0
    EXPECT_EQ(one(i_type(0x1B, 0, 3, 1, 1), 0x7FFFFFFFull), 0xFFFFFFFF80000000ull);     // addiw
    EXPECT_EQ(
        one(i_type(0x1B, 0, 3, 1, 0), 0x1234567880000000ull), 0xFFFFFFFF80000000ull);  // sext.w
}

TEST(Rv64imIType, ImmediatesAndShifts)
{
    struct Case
    {
        const char* name;
        uint32_t f3;
        int32_t imm;
        uint64_t a, want;
    };
    const Case cases[] = {
        {"addi", 0, -2048, 0, static_cast<uint64_t>(-2048)},
        {"addi", 0, 2047, kMax64, kMax64 + 2047},
        {"slti", 2, -1, static_cast<uint64_t>(-2), 1},
        {"slti", 2, -1, 0, 0},
        {"sltiu", 3, -1, 5, 1},  // the immediate is sign-extended, then compared unsigned
        {"sltiu", 3, 1, 0, 1},
        {"xori", 4, -1, 0x00FF, ~uint64_t{0x00FF}},
        {"ori", 6, -2048, 1, 0xFFFFFFFFFFFFF801ull},
        {"andi", 7, -16, kNeg1, ~uint64_t{15}},
        {"slli", 1, 63, 1, kMin64},
        {"slli", 1, 32, 0xFFFFFFFF, 0xFFFFFFFF00000000ull},
        {"srli", 5, 63, kMin64, 1},
        {"srli", 5, 0, kMin64, kMin64},
        {"srai", 5, 0x400 | 63, kMin64, kNeg1},
        {"srai", 5, 0x400 | 1, 0x4, 2},
    };
    for (const Case& c : cases)
    {
        const auto got = run_pairs(i_type(0x13, c.f3, 3, 1, c.imm), {{c.a, 0}}, 3).at(0);
        EXPECT_EQ(got, c.want) << c.name << " imm " << c.imm;
    }
}

TEST(Rv64imUpper, LuiAndAuipc)
{
    std::vector<uint32_t> code = {
        lui(5, 0x80000), lui(6, 0x7FFFF), auipc(7, 0), auipc(8, 0xFFFFF), auipc(9, 0x80000)};
    const auto r = run_code(code);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[5], 0xFFFFFFFF80000000ull);
    EXPECT_EQ(r.x[6], 0x7FFFF000ull);
    EXPECT_EQ(r.x[7], kTextBase + 8);
    EXPECT_EQ(r.x[8], kTextBase + 12 - 0x1000);
    EXPECT_EQ(r.x[9], kTextBase + 16 - 0x80000000ull);  // pc + sign-extended 0x80000000
}

TEST(Rv64imX0, WritesToX0AreDiscarded)
{
    std::vector<uint32_t> code = {addi(0, 0, 5), lui(0, 0x12345), add(0, 1, 1), ld(0, 31, 0),
        r_type(0x33, 4, 1, 0, 1, 1) /* div x0 */, jal(0, 4), auipc(0, 1), add(3, 0, 0),
        addi(4, 0, 0)};
    const auto r = run_code(code, {{1, 77}, {31, kDataBase}});
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[0], 0u);
    EXPECT_EQ(r.x[3], 0u);
    EXPECT_EQ(r.x[4], 0u);
    EXPECT_EQ(r.x[1], 77u);
}

TEST(Rv64imLoadStore, WidthsAndExtension)
{
    std::vector<uint8_t> data(0x3000);
    const uint64_t v = 0x8182838485868788ull;
    std::memcpy(data.data() + 0x100, &v, 8);
    std::vector<uint32_t> code;
    li(code, 31, kDataBase + 0x100);
    for (uint32_t f3 = 0; f3 < 7; ++f3)
        code.push_back(i_type(0x03, f3, 1 + f3, 31, 0));
    // Stores of each width into a zeroed area, then read back as doublewords.
    li(code, 20, 0x1122334455667788ull);
    for (uint32_t f3 = 0; f3 < 4; ++f3)
        code.push_back(s_type(0x23, f3, 31, 20, static_cast<int32_t>(16 + 8 * f3)));
    for (uint32_t k = 0; k < 4; ++k)
        code.push_back(ld(21 + k, 31, static_cast<int32_t>(16 + 8 * k)));
    const auto r = run_code(code, {}, {}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    EXPECT_EQ(r.x[1], 0xFFFFFFFFFFFFFF88ull);  // lb
    EXPECT_EQ(r.x[2], 0xFFFFFFFFFFFF8788ull);  // lh
    EXPECT_EQ(r.x[3], 0xFFFFFFFF85868788ull);  // lw
    EXPECT_EQ(r.x[4], v);                      // ld
    EXPECT_EQ(r.x[5], 0x88u);                  // lbu
    EXPECT_EQ(r.x[6], 0x8788u);                // lhu
    EXPECT_EQ(r.x[7], 0x85868788u);            // lwu
    EXPECT_EQ(r.x[21], 0x88u);
    EXPECT_EQ(r.x[22], 0x7788u);
    EXPECT_EQ(r.x[23], 0x55667788u);
    EXPECT_EQ(r.x[24], 0x1122334455667788ull);
    EXPECT_EQ(r.result.unaligned_accesses, 0u);
}

TEST(Rv64imLoadStore, MisalignedAccessesCrossingAPageWorkAndAreCounted)
{
    // The data segment spans 0x20000..0x23000: 0x20FFD..0x21004 crosses a page boundary.
    std::vector<uint8_t> data(0x3000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 7 + 1);
    std::vector<uint32_t> code;
    li(code, 31, kDataBase + 0x1000);
    code.push_back(ld(1, 31, -3));               // 8 bytes across the boundary
    code.push_back(i_type(0x03, 2, 2, 31, -1));  // lw across
    code.push_back(i_type(0x03, 5, 3, 31, -1));  // lhu across
    li(code, 20, 0xA1A2A3A4A5A6A7A8ull);
    code.push_back(sd(20, 31, -5));  // sd across
    code.push_back(ld(4, 31, -5));
    code.push_back(s_type(0x23, 1, 31, 20, 0x7FF));  // sh at an odd address in one page
    code.push_back(i_type(0x03, 1, 5, 31, 0x7FF));   // lh back
    const auto r = run_code(code, {}, {}, data);
    ASSERT_EQ(r.result.outcome, emu::Outcome::Success) << r.result.describe();
    uint64_t want = 0;
    std::memcpy(&want, data.data() + 0x1000 - 3, 8);
    EXPECT_EQ(r.x[1], want);
    uint32_t w32 = 0;
    std::memcpy(&w32, data.data() + 0x1000 - 1, 4);
    EXPECT_EQ(r.x[2], sx32(w32));
    uint16_t w16 = 0;
    std::memcpy(&w16, data.data() + 0x1000 - 1, 2);
    EXPECT_EQ(r.x[3], w16);
    EXPECT_EQ(r.x[4], 0xA1A2A3A4A5A6A7A8ull);
    EXPECT_EQ(r.x[5], 0xFFFFFFFFFFFFA7A8ull);
    EXPECT_EQ(r.result.unaligned_accesses, 7u);
    ASSERT_EQ(r.data.size(), 0x3000u);
    uint64_t stored = 0;
    std::memcpy(&stored, r.data.data() + 0x1000 - 5, 8);
    EXPECT_EQ(stored, 0xA1A2A3A4A5A6A7A8ull);
}

TEST(Rv64imControl, BranchesBothWays)
{
    // For each branch: x10.. gets 1 when taken. Pairs chosen to exercise signed vs unsigned.
    struct Case
    {
        uint32_t f3;
        uint64_t a, b;
        bool taken;
    };
    const Case cases[] = {{0, 5, 5, true}, {0, 5, 6, false}, {1, 5, 6, true}, {1, 7, 7, false},
        {4, kNeg1, 0, true}, {4, 0, kNeg1, false}, {5, 0, kNeg1, true}, {5, kMin64, 0, false},
        {5, 3, 3, true}, {6, 0, kNeg1, true}, {6, kNeg1, 0, false}, {7, kNeg1, 0, true},
        {7, 0, 1, false}, {7, 4, 4, true}};
    for (const Case& c : cases)
    {
        std::vector<uint32_t> code = {
            addi(3, 0, 0), b_type(c.f3, 1, 2, 8), addi(3, 0, 1), addi(4, 0, 9)};
        const auto r = run_code(code, {{1, c.a}, {2, c.b}});
        ASSERT_EQ(r.result.outcome, emu::Outcome::Success);
        EXPECT_EQ(r.x[3], c.taken ? 0u : 1u) << "funct3 " << c.f3;
        EXPECT_EQ(r.x[4], 9u);
        // taken: 3 instructions before exit, else 4; exit is 3 more.
        EXPECT_EQ(r.result.cycles, c.taken ? 6u : 7u);
    }
}

TEST(Rv64imControl, JalAndJalrLinkAndClearBitZero)
{
    std::vector<uint32_t> c2;
    c2.push_back(jal(1, 8));         // 0x10000
    c2.push_back(addi(5, 0, 99));    // 0x10004 skipped
    c2.push_back(lui(6, 0x10));      // 0x10008: x6 = 0x10000
    c2.push_back(jalr(7, 6, 0x19));  // 0x1000c -> 0x10019 & ~1 = 0x10018
    c2.push_back(addi(5, 0, 98));    // 0x10010 skipped
    c2.push_back(addi(5, 0, 97));    // 0x10014 skipped
    c2.push_back(jalr(6, 6, 0x24));  // 0x10018: rd == rs1; target 0x10024, x6 = 0x1001c
    c2.push_back(addi(5, 0, 96));    // 0x1001c skipped
    c2.push_back(addi(5, 0, 95));    // 0x10020 skipped
    c2.push_back(addi(9, 0, 1));     // 0x10024
    const auto r2 = run_code(c2);
    ASSERT_EQ(r2.result.outcome, emu::Outcome::Success) << r2.result.describe();
    EXPECT_EQ(r2.x[1], kTextBase + 4);
    EXPECT_EQ(r2.x[7], kTextBase + 0x10);
    EXPECT_EQ(r2.x[6], kTextBase + 0x1C);
    EXPECT_EQ(r2.x[5], 0u);
    EXPECT_EQ(r2.x[9], 1u);
    EXPECT_EQ(r2.result.cycles, 5u + 3u);  // jal, lui, jalr, jalr, addi + exit
}

TEST(Rv64imIllegal, OtherExtensionsAndCompressedAreIllegal)
{
    struct Case
    {
        const char* what;
        uint32_t word;
    };
    const Case cases[] = {{"RVC c.nop pair", 0x00010001}, {"F flw", 0x00052007},
        {"D fadd.d", 0x02B50553}, {"A amoadd.w", 0x00B5202F}, {"Zicsr csrr cycle", 0xC0002573},
        {"Zifencei fence.i", 0x0000100F}, {"all zeros", 0}, {"all ones", 0xFFFFFFFF},
        {"mret", 0x30200073}, {"slli with shamt bit 6 (RV128)", 0x04009093}};
    for (const Case& c : cases)
    {
        const auto r = run_code({addi(5, 0, 1), c.word});
        ASSERT_EQ(r.result.outcome, emu::Outcome::Trap) << c.what;
        EXPECT_EQ(r.result.trap.kind, emu::TrapKind::IllegalInstruction) << c.what;
        EXPECT_EQ(r.result.trap.pc, kTextBase + 4) << c.what;
        EXPECT_EQ(r.result.trap.word, c.word) << c.what;
        EXPECT_EQ(r.result.cycles, 1u) << c.what;  // the illegal instruction does not retire
        EXPECT_EQ(r.x[5], 1u);
    }
}

TEST(Rv64imSystem, EbreakTrapsAndFenceIsANop)
{
    const auto f = run_code({0x0FF0000F /* fence */, addi(5, 0, 1)});
    EXPECT_EQ(f.result.outcome, emu::Outcome::Success);
    EXPECT_EQ(f.x[5], 1u);
    const auto b = run_code({addi(5, 0, 1), kEbreak});
    EXPECT_EQ(b.result.outcome, emu::Outcome::Trap);
    EXPECT_EQ(b.result.trap.kind, emu::TrapKind::Breakpoint);
    EXPECT_EQ(b.result.trap.pc, kTextBase + 4);
}
