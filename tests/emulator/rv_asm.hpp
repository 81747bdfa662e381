// A tiny RV64IM encoder and in-memory ELF writer for emulator tests, fuzzers and benches:
// programs are built as instruction words, wrapped in a static ELF64 that both stelevm and
// qemu-riscv64 load.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace stele::test::rv
{
constexpr uint32_t r_type(
    uint32_t op, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1, uint32_t rs2)
{
    return op | (rd << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25);
}
constexpr uint32_t i_type(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
    return op | (rd << 7) | (f3 << 12) | (rs1 << 15) | ((static_cast<uint32_t>(imm) & 0xFFF) << 20);
}
constexpr uint32_t s_type(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    const auto u = static_cast<uint32_t>(imm);
    return op | ((u & 0x1F) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) |
           (((u >> 5) & 0x7F) << 25);
}
constexpr uint32_t b_type(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    const auto u = static_cast<uint32_t>(imm);
    return 0x63 | (((u >> 11) & 1) << 7) | (((u >> 1) & 0xF) << 8) | (f3 << 12) | (rs1 << 15) |
           (rs2 << 20) | (((u >> 5) & 0x3F) << 25) | (((u >> 12) & 1) << 31);
}
constexpr uint32_t u_type(uint32_t op, uint32_t rd, uint32_t imm20)
{
    return op | (rd << 7) | ((imm20 & 0xFFFFF) << 12);
}
constexpr uint32_t j_type(uint32_t rd, int32_t imm)
{
    const auto u = static_cast<uint32_t>(imm);
    return 0x6F | (rd << 7) | (((u >> 12) & 0xFF) << 12) | (((u >> 11) & 1) << 20) |
           (((u >> 1) & 0x3FF) << 21) | (((u >> 20) & 1) << 31);
}

// R-type ALU and M instructions: {name, opcode, funct3, funct7}.
struct ROp
{
    const char* name;
    uint32_t op, f3, f7;
};
inline constexpr ROp kROps[] = {{"add", 0x33, 0, 0}, {"sub", 0x33, 0, 0x20}, {"sll", 0x33, 1, 0},
    {"slt", 0x33, 2, 0}, {"sltu", 0x33, 3, 0}, {"xor", 0x33, 4, 0}, {"srl", 0x33, 5, 0},
    {"sra", 0x33, 5, 0x20}, {"or", 0x33, 6, 0}, {"and", 0x33, 7, 0}, {"addw", 0x3B, 0, 0},
    {"subw", 0x3B, 0, 0x20}, {"sllw", 0x3B, 1, 0}, {"srlw", 0x3B, 5, 0}, {"sraw", 0x3B, 5, 0x20},
    {"mul", 0x33, 0, 1}, {"mulh", 0x33, 1, 1}, {"mulhsu", 0x33, 2, 1}, {"mulhu", 0x33, 3, 1},
    {"div", 0x33, 4, 1}, {"divu", 0x33, 5, 1}, {"rem", 0x33, 6, 1}, {"remu", 0x33, 7, 1},
    {"mulw", 0x3B, 0, 1}, {"divw", 0x3B, 4, 1}, {"divuw", 0x3B, 5, 1}, {"remw", 0x3B, 6, 1},
    {"remuw", 0x3B, 7, 1}};

constexpr uint32_t add(uint32_t rd, uint32_t a, uint32_t b)
{
    return r_type(0x33, 0, 0, rd, a, b);
}
constexpr uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm)
{
    return i_type(0x13, 0, rd, rs1, imm);
}
constexpr uint32_t lui(uint32_t rd, uint32_t imm20)
{
    return u_type(0x37, rd, imm20);
}
constexpr uint32_t auipc(uint32_t rd, uint32_t imm20)
{
    return u_type(0x17, rd, imm20);
}
constexpr uint32_t jal(uint32_t rd, int32_t off)
{
    return j_type(rd, off);
}
constexpr uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t imm)
{
    return i_type(0x67, 0, rd, rs1, imm);
}
constexpr uint32_t ld(uint32_t rd, uint32_t rs1, int32_t imm)
{
    return i_type(0x03, 3, rd, rs1, imm);
}
constexpr uint32_t sd(uint32_t rs2, uint32_t rs1, int32_t imm)
{
    return s_type(0x23, 3, rs1, rs2, imm);
}
constexpr uint32_t beq(uint32_t a, uint32_t b, int32_t off)
{
    return b_type(0, a, b, off);
}
constexpr uint32_t bne(uint32_t a, uint32_t b, int32_t off)
{
    return b_type(1, a, b, off);
}
constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kEbreak = 0x00100073;

// li for any 64-bit value (at most 8 instructions; no temporaries).
inline void li(std::vector<uint32_t>& code, uint32_t rd, uint64_t v)
{
    const auto sv = static_cast<int64_t>(v);
    if (sv >= -2048 && sv < 2048)
    {
        code.push_back(addi(rd, 0, static_cast<int32_t>(sv)));
        return;
    }
    if (sv >= INT32_MIN && sv <= INT32_MAX)
    {
        const int32_t lo = static_cast<int32_t>(static_cast<uint32_t>(v) << 20) >> 20;  // sext 12
        const auto hi = static_cast<uint32_t>((sv - lo) >> 12);
        code.push_back(lui(rd, hi));
        code.push_back(i_type(0x1B, 0, rd, rd, lo));  // addiw
        return;
    }
    // Upper part first, then shift in the low 32 bits in 11-bit steps.
    li(code, rd, static_cast<uint64_t>(sv >> 32));
    const uint32_t low = static_cast<uint32_t>(v);
    code.push_back(i_type(0x13, 1, rd, rd, 11));
    code.push_back(i_type(0x13, 6, rd, rd, static_cast<int32_t>((low >> 21) & 0x7FF)));
    code.push_back(i_type(0x13, 1, rd, rd, 11));
    code.push_back(i_type(0x13, 6, rd, rd, static_cast<int32_t>((low >> 10) & 0x7FF)));
    code.push_back(i_type(0x13, 1, rd, rd, 10));
    code.push_back(i_type(0x13, 6, rd, rd, static_cast<int32_t>(low & 0x3FF)));
}

// exit(a0 = code) with the Linux convention (a7 = 93), which both stelevm and qemu accept.
inline void exit_with(std::vector<uint32_t>& code, int32_t status)
{
    code.push_back(addi(10, 0, status));
    code.push_back(addi(17, 0, 93));
    code.push_back(kEcall);
}

struct Segment
{
    uint64_t vaddr;
    uint32_t flags;  // 4 R, 2 W, 1 X
    std::vector<uint8_t> bytes;
    uint64_t memsz = 0;  // 0: bytes.size()
};

inline std::vector<uint8_t> words(const std::vector<uint32_t>& code)
{
    std::vector<uint8_t> b(code.size() * 4);
    std::memcpy(b.data(), code.data(), b.size());
    return b;
}

// A static ELF64 RISC-V executable; each segment's file offset is congruent to its address
// modulo 4 KiB, as a Linux loader (qemu-riscv64) needs.
inline std::vector<uint8_t> make_elf(uint64_t entry, const std::vector<Segment>& segs)
{
    const size_t hdr = 64 + 56 * segs.size();
    std::vector<uint8_t> f(hdr);
    auto put = [&](size_t off, auto v) { std::memcpy(f.data() + off, &v, sizeof v); };
    f[0] = 0x7F, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
    put(16, uint16_t{2});
    put(18, uint16_t{243});
    put(20, uint32_t{1});
    put(24, entry);
    put(32, uint64_t{64});
    put(52, uint16_t{64});
    put(54, uint16_t{56});
    put(56, static_cast<uint16_t>(segs.size()));
    for (size_t i = 0; i < segs.size(); ++i)
    {
        const Segment& s = segs[i];
        size_t off = (f.size() + 0xFFF) & ~size_t{0xFFF};
        off += s.vaddr & 0xFFF;
        if (off < f.size())
            off += 0x1000;
        f.resize(off);
        f.insert(f.end(), s.bytes.begin(), s.bytes.end());
        const size_t ph = 64 + 56 * i;
        put(ph, uint32_t{1});
        put(ph + 4, s.flags);
        put(ph + 8, static_cast<uint64_t>(off));
        put(ph + 16, s.vaddr);
        put(ph + 24, s.vaddr);
        put(ph + 32, static_cast<uint64_t>(s.bytes.size()));
        put(ph + 40, s.memsz ? s.memsz : static_cast<uint64_t>(s.bytes.size()));
        put(ph + 48, uint64_t{0x1000});
    }
    return f;
}

inline constexpr uint64_t kTextBase = 0x10000;
inline constexpr uint64_t kDataBase = 0x20000;

// The usual test program: code at kTextBase (R X), data_size bytes of data at kDataBase (R W).
inline std::vector<uint8_t> program(const std::vector<uint32_t>& code,
    std::vector<uint8_t> data = std::vector<uint8_t>(0x3000), uint64_t data_memsz = 0)
{
    return make_elf(
        kTextBase, {{kTextBase, 5, words(code)}, {kDataBase, 6, std::move(data), data_memsz}});
}
}  // namespace stele::test::rv
