// Checks guest-rt's mem*/str* against byte-at-a-time reference loops at every source and
// destination alignment (0..15) and every length 0..64, including overlapping memmove.
// Exits 0 when all agree; otherwise logs the first failing case and aborts.
#include <stele/guest.h>

#include <cstddef>
#include <cstdint>

extern "C"
{
    void* memcpy(void*, const void*, size_t);
    void* memmove(void*, const void*, size_t);
    void* memset(void*, int, size_t);
    int memcmp(const void*, const void*, size_t);
    size_t strlen(const char*);
    int strcmp(const char*, const char*);
}

namespace
{
constexpr size_t kBuf = 160;
alignas(16) uint8_t g_a[kBuf];
alignas(16) uint8_t g_b[kBuf];
alignas(16) uint8_t g_ref[kBuf];

uint32_t g_seed = 12345;
uint8_t next_byte()
{
    g_seed = g_seed * 1103515245u + 12345u;
    return static_cast<uint8_t>(g_seed >> 16);
}

// The references go through volatile so the compiler cannot turn them into mem* calls.
void ref_move(volatile uint8_t* buf, size_t dst, size_t src, size_t n)
{
    uint8_t tmp[kBuf];
    for (size_t i = 0; i < n; ++i)
        tmp[i] = buf[src + i];
    for (size_t i = 0; i < n; ++i)
        buf[dst + i] = tmp[i];
}

void fill_random(uint8_t* p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = next_byte();
}

bool same(const uint8_t* x, const uint8_t* y, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i])
            return false;
    return true;
}

[[noreturn]] void failure(const char* what, size_t d, size_t s, size_t n)
{
    char msg[96] = "memops: mismatch in ";
    size_t k = 0;
    while (msg[k])
        ++k;
    for (const char* p = what; *p; ++p)
        msg[k++] = *p;
    const size_t vals[3] = {d, s, n};
    for (size_t v : vals)
    {
        msg[k++] = ' ';
        char tmp[20];
        size_t t = 0;
        do
        {
            tmp[t++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v);
        while (t)
            msg[k++] = tmp[--t];
    }
    msg[k] = 0;
    stele_panic(msg);
}

int sign(int x)
{
    return (x > 0) - (x < 0);
}
}  // namespace

int main()
{
    for (size_t d = 0; d < 16; ++d)
        for (size_t s = 0; s < 16; ++s)
            for (size_t n = 0; n <= 64; ++n)
            {
                // memcpy between distinct buffers; bytes around the destination stay untouched.
                fill_random(g_a, kBuf);
                fill_random(g_b, kBuf);
                for (size_t i = 0; i < kBuf; ++i)
                    g_ref[i] = g_b[i];
                for (size_t i = 0; i < n; ++i)
                    g_ref[d + i] = g_a[s + i];
                if (memcpy(g_b + d, g_a + s, n) != g_b + d || !same(g_b, g_ref, kBuf))
                    failure("memcpy", d, s, n);

                // memmove within one buffer, both directions, overlapping or not.
                const size_t offsets[3] = {0, 3, 40};
                for (size_t base : offsets)
                {
                    fill_random(g_a, kBuf);
                    for (size_t i = 0; i < kBuf; ++i)
                        g_ref[i] = g_a[i];
                    ref_move(g_ref, d + base, s, n);
                    if (memmove(g_a + d + base, g_a + s, n) != g_a + d + base ||
                        !same(g_a, g_ref, kBuf))
                        failure("memmove forward", d + base, s, n);
                    fill_random(g_a, kBuf);
                    for (size_t i = 0; i < kBuf; ++i)
                        g_ref[i] = g_a[i];
                    ref_move(g_ref, d, s + base, n);
                    if (memmove(g_a + d, g_a + s + base, n) != g_a + d || !same(g_a, g_ref, kBuf))
                        failure("memmove backward", d, s + base, n);
                }

                // memset
                fill_random(g_a, kBuf);
                for (size_t i = 0; i < kBuf; ++i)
                    g_ref[i] = g_a[i];
                const uint8_t v = next_byte();
                for (size_t i = 0; i < n; ++i)
                    g_ref[d + i] = v;
                if (memset(g_a + d, v | 0x100, n) != g_a + d || !same(g_a, g_ref, kBuf))
                    failure("memset", d, s, n);

                // memcmp: equal, then one differing byte at every position.
                fill_random(g_a, kBuf);
                for (size_t i = 0; i < n; ++i)
                    g_b[s + i] = g_a[d + i];
                if (memcmp(g_a + d, g_b + s, n) != 0)
                    failure("memcmp equal", d, s, n);
                for (size_t pos = 0; pos < n; ++pos)
                {
                    const uint8_t saved = g_b[s + pos];
                    g_b[s + pos] = static_cast<uint8_t>(saved + 1 + next_byte() % 255);
                    const int want = g_a[d + pos] < g_b[s + pos] ? -1 : 1;
                    if (sign(memcmp(g_a + d, g_b + s, n)) != want)
                        failure("memcmp differ", d, s, pos);
                    g_b[s + pos] = saved;
                }
            }

    // strlen / strcmp at every alignment.
    for (size_t d = 0; d < 16; ++d)
        for (size_t n = 0; n <= 64; ++n)
        {
            char* p = reinterpret_cast<char*>(g_a + d);
            for (size_t i = 0; i < n; ++i)
                p[i] = static_cast<char>('a' + next_byte() % 26);
            p[n] = 0;
            if (strlen(p) != n)
                failure("strlen", d, 0, n);
            char* q = reinterpret_cast<char*>(g_b + (15 - d));
            for (size_t i = 0; i <= n; ++i)
                q[i] = p[i];
            if (strcmp(p, q) != 0)
                failure("strcmp", d, 0, n);
        }
    stele_log("memops: all cases agree\n");
    return 0;
}
