// An independent check of the "RV64IM only" rule: GNU objdump disassembles every guest ELF of
// the build, and every instruction it prints must be a 32-bit encoding whose mnemonic belongs
// to RV64I + M (printed without aliases). This cross-checks our own
// decoder-based `stele elf check`, so that a gap in one is caught by the other.
#include <gtest/gtest.h>

#include <common/process.hpp>
#include <fstream>
#include <set>
#include <sstream>

namespace
{
const std::set<std::string>& allowed_mnemonics()
{
    static const std::set<std::string> m = {// RV64I
        "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu", "lb", "lh", "lw",
        "ld", "lbu", "lhu", "lwu", "sb", "sh", "sw", "sd", "addi", "slti", "sltiu", "xori", "ori",
        "andi", "slli", "srli", "srai", "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra",
        "or", "and", "addiw", "slliw", "srliw", "sraiw", "addw", "subw", "sllw", "srlw", "sraw",
        "fence", "ecall", "ebreak",
        // M
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw",
        "remw", "remuw", "fence.tso"};
    return m;
}

// Lines of objdump's disassembly of the ELF that are not RV64IM instructions, and the number
// of instruction lines seen.
std::vector<std::string> non_rv64im_lines(const std::string& elf, size_t& instructions)
{
    // no-aliases: canonical mnemonics (e.g. andi, not zext.b).
    const auto raw = stele::test::run_process({STELE_GUEST_OBJDUMP, "-d", "-M", "no-aliases", elf});
    EXPECT_EQ(raw.exit_code, 0) << raw.err;
    // Instruction lines look like "   10074:	00a50533          	add	a0,a0,a0": an address
    // and a colon, the raw word in hex, the mnemonic. (No std::regex: GCC 12 warns inside it
    // under the sanitizers.)
    std::vector<std::string> bad;
    std::istringstream lines{raw.out};
    std::string line;
    while (std::getline(lines, line))
    {
        std::istringstream fields{line};
        std::string addr, word, mnemonic;
        if (!(fields >> addr >> word >> mnemonic) || addr.size() < 2 || addr.back() != ':' ||
            addr.find_first_not_of("0123456789abcdef:") != std::string::npos ||
            word.find_first_not_of("0123456789abcdef") != std::string::npos)
            continue;
        ++instructions;
        if (word.size() != 8 || !allowed_mnemonics().count(mnemonic))
            bad.push_back(line);
    }
    return bad;
}
}  // namespace

TEST(Disassembly, EveryGuestElfIsRv64imOnly)
{
    ASSERT_STRNE(STELE_GUEST_OBJDUMP, "")
        << "riscv64-linux-gnu-objdump not found: run scripts/setup";
    std::ifstream list(std::string{STELE_GUEST_BIN_DIR} + "/guest-elfs.txt");
    ASSERT_TRUE(list) << "guest tree not built";
    std::string path;
    size_t elfs = 0, instructions = 0;
    while (std::getline(list, path))
    {
        if (path.empty())
            continue;
        const auto bad = non_rv64im_lines(path, instructions);
        EXPECT_TRUE(bad.empty()) << path << ": " << bad.size() << " lines, first: " << bad[0];
        ++elfs;
    }
    EXPECT_GE(elfs, 8u);
    EXPECT_GT(instructions, 1000u);
}

TEST(Disassembly, CatchesTheDeliberatelyCompressedElf)
{
    // The same scan must flag the c.nop pair of the RVC test ELF (guards against a scan that
    // silently matches nothing).
    size_t instructions = 0;
    const auto bad = non_rv64im_lines(
        std::string{STELE_GUEST_BIN_DIR} + "/tests/guest/bad_rvc.linux.elf", instructions);
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_NE(bad[0].find("00010001"), std::string::npos) << bad[0];
    EXPECT_GT(instructions, 10u);
}
