// Guest instruction counts of the pairing-curve precompiles on the software path: runs the
// RV64IM guest tests/guest/pairing_ops (linux backend) under qemu-riscv64 with the
// qemu_insn_count plugin, once per operation and once with no operation, and prints the
// difference: the instructions the precompile call itself executes (decoding included).
// Usage: bench_pairing_guest [guest-elf] [plugin.so]
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/paths.hpp"
#include "common/process.hpp"
#include "inputs.hpp"

using namespace stele;
using namespace stele::bench::pairing;

namespace
{
bytes record(uint8_t address, const bytes& in)
{
    bytes r(5 + in.size());
    r[0] = address;
    for (size_t i = 0; i < 4; ++i)
        r[1 + i] = uint8_t(in.size() >> (8 * i));
    std::copy(in.begin(), in.end(), r.begin() + 5);
    return r;
}

// The guest's output must report success for every operation it ran.
long long count(const std::string& elf, const std::string& plugin, const bytes& input)
{
    const auto r = test::run_process({test::qemu(), "-plugin", plugin, elf},
        std::string(input.begin(), input.end()), std::chrono::seconds{600});
    const auto pos = r.err.rfind("insns: ");
    if (r.exit_code != 0 || pos == std::string::npos)
    {
        std::fprintf(stderr, "guest run failed (exit %d): %s\n", r.exit_code, r.err.c_str());
        return -1;
    }
    if (!input.empty() && (r.out.empty() || r.out[0] != 1))
    {
        std::fprintf(stderr, "the operation failed on the guest\n");
        return -1;
    }
    return std::stoll(r.err.substr(pos + 7));
}
}  // namespace

int main(int argc, char** argv)
{
    const std::string elf =
        argc > 1 ? argv[1] : test::guest_elf("tests/guest", "pairing_ops", "linux");
    const std::string plugin = argc > 2 ? argv[2] : STELE_INSN_PLUGIN;
    struct Op
    {
        const char* name;
        uint8_t address;
        bytes input;
    };
    const std::vector<Op> ops = {
        {"bn254_pairing_2 (0x08, 2 pairs)", 0x08, bn254_two_pairs()},
        {"bls12_pairing_2 (0x0f, 2 pairs)", 0x0f, bls_two_pairs()},
        {"bls12_g1msm_64 (0x0c, 64 points)", 0x0c, bls_g1_msm_input(64)},
        {"kzg_point_evaluation (0x0a)", 0x0a, kzg_input()},
        {"bn254_mul (0x07)", 0x07, bn254_mul_input()},
        {"bls12_map_fp2_to_g2 (0x11)", 0x11, bls12_map_fp2_input()},
    };
    const long long base = count(elf, plugin, {});
    if (base < 0)
        return 1;
    std::printf("%-36s %16s\n", "operation (software path, RV64IM)", "instructions");
    std::printf("%-36s %16lld\n", "(program with no operation)", base);
    for (const auto& op : ops)
    {
        const long long n = count(elf, plugin, record(op.address, op.input));
        if (n < 0)
            return 1;
        std::printf("%-36s %16lld\n", op.name, n - base);
    }
    return 0;
}
