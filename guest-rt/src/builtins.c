/* Compiler support routines. Debian's cross libgcc.a is built for RVC + lp64d and cannot be
 * linked into lp64 objects, so every helper GCC may emit for RV64IM is provided here.
 * 128-bit values are handled through explicit 64-bit halves so that no routine can lower into
 * a call to itself. Verified against the host's __int128 by tests/guest-rt. */
#include <stdint.h>

typedef unsigned __int128 u128;
typedef __int128 i128;

static inline uint64_t hi64(u128 x)
{
    return (uint64_t)(x >> 64);
}
static inline uint64_t lo64(u128 x)
{
    return (uint64_t)x;
}
static inline u128 make128(uint64_t hi, uint64_t lo)
{
    return ((u128)hi << 64) | lo;
}

static int clz64(uint64_t x)
{
    if (x == 0)
        return 64;
    int n = 0;
    if (!(x >> 32))
    {
        n += 32;
        x <<= 32;
    }
    if (!(x >> 48))
    {
        n += 16;
        x <<= 16;
    }
    if (!(x >> 56))
    {
        n += 8;
        x <<= 8;
    }
    if (!(x >> 60))
    {
        n += 4;
        x <<= 4;
    }
    if (!(x >> 62))
    {
        n += 2;
        x <<= 2;
    }
    if (!(x >> 63))
    {
        n += 1;
    }
    return n;
}

static int ctz64(uint64_t x)
{
    if (x == 0)
        return 64;
    int n = 0;
    if (!(x & 0xFFFFFFFFu))
    {
        n += 32;
        x >>= 32;
    }
    if (!(x & 0xFFFFu))
    {
        n += 16;
        x >>= 16;
    }
    if (!(x & 0xFFu))
    {
        n += 8;
        x >>= 8;
    }
    if (!(x & 0xFu))
    {
        n += 4;
        x >>= 4;
    }
    if (!(x & 0x3u))
    {
        n += 2;
        x >>= 2;
    }
    if (!(x & 0x1u))
    {
        n += 1;
    }
    return n;
}

static int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((x * 0x0101010101010101ull) >> 56);
}

/* Shifts with a variable amount in [0, 127]. */
static u128 shl128(u128 a, unsigned s)
{
    const uint64_t h = hi64(a), l = lo64(a);
    if (s == 0)
        return a;
    if (s >= 64)
        return make128(l << (s - 64), 0);
    return make128((h << s) | (l >> (64 - s)), l << s);
}

static u128 lshr128(u128 a, unsigned s)
{
    const uint64_t h = hi64(a), l = lo64(a);
    if (s == 0)
        return a;
    if (s >= 64)
        return make128(0, h >> (s - 64));
    return make128(h >> s, (l >> s) | (h << (64 - s)));
}

static i128 ashr128(i128 a, unsigned s)
{
    const int64_t h = (int64_t)hi64((u128)a);
    const uint64_t l = lo64((u128)a);
    if (s == 0)
        return a;
    if (s >= 64)
        return (i128)make128((uint64_t)(h >> 63), (uint64_t)(h >> (s - 64)));
    return (i128)make128((uint64_t)(h >> s), (l >> s) | ((uint64_t)h << (64 - s)));
}

/* Full 64x64 -> 128 product; RV64M's mulhu gives the high half. */
static u128 mul64x64(uint64_t a, uint64_t b)
{
    uint64_t hi;
    __asm__("mulhu %0, %1, %2" : "=r"(hi) : "r"(a), "r"(b));
    return make128(hi, a * b);
}

/* Divides the 128-bit (u1:u0) by v, requiring u1 < v; the quotient fits in 64 bits.
 * Knuth's algorithm D on 32-bit digits (Hacker's Delight, divlu). */
static uint64_t divlu(uint64_t u1, uint64_t u0, uint64_t v, uint64_t* r)
{
    const uint64_t b = 1ull << 32;
    const int s = clz64(v);
    v <<= s;
    const uint64_t vn1 = v >> 32, vn0 = v & 0xFFFFFFFFu;
    const uint64_t un32 = s ? (u1 << s) | (u0 >> (64 - s)) : u1;
    const uint64_t un10 = u0 << s;
    const uint64_t un1 = un10 >> 32, un0 = un10 & 0xFFFFFFFFu;

    uint64_t q1 = un32 / vn1;
    uint64_t rhat = un32 - q1 * vn1;
    while (q1 >= b || q1 * vn0 > b * rhat + un1)
    {
        --q1;
        rhat += vn1;
        if (rhat >= b)
            break;
    }
    const uint64_t un21 = un32 * b + un1 - q1 * v;

    uint64_t q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while (q0 >= b || q0 * vn0 > b * rhat + un0)
    {
        --q0;
        rhat += vn1;
        if (rhat >= b)
            break;
    }
    if (r)
        *r = (un21 * b + un0 - q0 * v) >> s;
    return q1 * b + q0;
}

u128 __udivmodti4(u128 a, u128 b, u128* rem)
{
    const uint64_t ah = hi64(a), al = lo64(a), bh = hi64(b), bl = lo64(b);
    if (bh == 0)
    {
        uint64_t r;
        if (ah < bl)
        {
            const uint64_t q = divlu(ah, al, bl, &r);
            if (rem)
                *rem = r;
            return q;
        }
        const uint64_t qh = ah / bl; /* bl != 0: division by zero is the caller's UB */
        const uint64_t ql = divlu(ah - qh * bl, al, bl, &r);
        if (rem)
            *rem = r;
        return make128(qh, ql);
    }
    if (b > a)
    {
        if (rem)
            *rem = a;
        return 0;
    }
    /* b >= 2^64: the quotient fits in 64 bits. Estimate it from the top 64 bits of the
     * normalized divisor; the estimate is exact or one too large (Hacker's Delight, divlu64). */
    const int n = clz64(bh);
    const uint64_t v1 = hi64(shl128(b, (unsigned)n));
    const u128 a1 = lshr128(a, 1);
    uint64_t q = divlu(hi64(a1), lo64(a1), v1, 0) >> (63 - n);
    if (q != 0)
        --q;
    u128 r = a - (u128)q * b;
    if (r >= b)
    {
        ++q;
        r -= b;
    }
    if (rem)
        *rem = r;
    return q;
}

u128 __udivti3(u128 a, u128 b)
{
    return __udivmodti4(a, b, 0);
}

u128 __umodti3(u128 a, u128 b)
{
    u128 r;
    __udivmodti4(a, b, &r);
    return r;
}

i128 __divti3(i128 a, i128 b)
{
    const int neg = (a < 0) != (b < 0);
    const u128 ua = a < 0 ? -(u128)a : (u128)a;
    const u128 ub = b < 0 ? -(u128)b : (u128)b;
    const u128 q = __udivmodti4(ua, ub, 0);
    return neg ? (i128)(-q) : (i128)q;
}

i128 __modti3(i128 a, i128 b)
{
    const u128 ua = a < 0 ? -(u128)a : (u128)a;
    const u128 ub = b < 0 ? -(u128)b : (u128)b;
    u128 r;
    __udivmodti4(ua, ub, &r);
    return a < 0 ? (i128)(-r) : (i128)r;
}

i128 __divmodti4(i128 a, i128 b, i128* rem)
{
    const i128 q = __divti3(a, b);
    if (rem)
        *rem = a - q * b;
    return q;
}

i128 __multi3(i128 a, i128 b)
{
    const u128 ua = (u128)a, ub = (u128)b;
    u128 p = mul64x64(lo64(ua), lo64(ub));
    const uint64_t cross = lo64(ua) * hi64(ub) + hi64(ua) * lo64(ub);
    return (i128)(p + ((u128)cross << 64));
}

u128 __ashlti3(u128 a, int s)
{
    return shl128(a, (unsigned)s & 127);
}
u128 __lshrti3(u128 a, int s)
{
    return lshr128(a, (unsigned)s & 127);
}
i128 __ashrti3(i128 a, int s)
{
    return ashr128(a, (unsigned)s & 127);
}
i128 __negti2(i128 a)
{
    return (i128)(0 - (u128)a);
}

int __cmpti2(i128 a, i128 b)
{
    return a < b ? 0 : a > b ? 2 : 1;
}
int __ucmpti2(u128 a, u128 b)
{
    return a < b ? 0 : a > b ? 2 : 1;
}

int __clzsi2(uint32_t x)
{
    return clz64(x) - 32;
}
int __clzdi2(uint64_t x)
{
    return clz64(x);
}
int __clzti2(u128 x)
{
    return hi64(x) ? clz64(hi64(x)) : 64 + clz64(lo64(x));
}
int __ctzsi2(uint32_t x)
{
    return x ? ctz64(x) : 32;
}
int __ctzdi2(uint64_t x)
{
    return ctz64(x);
}
int __ctzti2(u128 x)
{
    return lo64(x) ? ctz64(lo64(x)) : 64 + ctz64(hi64(x));
}
int __ffsdi2(uint64_t x)
{
    return x ? ctz64(x) + 1 : 0;
}
int __ffsti2(u128 x)
{
    return x ? __ctzti2(x) + 1 : 0;
}
int __popcountsi2(uint32_t x)
{
    return popcount64(x);
}
int __popcountdi2(uint64_t x)
{
    return popcount64(x);
}
int __popcountti2(u128 x)
{
    return popcount64(hi64(x)) + popcount64(lo64(x));
}
int __paritysi2(uint32_t x)
{
    return popcount64(x) & 1;
}
int __paritydi2(uint64_t x)
{
    return popcount64(x) & 1;
}
int __parityti2(u128 x)
{
    return __popcountti2(x) & 1;
}

uint32_t __bswapsi2(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xFF00u) | ((x << 8) & 0xFF0000u) | (x << 24);
}

uint64_t __bswapdi2(uint64_t x)
{
    /* Swap bytes within halfwords, halfwords within words, then the words: 3 steps of 2 masks
       instead of 8 byte moves. */
    const uint64_t m8 = 0x00FF00FF00FF00FFull, m16 = 0x0000FFFF0000FFFFull;
    x = ((x >> 8) & m8) | ((x & m8) << 8);
    x = ((x >> 16) & m16) | ((x & m16) << 16);
    return (x >> 32) | (x << 32);
}
