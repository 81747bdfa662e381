#include "bls12_381.hpp"

#include <vector>

#include "bls12_381_map_constants.hpp"
#include "ff/pairing.hpp"

namespace stele::crypto::bls12_381
{
namespace
{
using ff::Twist;

constexpr Fp B1 = Fp::from_u64(4);
constexpr Fp2 B2{Fp::from_u64(4), Fp::from_u64(4)};
constexpr Fp TWO_INV = Fp::from_u64(2).inv();
constexpr ff::FrobeniusTable<Fp2> FROB = ff::make_frobenius_table<Fp2>();

// |x| of the BLS parameter x = −0xd201000000010000.
constexpr uint64_t X_ABS = 0xd201000000010000ull;

// ψ = untwist ∘ Frobenius ∘ twist on the M-type twist.
constexpr Fp2 PSI_X = FROB.g[1][2].inv();
constexpr Fp2 PSI_Y = FROB.g[1][3].inv();

// A primitive cube root of unity in Fp, for σ(x, y) = (βx, y) on G1.
constexpr Fp BETA = []
{
    const auto e = ff::div_small(ff::sub_small(Fp::MOD, 1), 3);
    for (uint64_t w = 2;; ++w)
    {
        const Fp b = Fp::from_u64(w).pow(e);
        if (!b.is_one())
            return b;
    }
}();

constexpr G1 G1_GEN{Fp::from_hex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586"
                                 "c55e83ff97a1aeffb3af00adb22c6bb"),
    Fp::from_hex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40"
                 "caa232946c5e7e1"),
    false};
constexpr G2 G2_GEN{{Fp::from_hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d177"
                                  "0bac0326a805bbefd48056c8c121bdb8"),
                        Fp::from_hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5"
                                     "049334cf11213945d57e5ac7d055d042b7e")},
    {Fp::from_hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289"
                  "e193548608b82801"),
        Fp::from_hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1"
                     "da1aaa9075ff05f79be")},
    false};

G1J mul_x_abs(const G1J& p) noexcept
{
    return p.mul_limbs(ff::Limbs<1>{X_ABS});
}
G2J mul_x_abs(const G2J& p) noexcept
{
    return p.mul_limbs(ff::Limbs<1>{X_ABS});
}

Fp12 exp_by_x(const Fp12& a) noexcept
{
    return ff::cyclotomic_pow(a, X_ABS).conj();  // x < 0
}

bool decode_fp(const uint8_t* in, Fp& out) noexcept
{
    return Fp::from_be(in, out);
}

// ---- hash-to-curve maps (RFC 9380 §6.6.2, §6.6.3, appendix E) ----

template <typename F>
struct SwuParams
{
    F a, b, z;
};

template <typename F>
void map_to_curve_simple_swu(const F& u, const SwuParams<F>& c, F& x, F& y) noexcept
{
    const F zu2 = c.z * u.square();
    const F tv = zu2.square() + zu2;
    const F tv1 = tv.inv();  // inv0: zero stays zero
    F x1;
    if (tv1.is_zero())
        x1 = c.b * (c.z * c.a).inv();
    else
        x1 = (-c.b) * c.a.inv() * (F::one() + tv1);
    const F gx1 = (x1.square() + c.a) * x1 + c.b;
    if (gx1.sqrt(y))
        x = x1;
    else
    {
        x = zu2 * x1;
        const F gx2 = (x.square() + c.a) * x + c.b;
        const bool ok = gx2.sqrt(y);
        (void)ok;  // g(x2) is square whenever g(x1) is not (Z is a non-square)
    }
    if (u.sgn0() != y.sgn0())
        y = -y;
}

template <typename F, size_t K>
F horner(const F (&k)[K], const F& x, bool monic) noexcept
{
    F acc = monic ? F::one() : k[K - 1];
    for (size_t i = monic ? K : K - 1; i-- > 0;)
        acc = acc * x + k[i];
    return acc;
}

template <size_t K>
constexpr void load_fp(Fp (&out)[K], const char* const (&hex)[K]) noexcept
{
    for (size_t i = 0; i < K; ++i)
        out[i] = Fp::from_hex(hex[i]);
}
template <size_t K>
constexpr void load_fp2(Fp2 (&out)[K], const char* const (&hex)[K][2]) noexcept
{
    for (size_t i = 0; i < K; ++i)
        out[i] = Fp2{Fp::from_hex(hex[i][0]), Fp::from_hex(hex[i][1])};
}

struct Iso11
{
    Fp xn[12], xd[10], yn[16], yd[15];
};
constexpr Iso11 ISO11 = []
{
    Iso11 t{};
    load_fp(t.xn, bls12_381_map::ISO11_K1);
    load_fp(t.xd, bls12_381_map::ISO11_K2);
    load_fp(t.yn, bls12_381_map::ISO11_K3);
    load_fp(t.yd, bls12_381_map::ISO11_K4);
    return t;
}();
struct Iso3
{
    Fp2 xn[4], xd[2], yn[4], yd[3];
};
constexpr Iso3 ISO3 = []
{
    Iso3 t{};
    load_fp2(t.xn, bls12_381_map::ISO3_K1);
    load_fp2(t.xd, bls12_381_map::ISO3_K2);
    load_fp2(t.yn, bls12_381_map::ISO3_K3);
    load_fp2(t.yd, bls12_381_map::ISO3_K4);
    return t;
}();

constexpr SwuParams<Fp> SWU_G1{Fp::from_hex("144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981a"
                                            "efd881ac98936f8da0e0f97f5cf428082d584c1d"),
    Fp::from_hex("12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d"
                 "1cc48e98e172be0"),
    Fp::from_u64(11)};
constexpr SwuParams<Fp2> SWU_G2{{Fp::zero(), Fp::from_u64(240)},
    {Fp::from_u64(1012), Fp::from_u64(1012)}, {-Fp::from_u64(2), -Fp::from_u64(1)}};

constexpr uint64_t H_EFF_G1 = 0xd201000000010001ull;

// ψ on Jacobian coordinates (Frobenius is a field automorphism, so it commutes with Z).
G2J psi(const G2J& p) noexcept
{
    return {p.x.conj() * PSI_X, p.y.conj() * PSI_Y, p.z.conj()};
}

G2J mul_by_x(const G2J& p) noexcept
{
    return mul_x_abs(p).neg();  // x < 0
}

// [h_eff]P computed as [x² − x − 1]P + [x − 1]ψ(P) + ψ²(2P) (Budroni–Pintore; RFC 9380
// appendix G.3), equal to the multiplication by h_eff of §8.8.2.
G2J clear_cofactor_g2(const G2J& p) noexcept
{
    const G2J t1 = mul_by_x(p);
    G2J t2 = psi(p);
    G2J t3 = psi(psi(p.dbl()));
    t3 = t3.add(t2.neg());
    t2 = mul_by_x(t1.add(t2));
    t3 = t3.add(t2);
    t3 = t3.add(t1.neg());
    return t3.add(p.neg());
}

void put_zero(uint8_t* out, size_t n) noexcept
{
    for (size_t i = 0; i < n; ++i)
        out[i] = 0;
}
}  // namespace

G1 g1_generator() noexcept
{
    return G1_GEN;
}
G2 g2_generator() noexcept
{
    return G2_GEN;
}

bool g1_in_subgroup(const G1& p) noexcept
{
    // σ(P) = −[x²]P exactly on G1 (Bowe, "Faster subgroup checks for BLS12-381", eprint
    // 2019/814; Scott, eprint 2021/1130).
    if (p.infinity)
        return true;
    const G1J pj = G1J::from(p);
    const G1J x2p = mul_x_abs(mul_x_abs(pj));
    const G1J sigma = G1J::from(G1{p.x * BETA, p.y, false});
    return sigma.equals(x2p.neg());
}

bool g2_in_subgroup(const G2& q) noexcept
{
    // ψ(Q) = [x]Q exactly on G2 (Scott, eprint 2021/1130).
    if (q.infinity)
        return true;
    const G2J xq = mul_x_abs(G2J::from(q)).neg();
    const G2J psi = G2J::from(G2{q.x.conj() * PSI_X, q.y.conj() * PSI_Y, false});
    return psi.equals(xq);
}

Status decode_g1(const uint8_t in[96], G1& out, bool subgroup_check) noexcept
{
    Fp x, y;
    if (!decode_fp(in, x) || !decode_fp(in + 48, y))
        return Status::invalid_field_element;
    if (x.is_zero() && y.is_zero())
    {
        out = G1{};
        return Status::ok;
    }
    out = G1{x, y, false};
    if (!out.on_curve(B1))
        return Status::not_on_curve;
    if (subgroup_check && !g1_in_subgroup(out))
        return Status::not_in_subgroup;
    return Status::ok;
}

Status decode_g2(const uint8_t in[192], G2& out, bool subgroup_check) noexcept
{
    Fp x0, x1, y0, y1;
    if (!decode_fp(in, x0) || !decode_fp(in + 48, x1) || !decode_fp(in + 96, y0) ||
        !decode_fp(in + 144, y1))
        return Status::invalid_field_element;
    const Fp2 x{x0, x1}, y{y0, y1};
    if (x.is_zero() && y.is_zero())
    {
        out = G2{};
        return Status::ok;
    }
    out = G2{x, y, false};
    if (!out.on_curve(B2))
        return Status::not_on_curve;
    if (subgroup_check && !g2_in_subgroup(out))
        return Status::not_in_subgroup;
    return Status::ok;
}

void encode_g1(const G1& p, uint8_t out[96]) noexcept
{
    if (p.infinity)
        return put_zero(out, 96);
    p.x.to_be(out);
    p.y.to_be(out + 48);
}

void encode_g2(const G2& p, uint8_t out[192]) noexcept
{
    if (p.infinity)
        return put_zero(out, 192);
    p.x.c0.to_be(out);
    p.x.c1.to_be(out + 48);
    p.y.c0.to_be(out + 96);
    p.y.c1.to_be(out + 144);
}

Status decompress_g1(const uint8_t in[48], G1& out) noexcept
{
    const uint8_t flags = in[0];
    const bool compressed = (flags & 0x80) != 0;
    const bool infinity = (flags & 0x40) != 0;
    const bool sign = (flags & 0x20) != 0;
    if (!compressed)
        return Status::invalid_field_element;
    uint8_t buf[48];
    for (size_t i = 0; i < 48; ++i)
        buf[i] = in[i];
    buf[0] &= 0x1f;
    if (infinity)
    {
        if (sign)
            return Status::invalid_field_element;
        for (size_t i = 0; i < 48; ++i)
            if (buf[i] != 0)
                return Status::invalid_field_element;
        out = G1{};
        return Status::ok;
    }
    Fp x;
    if (!decode_fp(buf, x))
        return Status::invalid_field_element;
    Fp y;
    if (!(x.square() * x + B1).sqrt(y))
        return Status::not_on_curve;
    if (y.lexicographically_largest() != sign)
        y = -y;
    out = G1{x, y, false};
    return g1_in_subgroup(out) ? Status::ok : Status::not_in_subgroup;
}

void compress_g1(const G1& p, uint8_t out[48]) noexcept
{
    if (p.infinity)
    {
        put_zero(out, 48);
        out[0] = 0xc0;
        return;
    }
    p.x.to_be(out);
    out[0] |= 0x80;
    if (p.y.lexicographically_largest())
        out[0] |= 0x20;
}

void compress_g2(const G2& p, uint8_t out[96]) noexcept
{
    if (p.infinity)
    {
        put_zero(out, 96);
        out[0] = 0xc0;
        return;
    }
    p.x.c1.to_be(out);
    p.x.c0.to_be(out + 48);
    out[0] |= 0x80;
    const bool largest =
        p.y.c1.is_zero() ? p.y.c0.lexicographically_largest() : p.y.c1.lexicographically_largest();
    if (largest)
        out[0] |= 0x20;
}

Fp12 miller_loop(const G1* p, const G2* q, size_t n) noexcept
{
    std::vector<size_t> idx;
    idx.reserve(n);
    for (size_t i = 0; i < n; ++i)
        if (!p[i].infinity && !q[i].infinity)
            idx.push_back(i);
    std::vector<ff::G2Proj<Fp2>> r(idx.size());
    for (size_t k = 0; k < idx.size(); ++k)
        r[k] = {q[idx[k]].x, q[idx[k]].y, Fp2::one()};
    Fp12 f = Fp12::one();
    for (int i = 62; i >= 0; --i)
    {
        if (i != 62)
            f = f.square();
        for (size_t k = 0; k < idx.size(); ++k)
            f = ff::ell<Twist::M>(f, ff::doubling_step<Twist::M>(r[k], B2, TWO_INV), p[idx[k]]);
        if ((X_ABS >> i) & 1)
            for (size_t k = 0; k < idx.size(); ++k)
                f = ff::ell<Twist::M>(f, ff::addition_step<Twist::M>(r[k], q[idx[k]]), p[idx[k]]);
    }
    return f.conj();  // x < 0
}

Fp12 final_exponentiation(const Fp12& f) noexcept
{
    const Fp12 a = ff::final_exp_easy(f, FROB);
    // Hard part: 3·(p⁴ − p² + 1)/r = (x − 1)²·(x + p)·(x² + p² − 1) + 3 (Hayashida–Hayasaka–
    // Teruya, eprint 2020/875). The factor 3 is coprime to r, so "= 1" is unaffected.
    Fp12 t0 = exp_by_x(a) * a.conj();
    t0 = exp_by_x(t0) * t0.conj();
    const Fp12 t1 = exp_by_x(t0) * ff::frobenius(t0, 1, FROB);
    const Fp12 t2 = exp_by_x(exp_by_x(t1)) * ff::frobenius(t1, 2, FROB) * t1.conj();
    return t2 * a.cyclotomic_square() * a;
}

bool pairing_product_is_one(const G1* p, const G2* q, size_t n) noexcept
{
    return final_exponentiation(miller_loop(p, q, n)).is_one();
}

G1 map_fp_to_g1(const Fp& u) noexcept
{
    Fp x, y;
    map_to_curve_simple_swu(u, SWU_G1, x, y);
    const Fp xd = horner(ISO11.xd, x, true);
    const Fp yd = horner(ISO11.yd, x, true);
    if (xd.is_zero() || yd.is_zero())
        return G1{};
    const Fp xn = horner(ISO11.xn, x, false);
    const Fp yn = horner(ISO11.yn, x, false);
    const G1 p{xn * xd.inv(), y * yn * yd.inv(), false};
    return G1J::from(p).mul_limbs(ff::Limbs<1>{H_EFF_G1}).to_affine();
}

G2 map_fp2_to_g2(const Fp2& u) noexcept
{
    Fp2 x, y;
    map_to_curve_simple_swu(u, SWU_G2, x, y);
    const Fp2 xd = horner(ISO3.xd, x, true);
    const Fp2 yd = horner(ISO3.yd, x, true);
    if (xd.is_zero() || yd.is_zero())
        return G2{};
    const Fp2 xn = horner(ISO3.xn, x, false);
    const Fp2 yn = horner(ISO3.yn, x, false);
    const G2 q{xn * xd.inv(), y * yn * yd.inv(), false};
    return clear_cofactor_g2(G2J::from(q)).to_affine();
}

bool g1_add(const uint8_t p1[96], const uint8_t p2[96], uint8_t out[96]) noexcept
{
    G1 a, b;
    if (decode_g1(p1, a, false) != Status::ok || decode_g1(p2, b, false) != Status::ok)
        return false;
    encode_g1(G1J::from(a).add(b).to_affine(), out);
    return true;
}

bool g2_add(const uint8_t p1[192], const uint8_t p2[192], uint8_t out[192]) noexcept
{
    G2 a, b;
    if (decode_g2(p1, a, false) != Status::ok || decode_g2(p2, b, false) != Status::ok)
        return false;
    encode_g2(G2J::from(a).add(b).to_affine(), out);
    return true;
}

bool g1_msm(const uint8_t* pairs, size_t n, uint8_t out[96]) noexcept
{
    std::vector<G1> pts(n);
    std::vector<std::array<uint8_t, 32>> sc(n);
    for (size_t i = 0; i < n; ++i)
    {
        if (decode_g1(pairs + 128 * i, pts[i], true) != Status::ok)
            return false;
        for (size_t j = 0; j < 32; ++j)
            sc[i][j] = pairs[128 * i + 96 + j];
    }
    const auto* scalars = reinterpret_cast<const uint8_t(*)[32]>(sc.data());
    encode_g1(ff::msm(pts.data(), scalars, n).to_affine(), out);
    return true;
}

bool g2_msm(const uint8_t* pairs, size_t n, uint8_t out[192]) noexcept
{
    std::vector<G2> pts(n);
    std::vector<std::array<uint8_t, 32>> sc(n);
    for (size_t i = 0; i < n; ++i)
    {
        if (decode_g2(pairs + 224 * i, pts[i], true) != Status::ok)
            return false;
        for (size_t j = 0; j < 32; ++j)
            sc[i][j] = pairs[224 * i + 192 + j];
    }
    const auto* scalars = reinterpret_cast<const uint8_t(*)[32]>(sc.data());
    encode_g2(ff::msm(pts.data(), scalars, n).to_affine(), out);
    return true;
}

bool pairing_check(const uint8_t* pairs, size_t n, bool& verified) noexcept
{
    std::vector<G1> ps(n);
    std::vector<G2> qs(n);
    for (size_t i = 0; i < n; ++i)
    {
        if (decode_g1(pairs + 288 * i, ps[i], true) != Status::ok ||
            decode_g2(pairs + 288 * i + 96, qs[i], true) != Status::ok)
            return false;
    }
    verified = pairing_product_is_one(ps.data(), qs.data(), n);
    return true;
}

bool map_fp_to_g1(const uint8_t in[48], uint8_t out[96]) noexcept
{
    Fp u;
    if (!decode_fp(in, u))
        return false;
    encode_g1(map_fp_to_g1(u), out);
    return true;
}

bool map_fp2_to_g2(const uint8_t in[96], uint8_t out[192]) noexcept
{
    Fp u0, u1;
    if (!decode_fp(in, u0) || !decode_fp(in + 48, u1))
        return false;
    encode_g2(map_fp2_to_g2(Fp2{u0, u1}), out);
    return true;
}
}  // namespace stele::crypto::bls12_381
