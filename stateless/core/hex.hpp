// Hex codec. Decoding is strict: even length, hex digits only; an optional "0x" prefix.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bytes.hpp"

namespace stele
{
// Lower-case hex without prefix.
[[nodiscard]] std::string to_hex(bytes_view b);
// "0x" + lower-case hex.
[[nodiscard]] std::string to_hex0x(bytes_view b);

// The value of one hex digit (either case), or -1.
[[nodiscard]] int hex_nibble(char c) noexcept;

// Returns nullopt on odd length or a non-hex character.
[[nodiscard]] std::optional<bytes> from_hex(std::string_view s) noexcept;

// Decodes exactly N bytes; nullopt otherwise.
template <size_t N>
[[nodiscard]] std::optional<FixedBytes<N>> fixed_from_hex(std::string_view s) noexcept
{
    const auto b = from_hex(s);
    if (!b || b->size() != N)
        return std::nullopt;
    return FixedBytes<N>::from(*b);
}
}  // namespace stele
