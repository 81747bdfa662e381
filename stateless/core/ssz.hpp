// SSZ (Simple Serialize, consensus-specs ssz/simple-serialize.md; EIP-7916 progressive lists and
// EIP-7495 progressive containers): strict decoding helpers, encoding helpers and Merkleization.
//
// The codec is schema-driven by the caller: a container is described by the sizes of its fields
// (0 = variable size, carried by an offset), lists by their element size and limit. Decoding
// never copies payload bytes: it yields views into the input. Every malformed input gives a typed
// Error, never a crash: all offsets and lengths are checked before use and no allocation is sized
// from an unchecked length.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "bytes.hpp"

namespace stele::ssz
{
enum class Error : uint8_t
{
    success = 0,
    input_too_short,   // fewer bytes than the fixed part of the value needs
    wrong_fixed_size,  // a fixed-size value (uint, vector, all-fixed container) of another length
    first_offset_mismatch,   // container: first offset != fixed-part size; list: first offset
                             // zero or not a multiple of the offset size
    offset_out_of_range,     // an offset beyond the end of the enclosing value
    offset_not_monotonic,    // an offset below its predecessor
    list_too_long,           // more elements than the list limit
    byte_list_too_long,      // more bytes than the ByteList limit
    list_size_not_multiple,  // a list of fixed-size elements not a whole number of elements
    invalid_bool,            // a boolean byte other than 0x00 / 0x01
    invalid_bitvector,       // a Bitvector with bits set beyond its length
    invalid_bitlist,         // a Bitlist without its delimiter bit, or too long
    unknown_schema,          // a stateless input whose schema id is unknown
};

[[nodiscard]] std::string_view to_string(Error e) noexcept;

inline constexpr size_t offset_size = 4;
inline constexpr size_t chunk_size = 32;

// ---- Little-endian scalars -------------------------------------------------------------------

[[nodiscard]] inline uint64_t load_le(const uint8_t* p, size_t n) noexcept
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

inline void store_le(uint8_t* p, uint64_t v, size_t n) noexcept
{
    for (size_t i = 0; i < n; ++i, v >>= 8)
        p[i] = static_cast<uint8_t>(v);
}

// ---- Decoding --------------------------------------------------------------------------------

// uintN (N = 8 * width, width <= 8): exactly `width` bytes.
[[nodiscard]] Error decode_uint(bytes_view in, size_t width, uint64_t& out) noexcept;
[[nodiscard]] Error decode_bool(bytes_view in, bool& out) noexcept;
// ByteVector[N]: exactly N bytes (returned as is).
[[nodiscard]] Error check_byte_vector(bytes_view in, size_t n) noexcept;
// ByteList[limit].
[[nodiscard]] Error check_byte_list(bytes_view in, uint64_t limit) noexcept;
// Bitvector[n_bits]: ceil(n_bits / 8) bytes, the unused high bits of the last byte zero.
[[nodiscard]] Error check_bitvector(bytes_view in, size_t n_bits) noexcept;
// Bitlist[limit]: the highest set bit of the last byte is the delimiter; returns the bit count.
[[nodiscard]] Error check_bitlist(bytes_view in, uint64_t limit, uint64_t& n_bits) noexcept;
// List/Vector of fixed-size elements: a whole number of elements, at most `limit`.
[[nodiscard]] Error check_fixed_list(
    bytes_view in, size_t elem_size, uint64_t limit, uint64_t& count) noexcept;

// Splits a container into its fields. `field_sizes[i]` is the fixed size of field i, or 0 for a
// variable-size field (an offset in the fixed part). The first offset must equal the fixed-part
// size, offsets must not decrease and must stay inside `in`; a container with no variable field
// must be exactly its fixed size. `fields` receives one view per field.
[[nodiscard]] Error split_container(
    bytes_view in, std::span<const uint32_t> field_sizes, std::span<bytes_view> fields) noexcept;

// Splits a list of variable-size elements (offset table, then the elements) into views.
// `items` is cleared and filled; the element count is checked against `limit` before anything
// is allocated.
[[nodiscard]] Error split_list(bytes_view in, uint64_t limit, std::vector<bytes_view>& items);

// ---- Encoding --------------------------------------------------------------------------------

inline void put_uint(bytes& out, uint64_t v, size_t width)
{
    const size_t at = out.size();
    out.resize(at + width);
    store_le(out.data() + at, v, width);
}

inline void put_bool(bytes& out, bool v)
{
    out.push_back(v ? 1 : 0);
}

inline void put_bytes(bytes& out, bytes_view b)
{
    out.insert(out.end(), b.begin(), b.end());
}

// Reserves a 4-byte offset slot in a container's fixed part; returns its position.
[[nodiscard]] inline size_t reserve_offset(bytes& out)
{
    const size_t at = out.size();
    out.resize(at + offset_size);
    return at;
}

// Points the slot at the current end of `out`, relative to the container start.
inline void patch_offset(bytes& out, size_t slot, size_t container_start) noexcept
{
    store_le(out.data() + slot, out.size() - container_start, offset_size);
}

// A list of variable-size byte strings: offset table, then the strings.
void put_byte_lists(bytes& out, std::span<const bytes_view> items);
// Its encoded length (for reserving).
[[nodiscard]] size_t byte_lists_size(std::span<const bytes_view> items) noexcept;

// ---- Merkleization ---------------------------------------------------------------------------

// zero_hash(0) = 32 zero bytes, zero_hash(d + 1) = H(zero_hash(d), zero_hash(d)); d <= 64.
[[nodiscard]] const hash256& zero_hash(unsigned depth) noexcept;
// ceil(log2(limit)), i.e. the depth of a tree with `limit` leaves (0 for limit <= 1).
[[nodiscard]] unsigned tree_depth(uint64_t limit) noexcept;

// merkleize(chunks, limit): the chunks padded with zero chunks to next_pow2(limit) leaves and
// hashed pairwise to one root. Runs in O(chunks + depth); `limit` >= chunks.size() (callers
// enforce the limit at decoding).
[[nodiscard]] hash256 merkleize(std::span<const hash256> chunks, uint64_t limit);
// merkleize(pack(data), limit_chunks): `data` split into 32-byte chunks, the last zero-padded.
[[nodiscard]] hash256 merkleize_bytes(bytes_view data, uint64_t limit_chunks);
[[nodiscard]] hash256 mix_in_length(const hash256& root, uint64_t length) noexcept;

// EIP-7916: subtrees of 1, 4, 16, ... leaves on a right-leaning spine, closed by a zero node.
[[nodiscard]] hash256 merkleize_progressive(std::span<const hash256> chunks);
[[nodiscard]] hash256 merkleize_progressive_bytes(bytes_view data);
// EIP-7495: the root mixed with the packed active-fields bitvector (fields 0..n-1 active).
[[nodiscard]] hash256 mix_in_active_fields(const hash256& root, size_t n_active_fields) noexcept;

// ---- hash_tree_root of common types -----------------------------------------------------------

[[nodiscard]] hash256 htr_uint(uint64_t v) noexcept;
[[nodiscard]] hash256 htr_bool(bool v) noexcept;
// uint256 given as its 32 little-endian bytes, or Bytes32: the value is its own chunk.
[[nodiscard]] hash256 htr_chunk(bytes_view b32) noexcept;
[[nodiscard]] hash256 htr_byte_vector(bytes_view b);
[[nodiscard]] hash256 htr_byte_list(bytes_view b, uint64_t limit);
[[nodiscard]] hash256 htr_progressive_byte_list(bytes_view b);
[[nodiscard]] hash256 htr_bitvector(bytes_view b, size_t n_bits);
[[nodiscard]] hash256 htr_bitlist(bytes_view b, uint64_t limit);
// List[composite, limit] from its element roots.
[[nodiscard]] hash256 htr_list_of_roots(std::span<const hash256> roots, uint64_t limit);
[[nodiscard]] hash256 htr_progressive_list_of_roots(std::span<const hash256> roots);
// List[uintN, limit] / Vector packed from serialized elements (little-endian already).
[[nodiscard]] hash256 htr_packed_list(bytes_view serialized, size_t elem_size, uint64_t limit);
// Container from its field roots.
[[nodiscard]] hash256 htr_container(std::span<const hash256> field_roots);
[[nodiscard]] hash256 htr_progressive_container(std::span<const hash256> field_roots);
}  // namespace stele::ssz
