#include "witness_file.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stateless/core/hex.hpp>
#include <stateless/core/rlp.hpp>

namespace stele::witness
{
namespace
{
bool fail(ParseError& err, WitnessError code, std::string message)
{
    err.code = code;
    err.message = std::move(message);
    return false;
}

bool decode_hex_item(std::string_view s, bytes& out)
{
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    auto b = from_hex(s);
    if (!b)
        return false;
    out = std::move(*b);
    return true;
}

bool read_list(simdjson::dom::object obj, const char* field, bool required, bool allow_objects,
    std::vector<bytes>& out, ParseError& err, const ParseOptions& options)
{
    simdjson::dom::element value;
    if (obj.at_key(field).get(value) != simdjson::SUCCESS)
    {
        if (required)
            return fail(
                err, WitnessError::MissingField, std::string{"missing field \""} + field + "\"");
        return true;
    }
    if (value.is_null() && !required)
        return true;  // geth sends "keys": null
    simdjson::dom::array arr;
    if (value.get_array().get(arr) != simdjson::SUCCESS)
        return fail(err, WitnessError::WrongType, std::string{"\""} + field + "\" is not an array");
    out.clear();
    out.reserve(arr.size());
    size_t index = 0;
    for (simdjson::dom::element item : arr)
    {
        std::string_view s;
        bytes decoded;
        if (item.get_string().get(s) == simdjson::SUCCESS)
        {
            if (!decode_hex_item(s, decoded))
                return fail(err, WitnessError::InvalidHex,
                    std::string{field} + "[" + std::to_string(index) +
                        "] is not 0x-prefixed hex of whole bytes");
        }
        else if (allow_objects && item.is_object())
        {
            if (!options.header_encoder)
                return fail(err, WitnessError::HeaderObject,
                    std::string{field} + "[" + std::to_string(index) +
                        "] is a JSON header object (geth shape) and no header encoder was given");
            std::string why;
            if (!options.header_encoder(simdjson::minify(item), decoded, why))
                return fail(err, WitnessError::HeaderObject,
                    std::string{field} + "[" + std::to_string(index) + "]: " + why);
        }
        else
            return fail(err, WitnessError::WrongType,
                std::string{field} + "[" + std::to_string(index) + "] is not a hex string");
        out.push_back(std::move(decoded));
        ++index;
    }
    return true;
}

// Byte-wise lexicographic order (the canonical witness order). Spelled out because GCC 12
// raises a false -Wstringop-overread on std::vector's operator< inside std::sort.
bool lexicographic_less(const bytes& a, const bytes& b) noexcept
{
    const size_t n = a.size() < b.size() ? a.size() : b.size();
    const int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    return c < 0 || (c == 0 && a.size() < b.size());
}

void sort_unique(std::vector<bytes>& v)
{
    std::sort(v.begin(), v.end(), lexicographic_less);
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

void append_list(std::string& out, const char* name, const std::vector<bytes>& items)
{
    out += '"';
    out += name;
    out += "\":[";
    for (size_t i = 0; i < items.size(); ++i)
    {
        if (i)
            out += ',';
        out += '"';
        out += to_hex0x(items[i]);
        out += '"';
    }
    out += ']';
}
}  // namespace

const char* to_string(WitnessError e) noexcept
{
    switch (e)
    {
        case WitnessError::None:
            return "none";
        case WitnessError::Io:
            return "io";
        case WitnessError::InvalidJson:
            return "invalid JSON";
        case WitnessError::RpcError:
            return "JSON-RPC error";
        case WitnessError::NotAnObject:
            return "not an object";
        case WitnessError::MissingField:
            return "missing field";
        case WitnessError::WrongType:
            return "wrong type";
        case WitnessError::InvalidHex:
            return "invalid hex";
        case WitnessError::HeaderObject:
            return "header object";
        case WitnessError::TooLarge:
            return "too large";
        case WitnessError::InvalidRlp:
            return "invalid RLP";
    }
    return "unknown";
}

bool parse_witness_json(
    std::string_view json, ExecutionWitness& out, ParseError& err, const ParseOptions& options)
{
    out = {};
    err = {};
    if (json.size() > options.max_input_bytes)
        return fail(err, WitnessError::TooLarge,
            "witness JSON of " + std::to_string(json.size()) + " bytes exceeds the limit of " +
                std::to_string(options.max_input_bytes));
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto e = parser.parse(json.data(), json.size()).get(root); e != simdjson::SUCCESS)
        return fail(err, WitnessError::InvalidJson,
            std::string{"invalid JSON: "} + simdjson::error_message(e));

    simdjson::dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS)
        return fail(err, WitnessError::NotAnObject, "the witness is not a JSON object");
    // A JSON-RPC response: unwrap "result", report "error".
    simdjson::dom::element inner;
    if (obj.at_key("error").get(inner) == simdjson::SUCCESS && !inner.is_null())
        return fail(
            err, WitnessError::RpcError, "JSON-RPC error response: " + simdjson::minify(inner));
    if (obj.at_key("result").get(inner) == simdjson::SUCCESS)
    {
        if (inner.get_object().get(obj) != simdjson::SUCCESS)
            return fail(err, WitnessError::NotAnObject, "JSON-RPC \"result\" is not an object");
    }

    return read_list(obj, "state", true, false, out.state, err, options) &&
           read_list(obj, "codes", true, false, out.codes, err, options) &&
           read_list(obj, "keys", false, false, out.keys, err, options) &&
           read_list(obj, "headers", true, true, out.headers, err, options);
}

bool read_maybe_gzip(const std::string& path, std::string& out, ParseError& err, size_t max_bytes)
{
    out.clear();
    // Only regular files: O_NONBLOCK keeps a FIFO from blocking the open, fstat refuses it,
    // a directory or a device such as /dev/zero before anything is read.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(err, WitnessError::Io, path + ": cannot open: " + std::strerror(errno));
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    {
        ::close(fd);
        return fail(err, WitnessError::Io, path + ": not a regular file");
    }
    // gzread passes uncompressed files through unchanged, so one path serves both.
    gzFile f = gzdopen(fd, "rb");
    if (!f)
    {
        ::close(fd);
        return fail(err, WitnessError::Io, path + ": cannot open");
    }
    gzbuffer(f, 1 << 17);
    char buf[1 << 16];
    for (;;)
    {
        const int n = gzread(f, buf, sizeof buf);
        if (n < 0)
        {
            int code = 0;
            std::string why = gzerror(f, &code);
            gzclose(f);
            return fail(err, WitnessError::Io, path + ": read error: " + why);
        }
        if (n == 0)
            break;
        // Checked per inflated chunk, before it is kept: a small gzip file holding gigabytes
        // costs at most max_bytes. Capacity grows by doubling but never past the limit (a plain
        // append could reserve twice the limit just below it).
        const auto len = static_cast<size_t>(n);
        if (len > max_bytes - out.size())
        {
            gzclose(f);
            return fail(err, WitnessError::TooLarge,
                path + ": more than " + std::to_string(max_bytes) + " bytes (after decompression)");
        }
        if (out.size() + len > out.capacity())
            out.reserve(std::min(max_bytes, std::max(out.capacity() * 2, out.size() + len)));
        out.append(buf, len);
    }
    gzclose(f);
    return true;
}

bool parse_witness_rlp(bytes_view in, ExecutionWitness& out, ParseError& err)
{
    // go-ethereum's ExtWitness (core/stateless): rlp([headers, codes, state, keys]) with each
    // header a full RLP header list and the others lists of byte strings; keys came later, so a
    // 3-item form is accepted too.
    ExecutionWitness w;
    rlp::Decoder d{in};
    auto top = d.list();
    auto headers = top.list();
    while (!headers.at_end())
    {
        if (!headers.next_is_list())
        {
            headers.fail(rlp::Error::unexpected_string);
            break;
        }
        const auto h = headers.raw();
        w.headers.emplace_back(h.begin(), h.end());
    }
    std::vector<bytes>* lists[] = {&w.codes, &w.state, &w.keys};
    for (size_t i = 0; i < 3 && top.ok(); ++i)
    {
        if (i == 2 && top.at_end())
            break;
        auto l = top.list();
        while (!l.at_end())
        {
            const auto item = l.string();
            lists[i]->emplace_back(item.begin(), item.end());
        }
    }
    top.finish();
    d.finish();
    if (!d.ok())
        return fail(err, WitnessError::InvalidRlp,
            std::string{"not an ExtWitness RLP list [headers, codes, state, keys]: "} +
                rlp::error_name(d.error()));
    out = std::move(w);
    return true;
}

bool load_witness_file(
    const std::string& path, ExecutionWitness& out, ParseError& err, const ParseOptions& options)
{
    std::string text;
    if (!read_maybe_gzip(path, text, err, options.max_input_bytes))
        return false;
    // A JSON document starts with '{' or whitespace; binary RLP with a list prefix (>= 0xc0).
    if (!text.empty() && static_cast<uint8_t>(text[0]) >= 0xc0)
    {
        if (!parse_witness_rlp(
                {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, out, err))
        {
            err.message = path + ": " + err.message;
            return false;
        }
        return true;
    }
    if (!parse_witness_json(text, out, err, options))
    {
        err.message = path + ": " + err.message;
        return false;
    }
    return true;
}

void canonicalize(ExecutionWitness& w)
{
    std::erase_if(w.state, [](const bytes& n) { return n.size() == 1 && n[0] == 0x80; });
    std::erase_if(w.codes, [](const bytes& c) { return c.empty(); });
    sort_unique(w.state);
    sort_unique(w.codes);
    sort_unique(w.keys);
}

std::string to_json(const ExecutionWitness& w)
{
    std::string out = "{";
    append_list(out, "state", w.state);
    out += ',';
    append_list(out, "codes", w.codes);
    out += ',';
    // The canonical witness has no "keys" (execution-apis #847); legacy mode fills them.
    if (!w.keys.empty())
    {
        append_list(out, "keys", w.keys);
        out += ',';
    }
    append_list(out, "headers", w.headers);
    out += '}';
    return out;
}
}  // namespace stele::witness
