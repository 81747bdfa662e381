// RV64IM instruction-set membership: which 32-bit words are instructions of the target ISA
// (RV64I + M; no C, F, D, A, Zicsr or Zifencei).
#pragma once

#include <cstdint>

namespace stele::emu
{
// Why a word is not an RV64IM instruction, or Ok.
enum class IsaCheck : uint8_t
{
    Ok,
    Compressed,    // low two bits != 0b11: an RVC (16-bit) encoding
    LongEncoding,  // a 48-bit or longer encoding
    NotRv64im,     // a 32-bit encoding outside RV64IM (illegal, or another extension)
};

[[nodiscard]] constexpr IsaCheck check_rv64im(uint32_t w) noexcept
{
    if ((w & 0b11) != 0b11)
        return IsaCheck::Compressed;
    if ((w & 0b11100) == 0b11100)
        return IsaCheck::LongEncoding;
    const uint32_t opcode = w & 0x7F;
    const uint32_t funct3 = (w >> 12) & 0x7;
    const uint32_t funct7 = w >> 25;
    const uint32_t funct6 = w >> 26;
    bool ok = false;
    switch (opcode)
    {
        case 0x37:  // LUI
        case 0x17:  // AUIPC
        case 0x6F:  // JAL
            ok = true;
            break;
        case 0x67:  // JALR
            ok = funct3 == 0;
            break;
        case 0x63:  // BEQ BNE BLT BGE BLTU BGEU
            ok = funct3 != 2 && funct3 != 3;
            break;
        case 0x03:  // LB LH LW LD LBU LHU LWU
            ok = funct3 != 7;
            break;
        case 0x23:  // SB SH SW SD
            ok = funct3 <= 3;
            break;
        case 0x13:  // OP-IMM; RV64 shifts take a 6-bit amount
            if (funct3 == 1)
                ok = funct6 == 0;
            else if (funct3 == 5)
                ok = funct6 == 0 || funct6 == 0x10;
            else
                ok = true;
            break;
        case 0x1B:  // OP-IMM-32
            if (funct3 == 0)
                ok = true;
            else if (funct3 == 1)
                ok = funct7 == 0;
            else if (funct3 == 5)
                ok = funct7 == 0 || funct7 == 0x20;
            break;
        case 0x33:  // OP and M
            ok = funct7 == 0 || funct7 == 1 || (funct7 == 0x20 && (funct3 == 0 || funct3 == 5));
            break;
        case 0x3B:  // OP-32 and M's W forms
            if (funct7 == 0)
                ok = funct3 == 0 || funct3 == 1 || funct3 == 5;
            else if (funct7 == 0x20)
                ok = funct3 == 0 || funct3 == 5;
            else if (funct7 == 1)
                ok = funct3 == 0 || funct3 >= 4;
            break;
        case 0x0F:  // FENCE (FENCE.I is Zifencei)
            ok = funct3 == 0;
            break;
        case 0x73:  // ECALL, EBREAK (CSR instructions are Zicsr)
            ok = w == 0x00000073 || w == 0x00100073;
            break;
        default:
            break;
    }
    return ok ? IsaCheck::Ok : IsaCheck::NotRv64im;
}
}  // namespace stele::emu
