#include "kzg.hpp"

#include "bls12_381.hpp"
#include "sha256.hpp"

namespace stele::crypto::kzg
{
namespace
{
using namespace bls12_381;

// [τ]₂ = KZG_SETUP_G2_MONOMIAL[1] of the EIP-4844 ceremony output (consensus-specs
// presets/mainnet/trusted_setup_4096.json, "g2_monomial"[1], compressed
// 0xb5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f349
// 9f72185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2),
// here decompressed to affine coordinates. tests/pairing checks it against kzg-wasm's copy.
constexpr G2 TAU_G2{{Fp::from_hex("185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b"
                                  "087041de621000edc98edada20c1def2"),
                        Fp::from_hex("15bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac"
                                     "53d2914e5870cb452d2afaaab24f3499f72")},
    {Fp::from_hex("014353bdb96b626dd7d5ee8599d1fca2131569490e28de18e82451a496a9c9794ce26d105941f383"
                  "ee689bfbbb832a99"),
        Fp::from_hex("1666c54b0a32529503432fcae0181b4bef79de09fc63671fda5ed1ba9bfa07899495346f3d7ac"
                     "9cd23048ef30d0a154f")},
    false};

bool below_modulus(const uint8_t v[32]) noexcept
{
    ff::Limbs<4> l{};
    for (size_t i = 0; i < 32; ++i)
        l[(31 - i) / 8] |= uint64_t(v[i]) << (8 * ((31 - i) % 8));
    return ff::less_limbs(l, R);
}
}  // namespace

Status verify_kzg_proof(const uint8_t commitment[48], const uint8_t z[32], const uint8_t y[32],
    const uint8_t proof[48], bool& verified) noexcept
{
    if (!below_modulus(z) || !below_modulus(y))
        return Status::invalid_field_element;
    G1 c, pi;
    if (decompress_g1(commitment, c) != bls12_381::Status::ok)
        return Status::invalid_commitment;
    if (decompress_g1(proof, pi) != bls12_381::Status::ok)
        return Status::invalid_proof;
    // e(C − [y]G1, −G2) · e(π, [τ]G2 − [z]G2) = 1, rearranged by bilinearity so that both
    // scalar multiplications happen in G1:  e(C − [y]G1 + [z]π, −G2) · e(π, [τ]G2) = 1.
    const G1J lhs = G1J::from(c)
                        .add(G1J::from(g1_generator()).mul_be(y, 32).neg())
                        .add(G1J::from(pi).mul_be(z, 32));
    const G1 ps[2] = {lhs.to_affine(), pi};
    const G2 qs[2] = {g2_generator().neg(), TAU_G2};
    verified = pairing_product_is_one(ps, qs, 2);
    return Status::ok;
}

hash256 versioned_hash(const uint8_t commitment[48]) noexcept
{
    hash256 h = sha256(bytes_view{commitment, 48});
    h[0] = 0x01;
    return h;
}

void setup_tau_g2_compressed(uint8_t out[96]) noexcept
{
    compress_g2(TAU_G2, out);
}
}  // namespace stele::crypto::kzg
