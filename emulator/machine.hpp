// stelevm: runs an RV64IM ELF that follows the zkVM ELF-loading rules, with the ecall ABI of
// guest-rt's stelevm backend (guest-rt/ABI.md) plus the minimal Linux write/exit calls.
//
//   Machine m;
//   if (!m.load(elf_bytes, input, options, err)) ...  // err.message names the rule broken
//   RunResult r = m.run();                           // typed outcome, cycles, statistics
//
// Cycles are retired instructions, counted per basic block (each decoder entry knows how many
// instructions remain in its block), so the count is exact and costs one add per block. A run is
// deterministic: the same ELF and input give the same output, outcome and cycle count.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accelerators.hpp"
#include "decoder.hpp"
#include "elf.hpp"
#include "memory.hpp"
#include "profiler.hpp"

namespace stele::emu
{
enum class Outcome : uint8_t
{
    Success,      // halted with exit code 0
    Failure,      // halted with a non-zero exit code
    Abort,        // the guest called abort (with a message)
    Trap,         // the machine stopped the guest: see Trap
    CycleLimit,   // --max-cycles reached
    MemoryLimit,  // --max-memory reached (touched pages)
    OutputLimit,  // --max-output reached (output or log bytes)
    Timeout,      // Options::timeout_seconds of wall-clock time passed (--timeout)
};

enum class TrapKind : uint8_t
{
    IllegalInstruction,     // pc, word
    InstructionMisaligned,  // pc = the jump, address = its target
    FetchFault,             // pc = the jump (or the pc itself), address = the fetch address
    LoadFault,              // pc, address
    StoreFault,             // pc, address
    Breakpoint,             // ebreak at pc
    UnknownEcall,           // pc, number
    EcallFault,             // pc, number, address: an ecall's buffer is not accessible
    BadRegion,              // pc: region end without a matching start, or too many regions
    BadCostScope,           // pc, number = id: scope end without a matching start, too deep
    OutputLimit,            // pc, number: a write past Options::max_output
};

[[nodiscard]] const char* outcome_name(Outcome o) noexcept;
[[nodiscard]] const char* trap_name(TrapKind k) noexcept;

struct Trap
{
    TrapKind kind = TrapKind::IllegalInstruction;
    uint64_t pc = 0;
    uint64_t address = 0;
    uint32_t word = 0;
    uint64_t number = 0;
    std::string detail;  // human-readable, complete sentence fragment
};

struct RegionStats
{
    std::string name;
    uint64_t count = 0;
    uint64_t total = 0;
    uint64_t min = 0;
    uint64_t max = 0;
};

// A cost scope's totals (zkvm_cost_scope_start / _end with this id), inclusive of nested
// scopes; `accelerators` holds the calls made inside it, to be priced by the cost model.
struct CostScopeStats
{
    unsigned id = 0;
    uint64_t count = 0;
    uint64_t cycles = 0;
    std::array<AccelStats, kAccelCount + 1> accelerators{};
};

struct RunResult
{
    Outcome outcome = Outcome::Trap;
    int64_t exit_code = 0;      // Success / Failure
    std::string abort_message;  // Abort
    Trap trap;                  // Trap
    uint64_t pc = 0;            // where the run stopped
    uint64_t cycles = 0;        // retired instructions
    uint64_t unaligned_accesses = 0;
    uint64_t touched_pages = 0;
    std::vector<RegionStats> regions;  // in order of first start
    std::vector<std::string> unclosed_regions;
    std::vector<AccelReport> accelerators;    // the accelerators called, in number order
    std::vector<CostScopeStats> cost_scopes;  // by id, the ones used
    std::vector<unsigned> unclosed_cost_scopes;

    [[nodiscard]] bool ok() const noexcept
    {
        return outcome == Outcome::Success;
    }
    [[nodiscard]] std::string describe() const;  // one line: "success", "trap: ..."
};

enum class Dispatch : uint8_t
{
    Threaded,  // computed goto
    Switch,    // the same handlers behind a switch (portable; a differential check)
};

struct Options
{
    uint64_t max_cycles = UINT64_MAX;
    // Wall-clock bound on run() (0: none); checked every 2^24 cycles. Not deterministic: for a
    // reproducible bound use max_cycles.
    double timeout_seconds = 0;
    uint64_t max_memory = uint64_t{4} << 30;  // touched bytes, rounded up to 4 KiB pages
    bool profile = false;                     // function profile (slower dispatch of jumps)
    Dispatch dispatch = Dispatch::Threaded;
    bool count_cycles = true;  // false: no counting and no cycle limit (benchmark baseline only)
    // Bytes the guest may write to the output, and separately to the log; a write past it stops
    // the run (Outcome::OutputLimit) without writing any of it. Output kept in memory (no sink)
    // is bounded by it too.
    uint64_t max_output = kDefaultMaxOutput;
    static constexpr uint64_t kDefaultMaxOutput = uint64_t{64} << 20;
    // Where write_log / write(2) go as they happen; unset: collected in Machine::log().
    std::function<void(std::string_view)> log_sink;
    // Where the output goes as it is written; unset: collected in Machine::output().
    std::function<void(std::string_view)> output_sink;
};

class Machine;

// An ecall handler (accelerators plug in here): reads arguments from registers, accesses guest
// memory through machine.memory(), sets a0. Returning false stops the run; the handler must
// then have called machine.stop_*.
using EcallHandler = std::function<bool(Machine&)>;

class Machine
{
public:
    Machine();
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    // Validates and maps the ELF, maps the input read-only at STELEVM_INPUT_BASE and pre-decodes
    // the executable segments. On failure err.message says why.
    [[nodiscard]] bool load(std::span<const uint8_t> elf, std::span<const uint8_t> input,
        const Options& options, ElfError& err);

    RunResult run();

    // Registers a handler for an ecall number (replaces the built-in one, if any).
    void set_ecall_handler(uint64_t number, EcallHandler handler);

    [[nodiscard]] uint64_t reg(unsigned i) const noexcept
    {
        return i == 0 ? 0 : m_x[i];
    }
    void set_reg(unsigned i, uint64_t v) noexcept
    {
        if (i != 0 && i < 32)
            m_x[i] = v;
    }
    [[nodiscard]] Memory& memory() noexcept
    {
        return m_mem;
    }
    [[nodiscard]] const std::string& output() const noexcept
    {
        return m_output;
    }
    [[nodiscard]] const std::string& log() const noexcept
    {
        return m_log;
    }
    // Bytes written to the output (also when they went to Options::output_sink).
    [[nodiscard]] uint64_t output_size() const noexcept
    {
        return m_output_size;
    }
    [[nodiscard]] const ElfImage& image() const noexcept
    {
        return m_image;
    }
    [[nodiscard]] const Profiler& profiler() const noexcept
    {
        return m_profiler;
    }
    [[nodiscard]] uint64_t cycles() const noexcept
    {
        return m_cycles;
    }
    [[nodiscard]] uint64_t input_size() const noexcept
    {
        return m_input_size;
    }

    // For ecall handlers: end the run.
    void stop_trap(TrapKind kind, uint64_t address, std::string detail);

private:
    enum class Stop : uint8_t
    {
        None,
        Halt,
        Fault,
        CycleLimit,
        Timeout,
    };

    template <bool Counting, bool Profiling>
    void run_threaded();
    template <bool Counting, bool Profiling>
    void run_switch();

    // Out-of-line parts of the handlers. Each returns false when the run must stop.
    [[nodiscard, gnu::noinline]] bool ecall(uint64_t pc);
    // Serves accelerator 1..kAccelCount (accelerators.cpp).
    [[nodiscard]] bool accelerator(uint64_t pc, unsigned number);
    [[gnu::noinline, gnu::cold]] void store_failed(const Entry* e, uint64_t addr, Memory::Access a);
    [[gnu::noinline, gnu::cold]] void trap_at(const Entry* e, TrapKind kind, uint64_t address);
    [[gnu::noinline]] void profile_transfer(const Entry* e, uint64_t target);

    [[nodiscard]] uint64_t pc_of(const Entry* e) const noexcept
    {
        return e->pc;
    }
    void halt(int64_t code);
    [[nodiscard]] bool readable(uint64_t addr, uint64_t size, uint64_t number);
    [[nodiscard]] bool read_guest(uint64_t addr, uint64_t size, std::string& out, uint64_t number);
    // write_output / write_log / Linux write: the bytes [addr, +size) to the output or the log,
    // within Options::max_output.
    [[nodiscard]] bool emit(bool to_output, uint64_t addr, uint64_t size, uint64_t number);

    // x0..x31, then the sink for writes to x0.
    alignas(64) uint64_t m_x[33] = {};
    Options m_options;
    ElfImage m_image;
    Memory m_mem;
    std::vector<Entry> m_cache;  // one entry per 4 bytes of [m_code_begin, m_code_end), + sentinel
    uint64_t m_code_begin = 0;
    uint64_t m_code_end = 0;
    uint64_t m_input_size = 0;
    uint64_t m_input_cursor = 0;  // Linux read(0, ...) position

    uint64_t m_cycles = 0;
    uint64_t m_limit = UINT64_MAX;  // the cycle count the loop stops at (a slice of max_cycles)
    uint64_t m_stop_pc = 0;
    const Entry* m_resume = nullptr;
    Stop m_stop = Stop::None;
    RunResult m_result;
    std::string m_output;
    std::string m_log;
    uint64_t m_output_size = 0;
    uint64_t m_log_size = 0;
    std::unordered_map<uint64_t, EcallHandler> m_handlers;

    struct OpenRegion
    {
        std::string name;
        uint64_t start;
    };
    std::vector<OpenRegion> m_open_regions;
    struct OpenScope
    {
        unsigned id;
        uint64_t start;
        std::array<AccelStats, kAccelCount + 1> accel;  // m_accel at the start
    };
    std::vector<OpenScope> m_open_scopes;
    std::array<CostScopeStats, 256> m_scopes{};
    std::vector<RegionStats> m_regions;
    std::array<AccelStats, kAccelCount + 1> m_accel{};  // by number; [0] unused
    Profiler m_profiler;
    std::vector<bool> m_function_start;  // per decoder entry, for the profiler's tail calls
};

// CLI exit codes of `stele run` for each outcome (documented in `stele run --help`).
[[nodiscard]] int exit_code_for(const RunResult& r) noexcept;
}  // namespace stele::emu
