// bench_emulator_mips: stelevm's speed on the compute workload (tests/guest/emu_workload.cpp:
// Keccak-f[1600], 256-bit arithmetic, a switch-dispatch bytecode loop, memcpy/memcmp), side by
// side with qemu-riscv64 running the very same linux-backend ELF, in one run.
//
//   bench_emulator_mips [--rounds N] [--reps R] [--elf PATH] [--json]
//
// Reports wall-clock and CPU-time MIPS (guest instructions per second; on a shared machine CPU
// time is the fairer figure), the ratio to qemu-riscv64, the switch loop, and the cost of cycle
// counting (a build of the loop without counting and limits) and of the profiler.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <emulator/machine.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern char** environ;

namespace
{
using namespace stele;

struct Timing
{
    double wall = 1e30;
    double cpu = 1e30;
};

double cpu_now()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct EmuRun
{
    Timing t;
    uint64_t cycles = 0;
    std::string output;
    bool ok = false;
};

EmuRun run_stelevm(
    const std::vector<uint8_t>& elf, const std::vector<uint8_t>& input, emu::Options opt, int reps)
{
    EmuRun best;
    for (int i = 0; i < reps; ++i)
    {
        emu::Machine m;
        emu::ElfError err;
        if (!m.load(elf, input, opt, err))
        {
            std::fprintf(stderr, "load failed: %s\n", err.message.c_str());
            return best;
        }
        const double c0 = cpu_now();
        const auto w0 = std::chrono::steady_clock::now();
        const auto r = m.run();
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        const double cpu = cpu_now() - c0;
        best.t.wall = std::min(best.t.wall, wall);
        best.t.cpu = std::min(best.t.cpu, cpu);
        best.cycles = r.cycles;
        best.output = m.output();
        best.ok = r.ok();
        if (!best.ok)
            std::fprintf(stderr, "stelevm: %s\n", r.describe().c_str());
    }
    return best;
}

// qemu-riscv64 with the input on stdin; CPU time from the child's rusage.
bool run_qemu(const std::string& qemu, const std::string& elf, const std::string& input_path,
    int reps, Timing& best, std::string& output)
{
    for (int i = 0; i < reps; ++i)
    {
        const std::string out_path = input_path + ".qemu-out";
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, input_path.c_str(), O_RDONLY, 0);
        posix_spawn_file_actions_addopen(
            &fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv = {
            const_cast<char*>(qemu.c_str()), const_cast<char*>(elf.c_str()), nullptr};
        pid_t pid = 0;
        const auto w0 = std::chrono::steady_clock::now();
        if (posix_spawn(&pid, qemu.c_str(), &fa, nullptr, argv.data(), environ) != 0)
            return false;
        int status = 0;
        rusage ru{};
        wait4(pid, &status, 0, &ru);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        posix_spawn_file_actions_destroy(&fa);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return false;
        const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
        best.wall = std::min(best.wall, wall);
        best.cpu = std::min(best.cpu, cpu);
        std::ifstream in(out_path, std::ios::binary);
        output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return true;
}
}  // namespace

int main(int argc, char** argv)
{
    std::string elf_path = std::string{STELE_GUEST_BIN_DIR} + "/tests/guest/emu_workload.linux.elf";
    uint32_t rounds = 20;
    int reps = 3;
    bool json = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        if (a == "--rounds" && i + 1 < argc)
            rounds = static_cast<uint32_t>(std::stoul(argv[++i]));
        else if (a == "--reps" && i + 1 < argc)
            reps = std::stoi(argv[++i]);
        else if (a == "--elf" && i + 1 < argc)
            elf_path = argv[++i];
        else if (a == "--json")
            json = true;
        else
        {
            std::fprintf(stderr,
                "usage: bench_emulator_mips [--rounds N (20)] [--reps R (3, best of)] [--elf PATH] "
                "[--json]\n");
            return 2;
        }
    }
    std::ifstream f(elf_path, std::ios::binary);
    if (!f)
    {
        std::fprintf(stderr, "cannot read %s (build the guest tree first)\n", elf_path.c_str());
        return 1;
    }
    const std::vector<uint8_t> elf{
        std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    std::vector<uint8_t> input(4);
    std::memcpy(input.data(), &rounds, 4);
    const std::string input_path = "/tmp/bench_emulator_mips." + std::to_string(getpid()) + ".in";
    std::ofstream(input_path, std::ios::binary)
        .write(reinterpret_cast<const char*>(input.data()), 4);

    emu::Options counted;
    emu::Options sw;
    sw.dispatch = emu::Dispatch::Switch;
    emu::Options uncounted;
    uncounted.count_cycles = false;
    emu::Options profiled;
    profiled.profile = true;

    const EmuRun main_run = run_stelevm(elf, input, counted, reps);
    const EmuRun switch_run = run_stelevm(elf, input, sw, reps);
    const EmuRun base_run = run_stelevm(elf, input, uncounted, reps);
    const EmuRun prof_run = run_stelevm(elf, input, profiled, 1);
    if (!main_run.ok)
        return 1;
    const double n = static_cast<double>(main_run.cycles);

    Timing qemu_t;
    std::string qemu_out;
    const std::string qemu = STELE_QEMU;
    const bool have_qemu =
        !qemu.empty() && run_qemu(qemu, elf_path, input_path, reps, qemu_t, qemu_out);
    std::remove(input_path.c_str());
    std::remove((input_path + ".qemu-out").c_str());
    const bool same = have_qemu && qemu_out == main_run.output;

    auto mips = [&](double s) { return n / s / 1e6; };
    if (json)
    {
        std::printf(
            "{\"instructions\":%llu,\"stelevm\":{\"wall_s\":%.4f,\"cpu_s\":%.4f,"
            "\"mips_wall\":%.1f,\"mips_cpu\":%.1f},\"switch\":{\"mips_cpu\":%.1f},"
            "\"uncounted\":{\"mips_cpu\":%.1f},\"profiled\":{\"mips_cpu\":%.1f},"
            "\"counting_cost\":%.4f",
            static_cast<unsigned long long>(main_run.cycles), main_run.t.wall, main_run.t.cpu,
            mips(main_run.t.wall), mips(main_run.t.cpu), mips(switch_run.t.cpu),
            mips(base_run.t.cpu), mips(prof_run.t.cpu), main_run.t.cpu / base_run.t.cpu - 1);
        if (have_qemu)
            std::printf(
                ",\"qemu\":{\"wall_s\":%.4f,\"cpu_s\":%.4f,\"mips_wall\":%.1f,"
                "\"mips_cpu\":%.1f,\"same_output\":%s},\"ratio_cpu\":%.3f",
                qemu_t.wall, qemu_t.cpu, mips(qemu_t.wall), mips(qemu_t.cpu),
                same ? "true" : "false", qemu_t.cpu / main_run.t.cpu);
        std::printf("}\n");
        return same || !have_qemu ? 0 : 1;
    }
    std::printf("workload: %s, %u rounds, %llu guest instructions, best of %d\n", elf_path.c_str(),
        rounds, static_cast<unsigned long long>(main_run.cycles), reps);
    std::printf("%-34s %9s %9s %11s %11s\n", "", "wall s", "cpu s", "MIPS wall", "MIPS cpu");
    auto row = [&](const char* name, const Timing& t)
    {
        std::printf(
            "%-34s %9.3f %9.3f %11.1f %11.1f\n", name, t.wall, t.cpu, mips(t.wall), mips(t.cpu));
    };
    row("stelevm (computed goto, counted)", main_run.t);
    row("stelevm (switch, counted)", switch_run.t);
    row("stelevm (computed goto, uncounted)", base_run.t);
    row("stelevm (with function profiler)", prof_run.t);
    if (have_qemu)
        row("qemu-riscv64 (TCG JIT)", qemu_t);
    else
        std::printf("qemu-riscv64: not available\n");
    std::printf("cycle counting + limits cost: %+.1f%% CPU time vs the uncounted loop\n",
        100.0 * (main_run.t.cpu / base_run.t.cpu - 1));
    if (have_qemu)
    {
        std::printf("stelevm / qemu-riscv64 speed: %.2fx (CPU time), %.2fx (wall)\n",
            qemu_t.cpu / main_run.t.cpu, qemu_t.wall / main_run.t.wall);
        std::printf("outputs %s\n", same ? "identical" : "DIFFER");
    }
    const bool agree = switch_run.output == main_run.output && base_run.output == main_run.output &&
                       switch_run.cycles == main_run.cycles;
    if (!agree)
        std::printf("dispatch modes DISAGREE\n");
    return (same || !have_qemu) && agree ? 0 : 1;
}
