// BLS12-381: the curve of EIP-2537 (precompiles 0x0b–0x11) and of KZG (EIP-4844, 0x0a).
// Fp with 6 Montgomery limbs, the tower of ff/tower.hpp with ξ = 1 + u.
// G1: y² = x³ + 4 over Fp. G2: the M-type twist y² = x³ + 4ξ over Fp2.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ff/curve.hpp"
#include "ff/tower.hpp"

namespace stele::crypto::bls12_381
{
struct FpParams
{
    static constexpr size_t N = 6;
    static constexpr ff::Limbs<6> MOD = ff::parse_hex<6>(
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffff"
        "ffaaab");
};
using Fp = ff::Fp<FpParams>;
using Fp2 = ff::Fp2<Fp, 1>;
using Fp12 = ff::Fp12<Fp2>;
using G1 = ff::Affine<Fp>;
using G2 = ff::Affine<Fp2>;
using G1J = ff::Jacobian<Fp>;
using G2J = ff::Jacobian<Fp2>;

// Subgroup order r (the BLS_MODULUS of EIP-4844).
inline constexpr ff::Limbs<4> R =
    ff::parse_hex<4>("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");

enum class Status
{
    ok,
    invalid_field_element,  // ≥ p, or nonzero EIP-2537 padding, or bad compression flags
    not_on_curve,
    not_in_subgroup,
};

[[nodiscard]] G1 g1_generator() noexcept;
[[nodiscard]] G2 g2_generator() noexcept;

// Uncompressed 48-byte-per-coordinate encodings (the accelerator layout): G1 x‖y, G2
// x_c0‖x_c1‖y_c0‖y_c1, all zeros for infinity. Decoding checks canonical coordinates and the
// curve equation, and the subgroup when asked.
[[nodiscard]] Status decode_g1(const uint8_t in[96], G1& out, bool subgroup_check) noexcept;
[[nodiscard]] Status decode_g2(const uint8_t in[192], G2& out, bool subgroup_check) noexcept;
void encode_g1(const G1& p, uint8_t out[96]) noexcept;
void encode_g2(const G2& p, uint8_t out[192]) noexcept;

// ZCash compressed G1 (48 bytes), as used by KZG commitments and proofs; checks the subgroup.
[[nodiscard]] Status decompress_g1(const uint8_t in[48], G1& out) noexcept;
void compress_g1(const G1& p, uint8_t out[48]) noexcept;
// ZCash compressed G2 (96 bytes); for checking the embedded trusted-setup constant.
void compress_g2(const G2& p, uint8_t out[96]) noexcept;

[[nodiscard]] bool g1_in_subgroup(const G1& p) noexcept;
[[nodiscard]] bool g2_in_subgroup(const G2& q) noexcept;

[[nodiscard]] Fp12 miller_loop(const G1* p, const G2* q, size_t n) noexcept;
[[nodiscard]] Fp12 final_exponentiation(const Fp12& f) noexcept;
[[nodiscard]] bool pairing_product_is_one(const G1* p, const G2* q, size_t n) noexcept;

// RFC 9380 map_to_curve (simplified SWU + isogeny) followed by clear_cofactor.
[[nodiscard]] G1 map_fp_to_g1(const Fp& u) noexcept;
[[nodiscard]] G2 map_fp2_to_g2(const Fp2& u) noexcept;

// Software implementations with the zkvm_accelerators.h byte layout. False = ZKVM_EFAIL.
[[nodiscard]] bool g1_add(const uint8_t p1[96], const uint8_t p2[96], uint8_t out[96]) noexcept;
[[nodiscard]] bool g2_add(const uint8_t p1[192], const uint8_t p2[192], uint8_t out[192]) noexcept;
// pairs: n × (point ‖ 32-byte big-endian scalar).
[[nodiscard]] bool g1_msm(const uint8_t* pairs, size_t n, uint8_t out[96]) noexcept;
[[nodiscard]] bool g2_msm(const uint8_t* pairs, size_t n, uint8_t out[192]) noexcept;
// pairs: n × (G1 96 bytes ‖ G2 192 bytes).
[[nodiscard]] bool pairing_check(const uint8_t* pairs, size_t n, bool& verified) noexcept;
[[nodiscard]] bool map_fp_to_g1(const uint8_t in[48], uint8_t out[96]) noexcept;
[[nodiscard]] bool map_fp2_to_g2(const uint8_t in[96], uint8_t out[192]) noexcept;
}  // namespace stele::crypto::bls12_381
