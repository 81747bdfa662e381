// The modexp (0x05) gas formulas against an independent exact implementation: the EIP texts
// (EIP-198, EIP-2565, EIP-7883) written with GMP integers straight from the three 32-byte length
// words, no saturation anywhere. Inputs cover the extreme length fields (0, 1, 32, 33, 1024,
// 2^32, 2^63, 2^64 - 1, 2^64, 0x80…00, 2^256 - 1) in every combination, with exponent heads
// of every shape, and random ones.
//
// Ours returns the exact gas, or saturates (UINT64_MAX) where the gas cannot be paid. The
// comparison is exact below 2^62; above, both must be at least 2^62: no call ever has that
// much gas (block gas limits are below 2^30, and EIP-7825 caps a transaction at 2^24).
#include <gmp.h>
#include <gtest/gtest.h>

#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/crypto/precompiles.hpp>
#include <string>
#include <vector>

using namespace stele;
namespace pc = stele::crypto::precompile;

namespace
{
struct Mpz
{
    mpz_t v;
    Mpz()
    {
        mpz_init(v);
    }
    ~Mpz()
    {
        mpz_clear(v);
    }
    Mpz(const Mpz&) = delete;
    Mpz& operator=(const Mpz&) = delete;
};

void read_word(const bytes& in, size_t offset, mpz_t out)
{
    uint8_t w[32] = {};
    for (size_t i = 0; i < 32; ++i)
        if (offset + i < in.size())
            w[i] = in[offset + i];
    mpz_import(out, 32, 1, 1, 1, 0, w);
}

// The exact gas (EIP text) into `gas`.
void reference_gas(const bytes& in, pc::ModexpPricing pricing, mpz_t gas)
{
    Mpz blen, elen, mlen, x, head, adj, cx, t;
    read_word(in, 0, blen.v);
    read_word(in, 32, elen.v);
    read_word(in, 64, mlen.v);
    if (mpz_cmp(blen.v, mlen.v) > 0)
        mpz_set(x.v, blen.v);
    else
        mpz_set(x.v, mlen.v);

    // The first min(elen, 32) bytes of the exponent, read at 96 + blen (zeros past the input).
    const size_t head_len = mpz_cmp_ui(elen.v, 32) < 0 ? mpz_get_ui(elen.v) : 32;
    uint8_t h[32] = {};
    Mpz start;
    mpz_add_ui(start.v, blen.v, 96);
    for (size_t i = 0; i < head_len; ++i)
    {
        Mpz pos;
        mpz_add_ui(pos.v, start.v, i);
        if (mpz_cmp_ui(pos.v, in.size()) < 0)
            h[i] = in[mpz_get_ui(pos.v)];
    }
    mpz_import(head.v, head_len, 1, 1, 1, 0, h);
    const unsigned long head_msb =
        mpz_sgn(head.v) == 0 ? 0 : static_cast<unsigned long>(mpz_sizeinbase(head.v, 2) - 1);

    // adjusted exponent length
    const unsigned long per_byte = pricing == pc::ModexpPricing::eip7883 ? 16 : 8;
    if (mpz_cmp_ui(elen.v, 32) <= 0)
        mpz_set_ui(adj.v, head_msb);
    else
    {
        mpz_sub_ui(adj.v, elen.v, 32);
        mpz_mul_ui(adj.v, adj.v, per_byte);
        mpz_add_ui(adj.v, adj.v, head_msb);
    }
    if (mpz_cmp_ui(adj.v, 1) < 0)
        mpz_set_ui(adj.v, 1);

    switch (pricing)
    {
        case pc::ModexpPricing::eip198:
            // x ≤ 64: x²; ≤ 1024: x²/4 + 96x − 3072; else x²/16 + 480x − 199680.
            mpz_mul(cx.v, x.v, x.v);
            if (mpz_cmp_ui(x.v, 64) > 0 && mpz_cmp_ui(x.v, 1024) <= 0)
            {
                mpz_fdiv_q_ui(cx.v, cx.v, 4);
                mpz_mul_ui(t.v, x.v, 96);
                mpz_add(cx.v, cx.v, t.v);
                mpz_sub_ui(cx.v, cx.v, 3072);
            }
            else if (mpz_cmp_ui(x.v, 1024) > 0)
            {
                mpz_fdiv_q_ui(cx.v, cx.v, 16);
                mpz_mul_ui(t.v, x.v, 480);
                mpz_add(cx.v, cx.v, t.v);
                mpz_sub_ui(cx.v, cx.v, 199680);
            }
            mpz_mul(gas, cx.v, adj.v);
            mpz_fdiv_q_ui(gas, gas, 20);
            break;
        case pc::ModexpPricing::eip2565:
            // words = ceil(x / 8); max(200, words² · iterations / 3)
            mpz_cdiv_q_ui(t.v, x.v, 8);
            mpz_mul(cx.v, t.v, t.v);
            mpz_mul(gas, cx.v, adj.v);
            mpz_fdiv_q_ui(gas, gas, 3);
            if (mpz_cmp_ui(gas, 200) < 0)
                mpz_set_ui(gas, 200);
            break;
        case pc::ModexpPricing::eip7883:
            // x ≤ 32: 16, else 2 · words²; max(500, complexity · iterations)
            if (mpz_cmp_ui(x.v, 32) <= 0)
                mpz_set_ui(cx.v, 16);
            else
            {
                mpz_cdiv_q_ui(t.v, x.v, 8);
                mpz_mul(cx.v, t.v, t.v);
                mpz_mul_ui(cx.v, cx.v, 2);
            }
            mpz_mul(gas, cx.v, adj.v);
            if (mpz_cmp_ui(gas, 500) < 0)
                mpz_set_ui(gas, 500);
            break;
    }
}

void put_word(bytes& in, size_t offset, const std::string& hex64)
{
    const auto w = from_hex(hex64);
    ASSERT_TRUE(w && w->size() == 32) << hex64;
    std::copy(w->begin(), w->end(), in.begin() + static_cast<std::ptrdiff_t>(offset));
}

std::string word_of(uint64_t hi, uint64_t lo_hi, uint64_t lo_lo, uint64_t low)
{
    char buf[65];
    std::snprintf(buf, sizeof buf, "%016llx%016llx%016llx%016llx",
        static_cast<unsigned long long>(hi), static_cast<unsigned long long>(lo_hi),
        static_cast<unsigned long long>(lo_lo), static_cast<unsigned long long>(low));
    return buf;
}

const std::vector<std::string>& extreme_lengths()
{
    static const std::vector<std::string> v = {
        word_of(0, 0, 0, 0),
        word_of(0, 0, 0, 1),
        word_of(0, 0, 0, 31),
        word_of(0, 0, 0, 32),
        word_of(0, 0, 0, 33),
        word_of(0, 0, 0, 64),
        word_of(0, 0, 0, 65),
        word_of(0, 0, 0, 1024),
        word_of(0, 0, 0, 1025),
        word_of(0, 0, 0, uint64_t{1} << 32),
        word_of(0, 0, 0, uint64_t{1} << 63),
        word_of(0, 0, 0, UINT64_MAX - 96),
        word_of(0, 0, 0, UINT64_MAX),
        word_of(0, 0, 1, 0),                  // 2^64
        word_of(uint64_t{1} << 63, 0, 0, 0),  // 0x80…00 = 2^255
        word_of(UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX),
    };
    return v;
}

void expect_same(const bytes& in, pc::ModexpPricing pricing, const char* what)
{
    Mpz ref, cap;
    reference_gas(in, pricing, ref.v);
    mpz_set_ui(cap.v, 1);
    mpz_mul_2exp(cap.v, cap.v, 62);
    const uint64_t ours = pc::modexp_gas(in, pricing);
    if (mpz_cmp(ref.v, cap.v) < 0)
        ASSERT_EQ(ours, mpz_get_ui(ref.v)) << what << " pricing " << static_cast<int>(pricing)
                                           << " input " << to_hex(bytes_view{in.data(), 96});
    else
        ASSERT_GE(ours, uint64_t{1} << 62)
            << what << " pricing " << static_cast<int>(pricing) << " reference "
            << mpz_get_str(nullptr, 10, ref.v) << " input " << to_hex(bytes_view{in.data(), 96});
}

constexpr pc::ModexpPricing kPricings[] = {
    pc::ModexpPricing::eip198, pc::ModexpPricing::eip2565, pc::ModexpPricing::eip7883};
}  // namespace

// The case of issue 12: empty base and modulus, exponent length 0x80…00. EIP-2565 prices the
// zero multiplication complexity at the minimum, 200; EIP-198 at 0; EIP-7883 (complexity 16)
// makes it unpayable.
TEST(ModexpGas, EmptyBaseAndModulusWithHugeExponentLength)
{
    bytes in(96, 0);
    put_word(in, 32, word_of(uint64_t{1} << 63, 0, 0, 0));
    EXPECT_EQ(pc::modexp_gas(in, pc::ModexpPricing::eip2565), 200u);
    EXPECT_EQ(pc::modexp_gas(in, pc::ModexpPricing::eip198), 0u);
    EXPECT_EQ(pc::modexp_gas(in, pc::ModexpPricing::eip7883), UINT64_MAX);
    // And its output is empty (modulus length 0), successfully, before Osaka.
    const auto r = pc::modexp(in, false);
    EXPECT_TRUE(r.success);
    EXPECT_TRUE(r.output.empty());
    for (const auto p : kPricings)
        expect_same(in, p, "issue 12 case");
}

// Every combination of extreme base, exponent and modulus lengths, with an exponent head of
// zeros, 0x01…, 0xff… and a single low bit, input truncated after the lengths or not.
TEST(ModexpGas, ExtremeLengthFieldsMatchGmp)
{
    const auto& lens = extreme_lengths();
    const uint8_t heads[] = {0x00, 0x01, 0x80, 0xff};
    size_t cases = 0;
    for (const auto& b : lens)
        for (const auto& e : lens)
            for (const auto& m : lens)
                for (const uint8_t head : heads)
                    for (const bool tail : {false, true})
                    {
                        bytes in(96, 0);
                        put_word(in, 0, b);
                        put_word(in, 32, e);
                        put_word(in, 64, m);
                        if (tail)
                        {
                            // 64 bytes after the lengths: where a short base ends and the
                            // exponent head begins.
                            for (size_t i = 0; i < 64; ++i)
                                in.push_back(i % 7 == 0 ? head : static_cast<uint8_t>(head >> 1));
                        }
                        for (const auto p : kPricings)
                            expect_same(in, p, "extreme");
                        ++cases;
                    }
    EXPECT_EQ(cases, 16u * 16 * 16 * 4 * 2);
}

// Random small and medium lengths with random exponents: exact agreement throughout.
TEST(ModexpGas, RandomInputsMatchGmp)
{
    std::mt19937_64 rng{0x5eed0005};
    for (int i = 0; i < 20000; ++i)
    {
        const auto len = [&]() -> uint64_t
        {
            switch (rng() % 4)
            {
                case 0:
                    return rng() % 33;
                case 1:
                    return rng() % 130;
                case 2:
                    return rng() % 2000;
                default:
                    return rng() % (uint64_t{1} << 40);
            }
        };
        const uint64_t bl = len(), el = len(), ml = len();
        bytes in(96, 0);
        put_word(in, 0, word_of(0, 0, 0, bl));
        put_word(in, 32, word_of(0, 0, 0, el));
        put_word(in, 64, word_of(0, 0, 0, ml));
        const size_t body = rng() % 200;
        for (size_t k = 0; k < body; ++k)
            in.push_back(static_cast<uint8_t>(rng() >> (rng() % 56)));
        for (const auto p : kPricings)
            expect_same(in, p, "random");
    }
}
