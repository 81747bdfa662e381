#include "modexp.hpp"

#include <vector>

#include "../core/accelerators.hpp"

namespace stele::crypto
{
namespace
{
using u128 = unsigned __int128;
using Limbs = std::vector<uint64_t>;  // little-endian 64-bit limbs

Limbs from_be(bytes_view be)
{
    Limbs r((be.size() + 7) / 8, 0);
    for (size_t i = 0; i < be.size(); ++i)
    {
        const size_t bitpos = 8 * (be.size() - 1 - i);
        r[bitpos / 64] |= static_cast<uint64_t>(be[i]) << (bitpos % 64);
    }
    while (!r.empty() && r.back() == 0)
        r.pop_back();
    return r;
}

void to_be(const Limbs& a, uint8_t* out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        const size_t bitpos = 8 * (n - 1 - i);
        const size_t limb = bitpos / 64;
        out[i] = limb < a.size() ? static_cast<uint8_t>(a[limb] >> (bitpos % 64)) : 0;
    }
}

void trim(Limbs& a)
{
    while (!a.empty() && a.back() == 0)
        a.pop_back();
}

// u mod v (Knuth, TAOCP 4.3.1 algorithm D); v non-empty with v.back() != 0.
Limbs mod(const Limbs& u, const Limbs& v)
{
    const size_t n = v.size();
    if (u.size() < n)
        return u;
    if (n == 1)
    {
        u128 r = 0;
        for (size_t i = u.size(); i-- > 0;)
            r = ((r << 64) | u[i]) % v[0];
        Limbs out{static_cast<uint64_t>(r)};
        trim(out);
        return out;
    }
    const int s = __builtin_clzll(v[n - 1]);
    Limbs vn(n), un(u.size() + 1);
    for (size_t i = n - 1; i > 0; --i)
        vn[i] = (v[i] << s) | (s ? v[i - 1] >> (64 - s) : 0);
    vn[0] = v[0] << s;
    un[u.size()] = s ? u[u.size() - 1] >> (64 - s) : 0;
    for (size_t i = u.size() - 1; i > 0; --i)
        un[i] = (u[i] << s) | (s ? u[i - 1] >> (64 - s) : 0);
    un[0] = u[0] << s;

    const size_t m = u.size() - n;
    for (size_t j = m + 1; j-- > 0;)
    {
        const u128 num = (static_cast<u128>(un[j + n]) << 64) | un[j + n - 1];
        u128 qhat = num / vn[n - 1];
        u128 rhat = num % vn[n - 1];
        while (qhat >> 64 || qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2]))
        {
            --qhat;
            rhat += vn[n - 1];
            if (rhat >> 64)
                break;
        }
        // un[j .. j+n] -= qhat * vn
        uint64_t borrow = 0, carry = 0;
        for (size_t i = 0; i < n; ++i)
        {
            const u128 p = qhat * vn[i] + carry;
            carry = static_cast<uint64_t>(p >> 64);
            const uint64_t pl = static_cast<uint64_t>(p);
            const uint64_t t = un[i + j] - pl - borrow;
            borrow = (un[i + j] < pl) || (un[i + j] - pl < borrow);
            un[i + j] = t;
        }
        const uint64_t t = un[j + n] - carry - borrow;
        const bool negative = (un[j + n] < carry) || (un[j + n] - carry < borrow);
        un[j + n] = t;
        if (negative)
        {
            // qhat was one too large: add v back.
            uint64_t c = 0;
            for (size_t i = 0; i < n; ++i)
            {
                const u128 sum = static_cast<u128>(un[i + j]) + vn[i] + c;
                un[i + j] = static_cast<uint64_t>(sum);
                c = static_cast<uint64_t>(sum >> 64);
            }
            un[j + n] += c;
        }
    }
    Limbs r(n);
    for (size_t i = 0; i < n; ++i)
        r[i] = (un[i] >> s) | (s && i + 1 < un.size() ? un[i + 1] << (64 - s) : 0);
    trim(r);
    return r;
}

Limbs mul(const Limbs& a, const Limbs& b)
{
    if (a.empty() || b.empty())
        return {};
    Limbs r(a.size() + b.size(), 0);
    for (size_t i = 0; i < a.size(); ++i)
    {
        uint64_t carry = 0;
        for (size_t j = 0; j < b.size(); ++j)
        {
            const u128 t = static_cast<u128>(a[i]) * b[j] + r[i + j] + carry;
            r[i + j] = static_cast<uint64_t>(t);
            carry = static_cast<uint64_t>(t >> 64);
        }
        r[i + b.size()] = carry;
    }
    trim(r);
    return r;
}

// Montgomery arithmetic modulo an odd m of n limbs, R = 2^(64n).
class Montgomery
{
public:
    explicit Montgomery(const Limbs& m) : m_m{m}, m_n{m.size()}, m_t(m.size() + 2)
    {
        // -m^-1 mod 2^64 by Newton iteration (m odd).
        uint64_t inv = 1;
        for (int i = 0; i < 6; ++i)
            inv *= 2 - m[0] * inv;
        m_n0 = ~inv + 1;
        Limbs r2(2 * m_n + 1, 0);
        r2[2 * m_n] = 1;
        m_r2 = mod(r2, m);
        m_r2.resize(m_n, 0);
    }

    // r = a * b / R mod m; a, b, r have n limbs and are < m. r may alias a or b.
    void mul(const uint64_t* a, const uint64_t* b, uint64_t* r)
    {
        const size_t n = m_n;
        uint64_t* t = m_t.data();
        std::fill(m_t.begin(), m_t.end(), 0);
        for (size_t i = 0; i < n; ++i)
        {
            uint64_t carry = 0;
            const uint64_t bi = b[i];
            for (size_t j = 0; j < n; ++j)
            {
                const u128 x = static_cast<u128>(a[j]) * bi + t[j] + carry;
                t[j] = static_cast<uint64_t>(x);
                carry = static_cast<uint64_t>(x >> 64);
            }
            u128 x = static_cast<u128>(t[n]) + carry;
            t[n] = static_cast<uint64_t>(x);
            t[n + 1] = static_cast<uint64_t>(x >> 64);
            const uint64_t q = t[0] * m_n0;
            x = static_cast<u128>(q) * m_m[0] + t[0];
            carry = static_cast<uint64_t>(x >> 64);
            for (size_t j = 1; j < n; ++j)
            {
                x = static_cast<u128>(q) * m_m[j] + t[j] + carry;
                t[j - 1] = static_cast<uint64_t>(x);
                carry = static_cast<uint64_t>(x >> 64);
            }
            x = static_cast<u128>(t[n]) + carry;
            t[n - 1] = static_cast<uint64_t>(x);
            t[n] = t[n + 1] + static_cast<uint64_t>(x >> 64);
        }
        // t < 2m: subtract m once if needed.
        bool ge = t[n] != 0;
        if (!ge)
        {
            ge = true;
            for (size_t i = n; i-- > 0;)
                if (t[i] != m_m[i])
                {
                    ge = t[i] > m_m[i];
                    break;
                }
        }
        if (ge)
        {
            uint64_t borrow = 0;
            for (size_t i = 0; i < n; ++i)
            {
                const uint64_t d = t[i] - m_m[i] - borrow;
                borrow = (t[i] < m_m[i]) || (t[i] - m_m[i] < borrow);
                r[i] = d;
            }
        }
        else
            std::copy(t, t + n, r);
    }

    [[nodiscard]] size_t size() const noexcept
    {
        return m_n;
    }
    [[nodiscard]] const Limbs& r2() const noexcept
    {
        return m_r2;
    }

private:
    Limbs m_m;
    size_t m_n;
    uint64_t m_n0 = 0;
    Limbs m_r2;
    Limbs m_t;
};

bool exp_bit(bytes_view exp, uint64_t i)  // bit i counted from the least significant
{
    const size_t byte = exp.size() - 1 - static_cast<size_t>(i / 8);
    return (exp[byte] >> (i % 8)) & 1;
}

Limbs modexp_odd(const Limbs& base, bytes_view exp, uint64_t ebits, const Limbs& m)
{
    Montgomery mont{m};
    const size_t n = mont.size();
    Limbs b = mod(base, m);
    b.resize(n, 0);
    // Window table of b^1 .. b^15 in Montgomery form.
    constexpr int kWindow = 4;
    std::vector<Limbs> table(1 << kWindow, Limbs(n, 0));
    Limbs one(n, 0);
    one[0] = 1;
    mont.mul(one.data(), mont.r2().data(), table[0].data());  // R mod m
    mont.mul(b.data(), mont.r2().data(), table[1].data());
    for (int i = 2; i < (1 << kWindow); ++i)
        mont.mul(table[i - 1].data(), table[1].data(), table[i].data());
    Limbs acc = table[0];
    // Fixed windows from the top; the top window may be partial.
    uint64_t i = ebits;
    while (i > 0)
    {
        const unsigned w = i % kWindow ? static_cast<unsigned>(i % kWindow) : kWindow;
        unsigned d = 0;
        for (unsigned k = 0; k < w; ++k)
        {
            mont.mul(acc.data(), acc.data(), acc.data());
            d = (d << 1) | (exp_bit(exp, i - 1 - k) ? 1 : 0);
        }
        if (d)
            mont.mul(acc.data(), table[d].data(), acc.data());
        i -= w;
    }
    mont.mul(acc.data(), one.data(), acc.data());  // out of Montgomery form
    trim(acc);
    return acc;
}

Limbs modexp_generic(const Limbs& base, bytes_view exp, uint64_t ebits, const Limbs& m)
{
    const Limbs b = mod(base, m);
    Limbs acc = mod(Limbs{1}, m);
    for (uint64_t i = ebits; i-- > 0;)
    {
        acc = mod(mul(acc, acc), m);
        if (exp_bit(exp, i))
            acc = mod(mul(acc, b), m);
    }
    return acc;
}
}  // namespace

uint64_t bit_length(bytes_view be) noexcept
{
    for (size_t i = 0; i < be.size(); ++i)
        if (be[i] != 0)
            return 8 * static_cast<uint64_t>(be.size() - i) -
                   static_cast<uint64_t>(__builtin_clz(be[i]) - 24);
    return 0;
}

void modexp_software(bytes_view base, bytes_view exp, bytes_view modulus, bytes& out)
{
    out.assign(modulus.size(), 0);
    const Limbs m = from_be(modulus);
    if (m.empty())
        return;  // zero modulus: zero
    const uint64_t ebits = bit_length(exp);
    const Limbs b = from_be(base);
    const Limbs r = (m[0] & 1) ? modexp_odd(b, exp, ebits, m) : modexp_generic(b, exp, ebits, m);
    to_be(r, out.data(), out.size());
}

void modexp(bytes_view base, bytes_view exp, bytes_view modulus, bytes& out)
{
#if STELE_ACCELERATED
    out.assign(modulus.size(), 0);
    if (modulus.empty())
        return;
    if (zkvm_modexp(base.data(), base.size(), exp.data(), exp.size(), modulus.data(),
            modulus.size(), out.data()) != ZKVM_EOK)
        accel_failure("modexp");
#else
    modexp_software(base, exp, modulus, out);
#endif
}
}  // namespace stele::crypto
