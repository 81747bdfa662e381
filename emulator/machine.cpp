#include "machine.hpp"

#include <stele/stelevm_abi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "text.hpp"

namespace stele::emu
{
namespace
{
// Decoder-cache span limit: 8 bytes of cache per 4 bytes of code.
constexpr uint64_t kMaxCodeSpan = uint64_t{256} << 20;
// Longest string an ecall may pass for a region name; abort messages are cut at this length.
constexpr uint64_t kMaxName = 4096;
constexpr uint64_t kMaxAbortMessage = 64 * 1024;
// Region bookkeeping is host memory the guest controls: at most this many open at once and
// this many distinct names (with kMaxName, at most 4 MiB + 16 MiB).
constexpr size_t kMaxOpenRegions = 1024;
constexpr size_t kMaxRegions = 4096;

std::string hex(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

enum Reg : unsigned
{
    A0 = 10,
    A1 = 11,
    A2 = 12,
    A7 = 17,
};
}  // namespace

const char* outcome_name(Outcome o) noexcept
{
    switch (o)
    {
        case Outcome::Success:
            return "success";
        case Outcome::Failure:
            return "failure";
        case Outcome::Abort:
            return "abort";
        case Outcome::Trap:
            return "trap";
        case Outcome::CycleLimit:
            return "cycle_limit";
        case Outcome::MemoryLimit:
            return "memory_limit";
        case Outcome::OutputLimit:
            return "output_limit";
        case Outcome::Timeout:
            return "timeout";
    }
    return "?";
}

const char* trap_name(TrapKind k) noexcept
{
    switch (k)
    {
        case TrapKind::IllegalInstruction:
            return "illegal_instruction";
        case TrapKind::InstructionMisaligned:
            return "instruction_misaligned";
        case TrapKind::FetchFault:
            return "fetch_fault";
        case TrapKind::LoadFault:
            return "load_fault";
        case TrapKind::StoreFault:
            return "store_fault";
        case TrapKind::Breakpoint:
            return "breakpoint";
        case TrapKind::UnknownEcall:
            return "unknown_ecall";
        case TrapKind::EcallFault:
            return "ecall_fault";
        case TrapKind::BadRegion:
            return "bad_region";
        case TrapKind::BadCostScope:
            return "bad_cost_scope";
        case TrapKind::OutputLimit:
            return "output_limit";
    }
    return "?";
}

std::string RunResult::describe() const
{
    switch (outcome)
    {
        case Outcome::Success:
            return "success (exit code 0)";
        case Outcome::Failure:
            return "failure: exit code " + std::to_string(exit_code);
        case Outcome::Abort:
            return "abort: " + abort_message;
        case Outcome::Trap:
            return std::string{"trap: "} + trap_name(trap.kind) + ": " + trap.detail;
        case Outcome::CycleLimit:
            return "cycle limit reached after " + std::to_string(cycles) + " cycles";
        case Outcome::MemoryLimit:
            return "memory limit reached (" + std::to_string(touched_pages) +
                   " pages touched) at pc " + hex(pc);
        case Outcome::OutputLimit:
            return "output limit reached: " + trap.detail;
        case Outcome::Timeout:
            return "wall-clock timeout after " + std::to_string(cycles) + " cycles at pc " +
                   hex(pc);
    }
    return "?";
}

int exit_code_for(const RunResult& r) noexcept
{
    switch (r.outcome)
    {
        case Outcome::Success:
            return 0;
        case Outcome::Failure:
            return 1;
        case Outcome::Abort:
            return 3;
        case Outcome::Trap:
            return 4;
        case Outcome::CycleLimit:
            return 5;
        case Outcome::MemoryLimit:
            return 6;
        case Outcome::OutputLimit:
            return 8;
        case Outcome::Timeout:
            return 9;
    }
    return 4;
}

Machine::Machine() = default;
Machine::~Machine() = default;

void Machine::set_ecall_handler(uint64_t number, EcallHandler handler)
{
    m_handlers[number] = std::move(handler);
}

bool Machine::load(std::span<const uint8_t> elf, std::span<const uint8_t> input,
    const Options& options, ElfError& err)
{
    m_options = options;
    // ELF segments live below the input window; the first 4 KiB always trap.
    const LoadRules rules{STELEVM_INPUT_BASE, 0x1000};
    if (!parse_elf(elf, rules, m_image, err))
        return false;
    if (input.size() > Memory::kSpace - STELEVM_INPUT_BASE)
    {
        err.message = "input of " + std::to_string(input.size()) +
                      " bytes does not fit the input window at " + hex(STELEVM_INPUT_BASE);
        return false;
    }
    m_mem = Memory{};  // a second load starts from a fresh address space
    if (!m_mem.reserve(options.max_memory))
    {
        err.message = "cannot reserve 4 GiB of address space for the guest (mmap failed)";
        return false;
    }

    uint64_t lo = UINT64_MAX, hi = 0;
    for (const Segment& s : m_image.segments)
    {
        m_mem.add_region(s.vaddr, s.end(), s.readable(), s.writable(),
            elf.subspan(static_cast<size_t>(s.offset), static_cast<size_t>(s.filesz)));
        if (s.executable())
        {
            lo = std::min(lo, s.vaddr);
            hi = std::max(hi, s.end());
        }
    }
    m_input_size = input.size();
    m_input_cursor = 0;
    if (!input.empty())
        m_mem.add_region(STELEVM_INPUT_BASE, STELEVM_INPUT_BASE + input.size(), true, false, input);
    m_mem.finalize();

    if (hi - lo > kMaxCodeSpan)
    {
        err.message =
            "executable segments span " + hex(hi - lo) + " bytes, more than " + hex(kMaxCodeSpan);
        return false;
    }
    // The decoder cache covers [lo, hi) rounded down to whole words; gaps between executable
    // segments and a final sentinel hold FETCH_FAULT. It is host memory the ELF asks for (a tiny
    // file can declare a 256 MiB executable segment), so it must fit the memory limit too.
    const uint64_t n = (hi - lo) / 4;
    if (const uint64_t cache_bytes = (n + 1) * sizeof(Entry); cache_bytes > options.max_memory)
    {
        err.message = "executable segments span " + hex(hi - lo) +
                      " bytes: their decoder cache of " + std::to_string(cache_bytes) +
                      " bytes exceeds the memory limit of " + std::to_string(options.max_memory) +
                      " bytes";
        return false;
    }
    m_code_begin = lo;
    m_code_end = lo + n * 4;
    m_cache.assign(n + 1, Entry{Op::FETCH_FAULT, 0, 0, 0, 0, 0, 0});
    for (const Segment& s : m_image.segments)
    {
        if (!s.executable())
            continue;
        for (uint64_t a = s.vaddr; a + 4 <= s.end(); a += 4)
        {
            const uint64_t off = a - s.vaddr;
            uint32_t w = 0;
            for (unsigned b = 0; b < 4; ++b)
                if (off + b < s.filesz)
                    w |= static_cast<uint32_t>(elf[static_cast<size_t>(s.offset + off + b)])
                         << (8 * b);
            m_cache[(a - lo) / 4] = decode(w, a, m_code_begin, m_code_end);
        }
    }
    for (uint64_t i = n + 1; i-- > 0;)
    {
        Entry& e = m_cache[i];
        e.pc = static_cast<uint32_t>(m_code_begin + i * 4);
        e.count = e.op == Op::FETCH_FAULT ? 0 : ends_block(e.op) ? 1 : 1 + m_cache[i + 1].count;
    }

    std::fill(std::begin(m_x), std::end(m_x), 0);
    m_resume = m_cache.data() + (m_image.entry - m_code_begin) / 4;
    m_cycles = 0;
    m_stop = Stop::None;
    m_output.clear();
    m_log.clear();
    m_output_size = 0;
    m_log_size = 0;
    m_open_regions.clear();
    m_regions.clear();
    m_open_scopes.clear();
    m_scopes = {};
    m_accel = {};
    m_result = {};
    return true;
}

RunResult Machine::run()
{
    if (m_stop != Stop::None)
        return m_result;  // one run per load
    if (m_cache.empty())
    {
        m_result.outcome = Outcome::Trap;
        m_result.trap.detail = "no program loaded";
        return m_result;
    }
    if (m_mem.over_limit())
    {
        m_result.outcome = Outcome::MemoryLimit;
        m_result.pc = m_image.entry;
    }
    else
    {
        const bool counting = m_options.count_cycles || m_options.profile;
        if (m_options.profile)
        {
            m_profiler.start(m_image.functions, pc_of(m_resume));
            m_function_start.assign(m_cache.size(), false);
            for (const Symbol& s : m_image.functions)
                if (s.value >= m_code_begin && s.value < m_code_end && (s.value & 3) == 0)
                    m_function_start[(s.value - m_code_begin) / 4] = true;
        }
        const bool threaded = m_options.dispatch == Dispatch::Threaded;
        auto loop = [&]
        {
            if (m_options.profile)
                threaded ? run_threaded<true, true>() : run_switch<true, true>();
            else if (counting)
                threaded ? run_threaded<true, false>() : run_switch<true, false>();
            else
                threaded ? run_threaded<false, false>() : run_switch<false, false>();
        };
        m_limit = m_options.max_cycles;
        if (m_options.timeout_seconds > 0 && counting)
        {
            // A wall-clock bound: run in slices of kSlice cycles (the cycle limit's check, so
            // no cost per instruction) and look at the clock between them. A slice stops before
            // a block, so resuming there retires the same instructions: the count is unchanged.
            constexpr uint64_t kSlice = uint64_t{1} << 24;
            const auto deadline = std::chrono::steady_clock::now() +
                                  std::chrono::duration<double>(m_options.timeout_seconds);
            for (;;)
            {
                const uint64_t step = std::max<uint64_t>(kSlice, m_resume->count);
                m_limit =
                    m_options.max_cycles - m_cycles > step ? m_cycles + step : m_options.max_cycles;
                m_stop = Stop::None;
                loop();
                if (m_stop != Stop::CycleLimit || m_limit == m_options.max_cycles)
                    break;
                if (std::chrono::steady_clock::now() >= deadline)
                {
                    m_stop = Stop::Timeout;
                    break;
                }
            }
        }
        else
            loop();
        if (m_options.profile)
            m_profiler.finish(m_cycles);
        if (m_stop == Stop::CycleLimit)
            m_result.outcome = Outcome::CycleLimit;
        if (m_stop == Stop::Timeout)
            m_result.outcome = Outcome::Timeout;
        m_result.pc = m_stop_pc;
    }
    m_result.cycles = m_cycles;
    m_result.unaligned_accesses = m_mem.unaligned_accesses();
    m_result.touched_pages = m_mem.touched_pages();
    m_result.regions = m_regions;
    for (const auto& r : m_open_regions)
        m_result.unclosed_regions.push_back(r.name);
    for (const CostScopeStats& s : m_scopes)
        if (s.count)
            m_result.cost_scopes.push_back(s);
    for (const auto& s : m_open_scopes)
        m_result.unclosed_cost_scopes.push_back(s.id);
    for (unsigned i = 1; i <= kAccelCount; ++i)
        if (m_accel[i].calls)
            m_result.accelerators.push_back({i, accel_name(i), m_accel[i]});
    return m_result;
}

void Machine::trap_at(const Entry* e, TrapKind kind, uint64_t address)
{
    const uint64_t pc = pc_of(e);
    Trap& t = m_result.trap;
    t = {};
    t.kind = kind;
    t.pc = pc;
    t.address = address;
    switch (kind)
    {
        case TrapKind::IllegalInstruction:
            t.word = static_cast<uint32_t>(e->imm);
            t.detail = "illegal instruction " + hex(t.word) + " at pc " + hex(pc);
            break;
        case TrapKind::InstructionMisaligned:
            t.detail = "jump at pc " + hex(pc) + " to misaligned address " + hex(address);
            break;
        case TrapKind::FetchFault:
            t.detail = address == pc
                           ? "fetch from non-executable memory at pc " + hex(pc)
                           : "jump at pc " + hex(pc) + " to non-executable address " + hex(address);
            break;
        case TrapKind::LoadFault:
            t.detail = "load from inaccessible address " + hex(address) + " at pc " + hex(pc);
            break;
        case TrapKind::StoreFault:
            t.detail = "store to inaccessible address " + hex(address) + " at pc " + hex(pc);
            break;
        case TrapKind::Breakpoint:
            t.detail = "ebreak at pc " + hex(pc);
            break;
        default:
            break;
    }
    m_result.outcome = Outcome::Trap;
    m_stop = Stop::Fault;
}

void Machine::store_failed(const Entry* e, uint64_t addr, Memory::Access a)
{
    trap_at(e, TrapKind::StoreFault, addr);
    if (a == Memory::Access::Limit)
        m_result.outcome = Outcome::MemoryLimit;
}

void Machine::stop_trap(TrapKind kind, uint64_t address, std::string detail)
{
    Trap& t = m_result.trap;
    t = {};
    t.kind = kind;
    t.pc = m_stop_pc;
    t.address = address;
    t.number = m_x[A7];
    t.detail = std::move(detail);
    m_result.outcome = Outcome::Trap;
    m_stop = Stop::Fault;
}

void Machine::profile_transfer(const Entry* e, uint64_t target)
{
    const bool links = e->rd == 1 || e->rd == 5;
    if (links)
        m_profiler.on_call(m_cycles, target);
    else if (e->op == Op::JALR && (e->rs1 == 1 || e->rs1 == 5) && e->imm == 0)
        m_profiler.on_return(m_cycles);
    else if (m_function_start[(target - m_code_begin) / 4])
        m_profiler.on_jump(m_cycles, target);
}

void Machine::halt(int64_t code)
{
    m_result.exit_code = code;
    m_result.outcome = code == 0 ? Outcome::Success : Outcome::Failure;
    m_stop = Stop::Halt;
}

bool Machine::emit(bool to_output, uint64_t addr, uint64_t size, uint64_t number)
{
    if (!readable(addr, size, number))
        return false;
    uint64_t& written = to_output ? m_output_size : m_log_size;
    // Checked before anything is copied: a guest asking for a 2 GiB write costs nothing.
    if (size > m_options.max_output - written)
    {
        stop_trap(TrapKind::OutputLimit, addr,
            std::string{"ecall "} + hex(number) + " at pc " + hex(m_stop_pc) + ": writing " +
                std::to_string(size) + " bytes to the " + (to_output ? "output" : "log") +
                " after " + std::to_string(written) + " would exceed the limit of " +
                std::to_string(m_options.max_output) + " bytes (--max-output)");
        m_result.outcome = Outcome::OutputLimit;
        return false;
    }
    written += size;
    const std::string_view bytes{
        reinterpret_cast<const char*>(m_mem.base() + addr), static_cast<size_t>(size)};
    const auto& sink = to_output ? m_options.output_sink : m_options.log_sink;
    if (sink)
        sink(bytes);
    else
        (to_output ? m_output : m_log).append(bytes);
    return true;
}

bool Machine::readable(uint64_t addr, uint64_t size, uint64_t number)
{
    if (m_mem.check_read(addr, size) == Memory::Access::Ok)
        return true;
    stop_trap(TrapKind::EcallFault, addr,
        "ecall " + hex(number) + " at pc " + hex(m_stop_pc) + ": buffer [" + hex(addr) + ", +" +
            hex(size) + ") is not readable");
    return false;
}

bool Machine::read_guest(uint64_t addr, uint64_t size, std::string& out, uint64_t number)
{
    if (!readable(addr, size, number))
        return false;
    out.assign(reinterpret_cast<const char*>(m_mem.base() + addr), size);
    return true;
}

bool Machine::ecall(uint64_t pc)
{
    m_stop_pc = pc;
    const uint64_t n = m_x[A7];
    const uint64_t a0 = m_x[A0], a1 = m_x[A1];
    if (!m_handlers.empty())
    {
        if (auto it = m_handlers.find(n); it != m_handlers.end())
        {
            if (it->second(*this))
                return true;
            if (m_stop == Stop::None)  // a handler that stops must say why; name it if it did not
                stop_trap(
                    TrapKind::EcallFault, 0, "ecall " + hex(n) + " at pc " + hex(pc) + " failed");
            return false;
        }
    }
    if (n > STELEVM_ACCEL_BASE && n <= STELEVM_ACCEL_BASE + kAccelCount)
        return accelerator(pc, static_cast<unsigned>(n - STELEVM_ACCEL_BASE));
    std::string buf;
    switch (n)
    {
        case STELEVM_LINUX_WRITE:
        {
            const uint64_t size = m_x[A2];
            if (a0 != 1 && a0 != 2)
            {
                m_x[A0] = static_cast<uint64_t>(-9);  // -EBADF
                return true;
            }
            if (!emit(a0 == 1, a1, size, n))
                return false;
            m_x[A0] = size;
            return true;
        }
        case STELEVM_LINUX_READ:
        {
            // fd 0 reads the input from a cursor, so linux-backend programs run unchanged.
            if (a0 != 0)
            {
                m_x[A0] = static_cast<uint64_t>(-9);  // -EBADF
                return true;
            }
            const uint64_t count = std::min(m_x[A2], m_input_size - m_input_cursor);
            if (count)
            {
                const uint8_t* src = m_mem.base() + STELEVM_INPUT_BASE + m_input_cursor;
                if (m_mem.write(a1, std::span(src, static_cast<size_t>(count))) !=
                    Memory::Access::Ok)
                {
                    stop_trap(TrapKind::EcallFault, a1,
                        "ecall " + hex(n) + " (Linux read) at pc " + hex(pc) + ": buffer [" +
                            hex(a1) + ", +" + hex(count) + ") is not writable");
                    return false;
                }
            }
            m_input_cursor += count;
            m_x[A0] = count;
            return true;
        }
        case STELEVM_LINUX_EXIT:
        case STELEVM_LINUX_EXIT_GROUP:
            halt(static_cast<int64_t>(a0 & 0xFF));  // a Linux exit status is 8 bits
            return false;
        case STELEVM_HALT:
            halt(static_cast<int32_t>(a0));
            return false;
        case STELEVM_READ_INPUT:
            m_x[A0] = m_input_size ? STELEVM_INPUT_BASE : 0;
            m_x[A1] = m_input_size;
            if (m_input_size == 0)
                m_x[A0] = STELEVM_INPUT_BASE;
            return true;
        case STELEVM_WRITE_OUTPUT:
        case STELEVM_WRITE_LOG:
            return emit(n == STELEVM_WRITE_OUTPUT, a0, a1, n);
        case STELEVM_ABORT:
            if (!read_guest(a0, std::min(a1, kMaxAbortMessage), buf, n))
                return false;
            m_result.abort_message = buf;
            m_result.outcome = Outcome::Abort;
            m_stop = Stop::Halt;
            return false;
        case STELEVM_REGION_START:
        case STELEVM_REGION_END:
        {
            if (a1 > kMaxName)
            {
                stop_trap(TrapKind::EcallFault, a0,
                    "region name of " + std::to_string(a1) + " bytes at pc " + hex(pc) +
                        " is too long");
                return false;
            }
            if (!read_guest(a0, a1, buf, n))
                return false;
            if (n == STELEVM_REGION_START)
            {
                if (m_open_regions.size() >= kMaxOpenRegions)
                {
                    stop_trap(TrapKind::BadRegion, 0,
                        "region start at pc " + hex(pc) + ": more than " +
                            std::to_string(kMaxOpenRegions) + " regions open at once");
                    return false;
                }
                m_open_regions.push_back({buf, m_cycles});
                return true;
            }
            if (m_open_regions.empty() || m_open_regions.back().name != buf)
            {
                stop_trap(TrapKind::BadRegion, 0,
                    "region end '" + printable(buf) + "' at pc " + hex(pc) + " does not match " +
                        (m_open_regions.empty() ? std::string{"any open region"}
                                                : "the open region '" +
                                                      printable(m_open_regions.back().name) + "'"));
                return false;
            }
            const uint64_t cycles = m_cycles - m_open_regions.back().start;
            m_open_regions.pop_back();
            auto it = std::find_if(m_regions.begin(), m_regions.end(),
                [&](const RegionStats& r) { return r.name == buf; });
            if (it == m_regions.end())
            {
                if (m_regions.size() >= kMaxRegions)
                {
                    stop_trap(TrapKind::BadRegion, 0,
                        "region end at pc " + hex(pc) + ": more than " +
                            std::to_string(kMaxRegions) + " distinct region names");
                    return false;
                }
                m_regions.push_back({buf, 0, 0, cycles, cycles});
                it = m_regions.end() - 1;
            }
            ++it->count;
            it->total += cycles;
            it->min = std::min(it->min, cycles);
            it->max = std::max(it->max, cycles);
            return true;
        }
        case STELEVM_CYCLE_COUNT:
            m_x[A0] = m_cycles;
            return true;
        case STELEVM_COST_SCOPE_START:
        case STELEVM_COST_SCOPE_END:
        {
            if (a0 > 255)
            {
                stop_trap(TrapKind::BadCostScope, a0,
                    "cost scope id " + std::to_string(a0) + " at pc " + hex(pc) +
                        " is not a uint8_t");
                return false;
            }
            const auto id = static_cast<unsigned>(a0);
            if (n == STELEVM_COST_SCOPE_START)
            {
                if (m_open_scopes.size() >= kMaxOpenRegions)
                {
                    stop_trap(TrapKind::BadCostScope, a0,
                        "cost scope start at pc " + hex(pc) + ": more than " +
                            std::to_string(kMaxOpenRegions) + " scopes open at once");
                    return false;
                }
                m_open_scopes.push_back({id, m_cycles, m_accel});
                return true;
            }
            if (m_open_scopes.empty() || m_open_scopes.back().id != id)
            {
                stop_trap(TrapKind::BadCostScope, a0,
                    "cost scope end " + std::to_string(id) + " at pc " + hex(pc) +
                        " does not match " +
                        (m_open_scopes.empty()
                                ? std::string{"any open scope"}
                                : "the open scope " + std::to_string(m_open_scopes.back().id)));
                return false;
            }
            const OpenScope& o = m_open_scopes.back();
            CostScopeStats& s = m_scopes[id];
            s.id = id;
            ++s.count;
            s.cycles += m_cycles - o.start;
            for (unsigned k = 1; k <= kAccelCount; ++k)
            {
                s.accelerators[k].calls += m_accel[k].calls - o.accel[k].calls;
                s.accelerators[k].input_bytes += m_accel[k].input_bytes - o.accel[k].input_bytes;
                s.accelerators[k].failures += m_accel[k].failures - o.accel[k].failures;
                s.accelerators[k].work += m_accel[k].work - o.accel[k].work;
            }
            m_open_scopes.pop_back();
            return true;
        }
        default:
            break;
    }
    stop_trap(TrapKind::UnknownEcall, 0, "unknown ecall number " + hex(n) + " at pc " + hex(pc));
    return false;
}
}  // namespace stele::emu
