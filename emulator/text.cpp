#include "text.hpp"

#include <cstdint>
#include <cstdio>

namespace stele::emu
{
size_t utf8_sequence(std::string_view s, size_t i) noexcept
{
    auto at = [&](size_t k) -> unsigned
    { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100u; };
    auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF)
    { return at(k) >= lo && at(k) <= hi; };
    const unsigned b = at(0);
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return cont(1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF)
    {
        // E0: no overlong forms; ED: no surrogates.
        const bool second = b == 0xE0 ? cont(1, 0xA0) : b == 0xED ? cont(1, 0x80, 0x9F) : cont(1);
        return second && cont(2) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4)
    {
        // F0: no overlong forms; F4: nothing above U+10FFFF.
        const bool second = b == 0xF0 ? cont(1, 0x90) : b == 0xF4 ? cont(1, 0x80, 0x8F) : cont(1);
        return second && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

std::string valid_utf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();)
    {
        const size_t n = utf8_sequence(s, i);
        if (n == 0)
        {
            out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
            ++i;
            continue;
        }
        out.append(s, i, n);
        i += n;
    }
    return out;
}

namespace
{
uint32_t code_point(std::string_view s, size_t i, size_t n) noexcept
{
    const auto b = [&](size_t k)
    { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
    switch (n)
    {
        case 1:
            return b(0);
        case 2:
            return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
        case 3:
            return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
        default:
            return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
    }
}

// Characters a terminal acts on: C0, DEL, C1 (an 8-bit CSI is U+009B), and the bidirectional
// embeddings, overrides and isolates that reorder what is shown (U+202A..E, U+2066..9).
bool is_control(uint32_t c) noexcept
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

void append_escaped(std::string& out, std::string_view s, bool keep_newlines)
{
    char buf[16];
    for (size_t i = 0; i < s.size();)
    {
        const size_t n = utf8_sequence(s, i);
        if (n == 0)
        {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
            out += buf;
            ++i;
            continue;
        }
        const uint32_t c = code_point(s, i, n);
        if (!is_control(c) || (keep_newlines && (c == '\n' || c == '\t')))
            out.append(s, i, n);
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x100)
        {
            std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
            out += buf;
        }
        else
        {
            std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(c));
            out += buf;
        }
        i += n;
    }
}

// Length of an incomplete but so far well-formed UTF-8 sequence at the end of s (0 if none).
size_t incomplete_tail(std::string_view s) noexcept
{
    for (size_t k = 1; k <= 3 && k <= s.size(); ++k)
    {
        const auto b = static_cast<unsigned char>(s[s.size() - k]);
        if ((b & 0xC0) == 0x80)
            continue;  // a continuation byte: look further back
        const size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}
}  // namespace

std::string printable(std::string_view s, bool keep_newlines)
{
    std::string out;
    out.reserve(s.size());
    append_escaped(out, s, keep_newlines);
    return out;
}

std::string PrintableStream::feed(std::string_view piece)
{
    m_pending.append(piece);
    const size_t keep = incomplete_tail(m_pending);
    std::string out;
    append_escaped(
        out, std::string_view{m_pending}.substr(0, m_pending.size() - keep), m_keep_newlines);
    m_pending.erase(0, m_pending.size() - keep);
    return out;
}

std::string PrintableStream::flush()
{
    std::string out;
    append_escaped(out, m_pending, m_keep_newlines);
    m_pending.clear();
    return out;
}
}  // namespace stele::emu
