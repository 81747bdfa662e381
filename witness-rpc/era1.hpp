// Reader of era1 archives: pre-merge execution blocks (header, body, receipts, total difficulty)
// in an e2store file, as go-ethereum, nimbus-eth1 and reth write them.
//
// Format (eth-clients/e2store-format-specs formats/era1.md; e2store: nimbus-eth2
// docs/e2store.md):
//   e2store entry := type (u16 LE) | length (u32 LE) | reserved (u16, must be 0) | data[length]
//   era1          := Version | block-tuple* | other-entries* | Accumulator | BlockIndex
//   block-tuple   := CompressedHeader | CompressedBody | CompressedReceipts | TotalDifficulty
//   BlockIndex    := starting-number (u64 LE) | offset (i64 LE) * count | count (u64 LE)
// where each offset is the position of a block's CompressedHeader entry relative to the start of
// the BlockIndex entry, and the compressed entries hold snappy *framed* streams (google/snappy
// framing_format.txt) of the RLP: the header, the body [transactions, ommers] and the receipts
// (a list of consensus receipts, with bloom; typed ones as RLP strings of their envelope).
//
// The file is read with pread (only the entries asked for, never the whole archive); every
// length and offset is checked against the file size, and decompressed sizes are capped, so a
// malformed archive gives an Era1Error with a message, never a crash, overread or unbounded
// allocation.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <stateless/core/bytes.hpp>
#include <stateless/core/uint256.hpp>
#include <string>
#include <vector>

namespace stele::witness
{
enum class Era1Error
{
    None,
    Io,                  // the file cannot be opened or read
    Truncated,           // the file is too short for the entries its index or headers promise
    BadEntryHeader,      // an e2store entry header with a non-zero reserved field
    EntryBeyondEof,      // an entry's length runs past the end of the file (or into the index)
    NotEra1,             // no Version entry at the start, or no BlockIndex entry at the end
    BadIndex,            // count 0 or above 8192, index length not 16 + 8 * count, start overflows
    OffsetOutOfRange,    // a block offset points outside the block tuples
    WrongEntryType,      // the entries at a block offset are not header, body, receipts, TD
    BadSnappyFrame,      // a snappy framed stream that breaks the framing format
    BadCrc,              // a chunk's masked CRC-32C does not match its uncompressed data
    BadSnappyData,       // a compressed chunk that raw snappy cannot decompress
    TooLarge,            // an entry or its decompressed data exceeds the reader's limits
    BadTotalDifficulty,  // a TotalDifficulty entry that is not 32 bytes
    BadRlp,              // decompressed data that is not the RLP list it must be
    NoSuchBlock,         // a block index at or beyond count()
};

[[nodiscard]] const char* era1_error_name(Era1Error e) noexcept;

struct Era1Failure
{
    Era1Error code = Era1Error::None;
    std::string message;  // names the block and the file offset
};

struct Era1Block
{
    uint64_t number = 0;
    bytes header_rlp;    // RLP header
    bytes body_rlp;      // RLP [transactions, ommers] (later forks: more items)
    bytes receipts_rlp;  // RLP list of receipts as era1 stores them (see receipt_encodings)
    uint256 total_difficulty;
};

class Era1Reader
{
public:
    // At most 8192 blocks per archive (the accumulator's list limit, era1.md).
    static constexpr uint64_t max_blocks = 8192;
    // Caps on one compressed entry and on its decompressed data. Mainnet bodies and receipts are
    // at most a few MiB; these leave a wide margin and still bound memory on malformed input.
    static constexpr size_t max_entry_bytes = size_t{256} << 20;
    static constexpr size_t max_decoded_bytes = size_t{256} << 20;

    // Opens the archive and reads its block index; null with the failure when the file cannot be
    // read or is not a well-formed era1 archive (every offset is checked here).
    [[nodiscard]] static std::unique_ptr<Era1Reader> open(
        const std::string& path, Era1Failure& failure);
    [[nodiscard]] static std::unique_ptr<Era1Reader> open(
        const std::string& path, std::string& error);
    ~Era1Reader();
    Era1Reader(const Era1Reader&) = delete;
    Era1Reader& operator=(const Era1Reader&) = delete;

    // The number of the first block and the number of blocks.
    [[nodiscard]] uint64_t start() const noexcept
    {
        return m_start;
    }
    [[nodiscard]] uint64_t count() const noexcept
    {
        return m_offsets.size();
    }

    // Reads block start() + i (i < count()). Thread-safe (pread on a shared descriptor).
    [[nodiscard]] bool block(uint64_t i, Era1Block& out, Era1Failure& failure) const;
    [[nodiscard]] bool block(uint64_t i, Era1Block& out, std::string& error) const;

    // The archive's Accumulator entry (era1.md: the entry right before the BlockIndex): the root
    // that era1_accumulator_root gives for its blocks, and whose first 4 bytes name the file.
    [[nodiscard]] bool accumulator(hash256& out, Era1Failure& failure) const;

private:
    Era1Reader(int fd, std::string path, uint64_t size) noexcept;
    bool read_index(Era1Failure& failure);
    // Reads the entry at pos, which must have the given type, and advances pos past it.
    bool read_entry(
        uint64_t& pos, uint16_t type, const char* name, bytes& data, Era1Failure& failure) const;
    // read_entry, then the snappy framed RLP list it holds into out.
    bool read_compressed(uint64_t& pos, uint16_t type, const char* name, bytes& scratch, bytes& out,
        Era1Failure& failure) const;

    int m_fd;
    std::string m_path;
    uint64_t m_size;
    uint64_t m_index_pos = 0;  // where the BlockIndex entry starts: block tuples end here
    uint64_t m_start = 0;
    std::vector<uint64_t> m_offsets;  // absolute position of each block's CompressedHeader
};

// era1.md: header-record := {block-hash: Bytes32, total-difficulty: Uint256};
// accumulator := hash_tree_root(List[header-record, 8192]). Null for more than 8192 records.
struct Era1HeaderRecord
{
    hash256 block_hash;
    uint256 total_difficulty;
};
[[nodiscard]] std::optional<hash256> era1_accumulator_root(
    std::span<const Era1HeaderRecord> records);

// Decodes a snappy framed stream (google/snappy framing_format.txt), checking every chunk's
// masked CRC-32C; at most max_output bytes. Returns false with the failure (BadSnappyFrame,
// BadCrc, BadSnappyData or TooLarge).
[[nodiscard]] bool snappy_frame_decode(
    bytes_view framed, size_t max_output, bytes& out, Era1Failure& failure);

// CRC-32C (Castagnoli, RFC 3720 section 12.1) and the framing format's masking of it.
[[nodiscard]] uint32_t crc32c(bytes_view data) noexcept;
[[nodiscard]] constexpr uint32_t mask_crc32c(uint32_t crc) noexcept
{
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

// The block RLP [header, transactions, ommers, ...]: the header followed by the body's items.
// False when the body is not an RLP list (never for a block from Era1Reader::block).
[[nodiscard]] bool block_rlp(const Era1Block& block, bytes& out);

// One consensus encoding per receipt, as the receipts trie keys them (legacy: the RLP list;
// typed: type byte || RLP list), from era1's receipts list. False with a message when the list
// or an item is malformed.
[[nodiscard]] bool receipt_encodings(
    bytes_view receipts_rlp, std::vector<bytes>& out, std::string& error);
}  // namespace stele::witness
