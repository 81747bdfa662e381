// Montgomery multiplication for 4 and 6 limbs with MULX (BMI2) and ADCX/ADOX (ADX) on
// x86-64: two independent carry chains (CF for the high halves, OF for the low halves) let
// the products of a row be accumulated without serialising on one flag. Same CIOS algorithm
// and the same "no final carry word" precondition (top bit of the modulus free) as the
// portable Fp::mont_mul; the result is < 2p and gets the same final conditional subtraction.
// Only compiled on x86-64 hosts, and only used after a runtime CPU check: the RV64IM guest
// and constant evaluation keep the portable C++ path.
#pragma once

#if defined(__x86_64__)

#include <cpuid.h>

#include <cstddef>
#include <cstdint>

namespace stele::crypto::ff::x86
{
[[nodiscard]] inline bool detect_bmi2_adx() noexcept
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0)
        return false;
    constexpr unsigned BMI2 = 1u << 8, ADX = 1u << 19;
    return (ebx & BMI2) != 0 && (ebx & ADX) != 0;
}

// Set during static initialisation. Anything running earlier sees false (zero-initialised)
// and takes the portable path, which gives the same results.
inline const bool HAS_BMI2_ADX = detect_bmi2_adx();

// clang-format off
// One row of t += a·b[i] for i > 0 (b[i] in RDX): low halves into t[j] on the OF chain,
// high halves into t[j+1] on the CF chain.
#define STELE_MULX_STEP(j, tj, tj1)                     \
    "mulxq 8*" #j "(%[a]), %[lo], %[bx]\n\t"            \
    "adoxq %[lo], %[" #tj "]\n\t"                       \
    "adcxq %[bx], %[" #tj1 "]\n\t"
// The last product of a row: its high half plus both carries is the extra top word.
#define STELE_MULX_LAST(j, tj)                          \
    "mulxq 8*" #j "(%[a]), %[lo], %[hi]\n\t"            \
    "adoxq %[lo], %[" #tj "]\n\t"                       \
    "movl $0, %k[lo]\n\t"                               \
    "adcxq %[lo], %[hi]\n\t"                            \
    "adoxq %[lo], %[hi]\n\t"
#define STELE_MULX_ROW_START(i)                         \
    "movq 8*" #i "(%[b]), %%rdx\n\t"                    \
    "xorl %k[lo], %k[lo]\n\t"
// The first row writes t = a·b[0] (one carry chain).
#define STELE_MULX_FIRST(j, tj, tj1)                    \
    "mulxq 8*" #j "(%[a]), %[lo], %[" #tj1 "]\n\t"      \
    "adcxq %[lo], %[" #tj "]\n\t"
// Reduction: m = t[0]·inv, t = (t + m·p) / 2^64. t[0] + lo(m·p[0]) is zero by construction,
// only its carry matters; each t[j−1] = t[j] + hi(m·p[j−1]) + lo(m·p[j]).
#define STELE_MULX_REDUCE_START                         \
    "movq %[t0], %%rdx\n\t"                             \
    "imulq %[inv], %%rdx\n\t"                           \
    "xorl %k[lo], %k[lo]\n\t"                           \
    "mulxq 0(%[q]), %[lo], %[bx]\n\t"                   \
    "adcxq %[t0], %[lo]\n\t"                            \
    "movq %[bx], %[t0]\n\t"
#define STELE_MULX_REDUCE_STEP(j, tj, tjm1)             \
    "adcxq %[" #tj "], %[" #tjm1 "]\n\t"                \
    "mulxq 8*" #j "(%[q]), %[lo], %[" #tj "]\n\t"       \
    "adoxq %[lo], %[" #tjm1 "]\n\t"
#define STELE_MULX_REDUCE_END(tlast)                    \
    "movl $0, %k[lo]\n\t"                               \
    "adcxq %[lo], %[" #tlast "]\n\t"                    \
    "adoxq %[hi], %[" #tlast "]\n\t"

#define STELE_MULX_REDUCE_4                             \
    STELE_MULX_REDUCE_START                             \
    STELE_MULX_REDUCE_STEP(1, t1, t0)                   \
    STELE_MULX_REDUCE_STEP(2, t2, t1)                   \
    STELE_MULX_REDUCE_STEP(3, t3, t2)                   \
    STELE_MULX_REDUCE_END(t3)
#define STELE_MULX_ROW_4(i)                             \
    STELE_MULX_ROW_START(i)                             \
    STELE_MULX_STEP(0, t0, t1)                          \
    STELE_MULX_STEP(1, t1, t2)                          \
    STELE_MULX_STEP(2, t2, t3)                          \
    STELE_MULX_LAST(3, t3)                              \
    STELE_MULX_REDUCE_4

#define STELE_MULX_REDUCE_6                             \
    STELE_MULX_REDUCE_START                             \
    STELE_MULX_REDUCE_STEP(1, t1, t0)                   \
    STELE_MULX_REDUCE_STEP(2, t2, t1)                   \
    STELE_MULX_REDUCE_STEP(3, t3, t2)                   \
    STELE_MULX_REDUCE_STEP(4, t4, t3)                   \
    STELE_MULX_REDUCE_STEP(5, t5, t4)                   \
    STELE_MULX_REDUCE_END(t5)
#define STELE_MULX_ROW_6(i)                             \
    STELE_MULX_ROW_START(i)                             \
    STELE_MULX_STEP(0, t0, t1)                          \
    STELE_MULX_STEP(1, t1, t2)                          \
    STELE_MULX_STEP(2, t2, t3)                          \
    STELE_MULX_STEP(3, t3, t4)                          \
    STELE_MULX_STEP(4, t4, t5)                          \
    STELE_MULX_LAST(5, t5)                              \
    STELE_MULX_REDUCE_6

// The last product of row i of a double-width product: its high half plus both carries
// starts the fresh top word.
#define STELE_MULX_WIDE_LAST(j, tj, tnext)              \
    "mulxq 8*" #j "(%[a]), %[lo], %[" #tnext "]\n\t"    \
    "adoxq %[lo], %[" #tj "]\n\t"                       \
    "movl $0, %k[lo]\n\t"                               \
    "adcxq %[lo], %[" #tnext "]\n\t"                    \
    "adoxq %[lo], %[" #tnext "]\n\t"
// clang-format on

// r = a·b·2^(−64·4) mod p, r < 2p; a, b < 2p.
inline void mont_mul_4(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t q[4],
    uint64_t inv) noexcept
{
    uint64_t t0, t1, t2, t3, hi, lo, bx;
    asm(STELE_MULX_ROW_START(0)            //
        "mulxq 0(%[a]), %[t0], %[t1]\n\t"  //
        STELE_MULX_FIRST(1, t1, t2)        //
        STELE_MULX_FIRST(2, t2, t3)        //
        STELE_MULX_FIRST(3, t3, hi)        //
        "movl $0, %k[lo]\n\t"              //
        "adcxq %[lo], %[hi]\n\t"           //
        STELE_MULX_REDUCE_4                //
            STELE_MULX_ROW_4(1) STELE_MULX_ROW_4(2) STELE_MULX_ROW_4(3)
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [hi] "=&r"(hi),
        [lo] "=&r"(lo), [bx] "=&r"(bx)
        : [a] "r"(a), [b] "r"(b), [q] "r"(q), [inv] "rm"(inv)
        : "rdx", "cc", "memory");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

inline void mont_mul_6(uint64_t r[6], const uint64_t a[6], const uint64_t b[6], const uint64_t q[6],
    uint64_t inv) noexcept
{
    uint64_t t0, t1, t2, t3, t4, t5, hi, lo, bx;
    asm(STELE_MULX_ROW_START(0)            //
        "mulxq 0(%[a]), %[t0], %[t1]\n\t"  //
        STELE_MULX_FIRST(1, t1, t2)        //
        STELE_MULX_FIRST(2, t2, t3)        //
        STELE_MULX_FIRST(3, t3, t4)        //
        STELE_MULX_FIRST(4, t4, t5)        //
        STELE_MULX_FIRST(5, t5, hi)        //
        "movl $0, %k[lo]\n\t"              //
        "adcxq %[lo], %[hi]\n\t"           //
        STELE_MULX_REDUCE_6                //
            STELE_MULX_ROW_6(1) STELE_MULX_ROW_6(2) STELE_MULX_ROW_6(3) STELE_MULX_ROW_6(4)
                STELE_MULX_ROW_6(5)
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [hi] "=&r"(hi), [lo] "=&r"(lo), [bx] "=&r"(bx)
        : [a] "r"(a), [b] "r"(b), [q] "r"(q), [inv] "m"(inv)
        : "rdx", "cc", "memory");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
    r[4] = t4;
    r[5] = t5;
}

// r = a·b in 8 limbs (no reduction); r must not alias a or b. The 5-word window of the row
// being accumulated rotates through t0..t4 as its lowest word is finished. Volatile: the
// result leaves through memory only, and an asm whose outputs are all unused may be dropped.
inline void mul_wide_4(uint64_t r[8], const uint64_t a[4], const uint64_t b[4]) noexcept
{
    uint64_t t0, t1, t2, t3, t4, lo, bx;
    asm volatile(STELE_MULX_ROW_START(0)            //
                 "mulxq 0(%[a]), %[t0], %[t1]\n\t"  //
                 STELE_MULX_FIRST(1, t1, t2)        //
                 STELE_MULX_FIRST(2, t2, t3)        //
                 STELE_MULX_FIRST(3, t3, t4)        //
                 "movl $0, %k[lo]\n\t"              //
                 "adcxq %[lo], %[t4]\n\t"           //
                 "movq %[t0], 8*0(%[r])\n\t"        //
                 STELE_MULX_ROW_START(1)            //
                 STELE_MULX_STEP(0, t1, t2)         //
                 STELE_MULX_STEP(1, t2, t3)         //
                 STELE_MULX_STEP(2, t3, t4)         //
                 STELE_MULX_WIDE_LAST(3, t4, t0)    //
                 "movq %[t1], 8*1(%[r])\n\t"        //
                 STELE_MULX_ROW_START(2)            //
                 STELE_MULX_STEP(0, t2, t3)         //
                 STELE_MULX_STEP(1, t3, t4)         //
                 STELE_MULX_STEP(2, t4, t0)         //
                 STELE_MULX_WIDE_LAST(3, t0, t1)    //
                 "movq %[t2], 8*2(%[r])\n\t"        //
                 STELE_MULX_ROW_START(3)            //
                 STELE_MULX_STEP(0, t3, t4)         //
                 STELE_MULX_STEP(1, t4, t0)         //
                 STELE_MULX_STEP(2, t0, t1)         //
                 STELE_MULX_WIDE_LAST(3, t1, t2)    //
                 "movq %[t3], 8*3(%[r])\n\t"        //
                 "movq %[t4], 8*4(%[r])\n\t"        //
                 "movq %[t0], 8*5(%[r])\n\t"        //
                 "movq %[t1], 8*6(%[r])\n\t"        //
                 "movq %[t2], 8*7(%[r])\n\t"
                 : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
                 [lo] "=&r"(lo), [bx] "=&r"(bx)
                 : [a] "r"(a), [b] "r"(b), [r] "r"(r)
                 : "rdx", "cc", "memory");
}

inline void mul_wide_6(uint64_t r[12], const uint64_t a[6], const uint64_t b[6]) noexcept
{
    uint64_t t0, t1, t2, t3, t4, t5, t6, lo, bx;
    asm volatile(STELE_MULX_ROW_START(0)            //
                 "mulxq 0(%[a]), %[t0], %[t1]\n\t"  //
                 STELE_MULX_FIRST(1, t1, t2)        //
                 STELE_MULX_FIRST(2, t2, t3)        //
                 STELE_MULX_FIRST(3, t3, t4)        //
                 STELE_MULX_FIRST(4, t4, t5)        //
                 STELE_MULX_FIRST(5, t5, t6)        //
                 "movl $0, %k[lo]\n\t"              //
                 "adcxq %[lo], %[t6]\n\t"           //
                 "movq %[t0], 8*0(%[r])\n\t"        //
                 STELE_MULX_ROW_START(1)            //
                 STELE_MULX_STEP(0, t1, t2)         //
                 STELE_MULX_STEP(1, t2, t3)         //
                 STELE_MULX_STEP(2, t3, t4)         //
                 STELE_MULX_STEP(3, t4, t5)         //
                 STELE_MULX_STEP(4, t5, t6)         //
                 STELE_MULX_WIDE_LAST(5, t6, t0)    //
                 "movq %[t1], 8*1(%[r])\n\t"        //
                 STELE_MULX_ROW_START(2)            //
                 STELE_MULX_STEP(0, t2, t3)         //
                 STELE_MULX_STEP(1, t3, t4)         //
                 STELE_MULX_STEP(2, t4, t5)         //
                 STELE_MULX_STEP(3, t5, t6)         //
                 STELE_MULX_STEP(4, t6, t0)         //
                 STELE_MULX_WIDE_LAST(5, t0, t1)    //
                 "movq %[t2], 8*2(%[r])\n\t"        //
                 STELE_MULX_ROW_START(3)            //
                 STELE_MULX_STEP(0, t3, t4)         //
                 STELE_MULX_STEP(1, t4, t5)         //
                 STELE_MULX_STEP(2, t5, t6)         //
                 STELE_MULX_STEP(3, t6, t0)         //
                 STELE_MULX_STEP(4, t0, t1)         //
                 STELE_MULX_WIDE_LAST(5, t1, t2)    //
                 "movq %[t3], 8*3(%[r])\n\t"        //
                 STELE_MULX_ROW_START(4)            //
                 STELE_MULX_STEP(0, t4, t5)         //
                 STELE_MULX_STEP(1, t5, t6)         //
                 STELE_MULX_STEP(2, t6, t0)         //
                 STELE_MULX_STEP(3, t0, t1)         //
                 STELE_MULX_STEP(4, t1, t2)         //
                 STELE_MULX_WIDE_LAST(5, t2, t3)    //
                 "movq %[t4], 8*4(%[r])\n\t"        //
                 STELE_MULX_ROW_START(5)            //
                 STELE_MULX_STEP(0, t5, t6)         //
                 STELE_MULX_STEP(1, t6, t0)         //
                 STELE_MULX_STEP(2, t0, t1)         //
                 STELE_MULX_STEP(3, t1, t2)         //
                 STELE_MULX_STEP(4, t2, t3)         //
                 STELE_MULX_WIDE_LAST(5, t3, t4)    //
                 "movq %[t5], 8*5(%[r])\n\t"        //
                 "movq %[t6], 8*6(%[r])\n\t"        //
                 "movq %[t0], 8*7(%[r])\n\t"        //
                 "movq %[t1], 8*8(%[r])\n\t"        //
                 "movq %[t2], 8*9(%[r])\n\t"        //
                 "movq %[t3], 8*10(%[r])\n\t"       //
                 "movq %[t4], 8*11(%[r])\n\t"
                 : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
                 [t5] "=&r"(t5), [t6] "=&r"(t6), [lo] "=&r"(lo), [bx] "=&r"(bx)
                 : [a] "r"(a), [b] "r"(b), [r] "r"(r)
                 : "rdx", "cc", "memory");
}

// Montgomery reduction of x < p·2^(64N): N reduction steps on the low half (each the
// reduction of mont_mul with a zero extra word), then the high half added: the result is
// (x + m·p)/2^(64N) < 2p.
inline void redc_4(uint64_t r[4], const uint64_t x[8], const uint64_t q[4], uint64_t inv) noexcept
{
    uint64_t t0, t1, t2, t3, hi, lo, bx;
    asm("movq 0(%[x]), %[t0]\n\t"
        "movq 8(%[x]), %[t1]\n\t"
        "movq 16(%[x]), %[t2]\n\t"
        "movq 24(%[x]), %[t3]\n\t"
        "xorl %k[hi], %k[hi]\n\t"  //
        STELE_MULX_REDUCE_4 STELE_MULX_REDUCE_4 STELE_MULX_REDUCE_4 STELE_MULX_REDUCE_4
        "addq 32(%[x]), %[t0]\n\t"
        "adcq 40(%[x]), %[t1]\n\t"
        "adcq 48(%[x]), %[t2]\n\t"
        "adcq 56(%[x]), %[t3]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [hi] "=&r"(hi),
        [lo] "=&r"(lo), [bx] "=&r"(bx)
        : [x] "r"(x), [q] "r"(q), [inv] "rm"(inv)
        : "rdx", "cc", "memory");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
}

inline void redc_6(uint64_t r[6], const uint64_t x[12], const uint64_t q[6], uint64_t inv) noexcept
{
    uint64_t t0, t1, t2, t3, t4, t5, hi, lo, bx;
    asm("movq 0(%[x]), %[t0]\n\t"
        "movq 8(%[x]), %[t1]\n\t"
        "movq 16(%[x]), %[t2]\n\t"
        "movq 24(%[x]), %[t3]\n\t"
        "movq 32(%[x]), %[t4]\n\t"
        "movq 40(%[x]), %[t5]\n\t"
        "xorl %k[hi], %k[hi]\n\t"  //
        STELE_MULX_REDUCE_6 STELE_MULX_REDUCE_6 STELE_MULX_REDUCE_6 STELE_MULX_REDUCE_6
            STELE_MULX_REDUCE_6 STELE_MULX_REDUCE_6
        "addq 48(%[x]), %[t0]\n\t"
        "adcq 56(%[x]), %[t1]\n\t"
        "adcq 64(%[x]), %[t2]\n\t"
        "adcq 72(%[x]), %[t3]\n\t"
        "adcq 80(%[x]), %[t4]\n\t"
        "adcq 88(%[x]), %[t5]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
        [t5] "=&r"(t5), [hi] "=&r"(hi), [lo] "=&r"(lo), [bx] "=&r"(bx)
        : [x] "r"(x), [q] "r"(q), [inv] "m"(inv)
        : "rdx", "cc", "memory");
    r[0] = t0;
    r[1] = t1;
    r[2] = t2;
    r[3] = t3;
    r[4] = t4;
    r[5] = t5;
}

#undef STELE_MULX_STEP
#undef STELE_MULX_LAST
#undef STELE_MULX_WIDE_LAST
#undef STELE_MULX_ROW_START
#undef STELE_MULX_FIRST
#undef STELE_MULX_REDUCE_START
#undef STELE_MULX_REDUCE_STEP
#undef STELE_MULX_REDUCE_END
#undef STELE_MULX_REDUCE_4
#undef STELE_MULX_ROW_4
#undef STELE_MULX_REDUCE_6
#undef STELE_MULX_ROW_6
}  // namespace stele::crypto::ff::x86

#endif
