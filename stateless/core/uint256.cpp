// Division and modular arithmetic of uint256: Knuth's Algorithm D on 64-bit limbs.
#include "uint256.hpp"

namespace stele
{
namespace
{
using u128 = unsigned __int128;

[[nodiscard]] constexpr int significant_words(const uint64_t* x, int n) noexcept
{
    while (n > 0 && x[n - 1] == 0)
        --n;
    return n;
}

// Divides u[0..m) by the single word d; returns the remainder, q gets the quotient.
uint64_t divrem_by_word(const uint64_t* u, int m, uint64_t d, uint64_t* q) noexcept
{
    uint64_t rem = 0;
    for (int i = m - 1; i >= 0; --i)
    {
        const u128 cur = (static_cast<u128>(rem) << 64) | u[i];
        q[i] = static_cast<uint64_t>(cur / d);
        rem = static_cast<uint64_t>(cur % d);
    }
    return rem;
}

// General long division: u has m words, v has n >= 2 significant words, m >= n.
// q receives m - n + 1 words, r receives n words. Works on copies normalised in place.
void divrem_knuth(
    const uint64_t* u_in, int m, const uint64_t* v_in, int n, uint64_t* q, uint64_t* r) noexcept
{
    uint64_t un[9]{};  // m + 1 words, m <= 8
    uint64_t vn[4]{};
    const unsigned s = static_cast<unsigned>(__builtin_clzll(v_in[n - 1]));
    for (int i = n - 1; i > 0; --i)
        vn[i] = (v_in[i] << s) | (s ? v_in[i - 1] >> (64 - s) : 0);
    vn[0] = v_in[0] << s;
    un[m] = s ? u_in[m - 1] >> (64 - s) : 0;
    for (int i = m - 1; i > 0; --i)
        un[i] = (u_in[i] << s) | (s ? u_in[i - 1] >> (64 - s) : 0);
    un[0] = u_in[0] << s;

    const uint64_t vtop = vn[n - 1];
    const uint64_t vnext = vn[n - 2];
    for (int j = m - n; j >= 0; --j)
    {
        const u128 num = (static_cast<u128>(un[j + n]) << 64) | un[j + n - 1];
        u128 qhat = num / vtop;
        u128 rhat = num % vtop;
        while (qhat >> 64 != 0 || qhat * vnext > ((rhat << 64) | un[j + n - 2]))
        {
            --qhat;
            rhat += vtop;
            if (rhat >> 64 != 0)
                break;
        }
        // Multiply and subtract.
        uint64_t borrow = 0;
        uint64_t carry = 0;
        for (int i = 0; i < n; ++i)
        {
            const u128 p = qhat * vn[i] + carry;
            carry = static_cast<uint64_t>(p >> 64);
            const uint64_t plo = static_cast<uint64_t>(p);
            const u128 t = static_cast<u128>(un[i + j]) - plo - borrow;
            un[i + j] = static_cast<uint64_t>(t);
            borrow = static_cast<uint64_t>(t >> 64) & 1;
        }
        const u128 t = static_cast<u128>(un[j + n]) - carry - borrow;
        un[j + n] = static_cast<uint64_t>(t);
        uint64_t qw = static_cast<uint64_t>(qhat);
        if ((static_cast<uint64_t>(t >> 64) & 1) != 0)
        {
            // qhat was one too large: add back.
            --qw;
            uint64_t c = 0;
            for (int i = 0; i < n; ++i)
            {
                const u128 s2 = static_cast<u128>(un[i + j]) + vn[i] + c;
                un[i + j] = static_cast<uint64_t>(s2);
                c = static_cast<uint64_t>(s2 >> 64);
            }
            un[j + n] += c;
        }
        q[j] = qw;
    }
    // Denormalise the remainder.
    for (int i = 0; i < n - 1; ++i)
        r[i] = (un[i] >> s) | (s ? un[i + 1] << (64 - s) : 0);
    r[n - 1] = un[n - 1] >> s;
}

// u (mw words) divided by v (4 words); quotient in q (mw words), remainder in r (4 words).
void divrem_words(const uint64_t* u, int mw, const uint64_t* v, uint64_t* q, uint64_t* r) noexcept
{
    for (int i = 0; i < mw; ++i)
        q[i] = 0;
    for (int i = 0; i < 4; ++i)
        r[i] = 0;
    const int n = significant_words(v, 4);
    const int m = significant_words(u, mw);
    if (n == 0)
        return;
    if (m < n)
    {
        for (int i = 0; i < m; ++i)
            r[i] = u[i];
        return;
    }
    if (n == 1)
    {
        r[0] = divrem_by_word(u, m, v[0], q);
        return;
    }
    divrem_knuth(u, m, v, n, q, r);
}
}  // namespace

Div256 udivrem(const uint256& u, const uint256& v) noexcept
{
    Div256 res;
    if (u.fits_u64() && v.fits_u64())
    {
        if (v.w[0] != 0)
        {
            res.quot.w[0] = u.w[0] / v.w[0];
            res.rem.w[0] = u.w[0] % v.w[0];
        }
        return res;
    }
    if (u < v)
    {
        if (!v.is_zero())
            res.rem = u;
        return res;
    }
    divrem_words(u.w, 4, v.w, res.quot.w, res.rem.w);
    return res;
}

uint256 umod512(const uint512& u, const uint256& v) noexcept
{
    uint64_t q[8];
    uint256 r;
    divrem_words(u.w, 8, v.w, q, r.w);
    return r;
}

Div256 sdivrem(const uint256& u, const uint256& v) noexcept
{
    const bool un = (u.w[3] >> 63) != 0;
    const bool vn = (v.w[3] >> 63) != 0;
    const uint256 ua = un ? -u : u;
    const uint256 va = vn ? -v : v;
    Div256 r = udivrem(ua, va);
    if (un != vn)
        r.quot = -r.quot;
    if (un)
        r.rem = -r.rem;
    return r;
}

uint256 addmod(const uint256& a, const uint256& b, const uint256& m) noexcept
{
    if (m.is_zero())
        return {};
    bool carry = false;
    const uint256 s = add_with_carry(a, b, carry);
    if (!carry)
        return udivrem(s, m).rem;
    uint512 wide;
    for (int i = 0; i < 4; ++i)
        wide.w[i] = s.w[i];
    wide.w[4] = 1;
    return umod512(wide, m);
}

uint256 mulmod(const uint256& a, const uint256& b, const uint256& m) noexcept
{
    if (m.is_zero())
        return {};
    return umod512(umul(a, b), m);
}

uint256 exp(uint256 base, uint256 exponent) noexcept
{
    uint256 result{1};
    if (base == uint256{2})
    {
        // 2**e is a single set bit: common in compiled contracts.
        return exponent.fits_u64() && exponent.w[0] < 256 ? shl(uint256{1}, exponent.w[0])
                                                          : uint256{};
    }
    while (!exponent.is_zero())
    {
        if (exponent.w[0] & 1)
            result = result * base;
        base = base * base;
        exponent = shr(exponent, 1);
    }
    return result;
}
}  // namespace stele
