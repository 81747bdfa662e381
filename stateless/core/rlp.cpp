#include "rlp.hpp"

namespace stele::rlp
{
const char* error_name(Error e) noexcept
{
    switch (e)
    {
        case Error::ok:
            return "ok";
        case Error::input_too_short:
            return "input_too_short";
        case Error::non_canonical_single_byte:
            return "non_canonical_single_byte";
        case Error::non_canonical_size:
            return "non_canonical_size";
        case Error::leading_zeros_in_length:
            return "leading_zeros_in_length";
        case Error::length_overflow:
            return "length_overflow";
        case Error::unexpected_list:
            return "unexpected_list";
        case Error::unexpected_string:
            return "unexpected_string";
        case Error::trailing_bytes:
            return "trailing_bytes";
        case Error::leading_zeros_in_integer:
            return "leading_zeros_in_integer";
        case Error::integer_overflow:
            return "integer_overflow";
        case Error::wrong_size:
            return "wrong_size";
    }
    return "unknown";
}

Error decode_item(bytes_view in, Item& item) noexcept
{
    if (in.empty())
        return Error::input_too_short;
    const uint8_t b = in[0];
    if (b < 0x80)
    {
        item = {false, in.subspan(0, 1), in.subspan(0, 1)};
        return Error::ok;
    }
    const bool is_list = b >= 0xc0;
    const uint8_t base = is_list ? 0xc0 : 0x80;
    const unsigned short_limit = 55;
    size_t header = 1;
    uint64_t len = b - base;
    if (len > short_limit)
    {
        const size_t len_of_len = len - short_limit;  // 1 .. 8
        if (in.size() < 1 + len_of_len)
            return Error::input_too_short;
        if (in[1] == 0)
            return Error::leading_zeros_in_length;
        len = 0;
        for (size_t i = 0; i < len_of_len; ++i)
            len = (len << 8) | in[1 + i];
        if (len <= short_limit)
            return Error::non_canonical_size;
        header += len_of_len;
    }
    const size_t avail = in.size() - header;
    if (len > avail)
        return (len >> 32) != 0 ? Error::length_overflow : Error::input_too_short;
    const auto payload = in.subspan(header, static_cast<size_t>(len));
    if (!is_list && len == 1 && payload[0] < 0x80)
        return Error::non_canonical_single_byte;
    item = {is_list, payload, in.subspan(0, header + static_cast<size_t>(len))};
    return Error::ok;
}

namespace
{
// Recursion depth is bounded by the input size (each level consumes at least one byte), and
// inputs are bounded; still, cap it so adversarial nesting cannot exhaust a guest stack.
constexpr int kMaxDepth = 1024;

Error validate_sequence(bytes_view in, int depth) noexcept
{
    if (depth > kMaxDepth)
        return Error::length_overflow;
    while (!in.empty())
    {
        Item it;
        if (const auto e = decode_item(in, it); e != Error::ok)
            return e;
        if (it.is_list)
            if (const auto e = validate_sequence(it.payload, depth + 1); e != Error::ok)
                return e;
        in = in.subspan(it.encoded.size());
    }
    return Error::ok;
}
}  // namespace

Error validate(bytes_view in) noexcept
{
    Item it;
    if (const auto e = decode_item(in, it); e != Error::ok)
        return e;
    if (it.encoded.size() != in.size())
        return Error::trailing_bytes;
    return it.is_list ? validate_sequence(it.payload, 1) : Error::ok;
}

Error decode_u64(bytes_view payload, uint64_t& out) noexcept
{
    if (payload.size() > 8)
        return Error::integer_overflow;
    if (!payload.empty() && payload[0] == 0)
        return Error::leading_zeros_in_integer;
    uint64_t v = 0;
    for (const uint8_t b : payload)
        v = (v << 8) | b;
    out = v;
    return Error::ok;
}

void Decoder::fail(Error e) noexcept
{
    for (Decoder* d = this; d != nullptr; d = d->m_parent)
        if (d->m_error == Error::ok)
            d->m_error = e;
    m_in = {};
}

Item Decoder::item() noexcept
{
    Item it;
    if (!ok())
        return {};
    if (m_in.empty())
    {
        fail(Error::input_too_short);
        return {};
    }
    if (const auto e = decode_item(m_in, it); e != Error::ok)
    {
        fail(e);
        return {};
    }
    m_in = m_in.subspan(it.encoded.size());
    return it;
}

bytes_view Decoder::raw() noexcept
{
    const auto it = item();
    if (ok() && it.is_list)
        if (const auto e = validate(it.encoded); e != Error::ok)
            fail(e);
    return ok() ? it.encoded : bytes_view{};
}

bytes_view Decoder::string() noexcept
{
    const auto it = item();
    if (ok() && it.is_list)
        fail(Error::unexpected_list);
    return ok() ? it.payload : bytes_view{};
}

Decoder Decoder::list() noexcept
{
    const auto it = item();
    if (ok() && !it.is_list)
        fail(Error::unexpected_string);
    Decoder child{ok() ? it.payload : bytes_view{}, this};
    child.m_error = m_error;
    return child;
}

uint64_t Decoder::u64() noexcept
{
    const auto s = string();
    uint64_t v = 0;
    if (ok())
        if (const auto e = decode_u64(s, v); e != Error::ok)
            fail(e);
    return ok() ? v : 0;
}

bytes_view Decoder::uint_be(size_t max_bytes) noexcept
{
    const auto s = string();
    if (ok() && s.size() > max_bytes)
        fail(Error::integer_overflow);
    else if (ok() && !s.empty() && s[0] == 0)
        fail(Error::leading_zeros_in_integer);
    return ok() ? s : bytes_view{};
}

bool Decoder::finish() noexcept
{
    if (ok() && !m_in.empty())
        fail(Error::trailing_bytes);
    return ok();
}

namespace
{
void append_header(bytes& out, size_t len, uint8_t base)
{
    if (len < 56)
    {
        out.push_back(static_cast<uint8_t>(base + len));
        return;
    }
    const size_t n = header_size(len) - 1;
    out.push_back(static_cast<uint8_t>(base + 55 + n));
    for (size_t i = n; i-- > 0;)
        out.push_back(static_cast<uint8_t>(len >> (8 * i)));
}
}  // namespace

void append_string_header(bytes& out, size_t len)
{
    append_header(out, len, 0x80);
}

void append_list_header(bytes& out, size_t payload_len)
{
    append_header(out, payload_len, 0xc0);
}

void append_string(bytes& out, bytes_view s)
{
    if (s.size() == 1 && s[0] < 0x80)
    {
        out.push_back(s[0]);
        return;
    }
    append_string_header(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

void append_u64(bytes& out, uint64_t v)
{
    if (v < 0x80)
    {
        out.push_back(v == 0 ? 0x80 : static_cast<uint8_t>(v));
        return;
    }
    size_t n = 0;
    for (uint64_t t = v; t != 0; t >>= 8)
        ++n;
    out.push_back(static_cast<uint8_t>(0x80 + n));
    for (size_t i = n; i-- > 0;)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void append_uint_be(bytes& out, bytes_view be)
{
    size_t i = 0;
    while (i < be.size() && be[i] == 0)
        ++i;
    append_string(out, be.subspan(i));
}

void Encoder::end_list(size_t mark)
{
    const size_t payload = m_out.size() - mark;
    uint8_t header[9];
    size_t n = 0;
    if (payload < 56)
        header[n++] = static_cast<uint8_t>(0xc0 + payload);
    else
    {
        const size_t len_of_len = header_size(payload) - 1;
        header[n++] = static_cast<uint8_t>(0xf7 + len_of_len);
        for (size_t i = len_of_len; i-- > 0;)
            header[n++] = static_cast<uint8_t>(payload >> (8 * i));
    }
    m_out.insert(m_out.begin() + static_cast<std::ptrdiff_t>(mark), header, header + n);
}

bytes encode_string(bytes_view s)
{
    bytes out;
    out.reserve(string_size(s));
    append_string(out, s);
    return out;
}

bytes encode_u64(uint64_t v)
{
    bytes out;
    append_u64(out, v);
    return out;
}
}  // namespace stele::rlp
