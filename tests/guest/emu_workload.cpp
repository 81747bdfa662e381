// The stelevm MIPS workload (bench/emulator): a compute mix close to what a block validator
// does — Keccak-f[1600] (the engine's own), 256-bit modular arithmetic on 64-bit limbs, a
// bytecode interpreter loop with switch dispatch, and memcpy/memcmp — repeated `rounds` times
// (first 4 input bytes, little-endian; default 20). Writes a 32-byte checksum to the output so
// runs under different emulators can be compared.
#include <stele/guest.h>

#include <cstdint>
#include <cstring>
#include <stateless/core/keccak.hpp>

namespace
{
using u64 = uint64_t;
using u128 = unsigned __int128;

struct U256
{
    u64 w[4];
};

// a + b mod 2^256, with carry out.
[[gnu::noinline]] U256 add256(const U256& a, const U256& b, u64& carry)
{
    U256 r;
    u64 c = 0;
    for (int i = 0; i < 4; ++i)
    {
        const u128 s = static_cast<u128>(a.w[i]) + b.w[i] + c;
        r.w[i] = static_cast<u64>(s);
        c = static_cast<u64>(s >> 64);
    }
    carry = c;
    return r;
}

// Low 256 bits of a * b (schoolbook on 64-bit limbs).
[[gnu::noinline]] U256 mul256(const U256& a, const U256& b)
{
    u64 r[4] = {};
    for (int i = 0; i < 4; ++i)
    {
        u64 carry = 0;
        for (int j = 0; i + j < 4; ++j)
        {
            const u128 t = static_cast<u128>(a.w[i]) * b.w[j] + r[i + j] + carry;
            r[i + j] = static_cast<u64>(t);
            carry = static_cast<u64>(t >> 64);
        }
    }
    return {{r[0], r[1], r[2], r[3]}};
}

u64 arith(u64 seed, int n)
{
    U256 x{{seed, seed ^ 0x9E3779B97F4A7C15ull, ~seed, seed * 3}};
    const U256 k{{0xD1B54A32D192ED03ull, 0xABCDEF0123456789ull, 0x1122334455667788ull, 0x42}};
    u64 acc = 0;
    for (int i = 0; i < n; ++i)
    {
        u64 carry = 0;
        x = add256(mul256(x, k), x, carry);
        acc += x.w[3] ^ carry;
    }
    return acc;
}

// A stack bytecode machine; the switch compiles to a jump table (indirect branches).
enum Opc : uint8_t
{
    PUSH,
    ADD,
    MUL,
    XOR,
    DUP,
    SWAP,
    JNZ,
    DEC,
    POP,
    HALT
};

[[gnu::noinline]] u64 interpret(const uint8_t* code, u64 arg)
{
    u64 stack[16];
    int sp = 0;
    size_t pc = 0;
    stack[sp++] = arg;
    for (;;)
    {
        switch (code[pc++])
        {
            case PUSH:
                stack[sp++] = code[pc++];
                break;
            case ADD:
                --sp;
                stack[sp - 1] += stack[sp];
                break;
            case MUL:
                --sp;
                stack[sp - 1] *= stack[sp] | 1;
                break;
            case XOR:
                --sp;
                stack[sp - 1] ^= stack[sp];
                break;
            case DUP:
                stack[sp] = stack[sp - 1];
                ++sp;
                break;
            case SWAP:
            {
                const u64 t = stack[sp - 1];
                stack[sp - 1] = stack[sp - 2];
                stack[sp - 2] = t;
                break;
            }
            case JNZ:
            {
                const uint8_t target = code[pc++];
                if (stack[--sp] != 0)
                    pc = target;
                break;
            }
            case DEC:
                stack[sp - 1] -= 1;
                break;
            case POP:
                --sp;
                break;
            default:
                return stack[sp - 1];
        }
    }
}

// counter acc: loop { acc = (acc * 7 + counter) ^ 0x5A; counter -= 1 } while counter != 0
constexpr uint8_t kProgram[] = {PUSH, 200,  // [acc, counter]
    SWAP, PUSH, 7, MUL,                     // 2: [counter, acc*7]
    SWAP, DUP,                              // [acc*7, counter, counter]
    PUSH, 0, ADD,                           // no-op add, exercises dispatch
    SWAP, POP,                              // [acc*7, counter]
    DUP, PUSH, 0x5A, XOR, POP,              // [acc*7, counter]
    SWAP, PUSH, 1, ADD, SWAP,               // [acc*7+1, counter]
    DEC, DUP, JNZ, 2,                       // loop while counter != 0
    POP, HALT};

u64 memops(uint8_t* a, uint8_t* b, size_t n, u64 seed)
{
    for (size_t i = 0; i < n; ++i)
        a[i] = static_cast<uint8_t>(seed >> (i % 57));
    u64 acc = 0;
    for (size_t off = 0; off < 64; ++off)
    {
        std::memcpy(b + off, a + (off * 7) % 64, n - 64);
        acc += static_cast<u64>(std::memcmp(a, b + off, n - 128) < 0);
        acc += b[off + 3];
    }
    return acc;
}

uint8_t g_a[8192];
uint8_t g_b[8192 + 64];
}  // namespace

int main()
{
    const uint8_t* in = nullptr;
    size_t in_size = 0;
    read_input(&in, &in_size);
    uint32_t rounds = 20;
    if (in_size >= 4)
        std::memcpy(&rounds, in, 4);

    uint64_t state[25] = {};
    u64 acc[4] = {};
    for (uint32_t r = 0; r < rounds; ++r)
    {
        for (int i = 0; i < 2000; ++i)
        {
            state[i % 25] ^= r + static_cast<u64>(i);
            stele::keccakf1600(state);
        }
        acc[0] ^= state[0];
        acc[1] += arith(state[1], 150000);
        for (int i = 0; i < 120; ++i)
            acc[2] += interpret(kProgram, state[2] + static_cast<u64>(i));
        for (u64 k = 0; k < 4; ++k)
            acc[3] += memops(g_a, g_b, sizeof g_a, state[3] + r + k);
    }
    write_output(reinterpret_cast<const uint8_t*>(acc), sizeof acc);
    return 0;
}
