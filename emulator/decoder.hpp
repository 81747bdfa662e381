// RV64IM pre-decoding: each 32-bit instruction word becomes one 16-byte Entry of the decoder
// cache, with its operands already extracted and sign-extended, so that the interpreter's
// handlers do no bit-twiddling. A few forms are specialised at decode time (LI for LUI /
// ADDI x0 / AUIPC with a known result, NOP for instructions that only write x0, static branch
// targets turned into entry offsets).
#pragma once

#include <cstdint>

namespace stele::emu
{
// The handlers, in dispatch-table order. One list drives the enum, the name table and both
// dispatch modes (computed goto and switch), so they cannot disagree.
#define STELE_RV_OPS(X) \
    X(ILLEGAL)          \
    X(FETCH_FAULT)      \
    X(NOP)              \
    X(LI)               \
    X(AUIPC)            \
    X(ADDI)             \
    X(SLTI)             \
    X(SLTIU)            \
    X(XORI)             \
    X(ORI)              \
    X(ANDI)             \
    X(SLLI)             \
    X(SRLI)             \
    X(SRAI)             \
    X(ADDIW)            \
    X(SLLIW)            \
    X(SRLIW)            \
    X(SRAIW)            \
    X(ADD)              \
    X(SUB)              \
    X(SLL)              \
    X(SLT)              \
    X(SLTU)             \
    X(XOR)              \
    X(SRL)              \
    X(SRA)              \
    X(OR)               \
    X(AND)              \
    X(ADDW)             \
    X(SUBW)             \
    X(SLLW)             \
    X(SRLW)             \
    X(SRAW)             \
    X(MUL)              \
    X(MULH)             \
    X(MULHSU)           \
    X(MULHU)            \
    X(DIV)              \
    X(DIVU)             \
    X(REM)              \
    X(REMU)             \
    X(MULW)             \
    X(DIVW)             \
    X(DIVUW)            \
    X(REMW)             \
    X(REMUW)            \
    X(LB)               \
    X(LH)               \
    X(LW)               \
    X(LD)               \
    X(LBU)              \
    X(LHU)              \
    X(LWU)              \
    X(SB)               \
    X(SH)               \
    X(SW)               \
    X(SD)               \
    X(BEQ)              \
    X(BNE)              \
    X(BLT)              \
    X(BGE)              \
    X(BLTU)             \
    X(BGEU)             \
    X(BRANCH_BAD)       \
    X(JAL)              \
    X(JAL_BAD)          \
    X(JALR)             \
    X(ECALL)            \
    X(EBREAK)

enum class Op : uint8_t
{
#define STELE_OP_ENUM(name) name,
    STELE_RV_OPS(STELE_OP_ENUM)
#undef STELE_OP_ENUM
        COUNT_
};

inline constexpr unsigned kOpCount = static_cast<unsigned>(Op::COUNT_);

// Register index that absorbs writes to x0: handlers write x[rd] unconditionally, and the
// decoder redirects rd == 0 here, so x0 reads as zero without a per-instruction reset.
inline constexpr uint8_t kSinkReg = 32;

struct Entry
{
    Op op;
    uint8_t rd;  // kSinkReg for x0; for BRANCH_BAD the branch's funct3
    uint8_t rs1;
    uint8_t rs2;
    // I/S immediate, shift amount, LI value; for resolved branches and JAL the target as a
    // byte offset in the decoder cache (16 per instruction); for BRANCH_BAD / JAL_BAD the byte
    // offset; for ILLEGAL the raw word.
    int32_t imm;
    // Instructions from here to the end of the basic block (0 for FETCH_FAULT): entering a block
    // anywhere adds this to the cycle counter, so counting costs one add per block.
    uint32_t count;
    uint32_t pc;  // the guest address (the code lies below 4 GiB)
};
static_assert(sizeof(Entry) == 16, "one decoder entry per instruction, 16 bytes");

// Whether control can leave straight-line execution at this instruction (a basic block ends).
[[nodiscard]] constexpr bool ends_block(Op op) noexcept
{
    switch (op)
    {
        case Op::ILLEGAL:
        case Op::FETCH_FAULT:
        case Op::BEQ:
        case Op::BNE:
        case Op::BLT:
        case Op::BGE:
        case Op::BLTU:
        case Op::BGEU:
        case Op::BRANCH_BAD:
        case Op::JAL:
        case Op::JAL_BAD:
        case Op::JALR:
        case Op::ECALL:
        case Op::EBREAK:
            return true;
        default:
            return false;
    }
}

[[nodiscard]] const char* op_name(Op op) noexcept;

// Decodes one word at guest address pc. Static control-transfer targets are resolved against
// the executable span [code_begin, code_end): a target that is 4-aligned and inside the span
// becomes a decoder-cache byte offset, anything else a *_BAD form that traps when taken.
[[nodiscard]] Entry decode(
    uint32_t word, uint64_t pc, uint64_t code_begin, uint64_t code_end) noexcept;
}  // namespace stele::emu
