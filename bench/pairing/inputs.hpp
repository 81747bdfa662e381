// Benchmark inputs shared by the native benchmarks and the guest instruction counts.
#pragma once

#include <cstring>

#include "stateless/core/hex.hpp"
#include "stateless/crypto/bls12_381.hpp"
#include "stateless/crypto/bn254.hpp"
#include "stateless/crypto/kzg.hpp"
#include "stateless/crypto/pairing_precompiles.hpp"

namespace stele::bench::pairing
{
using namespace stele::crypto;

template <typename J>
inline auto mul_u64(const J& p, uint64_t k)
{
    return p.mul_limbs(ff::Limbs<1>{k});
}

inline void append_padded(bytes& out, const uint8_t* raw, size_t n_fp)
{
    for (size_t i = 0; i < n_fp; ++i)
    {
        out.insert(out.end(), 16, 0);
        out.insert(out.end(), raw + 48 * i, raw + 48 * i + 48);
    }
}

// e(aP, Q) · e(−P, aQ) = 1
inline bytes bn254_two_pairs()
{
    namespace bn = bn254;
    const bn::G1 g1{bn::Fp::from_u64(1), bn::Fp::from_u64(2), false};
    const bn::G2 g2{
        {bn::Fp::from_hex("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"),
            bn::Fp::from_hex("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2")},
        {bn::Fp::from_hex("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
            bn::Fp::from_hex("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")},
        false};
    bytes in(384);
    bn::encode_g1(mul_u64(bn::G1J::from(g1), 0x1234567).to_affine(), in.data());
    bn::encode_g2(g2, in.data() + 64);
    bn::encode_g1(g1.neg(), in.data() + 192);
    bn::encode_g2(mul_u64(bn::G2J::from(g2), 0x1234567).to_affine(), in.data() + 256);
    return in;
}

inline bytes bls_two_pairs()
{
    namespace b = bls12_381;
    uint8_t p[96], q[192];
    bytes in;
    b::encode_g1(mul_u64(b::G1J::from(b::g1_generator()), 0x1234567).to_affine(), p);
    b::encode_g2(b::g2_generator(), q);
    append_padded(in, p, 2);
    append_padded(in, q, 4);
    b::encode_g1(b::g1_generator().neg(), p);
    b::encode_g2(mul_u64(b::G2J::from(b::g2_generator()), 0x1234567).to_affine(), q);
    append_padded(in, p, 2);
    append_padded(in, q, 4);
    return in;
}

inline bytes bls_g1_msm_input(size_t n)
{
    namespace b = bls12_381;
    bytes in;
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; ++i)
    {
        uint8_t p[96];
        b::encode_g1(mul_u64(b::G1J::from(b::g1_generator()), i + 2).to_affine(), p);
        append_padded(in, p, 2);
        for (int k = 0; k < 32; ++k)
        {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            in.push_back(uint8_t(s));
        }
    }
    return in;
}

// A valid opening (commitment, z, y, proof) against the mainnet setup, generated once by
// tests/oracle (kzg_gen: a random degree-3 polynomial).
inline bytes kzg_input()
{
    const auto o = from_hex(
        "95a8a0f3bdbd1485f82459d8bbbefa45ecbbd4f68eb60d18a4cb4aafda170c2b61e31d639cb7133a0025a2da73"
        "ab81"
        "106a24254ac0f81ed8fb62aaa93dea501814bef269377d3ea3bb2edb21035b739864b110e4703c56b12b6387e3"
        "f25"
        "13517db27b3f2cfc1200d3499fe433c911a908f44eda5f308c35f29b40684dc51e1d88afa66cd12d5ad682db46"
        "e04"
        "0b7d6aa2668271f387cc1857898367a8d6386080");
    const bytes& v = *o;
    const auto vh = kzg::versioned_hash(v.data());
    bytes in(192);
    std::memcpy(in.data(), vh.data(), 32);
    std::memcpy(in.data() + 32, v.data() + 48, 64);    // z ‖ y
    std::memcpy(in.data() + 96, v.data(), 48);         // commitment
    std::memcpy(in.data() + 144, v.data() + 112, 48);  // proof
    return in;
}

inline bytes bn254_mul_input()
{
    bytes in(96);
    in[31] = 1;
    in[63] = 2;
    for (int i = 64; i < 96; ++i)
        in[i] = uint8_t(0xa5 ^ i);
    return in;
}

inline bytes bls12_map_fp2_input()
{
    bytes in(128);
    in[63] = 7;
    in[127] = 9;
    return in;
}
}  // namespace stele::bench::pairing
