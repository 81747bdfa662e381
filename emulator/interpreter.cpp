// The two dispatch loops over one handler file (handlers.inc): computed goto, and a switch.
// Each is instantiated with and without cycle counting (the baseline for the cost of counting)
// and with and without the function profiler's call/return hooks.
#include <cstring>

#include "machine.hpp"

namespace stele::emu
{
namespace
{
// An access takes the fast path when it is aligned and below 4 GiB: one test against this mask.
template <typename T>
constexpr uint64_t kFastMask = 0xFFFFFFFF00000000ull | (sizeof(T) - 1);
}  // namespace

// State shared by both loops; the macros below are all the handlers see.
#define STELE_LOOP_PROLOGUE                               \
    uint64_t* const x = m_x;                              \
    uint8_t* const mem = m_mem.base();                    \
    const uint8_t* const perm = m_mem.perms();            \
    const Entry* const cache = m_cache.data();            \
    const uint64_t code_begin = m_code_begin;             \
    const uint64_t code_size = m_code_end - m_code_begin; \
    const uint64_t limit = m_limit;                       \
    uint64_t counter = m_cycles;                          \
    const Entry* e = m_resume;                            \
    (void)limit;

#define ENTER(target)                                 \
    do                                                \
    {                                                 \
        e = (target);                                 \
        if constexpr (Counting)                       \
        {                                             \
            counter += e->count;                      \
            if (__builtin_expect(counter > limit, 0)) \
                goto cycle_limit;                     \
        }                                             \
        DISPATCH();                                   \
    } while (0)

#define NEXT()      \
    do              \
    {               \
        ++e;        \
        DISPATCH(); \
    } while (0)

#define PROFILE_TRANSFER(target)         \
    do                                   \
    {                                    \
        if constexpr (Profiling)         \
        {                                \
            m_cycles = counter;          \
            profile_transfer(e, target); \
        }                                \
    } while (0)

// The exits: how many instructions retired depends on where in its block the run stopped.
#define STELE_LOOP_EPILOGUE                       \
    fault:                                        \
    __attribute__((unused));                      \
    m_cycles = Counting ? counter - e->count : 0; \
    m_stop_pc = e->pc;                            \
    if (m_stop == Stop::None)                     \
        m_stop = Stop::Fault;                     \
    return;                                       \
    cycle_limit:                                  \
    __attribute__((unused));                      \
    m_cycles = counter - e->count;                \
    m_stop_pc = e->pc;                            \
    m_resume = e;                                 \
    m_stop = Stop::CycleLimit;                    \
    return;                                       \
    stop:                                         \
    __attribute__((unused));                      \
    m_cycles = Counting ? counter : 0;            \
    m_stop_pc = e->pc;                            \
    return;

template <bool Counting, bool Profiling>
void Machine::run_threaded()
{
    STELE_LOOP_PROLOGUE
#define STELE_OP_LABEL(name) &&L_##name,
    static const void* const labels[] = {STELE_RV_OPS(STELE_OP_LABEL)};
#undef STELE_OP_LABEL
#define DISPATCH() goto* labels[static_cast<unsigned>(e->op)]
#define INSTR(name) L_##name:
    ENTER(e);
#include "handlers.inc"
    STELE_LOOP_EPILOGUE
#undef DISPATCH
#undef INSTR
}

template <bool Counting, bool Profiling>
void Machine::run_switch()
{
    STELE_LOOP_PROLOGUE
#define DISPATCH() goto dispatch
#define INSTR(name) case Op::name:
    ENTER(e);
dispatch:
    switch (e->op)
    {
#include "handlers.inc"
        default:
            __builtin_unreachable();
    }
    STELE_LOOP_EPILOGUE
#undef DISPATCH
#undef INSTR
}

template void Machine::run_threaded<true, false>();
template void Machine::run_threaded<true, true>();
template void Machine::run_threaded<false, false>();
template void Machine::run_switch<true, false>();
template void Machine::run_switch<true, true>();
template void Machine::run_switch<false, false>();
}  // namespace stele::emu
