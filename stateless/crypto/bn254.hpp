// BN254 (alt_bn128): the curve of EIP-196 / EIP-197 (precompiles 0x06, 0x07, 0x08).
// Fields: Fp with 4 Montgomery limbs and the tower of ff/tower.hpp with ξ = 9 + u.
// G1: y² = x³ + 3 over Fp. G2: the D-type twist y² = x³ + 3/ξ over Fp2.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ff/curve.hpp"
#include "ff/tower.hpp"

namespace stele::crypto::bn254
{
struct FpParams
{
    static constexpr size_t N = 4;
    static constexpr ff::Limbs<4> MOD =
        ff::parse_hex<4>("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
};
using Fp = ff::Fp<FpParams>;
using Fp2 = ff::Fp2<Fp, 9>;
using Fp12 = ff::Fp12<Fp2>;
using G1 = ff::Affine<Fp>;
using G2 = ff::Affine<Fp2>;
using G1J = ff::Jacobian<Fp>;
using G2J = ff::Jacobian<Fp2>;

// Group order r.
inline constexpr ff::Limbs<4> R =
    ff::parse_hex<4>("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");

enum class Status
{
    ok,
    invalid_field_element,  // a coordinate ≥ p
    not_on_curve,
    not_in_subgroup,
};

// EVM encodings: G1 is x‖y (32 bytes each), G2 is x_im‖x_re‖y_im‖y_re; all zeros is infinity.
[[nodiscard]] Status decode_g1(const uint8_t in[64], G1& out) noexcept;
// Also checks membership in the order-r subgroup.
[[nodiscard]] Status decode_g2(const uint8_t in[128], G2& out) noexcept;
void encode_g1(const G1& p, uint8_t out[64]) noexcept;
void encode_g2(const G2& p, uint8_t out[128]) noexcept;

[[nodiscard]] bool g2_in_subgroup(const G2& q) noexcept;

// Π e(P_i, Q_i) as the product of Miller loops, and the final exponentiation.
[[nodiscard]] Fp12 miller_loop(const G1* p, const G2* q, size_t n) noexcept;
[[nodiscard]] Fp12 final_exponentiation(const Fp12& f) noexcept;

// Software implementations with the zkvm_accelerators.h byte layout (points in EVM encoding).
// Return false where the accelerator returns ZKVM_EFAIL (invalid input).
[[nodiscard]] bool g1_add(const uint8_t p1[64], const uint8_t p2[64], uint8_t out[64]) noexcept;
[[nodiscard]] bool g1_mul(const uint8_t p[64], const uint8_t scalar[32], uint8_t out[64]) noexcept;
// pairs: num_pairs × (G1 64 bytes ‖ G2 128 bytes).
[[nodiscard]] bool pairing_check(const uint8_t* pairs, size_t num_pairs, bool& verified) noexcept;
}  // namespace stele::crypto::bn254
