#include "ssz.hpp"

#include <cstring>
#include <utility>

#include "../crypto/sha256.hpp"

namespace stele::ssz
{
std::string_view to_string(Error e) noexcept
{
    switch (e)
    {
        case Error::success:
            return "success";
        case Error::input_too_short:
            return "input_too_short";
        case Error::wrong_fixed_size:
            return "wrong_fixed_size";
        case Error::first_offset_mismatch:
            return "first_offset_mismatch";
        case Error::offset_out_of_range:
            return "offset_out_of_range";
        case Error::offset_not_monotonic:
            return "offset_not_monotonic";
        case Error::list_too_long:
            return "list_too_long";
        case Error::byte_list_too_long:
            return "byte_list_too_long";
        case Error::list_size_not_multiple:
            return "list_size_not_multiple";
        case Error::invalid_bool:
            return "invalid_bool";
        case Error::invalid_bitvector:
            return "invalid_bitvector";
        case Error::invalid_bitlist:
            return "invalid_bitlist";
        case Error::unknown_schema:
            return "unknown_schema";
    }
    return "unknown";
}

// ---- Decoding --------------------------------------------------------------------------------

Error decode_uint(bytes_view in, size_t width, uint64_t& out) noexcept
{
    if (in.size() != width)
        return Error::wrong_fixed_size;
    out = load_le(in.data(), width);
    return Error::success;
}

Error decode_bool(bytes_view in, bool& out) noexcept
{
    if (in.size() != 1)
        return Error::wrong_fixed_size;
    if (in[0] > 1)
        return Error::invalid_bool;
    out = in[0] == 1;
    return Error::success;
}

Error check_byte_vector(bytes_view in, size_t n) noexcept
{
    return in.size() == n ? Error::success : Error::wrong_fixed_size;
}

Error check_byte_list(bytes_view in, uint64_t limit) noexcept
{
    return in.size() <= limit ? Error::success : Error::byte_list_too_long;
}

Error check_bitvector(bytes_view in, size_t n_bits) noexcept
{
    if (in.size() != (n_bits + 7) / 8)
        return Error::wrong_fixed_size;
    if (n_bits % 8 != 0 && (in.back() >> (n_bits % 8)) != 0)
        return Error::invalid_bitvector;
    return Error::success;
}

Error check_bitlist(bytes_view in, uint64_t limit, uint64_t& n_bits) noexcept
{
    if (in.empty() || in.back() == 0)
        return Error::invalid_bitlist;
    unsigned top = 7;
    while (((in.back() >> top) & 1) == 0)
        --top;
    n_bits = (uint64_t{in.size()} - 1) * 8 + top;
    if (n_bits > limit)
        return Error::invalid_bitlist;
    return Error::success;
}

Error check_fixed_list(bytes_view in, size_t elem_size, uint64_t limit, uint64_t& count) noexcept
{
    if (elem_size == 0 || in.size() % elem_size != 0)
        return Error::list_size_not_multiple;
    count = in.size() / elem_size;
    return count <= limit ? Error::success : Error::list_too_long;
}

Error split_container(
    bytes_view in, std::span<const uint32_t> field_sizes, std::span<bytes_view> fields) noexcept
{
    size_t fixed_size = 0;
    bool has_variable = false;
    for (const uint32_t s : field_sizes)
    {
        fixed_size += s != 0 ? s : offset_size;
        has_variable |= s == 0;
    }
    if (in.size() < fixed_size)
        return Error::input_too_short;
    if (!has_variable && in.size() != fixed_size)
        return Error::wrong_fixed_size;

    // Fixed fields and offsets, in order; a variable field's view is closed by the next offset.
    size_t pos = 0;
    size_t prev_offset = 0;
    size_t prev_var = field_sizes.size();  // index of the previous variable field
    for (size_t i = 0; i < field_sizes.size(); ++i)
    {
        if (field_sizes[i] != 0)
        {
            fields[i] = in.subspan(pos, field_sizes[i]);
            pos += field_sizes[i];
            continue;
        }
        const size_t offset = load_le(in.data() + pos, offset_size);
        pos += offset_size;
        if (prev_var == field_sizes.size())
        {
            if (offset != fixed_size)
                return Error::first_offset_mismatch;
        }
        else
        {
            if (offset < prev_offset)
                return Error::offset_not_monotonic;
            if (offset > in.size())
                return Error::offset_out_of_range;
            fields[prev_var] = in.subspan(prev_offset, offset - prev_offset);
        }
        prev_offset = offset;
        prev_var = i;
    }
    if (prev_var != field_sizes.size())
        fields[prev_var] = in.subspan(prev_offset);
    return Error::success;
}

Error split_list(bytes_view in, uint64_t limit, std::vector<bytes_view>& items)
{
    items.clear();
    if (in.empty())
        return Error::success;
    if (in.size() < offset_size)
        return Error::input_too_short;
    const size_t first = load_le(in.data(), offset_size);
    if (first == 0 || first % offset_size != 0)
        return Error::first_offset_mismatch;
    if (first > in.size())
        return Error::offset_out_of_range;
    const size_t n = first / offset_size;
    if (n > limit)
        return Error::list_too_long;
    items.reserve(n);
    size_t prev = first;
    for (size_t i = 1; i <= n; ++i)
    {
        const size_t next = i < n ? load_le(in.data() + i * offset_size, offset_size) : in.size();
        if (next < prev)
            return Error::offset_not_monotonic;
        if (next > in.size())
            return Error::offset_out_of_range;
        items.push_back(in.subspan(prev, next - prev));
        prev = next;
    }
    return Error::success;
}

// ---- Encoding --------------------------------------------------------------------------------

size_t byte_lists_size(std::span<const bytes_view> items) noexcept
{
    size_t n = items.size() * offset_size;
    for (const auto& b : items)
        n += b.size();
    return n;
}

void put_byte_lists(bytes& out, std::span<const bytes_view> items)
{
    const size_t start = out.size();
    out.resize(start + items.size() * offset_size);
    for (size_t i = 0; i < items.size(); ++i)
    {
        store_le(out.data() + start + i * offset_size, out.size() - start, offset_size);
        put_bytes(out, items[i]);
    }
}

// ---- Merkleization ---------------------------------------------------------------------------

namespace
{
constexpr unsigned max_depth = 64;

struct ZeroHashes
{
    hash256 h[max_depth + 1];
    bool ready = false;
};

// Filled on first use (no static-initialisation order or guard-variable dependence: the engine
// is single-threaded and freestanding).
ZeroHashes g_zero;

void fill_zero_hashes() noexcept
{
    for (unsigned d = 0; d < max_depth; ++d)
        g_zero.h[d + 1] = crypto::sha256_pair(g_zero.h[d], g_zero.h[d]);
    g_zero.ready = true;
}

// The first (up to) 32 bytes of `b`, zero-padded: one SSZ chunk.
hash256 chunk_from(bytes_view b) noexcept
{
    hash256 c;
    if (!b.empty())
        std::memcpy(c.bytes, b.data(), b.size() < chunk_size ? b.size() : chunk_size);
    return c;
}

hash256 hash64(const uint8_t* p) noexcept
{
    return crypto::sha256({p, 64});
}

// Reduces `layer` (the nodes at `level`) in place up to `depth`, padding with zero hashes.
hash256 reduce(std::vector<hash256>& layer, unsigned level, unsigned depth)
{
    if (layer.empty())
        return zero_hash(depth);
    size_t n = layer.size();
    for (unsigned d = level; d < depth; ++d)
    {
        const size_t pairs = n / 2;
        for (size_t i = 0; i < pairs; ++i)
            layer[i] = crypto::sha256_pair(layer[2 * i], layer[2 * i + 1]);
        if (n % 2 != 0)
        {
            layer[pairs] = crypto::sha256_pair(layer[n - 1], zero_hash(d));
            n = pairs + 1;
        }
        else
            n = pairs;
    }
    return layer[0];
}
}  // namespace

const hash256& zero_hash(unsigned depth) noexcept
{
    if (!g_zero.ready)
        fill_zero_hashes();
    return g_zero.h[depth <= max_depth ? depth : max_depth];
}

unsigned tree_depth(uint64_t limit) noexcept
{
    unsigned d = 0;
    while (d < max_depth && (uint64_t{1} << d) < limit)
        ++d;
    return d;
}

hash256 merkleize(std::span<const hash256> chunks, uint64_t limit)
{
    const unsigned depth = tree_depth(limit < chunks.size() ? chunks.size() : limit);
    if (chunks.empty())
        return zero_hash(depth);
    if (chunks.size() == 1 && depth == 0)
        return chunks[0];
    std::vector<hash256> layer(chunks.begin(), chunks.end());
    return reduce(layer, 0, depth);
}

hash256 merkleize_bytes(bytes_view data, uint64_t limit_chunks)
{
    const size_t n_chunks = (data.size() + chunk_size - 1) / chunk_size;
    const unsigned depth = tree_depth(limit_chunks < n_chunks ? n_chunks : limit_chunks);
    if (n_chunks == 0)
        return zero_hash(depth);
    if (depth == 0)
        return chunk_from(data);

    // The first level hashes 64-byte pairs straight from the data (no chunk copy of the input);
    // only the zero-padded tail goes through a buffer.
    std::vector<hash256> layer((n_chunks + 1) / 2);
    const size_t full_pairs = data.size() / 64;
    for (size_t i = 0; i < full_pairs; ++i)
        layer[i] = hash64(data.data() + 64 * i);
    if (full_pairs < layer.size())
    {
        uint8_t tail[64]{};
        std::memcpy(tail, data.data() + 64 * full_pairs, data.size() - 64 * full_pairs);
        layer[full_pairs] = hash64(tail);
    }
    return reduce(layer, 1, depth);
}

hash256 mix_in_length(const hash256& root, uint64_t length) noexcept
{
    hash256 len;
    store_le(len.bytes, length, 8);
    return crypto::sha256_pair(root, len);
}

hash256 merkleize_progressive(std::span<const hash256> chunks)
{
    // A right-leaning spine: the subtrees of 1, 4, 16, ... chunks hang on the left, each level
    // is H(merkleize(this level's chunks, size), root of the rest), closed by a zero node (the
    // EIP-7916 shape of @chainsafe/ssz 1.9 and execution-specs at tests-zkevm@v0.8). Built
    // bottom-up from the last level so no recursion depth depends on the input.
    if (chunks.empty())
        return hash256{};
    std::vector<std::pair<size_t, uint64_t>> levels;  // (start, size) of each subtree
    size_t start = 0;
    uint64_t size = 1;
    while (start < chunks.size())
    {
        levels.emplace_back(start, size);
        start += size;
        size *= 4;
    }
    hash256 rest{};  // merkleize_progressive of nothing
    for (size_t i = levels.size(); i-- > 0;)
    {
        const auto [s, n] = levels[i];
        const size_t count = chunks.size() - s < n ? chunks.size() - s : n;
        rest = crypto::sha256_pair(merkleize(chunks.subspan(s, count), n), rest);
    }
    return rest;
}

hash256 merkleize_progressive_bytes(bytes_view data)
{
    if (data.empty())
        return hash256{};
    std::vector<hash256> chunks((data.size() + chunk_size - 1) / chunk_size);
    for (size_t i = 0; i < chunks.size(); ++i)
        chunks[i] = chunk_from(data.subspan(i * chunk_size));
    return merkleize_progressive(chunks);
}

hash256 mix_in_active_fields(const hash256& root, size_t n_active_fields) noexcept
{
    hash256 bits;
    for (size_t i = 0; i < n_active_fields && i < 256; ++i)
        bits.bytes[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
    return crypto::sha256_pair(root, bits);
}

// ---- hash_tree_root of common types -----------------------------------------------------------

hash256 htr_uint(uint64_t v) noexcept
{
    hash256 r;
    store_le(r.bytes, v, 8);
    return r;
}

hash256 htr_bool(bool v) noexcept
{
    hash256 r;
    r.bytes[0] = v ? 1 : 0;
    return r;
}

hash256 htr_chunk(bytes_view b32) noexcept
{
    return chunk_from(b32);
}

hash256 htr_byte_vector(bytes_view b)
{
    return merkleize_bytes(b, (b.size() + chunk_size - 1) / chunk_size);
}

hash256 htr_byte_list(bytes_view b, uint64_t limit)
{
    return mix_in_length(merkleize_bytes(b, (limit + chunk_size - 1) / chunk_size), b.size());
}

hash256 htr_progressive_byte_list(bytes_view b)
{
    return mix_in_length(merkleize_progressive_bytes(b), b.size());
}

hash256 htr_bitvector(bytes_view b, size_t n_bits)
{
    return merkleize_bytes(b, (n_bits + 255) / 256);
}

hash256 htr_bitlist(bytes_view b, uint64_t limit)
{
    // The delimiter bit is not part of the value.
    uint64_t n_bits = 0;
    if (b.empty() || check_bitlist(b, ~uint64_t{0}, n_bits) != Error::success)
        return mix_in_length(merkleize_bytes({}, (limit + 255) / 256), 0);
    bytes bits(b.begin(), b.end());
    bits.back() = static_cast<uint8_t>(bits.back() & ~(1u << (n_bits % 8)));
    if (n_bits % 8 == 0)
        bits.pop_back();
    return mix_in_length(merkleize_bytes(bits, (limit + 255) / 256), n_bits);
}

hash256 htr_list_of_roots(std::span<const hash256> roots, uint64_t limit)
{
    return mix_in_length(merkleize(roots, limit), roots.size());
}

hash256 htr_progressive_list_of_roots(std::span<const hash256> roots)
{
    return mix_in_length(merkleize_progressive(roots), roots.size());
}

hash256 htr_packed_list(bytes_view serialized, size_t elem_size, uint64_t limit)
{
    const uint64_t limit_chunks = (limit * elem_size + chunk_size - 1) / chunk_size;
    return mix_in_length(merkleize_bytes(serialized, limit_chunks), serialized.size() / elem_size);
}

hash256 htr_container(std::span<const hash256> field_roots)
{
    return merkleize(field_roots, field_roots.size());
}

hash256 htr_progressive_container(std::span<const hash256> field_roots)
{
    return mix_in_active_fields(merkleize_progressive(field_roots), field_roots.size());
}
}  // namespace stele::ssz
