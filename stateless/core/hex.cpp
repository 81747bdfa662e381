#include "hex.hpp"

namespace stele
{
namespace
{
constexpr char kDigits[] = "0123456789abcdef";
}  // namespace

int hex_nibble(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string to_hex(bytes_view b)
{
    std::string s;
    s.reserve(b.size() * 2);
    for (uint8_t x : b)
    {
        s.push_back(kDigits[x >> 4]);
        s.push_back(kDigits[x & 0xF]);
    }
    return s;
}

std::string to_hex0x(bytes_view b)
{
    return "0x" + to_hex(b);
}

std::optional<bytes> from_hex(std::string_view s) noexcept
{
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s.remove_prefix(2);
    if (s.size() % 2 != 0)
        return std::nullopt;
    bytes out(s.size() / 2);
    for (size_t i = 0; i < out.size(); ++i)
    {
        const int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
}
}  // namespace stele
