#include "decoder.hpp"

#include "rv64im.hpp"

namespace stele::emu
{
namespace
{
constexpr const char* kOpNames[] = {
#define STELE_OP_NAME(name) #name,
    STELE_RV_OPS(STELE_OP_NAME)
#undef STELE_OP_NAME
};
static_assert(sizeof(kOpNames) / sizeof(kOpNames[0]) == kOpCount);

constexpr int32_t imm_i(uint32_t w) noexcept
{
    return static_cast<int32_t>(w) >> 20;
}

constexpr int32_t imm_s(uint32_t w) noexcept
{
    return ((static_cast<int32_t>(w) >> 25) * 32) | static_cast<int32_t>((w >> 7) & 0x1F);
}

constexpr int32_t imm_b(uint32_t w) noexcept
{
    const uint32_t v = ((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3F) << 5) |
                       (((w >> 8) & 0xF) << 1);
    return static_cast<int32_t>(v << 19) >> 19;
}

constexpr int32_t imm_u(uint32_t w) noexcept
{
    return static_cast<int32_t>(w & 0xFFFFF000u);
}

constexpr int32_t imm_j(uint32_t w) noexcept
{
    const uint32_t v = ((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) |
                       (((w >> 21) & 0x3FF) << 1);
    return static_cast<int32_t>(v << 11) >> 11;
}

Entry make(Op op, uint32_t rd, uint32_t rs1, uint32_t rs2, int32_t imm) noexcept
{
    return {op, static_cast<uint8_t>(rd == 0 ? kSinkReg : rd), static_cast<uint8_t>(rs1),
        static_cast<uint8_t>(rs2), imm, 0, 0};
}

// A static target: when it lands on an instruction of the code span, its distance in bytes of
// decoder cache (sizeof(Entry) per instruction), so that a taken branch is one add.
bool resolve(uint64_t pc, int32_t offset, uint64_t begin, uint64_t end, int32_t& entries) noexcept
{
    const uint64_t target = pc + static_cast<uint64_t>(static_cast<int64_t>(offset));
    if ((target & 3) != 0 || target < begin || target >= end)
        return false;
    entries = offset / 4 * static_cast<int32_t>(sizeof(Entry));
    return true;
}
}  // namespace

const char* op_name(Op op) noexcept
{
    const auto i = static_cast<unsigned>(op);
    return i < kOpCount ? kOpNames[i] : "?";
}

Entry decode(uint32_t w, uint64_t pc, uint64_t code_begin, uint64_t code_end) noexcept
{
    const Entry illegal{Op::ILLEGAL, 0, 0, 0, static_cast<int32_t>(w), 0, 0};
    if (check_rv64im(w) != IsaCheck::Ok)
        return illegal;
    const uint32_t rd = (w >> 7) & 0x1F;
    const uint32_t rs1 = (w >> 15) & 0x1F;
    const uint32_t rs2 = (w >> 20) & 0x1F;
    const uint32_t f3 = (w >> 12) & 7;
    const uint32_t f7 = w >> 25;
    const Entry nop{Op::NOP, 0, 0, 0, 0, 0, 0};

    switch (w & 0x7F)
    {
        case 0x37:  // LUI
            return rd == 0 ? nop : make(Op::LI, rd, 0, 0, imm_u(w));
        case 0x17:  // AUIPC: the result is known now when it fits the immediate
        {
            if (rd == 0)
                return nop;
            const int64_t v = static_cast<int64_t>(pc) + imm_u(w);
            if (v >= INT32_MIN && v <= INT32_MAX)
                return make(Op::LI, rd, 0, 0, static_cast<int32_t>(v));
            return make(Op::AUIPC, rd, 0, 0, imm_u(w));
        }
        case 0x6F:  // JAL
        {
            int32_t entries = 0;
            if (resolve(pc, imm_j(w), code_begin, code_end, entries))
                return make(Op::JAL, rd, 0, 0, entries);
            return make(Op::JAL_BAD, rd, 0, 0, imm_j(w));
        }
        case 0x67:  // JALR
            return make(Op::JALR, rd, rs1, 0, imm_i(w));
        case 0x63:  // branches
        {
            int32_t entries = 0;
            if (!resolve(pc, imm_b(w), code_begin, code_end, entries))
                return {Op::BRANCH_BAD, static_cast<uint8_t>(f3), static_cast<uint8_t>(rs1),
                    static_cast<uint8_t>(rs2), imm_b(w), 0, 0};
            static constexpr Op ops[8] = {
                Op::BEQ, Op::BNE, Op::ILLEGAL, Op::ILLEGAL, Op::BLT, Op::BGE, Op::BLTU, Op::BGEU};
            return make(ops[f3], 0, rs1, rs2, entries);
        }
        case 0x03:  // loads keep rd == x0: the access still happens (and may trap)
        {
            static constexpr Op ops[8] = {
                Op::LB, Op::LH, Op::LW, Op::LD, Op::LBU, Op::LHU, Op::LWU, Op::ILLEGAL};
            return make(ops[f3], rd, rs1, 0, imm_i(w));
        }
        case 0x23:
        {
            static constexpr Op ops[4] = {Op::SB, Op::SH, Op::SW, Op::SD};
            return make(ops[f3], 0, rs1, rs2, imm_s(w));
        }
        case 0x13:  // OP-IMM
        {
            if (rd == 0)
                return nop;
            const int32_t imm = imm_i(w);
            switch (f3)
            {
                case 0:
                    return rs1 == 0 ? make(Op::LI, rd, 0, 0, imm) : make(Op::ADDI, rd, rs1, 0, imm);
                case 1:
                    return make(Op::SLLI, rd, rs1, 0, imm & 0x3F);
                case 2:
                    return make(Op::SLTI, rd, rs1, 0, imm);
                case 3:
                    return make(Op::SLTIU, rd, rs1, 0, imm);
                case 4:
                    return make(Op::XORI, rd, rs1, 0, imm);
                case 5:
                    return make((w >> 30) & 1 ? Op::SRAI : Op::SRLI, rd, rs1, 0, imm & 0x3F);
                case 6:
                    return make(Op::ORI, rd, rs1, 0, imm);
                default:
                    return make(Op::ANDI, rd, rs1, 0, imm);
            }
        }
        case 0x1B:  // OP-IMM-32
        {
            if (rd == 0)
                return nop;
            if (f3 == 0)
                return make(Op::ADDIW, rd, rs1, 0, imm_i(w));
            if (f3 == 1)
                return make(Op::SLLIW, rd, rs1, 0, static_cast<int32_t>(rs2));
            return make(
                (w >> 30) & 1 ? Op::SRAIW : Op::SRLIW, rd, rs1, 0, static_cast<int32_t>(rs2));
        }
        case 0x33:  // OP, M
        {
            if (rd == 0)
                return nop;
            static constexpr Op base[8] = {
                Op::ADD, Op::SLL, Op::SLT, Op::SLTU, Op::XOR, Op::SRL, Op::OR, Op::AND};
            static constexpr Op mul[8] = {
                Op::MUL, Op::MULH, Op::MULHSU, Op::MULHU, Op::DIV, Op::DIVU, Op::REM, Op::REMU};
            Op op = f7 == 1 ? mul[f3] : base[f3];
            if (f7 == 0x20)
                op = f3 == 0 ? Op::SUB : Op::SRA;
            return make(op, rd, rs1, rs2, 0);
        }
        case 0x3B:  // OP-32, M's W forms
        {
            if (rd == 0)
                return nop;
            Op op = Op::ILLEGAL;
            if (f7 == 1)
            {
                static constexpr Op mul[8] = {Op::MULW, Op::ILLEGAL, Op::ILLEGAL, Op::ILLEGAL,
                    Op::DIVW, Op::DIVUW, Op::REMW, Op::REMUW};
                op = mul[f3];
            }
            else if (f3 == 0)
                op = f7 == 0x20 ? Op::SUBW : Op::ADDW;
            else if (f3 == 1)
                op = Op::SLLW;
            else
                op = f7 == 0x20 ? Op::SRAW : Op::SRLW;
            return make(op, rd, rs1, rs2, 0);
        }
        case 0x0F:  // FENCE: a single hart with no caches to order
            return nop;
        case 0x73:
            return {w == 0x73 ? Op::ECALL : Op::EBREAK, 0, 0, 0, 0, 0, 0};
        default:
            return illegal;
    }
}
}  // namespace stele::emu
