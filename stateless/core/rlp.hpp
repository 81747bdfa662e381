// RLP (Yellow Paper appendix B): an appending encoder and a strict, allocation-free decoder.
//
// Decoding accepts canonical encodings only: a single byte < 0x80 must stand for itself, lengths
// use the short form when they fit (< 56), long-form lengths have no leading zeros and at most 8
// bytes, payloads lie inside the input, and integers have no leading zero bytes. Everything else
// gives a typed Error; the decoder never reads out of bounds and never allocates.
#pragma once

#include <optional>

#include "bytes.hpp"

namespace stele::rlp
{
enum class Error : uint8_t
{
    ok = 0,
    input_too_short,            // header or payload runs past the end of the input
    non_canonical_single_byte,  // 0x81 followed by a byte < 0x80
    non_canonical_size,         // long-form length that would fit the short form
    leading_zeros_in_length,    // long-form length field starting with 0x00
    length_overflow,            // length field wider than 8 bytes or beyond any input
    unexpected_list,            // a string was required
    unexpected_string,          // a list was required
    trailing_bytes,             // bytes left after the last expected item
    leading_zeros_in_integer,   // integer payload starting with 0x00 (including "0x00" for 0)
    integer_overflow,           // integer wider than the requested type
    wrong_size,                 // fixed-size string (hash, address) of another length
};

[[nodiscard]] const char* error_name(Error e) noexcept;

// One decoded item: its full encoding and its payload (both views into the input).
struct Item
{
    bool is_list = false;
    bytes_view payload;
    bytes_view encoded;
};

// Decodes the header of the first item of `in`. On success `item` views into `in`; the caller
// continues with in.subspan(item.encoded.size()).
[[nodiscard]] Error decode_item(bytes_view in, Item& item) noexcept;

// Checks that `in` is exactly one well-formed item, recursively (every nested item canonical).
[[nodiscard]] Error validate(bytes_view in) noexcept;

// Walks a sequence of items (the whole input, or a list's payload) with a sticky error: after
// the first failure every read returns an empty value and error() tells what went wrong. A
// child decoder from list() reports its errors to its parent too, so checking the outermost
// decoder once is enough (the parent must outlive the child; both are meant as locals).
//
//   rlp::Decoder d{input};
//   auto tx = d.list();
//   const auto nonce = tx.u64();
//   const auto to = tx.string();
//   tx.finish();   // no trailing items inside the list
//   d.finish();    // no trailing bytes after it
//   if (!d.ok()) return d.error();
class Decoder
{
public:
    explicit Decoder(bytes_view in) noexcept : m_in{in} {}

    [[nodiscard]] bool ok() const noexcept
    {
        return m_error == Error::ok;
    }
    [[nodiscard]] Error error() const noexcept
    {
        return m_error;
    }
    // No items left (also true after an error).
    [[nodiscard]] bool at_end() const noexcept
    {
        return m_in.empty() || !ok();
    }
    // The undecoded rest.
    [[nodiscard]] bytes_view remaining() const noexcept
    {
        return m_in;
    }
    // Whether the next item is a list (false at the end or after an error).
    [[nodiscard]] bool next_is_list() const noexcept
    {
        return ok() && !m_in.empty() && m_in[0] >= 0xc0;
    }

    // The next item, whatever it is.
    [[nodiscard]] Item item() noexcept;
    // The next item's encoding, checked recursively (e.g. a trie node embedded in a branch).
    [[nodiscard]] bytes_view raw() noexcept;
    // The payload of the next item, which must be a string.
    [[nodiscard]] bytes_view string() noexcept;
    // The next item must be a list: a decoder over its payload.
    [[nodiscard]] Decoder list() noexcept;
    // A canonical unsigned integer of at most 8 bytes.
    [[nodiscard]] uint64_t u64() noexcept;
    // A canonical unsigned big-endian integer of at most max_bytes bytes (payload, may be empty).
    [[nodiscard]] bytes_view uint_be(size_t max_bytes) noexcept;
    // A string of exactly N bytes.
    template <size_t N>
    [[nodiscard]] FixedBytes<N> fixed() noexcept
    {
        const auto s = string();
        if (ok() && s.size() != N)
            fail(Error::wrong_size);
        return ok() ? FixedBytes<N>::from(s) : FixedBytes<N>{};
    }
    // A string of exactly N bytes, or the empty string (e.g. a transaction's `to`).
    template <size_t N>
    [[nodiscard]] std::optional<FixedBytes<N>> optional_fixed() noexcept
    {
        const auto s = string();
        if (!ok() || s.empty())
            return std::nullopt;
        if (s.size() != N)
        {
            fail(Error::wrong_size);
            return std::nullopt;
        }
        return FixedBytes<N>::from(s);
    }

    // Requires that nothing is left; returns ok().
    bool finish() noexcept;
    // Records an error (the first one wins), also in the parent chain.
    void fail(Error e) noexcept;

private:
    Decoder(bytes_view in, Decoder* parent) noexcept : m_in{in}, m_parent{parent} {}

    bytes_view m_in;
    Decoder* m_parent = nullptr;
    Error m_error = Error::ok;
};

// Decodes a canonical integer payload (as returned by Decoder::string()) into a uint64.
[[nodiscard]] Error decode_u64(bytes_view payload, uint64_t& out) noexcept;

// ---- encoding ---------------------------------------------------------------------------------

// Size of the header for a payload of `len` bytes (1 .. 9).
[[nodiscard]] constexpr size_t header_size(size_t len) noexcept
{
    if (len < 56)
        return 1;
    size_t n = 1;
    while (len >>= 8)
        ++n;
    return 1 + n;
}
// Encoded size of a string.
[[nodiscard]] constexpr size_t string_size(bytes_view s) noexcept
{
    return (s.size() == 1 && s[0] < 0x80) ? 1 : header_size(s.size()) + s.size();
}
// Encoded size of a list whose payload is `payload_len` bytes.
[[nodiscard]] constexpr size_t list_size(size_t payload_len) noexcept
{
    return header_size(payload_len) + payload_len;
}

void append_string_header(bytes& out, size_t len);
void append_list_header(bytes& out, size_t payload_len);
void append_string(bytes& out, bytes_view s);
void append_u64(bytes& out, uint64_t v);
// A big-endian unsigned integer: leading zero bytes are dropped (zero encodes as 0x80).
void append_uint_be(bytes& out, bytes_view be);

// Appends items to a byte string; lists are opened and closed (nesting allowed), the header is
// inserted when the list closes, so no payload size needs to be known in advance.
class Encoder
{
public:
    explicit Encoder(bytes& out) noexcept : m_out{out} {}

    Encoder& string(bytes_view s)
    {
        append_string(m_out, s);
        return *this;
    }
    Encoder& u64(uint64_t v)
    {
        append_u64(m_out, v);
        return *this;
    }
    Encoder& uint_be(bytes_view be)
    {
        append_uint_be(m_out, be);
        return *this;
    }
    // An already-encoded item.
    Encoder& raw(bytes_view encoded)
    {
        m_out.insert(m_out.end(), encoded.begin(), encoded.end());
        return *this;
    }
    // Returns the mark to pass to end_list().
    [[nodiscard]] size_t begin_list() const noexcept
    {
        return m_out.size();
    }
    void end_list(size_t mark);

    [[nodiscard]] bytes& out() noexcept
    {
        return m_out;
    }

private:
    bytes& m_out;
};

// Convenience: the encoding of a single string / integer.
[[nodiscard]] bytes encode_string(bytes_view s);
[[nodiscard]] bytes encode_u64(uint64_t v);
}  // namespace stele::rlp
