// Text from guests, ELF symbol tables and file systems made safe to show: valid UTF-8 for JSON
// (RFC 8259 §8.1 requires it) and no terminal control sequences for reports on a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stele::emu
{
// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode §3.9, Table 3-7), or 0
// when the byte there does not start one (stray continuation, overlong form, surrogate, above
// U+10FFFF, truncated).
[[nodiscard]] size_t utf8_sequence(std::string_view s, size_t i) noexcept;

// s with every byte that does not start a well-formed sequence replaced by U+FFFD.
[[nodiscard]] std::string valid_utf8(std::string_view s);

// s for a terminal or a one-line report: C0 and C1 control characters, DEL, the bidirectional
// overrides and invalid UTF-8 bytes become \n, \r, \t, \xNN or \u{NNNN} escapes; other text is
// kept. keep_newlines leaves '\n' and '\t' as they are (multi-line guest logs).
[[nodiscard]] std::string printable(std::string_view s, bool keep_newlines = false);

// printable() for text that arrives in pieces (a guest log): a UTF-8 sequence split between two
// pieces is held back until the rest arrives.
class PrintableStream
{
public:
    explicit PrintableStream(bool keep_newlines) noexcept : m_keep_newlines{keep_newlines} {}
    [[nodiscard]] std::string feed(std::string_view piece);
    [[nodiscard]] std::string flush();

private:
    bool m_keep_newlines;
    std::string m_pending;
};
}  // namespace stele::emu
