#include "keccak.hpp"

#include "accelerators.hpp"

namespace stele
{
namespace
{
constexpr uint64_t kRoundConstants[24] = {0x0000000000000001, 0x0000000000008082,
    0x800000000000808a, 0x8000000080008000, 0x000000000000808b, 0x0000000080000001,
    0x8000000080008081, 0x8000000000008009, 0x000000000000008a, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000a, 0x000000008000808b, 0x800000000000008b,
    0x8000000000008089, 0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
    0x000000000000800a, 0x800000008000000a, 0x8000000080008081, 0x8000000000008080,
    0x0000000080000001, 0x8000000080008008};

constexpr uint64_t rotl(uint64_t x, unsigned s) noexcept
{
    return (x << s) | (x >> ((64 - s) & 63));
}

constexpr size_t kRate = 136;  // bytes: 1600 - 2 * 256 bits

inline uint64_t load_le64(const uint8_t* p) noexcept
{
    uint64_t v;
    std::memcpy(&v, p, 8);  // both host and guest are little-endian
    return v;
}
}  // namespace

void keccakf1600(uint64_t st[25]) noexcept
{
    // Lanes kept in locals: a[x + 5y]. Theta, rho+pi, chi, iota per round.
    uint64_t a00 = st[0], a01 = st[1], a02 = st[2], a03 = st[3], a04 = st[4];
    uint64_t a05 = st[5], a06 = st[6], a07 = st[7], a08 = st[8], a09 = st[9];
    uint64_t a10 = st[10], a11 = st[11], a12 = st[12], a13 = st[13], a14 = st[14];
    uint64_t a15 = st[15], a16 = st[16], a17 = st[17], a18 = st[18], a19 = st[19];
    uint64_t a20 = st[20], a21 = st[21], a22 = st[22], a23 = st[23], a24 = st[24];
    for (uint64_t rc : kRoundConstants)
    {
        const uint64_t c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
        const uint64_t c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
        const uint64_t c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
        const uint64_t c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
        const uint64_t c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
        const uint64_t d0 = c4 ^ rotl(c1, 1);
        const uint64_t d1 = c0 ^ rotl(c2, 1);
        const uint64_t d2 = c1 ^ rotl(c3, 1);
        const uint64_t d3 = c2 ^ rotl(c4, 1);
        const uint64_t d4 = c3 ^ rotl(c0, 1);

        // rho and pi: b[y, 2x+3y] = rotl(a[x, y] ^ d[x], r[x, y])
        const uint64_t b00 = a00 ^ d0;
        const uint64_t b10 = rotl(a01 ^ d1, 1);
        const uint64_t b20 = rotl(a02 ^ d2, 62);
        const uint64_t b05 = rotl(a03 ^ d3, 28);
        const uint64_t b15 = rotl(a04 ^ d4, 27);
        const uint64_t b16 = rotl(a05 ^ d0, 36);
        const uint64_t b01 = rotl(a06 ^ d1, 44);
        const uint64_t b11 = rotl(a07 ^ d2, 6);
        const uint64_t b21 = rotl(a08 ^ d3, 55);
        const uint64_t b06 = rotl(a09 ^ d4, 20);
        const uint64_t b07 = rotl(a10 ^ d0, 3);
        const uint64_t b17 = rotl(a11 ^ d1, 10);
        const uint64_t b02 = rotl(a12 ^ d2, 43);
        const uint64_t b12 = rotl(a13 ^ d3, 25);
        const uint64_t b22 = rotl(a14 ^ d4, 39);
        const uint64_t b23 = rotl(a15 ^ d0, 41);
        const uint64_t b08 = rotl(a16 ^ d1, 45);
        const uint64_t b18 = rotl(a17 ^ d2, 15);
        const uint64_t b03 = rotl(a18 ^ d3, 21);
        const uint64_t b13 = rotl(a19 ^ d4, 8);
        const uint64_t b14 = rotl(a20 ^ d0, 18);
        const uint64_t b24 = rotl(a21 ^ d1, 2);
        const uint64_t b09 = rotl(a22 ^ d2, 61);
        const uint64_t b19 = rotl(a23 ^ d3, 56);
        const uint64_t b04 = rotl(a24 ^ d4, 14);

        a00 = b00 ^ (~b01 & b02) ^ rc;
        a01 = b01 ^ (~b02 & b03);
        a02 = b02 ^ (~b03 & b04);
        a03 = b03 ^ (~b04 & b00);
        a04 = b04 ^ (~b00 & b01);
        a05 = b05 ^ (~b06 & b07);
        a06 = b06 ^ (~b07 & b08);
        a07 = b07 ^ (~b08 & b09);
        a08 = b08 ^ (~b09 & b05);
        a09 = b09 ^ (~b05 & b06);
        a10 = b10 ^ (~b11 & b12);
        a11 = b11 ^ (~b12 & b13);
        a12 = b12 ^ (~b13 & b14);
        a13 = b13 ^ (~b14 & b10);
        a14 = b14 ^ (~b10 & b11);
        a15 = b15 ^ (~b16 & b17);
        a16 = b16 ^ (~b17 & b18);
        a17 = b17 ^ (~b18 & b19);
        a18 = b18 ^ (~b19 & b15);
        a19 = b19 ^ (~b15 & b16);
        a20 = b20 ^ (~b21 & b22);
        a21 = b21 ^ (~b22 & b23);
        a22 = b22 ^ (~b23 & b24);
        a23 = b23 ^ (~b24 & b20);
        a24 = b24 ^ (~b20 & b21);
    }
    st[0] = a00, st[1] = a01, st[2] = a02, st[3] = a03, st[4] = a04;
    st[5] = a05, st[6] = a06, st[7] = a07, st[8] = a08, st[9] = a09;
    st[10] = a10, st[11] = a11, st[12] = a12, st[13] = a13, st[14] = a14;
    st[15] = a15, st[16] = a16, st[17] = a17, st[18] = a18, st[19] = a19;
    st[20] = a20, st[21] = a21, st[22] = a22, st[23] = a23, st[24] = a24;
}

hash256 keccak256_software(bytes_view data) noexcept
{
    uint64_t st[25] = {};
    const uint8_t* p = data.data();
    size_t n = data.size();
    while (n >= kRate)
    {
        for (size_t i = 0; i < kRate / 8; ++i)
            st[i] ^= load_le64(p + 8 * i);
        keccakf1600(st);
        p += kRate;
        n -= kRate;
    }
    uint8_t last[kRate] = {};
    if (n)
        std::memcpy(last, p, n);
    last[n] ^= 0x01;
    last[kRate - 1] ^= 0x80;
    for (size_t i = 0; i < kRate / 8; ++i)
        st[i] ^= load_le64(last + 8 * i);
    keccakf1600(st);
    hash256 out;
    std::memcpy(out.bytes, st, 32);
    return out;
}

hash256 keccak256(bytes_view data) noexcept
{
#if STELE_ACCELERATED
    hash256 out;
    zkvm_keccak256_hash h;
    if (zkvm_keccak256(data.data(), data.size(), &h) != ZKVM_EOK)
        accel_failure("keccak256");
    std::memcpy(out.bytes, h.data, 32);
    return out;
#else
    return keccak256_software(data);
#endif
}
}  // namespace stele
