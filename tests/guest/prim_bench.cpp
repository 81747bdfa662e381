// Guest workload for instruction counting (bench/primitives/guest_counts.sh): input is
// [op u8][count u32 LE]; runs the primitive `count` times on fixed data and writes nothing, so
// the difference between two counts is the cost of the primitive alone.
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/field256.hpp>
#include <stateless/crypto/modexp.hpp>
#include <stateless/crypto/p256.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/trie/trie.hpp>

using namespace stele;

namespace
{
// A valid signature (private key 1 over the message 01 02 .. 20), from libsecp256k1.
constexpr uint8_t kMsg[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

volatile uint64_t g_sink;

uint64_t lcg(uint64_t& s)
{
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return s >> 11;
}
}  // namespace

int main()
{
    const uint8_t* in = nullptr;
    size_t n = 0;
    read_input(&in, &n);
    if (n < 5 + 64)
        stele_panic("prim_bench: input is [op][count u32][sig 64]");
    const uint8_t op = in[0];
    const uint32_t count =
        uint32_t{in[1]} | uint32_t{in[2]} << 8 | uint32_t{in[3]} << 16 | uint32_t{in[4]} << 24;
    const uint8_t* sig = in + 5;
    hash256 msg;
    for (int i = 0; i < 32; ++i)
        msg.bytes[i] = kMsg[i];
    uint64_t seed = 1;
    for (uint32_t it = 0; it < count; ++it)
    {
        switch (op)
        {
            case 1:
            {
                uint64_t st[25] = {it};
                keccakf1600(st);
                g_sink = st[0];
                break;
            }
            case 2:
            {
                const auto pk = crypto::secp256k1_recover(msg, sig, in[5 + 64]);
                g_sink = pk ? pk->bytes[0] : 0;
                break;
            }
            case 3:
            {
                // 100 dependent multiplications on input-derived values (nothing to fold).
                auto a = crypto::ecc::load_be(sig);
                const auto b = crypto::ecc::load_be(sig + 32);
                for (int i = 0; i < 100; ++i)
                    a = crypto::ecc::k1::mul(a, b);
                g_sink = a.v[0] ^ a.v[1] ^ a.v[2] ^ a.v[3];
                break;
            }
            case 4:
            {
                // MPT root of 1,000 random 32-byte keys with 32-byte values.
                trie::Trie t;
                uint8_t k[32], v[32];
                for (int i = 0; i < 1000; ++i)
                {
                    for (int j = 0; j < 32; ++j)
                    {
                        k[j] = static_cast<uint8_t>(lcg(seed));
                        v[j] = static_cast<uint8_t>(lcg(seed));
                    }
                    (void)t.put({k, 32}, {v, 32});
                }
                hash256 r;
                (void)t.root_hash(r);
                g_sink = r.bytes[0];
                break;
            }
            case 5:
            {
                // 256-bit modexp with a 256-bit exponent.
                uint8_t b[32], e[32], m[32];
                for (int j = 0; j < 32; ++j)
                {
                    b[j] = static_cast<uint8_t>(lcg(seed));
                    e[j] = static_cast<uint8_t>(lcg(seed));
                    m[j] = static_cast<uint8_t>(lcg(seed));
                }
                m[31] |= 1;
                bytes out;
                crypto::modexp({b, 32}, {e, 32}, {m, 32}, out);
                g_sink = out[0];
                break;
            }
            default:
                stele_panic("prim_bench: unknown op");
        }
    }
    return 0;
}
