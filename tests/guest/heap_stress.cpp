// Allocator stress: a seeded mix of malloc/new/aligned allocations, frees and reallocs of sizes
// from 0 to 256 KiB. Every live block is filled with a tag and checked before it is freed, so
// any overlap or corruption between blocks is caught. Exits 0 when all checks pass.
#include <stele/guest.h>

#include <cstddef>
#include <cstdint>
#include <new>

extern "C"
{
    void* malloc(size_t);
    void free(void*);
    void* realloc(void*, size_t);
    void* calloc(size_t, size_t);
    void* aligned_alloc(size_t, size_t);
}

namespace
{
struct Slot
{
    uint8_t* p = nullptr;
    size_t size = 0;
    uint8_t tag = 0;
    int kind = 0;  // 0 malloc, 1 new[], 2 aligned new
};

constexpr size_t kSlots = 512;
Slot g_slots[kSlots];

uint64_t g_state = 0x9E3779B97F4A7C15ull;
uint64_t next()
{
    g_state ^= g_state << 13;
    g_state ^= g_state >> 7;
    g_state ^= g_state << 17;
    return g_state;
}

void fill(Slot& s)
{
    for (size_t i = 0; i < s.size; ++i)
        s.p[i] = static_cast<uint8_t>(s.tag + i);
}

void check(const Slot& s)
{
    for (size_t i = 0; i < s.size; ++i)
        if (s.p[i] != static_cast<uint8_t>(s.tag + i))
            stele_panic("heap_stress: block contents corrupted");
}

void release(Slot& s)
{
    check(s);
    if (s.kind == 0)
        free(s.p);
    else if (s.kind == 1)
        delete[] s.p;
    else
        operator delete[](s.p, std::align_val_t{256});
    s = {};
}

size_t random_size()
{
    switch (next() % 8)
    {
        case 0:
            return 0;
        case 1:
            return next() % 16;
        case 2:
        case 3:
        case 4:
            return next() % 300;
        case 5:
            return next() % 5000;
        case 6:
            return next() % 70000;
        default:
            return next() % 262144;
    }
}
}  // namespace

int main()
{
    for (int round = 0; round < 40000; ++round)
    {
        Slot& s = g_slots[next() % kSlots];
        if (s.p)
        {
            if (s.kind == 0 && next() % 4 == 0)
            {
                check(s);
                const size_t keep = s.size;
                const size_t n = random_size();
                s.p = static_cast<uint8_t*>(realloc(s.p, n));
                // realloc preserves the common prefix.
                for (size_t i = 0; i < (keep < n ? keep : n); ++i)
                    if (s.p[i] != static_cast<uint8_t>(s.tag + i))
                        stele_panic("heap_stress: realloc lost contents");
                s.size = n;
                fill(s);
            }
            else
                release(s);
            continue;
        }
        s.size = random_size();
        s.tag = static_cast<uint8_t>(next());
        s.kind = static_cast<int>(next() % 3);
        if (s.kind == 0)
            s.p = static_cast<uint8_t*>(next() % 2 ? malloc(s.size) : calloc(1, s.size));
        else if (s.kind == 1)
            s.p = new uint8_t[s.size];
        else
        {
            s.p = static_cast<uint8_t*>(operator new[](s.size, std::align_val_t{256}));
            if (reinterpret_cast<uintptr_t>(s.p) % 256 != 0)
                stele_panic("heap_stress: over-aligned allocation is misaligned");
        }
        if (!s.p)
            stele_panic("heap_stress: allocation returned null");
        if (reinterpret_cast<uintptr_t>(s.p) % 16 != 0)
            stele_panic("heap_stress: allocation is not 16-byte aligned");
        fill(s);
    }
    for (Slot& s : g_slots)
        if (s.p)
            release(s);
    if (stele_heap_used() != 0)
        stele_panic("heap_stress: bytes still accounted as used after freeing everything");
    stele_log("heap_stress: ok\n");
    return 0;
}
