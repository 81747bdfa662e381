// Evaluates guest-rt's compiler builtins on vectors from the input; the host test compares the
// results with its own __int128 arithmetic. Record: op (1 byte), a (16 bytes LE), b (16 bytes
// LE); result: 16 bytes LE per record.
#include <stele/guest.h>

#include <cstdint>

using u128 = unsigned __int128;
using i128 = __int128;

extern "C"
{
    u128 __udivti3(u128, u128);
    u128 __umodti3(u128, u128);
    i128 __divti3(i128, i128);
    i128 __modti3(i128, i128);
    i128 __multi3(i128, i128);
    u128 __ashlti3(u128, int);
    u128 __lshrti3(u128, int);
    i128 __ashrti3(i128, int);
    int __clzdi2(uint64_t);
    int __ctzdi2(uint64_t);
    int __popcountdi2(uint64_t);
    int __clzti2(u128);
    int __ctzti2(u128);
    int __popcountti2(u128);
    int __paritydi2(uint64_t);
    int __clzsi2(uint32_t);
    int __ctzsi2(uint32_t);
    int __popcountsi2(uint32_t);
    uint32_t __bswapsi2(uint32_t);
    uint64_t __bswapdi2(uint64_t);
    int __cmpti2(i128, i128);
    int __ucmpti2(u128, u128);
}

namespace
{
u128 load(const uint8_t* p)
{
    u128 v = 0;
    for (int i = 15; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

void store(uint8_t* p, u128 v)
{
    for (int i = 0; i < 16; ++i, v >>= 8)
        p[i] = static_cast<uint8_t>(v);
}

u128 eval(uint8_t op, u128 a, u128 b)
{
    const auto sa = static_cast<i128>(a), sb = static_cast<i128>(b);
    const int sh = static_cast<int>(b & 127);
    const auto a64 = static_cast<uint64_t>(a);
    const auto a32 = static_cast<uint32_t>(a);
    switch (op)
    {
        case 0:
            return a / b;  // compiler-emitted __udivti3
        case 1:
            return a % b;  // compiler-emitted __umodti3
        case 2:
            return static_cast<u128>(sa / sb);
        case 3:
            return static_cast<u128>(sa % sb);
        case 4:
            return __udivti3(a, b);
        case 5:
            return __umodti3(a, b);
        case 6:
            return static_cast<u128>(__divti3(sa, sb));
        case 7:
            return static_cast<u128>(__modti3(sa, sb));
        case 8:
            return static_cast<u128>(__multi3(sa, sb));
        case 9:
            return __ashlti3(a, sh);
        case 10:
            return __lshrti3(a, sh);
        case 11:
            return static_cast<u128>(__ashrti3(sa, sh));
        case 12:
            return static_cast<u128>(__clzdi2(a64));
        case 13:
            return static_cast<u128>(__ctzdi2(a64));
        case 14:
            return static_cast<u128>(__popcountdi2(a64));
        case 15:
            return static_cast<u128>(__clzti2(a));
        case 16:
            return static_cast<u128>(__ctzti2(a));
        case 17:
            return static_cast<u128>(__popcountti2(a));
        case 18:
            return static_cast<u128>(__paritydi2(a64));
        case 19:
            return static_cast<u128>(__clzsi2(a32));
        case 20:
            return static_cast<u128>(__ctzsi2(a32));
        case 21:
            return static_cast<u128>(__popcountsi2(a32));
        case 22:
            return __bswapsi2(a32);
        case 23:
            return __bswapdi2(a64);
        case 24:
            return static_cast<u128>(__cmpti2(sa, sb));
        case 25:
            return static_cast<u128>(__ucmpti2(a, b));
        default:
            stele_panic("builtins: unknown op");
    }
}
}  // namespace

int main()
{
    const uint8_t* in = nullptr;
    size_t size = 0;
    read_input(&in, &size);
    if (size % 33 != 0)
        stele_panic("builtins: input is not a whole number of 33-byte records");
    uint8_t buf[16 * 64];
    size_t used = 0;
    for (size_t off = 0; off < size; off += 33)
    {
        store(buf + used, eval(in[off], load(in + off + 1), load(in + off + 17)));
        used += 16;
        if (used == sizeof buf)
        {
            write_output(buf, used);
            used = 0;
        }
    }
    write_output(buf, used);
    return 0;
}
