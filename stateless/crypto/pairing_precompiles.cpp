#include "pairing_precompiles.hpp"

#include <array>
#include <cstring>
#include <vector>

#include "../core/accelerators.hpp"
#include "bls12_381.hpp"
#include "bn254.hpp"
#include "kzg.hpp"

namespace stele::crypto
{
namespace
{
// EIP-2537 "G1/G2 MSM" discount tables, [k = 1 .. 128].
constexpr uint16_t G1_DISCOUNT[128] = {1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698,
    692, 687, 682, 677, 673, 669, 665, 661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630,
    627, 625, 623, 621, 619, 617, 615, 613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595,
    593, 592, 591, 589, 588, 586, 585, 584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570,
    569, 568, 567, 566, 565, 564, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551,
    550, 549, 548, 547, 547, 546, 545, 544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535,
    534, 533, 532, 532, 531, 530, 529, 528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520,
    520, 519};
constexpr uint16_t G2_DISCOUNT[128] = {1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749,
    740, 732, 724, 717, 711, 704, 699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649,
    646, 643, 640, 637, 634, 632, 629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604,
    602, 600, 598, 597, 595, 593, 592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575,
    574, 573, 571, 570, 569, 568, 567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554,
    553, 552, 552, 551, 550, 549, 548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538,
    537, 537, 536, 535, 535, 534, 533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525,
    524, 524};

PrecompileResult fail() noexcept
{
    return {};
}

PrecompileResult ok(const uint8_t* out, size_t len)
{
    return {true, bytes(out, out + len)};
}

// EIP-196: inputs shorter than expected are right-padded with zeros, longer ones truncated.
template <size_t N>
std::array<uint8_t, N> padded(bytes_view input) noexcept
{
    std::array<uint8_t, N> a{};
    for (size_t i = 0; i < N && i < input.size(); ++i)
        a[i] = input[i];
    return a;
}

// EIP-2537 field element: 64 bytes, the top 16 must be zero; yields the 48-byte value.
bool unpad_fp(const uint8_t* in, uint8_t* out) noexcept
{
    for (size_t i = 0; i < 16; ++i)
        if (in[i] != 0)
            return false;
    for (size_t i = 0; i < 48; ++i)
        out[i] = in[16 + i];
    return true;
}
bool unpad(const uint8_t* in, size_t n_fp, uint8_t* out) noexcept
{
    for (size_t i = 0; i < n_fp; ++i)
        if (!unpad_fp(in + 64 * i, out + 48 * i))
            return false;
    return true;
}
void pad(const uint8_t* in, size_t n_fp, uint8_t* out) noexcept
{
    for (size_t i = 0; i < n_fp; ++i)
    {
        for (size_t j = 0; j < 16; ++j)
            out[64 * i + j] = 0;
        for (size_t j = 0; j < 48; ++j)
            out[64 * i + 16 + j] = in[48 * i + j];
    }
}
PrecompileResult padded_point(const uint8_t* raw, size_t n_fp)
{
    PrecompileResult r{true, bytes(64 * n_fp)};
    pad(raw, n_fp, r.output.data());
    return r;
}

PrecompileResult bool_word(bool v)
{
    PrecompileResult r{true, bytes(32)};
    r.output[31] = v ? 1 : 0;
    return r;
}

#if STELE_ACCELERATED
template <typename T>
T* as(uint8_t* p) noexcept
{
    return reinterpret_cast<T*>(p);
}
#endif
}  // namespace

uint64_t bls12_g1msm_discount(uint64_t k) noexcept
{
    return k == 0 ? 0 : G1_DISCOUNT[(k > 128 ? 128 : k) - 1];
}
uint64_t bls12_g2msm_discount(uint64_t k) noexcept
{
    return k == 0 ? 0 : G2_DISCOUNT[(k > 128 ? 128 : k) - 1];
}

uint64_t bn254_add_gas(bytes_view) noexcept
{
    return 150;
}
uint64_t bn254_mul_gas(bytes_view) noexcept
{
    return 6000;
}
uint64_t bn254_pairing_gas(bytes_view input) noexcept
{
    return 45000 + 34000 * uint64_t(input.size() / 192);
}
uint64_t kzg_point_evaluation_gas(bytes_view) noexcept
{
    return 50000;
}
uint64_t bls12_g1add_gas(bytes_view) noexcept
{
    return 375;
}
uint64_t bls12_g2add_gas(bytes_view) noexcept
{
    return 600;
}
uint64_t bls12_g1msm_gas(bytes_view input) noexcept
{
    const uint64_t k = input.size() / 160;
    return k * 12000 * bls12_g1msm_discount(k) / 1000;
}
uint64_t bls12_g2msm_gas(bytes_view input) noexcept
{
    const uint64_t k = input.size() / 288;
    return k * 22500 * bls12_g2msm_discount(k) / 1000;
}
uint64_t bls12_pairing_gas(bytes_view input) noexcept
{
    return 32600 * uint64_t(input.size() / 384) + 37700;
}
uint64_t bls12_map_fp_to_g1_gas(bytes_view) noexcept
{
    return 5500;
}
uint64_t bls12_map_fp2_to_g2_gas(bytes_view) noexcept
{
    return 23800;
}

PrecompileResult bn254_add(bytes_view input) noexcept
{
    const auto in = padded<128>(input);
    uint8_t out[64];
#if STELE_ACCELERATED
    zkvm_bn254_g1_point a, b, r;
    std::memcpy(a.data, in.data(), 64);
    std::memcpy(b.data, in.data() + 64, 64);
    if (zkvm_bn254_g1_add(&a, &b, &r) != ZKVM_EOK)
        return fail();
    std::memcpy(out, r.data, 64);
#else
    if (!bn254::g1_add(in.data(), in.data() + 64, out))
        return fail();
#endif
    return ok(out, 64);
}

PrecompileResult bn254_mul(bytes_view input) noexcept
{
    const auto in = padded<96>(input);
    uint8_t out[64];
#if STELE_ACCELERATED
    zkvm_bn254_g1_point a, r;
    zkvm_bn254_scalar s;
    std::memcpy(a.data, in.data(), 64);
    std::memcpy(s.data, in.data() + 64, 32);
    if (zkvm_bn254_g1_mul(&a, &s, &r) != ZKVM_EOK)
        return fail();
    std::memcpy(out, r.data, 64);
#else
    if (!bn254::g1_mul(in.data(), in.data() + 64, out))
        return fail();
#endif
    return ok(out, 64);
}

PrecompileResult bn254_pairing(bytes_view input) noexcept
{
    if (input.size() % 192 != 0)
        return fail();
    const size_t n = input.size() / 192;
    bool verified = false;
#if STELE_ACCELERATED
    std::vector<zkvm_bn254_pairing_pair> pairs(n);
    for (size_t i = 0; i < n; ++i)
    {
        std::memcpy(pairs[i].g1.data, input.data() + 192 * i, 64);
        std::memcpy(pairs[i].g2.data, input.data() + 192 * i + 64, 128);
    }
    if (zkvm_bn254_pairing(pairs.data(), n, &verified) != ZKVM_EOK)
        return fail();
#else
    if (!bn254::pairing_check(input.data(), n, verified))
        return fail();
#endif
    return bool_word(verified);
}

PrecompileResult kzg_point_evaluation(bytes_view input) noexcept
{
    if (input.size() != 192)
        return fail();
    const uint8_t* versioned = input.data();
    const uint8_t* z = input.data() + 32;
    const uint8_t* y = input.data() + 64;
    const uint8_t* commitment = input.data() + 96;
    const uint8_t* proof = input.data() + 144;
    if (!(kzg::versioned_hash(commitment) == hash256::from({versioned, 32})))
        return fail();
    bool verified = false;
#if STELE_ACCELERATED
    zkvm_kzg_commitment c;
    zkvm_kzg_field_element zz, yy;
    zkvm_kzg_proof p;
    std::memcpy(c.data, commitment, 48);
    std::memcpy(zz.data, z, 32);
    std::memcpy(yy.data, y, 32);
    std::memcpy(p.data, proof, 48);
    if (zkvm_kzg_point_eval(&c, &zz, &yy, &p, &verified) != ZKVM_EOK)
        return fail();
#else
    if (kzg::verify_kzg_proof(commitment, z, y, proof, verified) != kzg::Status::ok)
        return fail();
#endif
    if (!verified)
        return fail();
    // FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS, 32 bytes each, big-endian.
    static constexpr uint8_t RESULT[64] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48,
        0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b,
        0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};
    return ok(RESULT, 64);
}

PrecompileResult bls12_g1add(bytes_view input) noexcept
{
    if (input.size() != 256)
        return fail();
    alignas(8) uint8_t raw[192];
    alignas(8) uint8_t out[96];
    if (!unpad(input.data(), 4, raw))
        return fail();
#if STELE_ACCELERATED
    if (zkvm_bls12_g1_add(as<zkvm_bls12_381_g1_point>(raw), as<zkvm_bls12_381_g1_point>(raw + 96),
            as<zkvm_bls12_381_g1_point>(out)) != ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::g1_add(raw, raw + 96, out))
        return fail();
#endif
    return padded_point(out, 2);
}

PrecompileResult bls12_g2add(bytes_view input) noexcept
{
    if (input.size() != 512)
        return fail();
    alignas(8) uint8_t raw[384];
    alignas(8) uint8_t out[192];
    if (!unpad(input.data(), 8, raw))
        return fail();
#if STELE_ACCELERATED
    if (zkvm_bls12_g2_add(as<zkvm_bls12_381_g2_point>(raw), as<zkvm_bls12_381_g2_point>(raw + 192),
            as<zkvm_bls12_381_g2_point>(out)) != ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::g2_add(raw, raw + 192, out))
        return fail();
#endif
    return padded_point(out, 4);
}

PrecompileResult bls12_g1msm(bytes_view input) noexcept
{
    if (input.empty() || input.size() % 160 != 0)
        return fail();
    const size_t n = input.size() / 160;
    // Accelerator layout: n × (96-byte point ‖ 32-byte scalar).
    std::vector<uint64_t> buf(n * 128 / 8);
    auto* pairs = reinterpret_cast<uint8_t*>(buf.data());
    for (size_t i = 0; i < n; ++i)
    {
        if (!unpad(input.data() + 160 * i, 2, pairs + 128 * i))
            return fail();
        std::memcpy(pairs + 128 * i + 96, input.data() + 160 * i + 128, 32);
    }
    alignas(8) uint8_t out[96];
#if STELE_ACCELERATED
    if (zkvm_bls12_g1_msm(
            as<zkvm_bls12_381_g1_msm_pair>(pairs), n, as<zkvm_bls12_381_g1_point>(out)) != ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::g1_msm(pairs, n, out))
        return fail();
#endif
    return padded_point(out, 2);
}

PrecompileResult bls12_g2msm(bytes_view input) noexcept
{
    if (input.empty() || input.size() % 288 != 0)
        return fail();
    const size_t n = input.size() / 288;
    std::vector<uint64_t> buf(n * 224 / 8);
    auto* pairs = reinterpret_cast<uint8_t*>(buf.data());
    for (size_t i = 0; i < n; ++i)
    {
        if (!unpad(input.data() + 288 * i, 4, pairs + 224 * i))
            return fail();
        std::memcpy(pairs + 224 * i + 192, input.data() + 288 * i + 256, 32);
    }
    alignas(8) uint8_t out[192];
#if STELE_ACCELERATED
    if (zkvm_bls12_g2_msm(
            as<zkvm_bls12_381_g2_msm_pair>(pairs), n, as<zkvm_bls12_381_g2_point>(out)) != ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::g2_msm(pairs, n, out))
        return fail();
#endif
    return padded_point(out, 4);
}

PrecompileResult bls12_pairing(bytes_view input) noexcept
{
    if (input.empty() || input.size() % 384 != 0)
        return fail();
    const size_t n = input.size() / 384;
    std::vector<uint64_t> buf(n * 288 / 8);
    auto* pairs = reinterpret_cast<uint8_t*>(buf.data());
    for (size_t i = 0; i < n; ++i)
        if (!unpad(input.data() + 384 * i, 6, pairs + 288 * i))
            return fail();
    bool verified = false;
#if STELE_ACCELERATED
    if (zkvm_bls12_pairing(as<zkvm_bls12_381_pairing_pair>(pairs), n, &verified) != ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::pairing_check(pairs, n, verified))
        return fail();
#endif
    return bool_word(verified);
}

PrecompileResult bls12_map_fp_to_g1(bytes_view input) noexcept
{
    if (input.size() != 64)
        return fail();
    alignas(8) uint8_t raw[48];
    alignas(8) uint8_t out[96];
    if (!unpad(input.data(), 1, raw))
        return fail();
#if STELE_ACCELERATED
    if (zkvm_bls12_map_fp_to_g1(as<zkvm_bls12_381_fp>(raw), as<zkvm_bls12_381_g1_point>(out)) !=
        ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::map_fp_to_g1(raw, out))
        return fail();
#endif
    return padded_point(out, 2);
}

PrecompileResult bls12_map_fp2_to_g2(bytes_view input) noexcept
{
    if (input.size() != 128)
        return fail();
    alignas(8) uint8_t raw[96];
    alignas(8) uint8_t out[192];
    if (!unpad(input.data(), 2, raw))
        return fail();
#if STELE_ACCELERATED
    if (zkvm_bls12_map_fp2_to_g2(as<zkvm_bls12_381_fp2>(raw), as<zkvm_bls12_381_g2_point>(out)) !=
        ZKVM_EOK)
        return fail();
#else
    if (!bls12_381::map_fp2_to_g2(raw, out))
        return fail();
#endif
    return padded_point(out, 4);
}
}  // namespace stele::crypto
