#include "sha256.hpp"

#include "../core/accelerators.hpp"

namespace stele::crypto
{
namespace
{
constexpr uint32_t kK[64] = {0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb,
    0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624,
    0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb,
    0xbef9a3f7, 0xc67178f2};

constexpr uint32_t kInit[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr uint32_t rotr(uint32_t x, unsigned s) noexcept
{
    return (x >> s) | (x << (32 - s));
}

void compress(uint32_t st[8], const uint8_t* block) noexcept
{
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
        w[i] = uint32_t{block[4 * i]} << 24 | uint32_t{block[4 * i + 1]} << 16 |
               uint32_t{block[4 * i + 2]} << 8 | block[4 * i + 3];
    for (int i = 16; i < 64; ++i)
    {
        const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    for (int i = 0; i < 64; ++i)
    {
        const uint32_t t1 =
            h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
        const uint32_t t2 =
            (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}
}  // namespace

Sha256::Sha256() noexcept
{
    std::memcpy(m_state, kInit, sizeof m_state);
}

void Sha256::update(bytes_view data) noexcept
{
    const uint8_t* p = data.data();
    size_t n = data.size();
    m_length += n;
    if (m_used)
    {
        const size_t take = n < 64 - m_used ? n : 64 - m_used;
        std::memcpy(m_block + m_used, p, take);
        m_used += take;
        p += take;
        n -= take;
        if (m_used < 64)
            return;
        compress(m_state, m_block);
        m_used = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        compress(m_state, p);
    if (n)
        std::memcpy(m_block, p, n);
    m_used = n;
}

hash256 Sha256::finish() noexcept
{
    const uint64_t bits = m_length * 8;
    m_block[m_used++] = 0x80;
    if (m_used > 56)
    {
        std::memset(m_block + m_used, 0, 64 - m_used);
        compress(m_state, m_block);
        m_used = 0;
    }
    std::memset(m_block + m_used, 0, 56 - m_used);
    for (int i = 0; i < 8; ++i)
        m_block[56 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    compress(m_state, m_block);
    hash256 out;
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j)
            out.bytes[4 * i + j] = static_cast<uint8_t>(m_state[i] >> (24 - 8 * j));
    return out;
}

hash256 sha256_software(bytes_view data) noexcept
{
    Sha256 h;
    h.update(data);
    return h.finish();
}

hash256 sha256(bytes_view data) noexcept
{
#if STELE_ACCELERATED
    zkvm_sha256_hash h;
    if (zkvm_sha256(data.data(), data.size(), &h) != ZKVM_EOK)
        accel_failure("sha256");
    return hash256::from({h.data, 32});
#else
    return sha256_software(data);
#endif
}

hash256 sha256_pair(const hash256& left, const hash256& right) noexcept
{
    uint8_t buf[64];
    std::memcpy(buf, left.bytes, 32);
    std::memcpy(buf + 32, right.bytes, 32);
    return sha256({buf, 64});
}
}  // namespace stele::crypto
