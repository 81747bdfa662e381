#include "bn254.hpp"

#include <vector>

#include "ff/pairing.hpp"

namespace stele::crypto::bn254
{
namespace
{
using ff::Twist;

constexpr Fp2 XI{Fp::from_u64(9), Fp::from_u64(1)};
// The twist's constant b' = 3/ξ.
constexpr Fp2 B2 = Fp2{Fp::from_u64(3), Fp::zero()} * XI.inv();
constexpr Fp B1 = Fp::from_u64(3);
constexpr Fp TWO_INV = Fp::from_u64(2).inv();
constexpr ff::FrobeniusTable<Fp2> FROB = ff::make_frobenius_table<Fp2>();

// The BN parameter x (u in EIP-197's literature), positive for BN254.
constexpr uint64_t X = 4965661367192848881ull;

// Non-adjacent form of the optimal-ate loop count 6x + 2, least significant digit first.
struct Naf
{
    int8_t d[72];
    size_t len;
};
constexpr Naf ATE_NAF = []
{
    Naf n{};
    ff::u128 v = ff::u128(X) * 6 + 2;
    while (v != 0)
    {
        if (v & 1)
        {
            const int8_t z = int8_t(2 - int(v & 3));
            n.d[n.len] = z;
            v = z == 1 ? v - 1 : v + 1;
        }
        else
            n.d[n.len] = 0;
        v >>= 1;
        ++n.len;
    }
    return n;
}();

// π(Q) on the twist: the p-power Frobenius of E(Fp12) pulled back to E'.
G2 frobenius_twist(const G2& q) noexcept
{
    return {q.x.conj() * FROB.g[1][2], q.y.conj() * FROB.g[1][3], q.infinity};
}

bool decode_fp(const uint8_t* in, Fp& out) noexcept
{
    return Fp::from_be(in, out);
}

Fp12 exp_by_x(const Fp12& a) noexcept
{
    return ff::cyclotomic_pow(a, X);
}
}  // namespace

Status decode_g1(const uint8_t in[64], G1& out) noexcept
{
    Fp x, y;
    if (!decode_fp(in, x) || !decode_fp(in + 32, y))
        return Status::invalid_field_element;
    if (x.is_zero() && y.is_zero())
    {
        out = G1{};
        return Status::ok;
    }
    out = G1{x, y, false};
    return out.on_curve(B1) ? Status::ok : Status::not_on_curve;
}

Status decode_g2(const uint8_t in[128], G2& out) noexcept
{
    Fp xi, xr, yi, yr;
    if (!decode_fp(in, xi) || !decode_fp(in + 32, xr) || !decode_fp(in + 64, yi) ||
        !decode_fp(in + 96, yr))
        return Status::invalid_field_element;
    const Fp2 x{xr, xi}, y{yr, yi};
    if (x.is_zero() && y.is_zero())
    {
        out = G2{};
        return Status::ok;
    }
    out = G2{x, y, false};
    if (!out.on_curve(B2))
        return Status::not_on_curve;
    return g2_in_subgroup(out) ? Status::ok : Status::not_in_subgroup;
}

void encode_g1(const G1& p, uint8_t out[64]) noexcept
{
    if (p.infinity)
    {
        for (size_t i = 0; i < 64; ++i)
            out[i] = 0;
        return;
    }
    p.x.to_be(out);
    p.y.to_be(out + 32);
}

void encode_g2(const G2& p, uint8_t out[128]) noexcept
{
    if (p.infinity)
    {
        for (size_t i = 0; i < 128; ++i)
            out[i] = 0;
        return;
    }
    p.x.c1.to_be(out);
    p.x.c0.to_be(out + 32);
    p.y.c1.to_be(out + 64);
    p.y.c0.to_be(out + 96);
}

bool g2_in_subgroup(const G2& q) noexcept
{
    // For BN curves, Q ∈ G2 iff [x+1]Q + ψ([x]Q) + ψ²([x]Q) = ψ³([2x]Q) (El Housni–Guillevic–
    // Piellard, "Co-factor clearing and subgroup membership testing on pairing-friendly
    // curves", eprint 2022/352, §5); one 63-bit multiplication instead of [r]Q.
    if (q.infinity)
        return true;
    auto psi = [](const G2J& p) {
        return G2J{p.x.conj() * FROB.g[1][2], p.y.conj() * FROB.g[1][3], p.z.conj()};
    };
    const G2J qj = G2J::from(q);
    const G2J xq = qj.mul_limbs(ff::Limbs<1>{X});
    const G2J psi_xq = psi(xq);
    const G2J lhs = xq.add(q).add(psi_xq).add(psi(psi_xq));
    const G2J rhs = psi(psi(psi(xq.dbl())));
    return lhs.equals(rhs);
}

Fp12 miller_loop(const G1* p, const G2* q, size_t n) noexcept
{
    std::vector<size_t> idx;
    idx.reserve(n);
    for (size_t i = 0; i < n; ++i)
        if (!p[i].infinity && !q[i].infinity)
            idx.push_back(i);
    std::vector<ff::G2Proj<Fp2>> r(idx.size());
    std::vector<G2> negq(idx.size());
    for (size_t k = 0; k < idx.size(); ++k)
    {
        const G2& qi = q[idx[k]];
        r[k] = {qi.x, qi.y, Fp2::one()};
        negq[k] = qi.neg();
    }
    Fp12 f = Fp12::one();
    for (size_t i = ATE_NAF.len - 1; i-- > 0;)
    {
        if (i != ATE_NAF.len - 2)
            f = f.square();
        for (size_t k = 0; k < idx.size(); ++k)
            f = ff::ell<Twist::D>(f, ff::doubling_step<Twist::D>(r[k], B2, TWO_INV), p[idx[k]]);
        const int8_t bit = ATE_NAF.d[i];
        if (bit != 0)
            for (size_t k = 0; k < idx.size(); ++k)
                f = ff::ell<Twist::D>(f,
                    ff::addition_step<Twist::D>(r[k], bit == 1 ? q[idx[k]] : negq[k]), p[idx[k]]);
    }
    for (size_t k = 0; k < idx.size(); ++k)
    {
        const G2 q1 = frobenius_twist(q[idx[k]]);
        const G2 q2 = frobenius_twist(q1).neg();
        f = ff::ell<Twist::D>(f, ff::addition_step<Twist::D>(r[k], q1), p[idx[k]]);
        f = ff::ell<Twist::D>(f, ff::addition_step<Twist::D>(r[k], q2), p[idx[k]]);
    }
    return f;
}

Fp12 final_exponentiation(const Fp12& f) noexcept
{
    const Fp12 a = ff::final_exp_easy(f, FROB);
    // Hard part (p⁴ − p² + 1)/r with the addition chain of Scott et al., "On the final
    // exponentiation for calculating pairings on ordinary elliptic curves" (eprint 2008/490).
    const Fp12 fx = exp_by_x(a);
    const Fp12 fx2 = exp_by_x(fx);
    const Fp12 fx3 = exp_by_x(fx2);
    const Fp12 y0 =
        ff::frobenius(a, 1, FROB) * ff::frobenius(a, 2, FROB) * ff::frobenius(a, 3, FROB);
    const Fp12 y1 = a.conj();
    const Fp12 y2 = ff::frobenius(fx2, 2, FROB);
    const Fp12 y3 = ff::frobenius(fx, 1, FROB).conj();
    const Fp12 y4 = (fx * ff::frobenius(fx2, 1, FROB)).conj();
    const Fp12 y5 = fx2.conj();
    const Fp12 y6 = (fx3 * ff::frobenius(fx3, 1, FROB)).conj();
    Fp12 t0 = y6.cyclotomic_square() * y4 * y5;
    Fp12 t1 = y3 * y5 * t0;
    t0 = t0 * y2;
    t1 = (t1.cyclotomic_square() * t0).cyclotomic_square();
    t0 = t1 * y1;
    t1 = t1 * y0;
    return t0.cyclotomic_square() * t1;
}

bool g1_add(const uint8_t p1[64], const uint8_t p2[64], uint8_t out[64]) noexcept
{
    G1 a, b;
    if (decode_g1(p1, a) != Status::ok || decode_g1(p2, b) != Status::ok)
        return false;
    encode_g1(G1J::from(a).add(b).to_affine(), out);
    return true;
}

bool g1_mul(const uint8_t p[64], const uint8_t scalar[32], uint8_t out[64]) noexcept
{
    G1 a;
    if (decode_g1(p, a) != Status::ok)
        return false;
    encode_g1(G1J::from(a).mul_be(scalar, 32).to_affine(), out);
    return true;
}

bool pairing_check(const uint8_t* pairs, size_t num_pairs, bool& verified) noexcept
{
    std::vector<G1> ps(num_pairs);
    std::vector<G2> qs(num_pairs);
    for (size_t i = 0; i < num_pairs; ++i)
    {
        if (decode_g1(pairs + 192 * i, ps[i]) != Status::ok ||
            decode_g2(pairs + 192 * i + 64, qs[i]) != Status::ok)
            return false;
    }
    verified = final_exponentiation(miller_loop(ps.data(), qs.data(), num_pairs)).is_one();
    return true;
}
}  // namespace stele::crypto::bn254
