// Exercises stelevm's memory map, traps, limits, regions and profiler from a real guest-rt
// program. The first input byte(s) select the mode (tests/emulator/machine_test.cpp).
#include <stele/guest.h>
#include <stele/zkvm_cost.h>
#include <string.h>
#if defined(STELE_BACKEND_stelevm)
#include <stele/zkvm_accelerators.h>
#endif

namespace
{
const uint8_t* g_input;
size_t g_size;

bool mode(const char* m)
{
    const size_t n = strlen(m);
    return g_size == n && memcmp(g_input, m, n) == 0;
}

// Not inlined, so that the profiler sees the call structure.
[[gnu::noinline]] uint64_t leaf(uint64_t x)
{
    uint64_t h = x;
    for (int i = 0; i < 100; ++i)
        h = h * 6364136223846793005ull + 1442695040888963407ull;
    return h;
}

[[gnu::noinline]] uint64_t middle(uint64_t x)
{
    uint64_t s = 0;
    for (uint64_t i = 0; i < 10; ++i)
        s += leaf(x + i);
    return s;
}

[[gnu::noinline]] uint64_t recurse(volatile uint64_t* p, uint64_t depth)
{
    volatile uint64_t frame[64];
    frame[0] = depth;
    *p = *p + frame[0];
    return depth == 0 ? 0 : recurse(frame, depth - 1) + frame[0];
}

void put_u64(uint64_t v)
{
    write_output(reinterpret_cast<const uint8_t*>(&v), sizeof v);
}
}  // namespace

int main()
{
    read_input(&g_input, &g_size);
    if (mode("profile"))
    {
        uint64_t s = 0;
        {
            stele::CycleRegion outer("outer");
            for (uint64_t k = 0; k < 3; ++k)
            {
                stele::CycleRegion inner("inner");
                s += middle(k);
            }
        }
        put_u64(s);
        return 0;
    }
    if (mode("scopes"))
    {
        // Scope 7 around everything; scope 9 twice inside it, the first with a keccak256 call.
        zkvm_cost_scope_start(7);
        uint64_t s = leaf(1);
        zkvm_cost_scope_start(9);
        s += middle(2);
#if defined(STELE_BACKEND_stelevm)
        uint8_t data[100] = {};
        zkvm_keccak256_hash h;
        if (zkvm_keccak256(data, sizeof data, &h) != ZKVM_EOK)
            return 3;
#endif
        zkvm_cost_scope_end(9);
        zkvm_cost_scope_start(9);
        s += leaf(3);
        zkvm_cost_scope_end(9);
        zkvm_cost_scope_end(7);
        put_u64(s);
        return 0;
    }
    if (mode("scope_mismatch"))
    {
        zkvm_cost_scope_start(1);
        zkvm_cost_scope_end(2);
        return 0;
    }
    if (mode("scope_unclosed"))
    {
        zkvm_cost_scope_start(3);
        return 0;
    }
    if (mode("cycles"))
    {
        const uint64_t a = stele_cycle_count();
        const uint64_t b = stele_cycle_count();
        put_u64(a);
        put_u64(b);
        return 0;
    }
    if (mode("null"))
    {
        uintptr_t addr = 8;
        __asm__ volatile("" : "+r"(addr));  // hide the constant from the optimizer
        return static_cast<int>(*reinterpret_cast<volatile uint64_t*>(addr));
    }
    if (mode("stack"))
    {
        volatile uint64_t sink = 0;
        return static_cast<int>(recurse(&sink, uint64_t{1} << 40));
    }
    if (mode("input_write"))
    {
        *const_cast<uint8_t*>(g_input) = 1;
        return 0;
    }
    if (mode("heap"))
    {
        // Touch 64 MiB of heap, one byte per page.
        const size_t n = size_t{64} << 20;
        auto* p = static_cast<volatile uint8_t*>(__builtin_malloc(n));
        if (!p)
            return 2;
        for (size_t i = 0; i < n; i += 4096)
            p[i] = 1;
        return 0;
    }
    if (mode("exit7"))
        return 7;
    if (mode("loop"))
    {
        volatile uint64_t i = 0;
        for (;;)
            i = i + 1;
    }
    stele_log("emu_probe: unknown mode\n");
    return 1;
}
