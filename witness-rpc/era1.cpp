#include "era1.hpp"

#include <fcntl.h>
#include <snappy.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stateless/core/rlp.hpp>
#include <stateless/core/ssz.hpp>
#include <stateless/crypto/sha256.hpp>

namespace stele::witness
{
namespace
{
// e2store / era1 entry types, the 2-byte type read as little-endian (era1.md).
constexpr uint16_t kTypeVersion = 0x3265;  // "e2"
constexpr uint16_t kTypeCompressedHeader = 0x03;
constexpr uint16_t kTypeCompressedBody = 0x04;
constexpr uint16_t kTypeCompressedReceipts = 0x05;
constexpr uint16_t kTypeTotalDifficulty = 0x06;
constexpr uint16_t kTypeAccumulator = 0x07;
constexpr uint16_t kTypeBlockIndex = 0x3266;

constexpr uint64_t kEntryHeaderSize = 8;
// framing_format.txt 4.2 / 4.3: a data chunk holds at most 65536 uncompressed bytes.
constexpr size_t kMaxChunkData = 65536;

uint64_t le64(const uint8_t* p) noexcept
{
    return ssz::load_le(p, 8);
}

struct EntryHeader
{
    uint16_t type = 0;
    uint32_t length = 0;
    uint16_t reserved = 0;
};
EntryHeader parse_entry_header(const uint8_t* p) noexcept
{
    return {static_cast<uint16_t>(ssz::load_le(p, 2)),
        static_cast<uint32_t>(ssz::load_le(p + 2, 4)),
        static_cast<uint16_t>(ssz::load_le(p + 6, 2))};
}

bool fail(Era1Failure& f, Era1Error code, std::string message)
{
    f.code = code;
    f.message = std::move(message);
    return false;
}

std::string hex16(uint16_t v)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04x", unsigned{v});
    return buf;
}
std::string hex32(uint32_t v)
{
    char buf[12];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

constexpr std::array<uint32_t, 256> make_crc32c_table() noexcept
{
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i)
    {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;  // reflected Castagnoli polynomial
        t[i] = c;
    }
    return t;
}
constexpr auto kCrc32cTable = make_crc32c_table();

// Appends one data chunk's payload (compressed or not, with or without its checksum) to out.
bool decode_data_chunk(
    uint8_t type, bytes_view chunk, size_t max_output, bytes& out, Era1Failure& failure, size_t at)
{
    const bool compressed = type == 0x00 || type == 0x02;
    const bool checksummed = type == 0x00 || type == 0x01;
    const std::string where = " (chunk at byte " + std::to_string(at) + ")";
    uint32_t stored_crc = 0;
    if (checksummed)
    {
        if (chunk.size() < 4)
            return fail(failure, Era1Error::BadSnappyFrame,
                "snappy frame: data chunk too short for its checksum" + where);
        stored_crc = static_cast<uint32_t>(ssz::load_le(chunk.data(), 4));
        chunk = chunk.subspan(4);
    }
    const auto* src = reinterpret_cast<const char*>(chunk.data());
    size_t n = chunk.size();
    if (compressed && !snappy::GetUncompressedLength(src, chunk.size(), &n))
        return fail(failure, Era1Error::BadSnappyData,
            "snappy frame: compressed chunk without a valid length preamble" + where);
    if (n > kMaxChunkData)
        return fail(failure, Era1Error::BadSnappyFrame,
            "snappy frame: chunk of " + std::to_string(n) + " uncompressed bytes exceeds 65536" +
                where);
    if (n > max_output - out.size())
        return fail(failure, Era1Error::TooLarge,
            "snappy frame: decompressed data exceeds " + std::to_string(max_output) + " bytes" +
                where);
    const size_t begin = out.size();
    out.resize(begin + n);
    if (compressed)
    {
        if (!snappy::RawUncompress(src, chunk.size(), reinterpret_cast<char*>(out.data() + begin)))
            return fail(failure, Era1Error::BadSnappyData,
                "snappy frame: compressed chunk does not decompress" + where);
    }
    else if (n != 0)
        std::memcpy(out.data() + begin, chunk.data(), n);
    if (checksummed)
    {
        const uint32_t actual = mask_crc32c(crc32c(bytes_view{out}.subspan(begin)));
        if (actual != stored_crc)
            return fail(failure, Era1Error::BadCrc,
                "snappy frame: masked CRC-32C " + hex32(actual) +
                    " of the data does not match the stored " + hex32(stored_crc) + where);
    }
    return true;
}

bool read_at(int fd, uint64_t pos, uint8_t* buf, size_t len, Era1Failure& failure)
{
    while (len > 0)
    {
        const ssize_t r = ::pread(fd, buf, len, static_cast<off_t>(pos));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fail(failure, Era1Error::Io,
                "read at offset " + std::to_string(pos) + ": " + std::strerror(errno));
        if (r == 0)
            return fail(failure, Era1Error::Truncated,
                "file ends at offset " + std::to_string(pos) + " (it changed while open?)");
        buf += r;
        len -= static_cast<size_t>(r);
        pos += static_cast<uint64_t>(r);
    }
    return true;
}

// Prefixes the failure's message with the file (and the block) it concerns.
bool with_context(Era1Failure& failure, const std::string& context)
{
    failure.message = context + ": " + failure.message;
    return false;
}
}  // namespace

const char* era1_error_name(Era1Error e) noexcept
{
    switch (e)
    {
        case Era1Error::None:
            return "none";
        case Era1Error::Io:
            return "io";
        case Era1Error::Truncated:
            return "truncated";
        case Era1Error::BadEntryHeader:
            return "bad entry header";
        case Era1Error::EntryBeyondEof:
            return "entry beyond end of file";
        case Era1Error::NotEra1:
            return "not an era1 archive";
        case Era1Error::BadIndex:
            return "bad block index";
        case Era1Error::OffsetOutOfRange:
            return "block offset out of range";
        case Era1Error::WrongEntryType:
            return "wrong entry type";
        case Era1Error::BadSnappyFrame:
            return "bad snappy frame";
        case Era1Error::BadCrc:
            return "bad crc";
        case Era1Error::BadSnappyData:
            return "bad snappy data";
        case Era1Error::TooLarge:
            return "too large";
        case Era1Error::BadTotalDifficulty:
            return "bad total difficulty";
        case Era1Error::BadRlp:
            return "bad rlp";
        case Era1Error::NoSuchBlock:
            return "no such block";
    }
    return "unknown";
}

uint32_t crc32c(bytes_view data) noexcept
{
    uint32_t c = 0xffffffffu;
    for (const uint8_t b : data)
        c = kCrc32cTable[(c ^ b) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

bool snappy_frame_decode(bytes_view framed, size_t max_output, bytes& out, Era1Failure& failure)
{
    out.clear();
    static constexpr uint8_t kStreamId[] = {'s', 'N', 'a', 'P', 'p', 'Y'};
    bool seen_stream_id = false;
    size_t pos = 0;
    while (pos < framed.size())
    {
        const size_t at = pos;
        if (framed.size() - pos < 4)
            return fail(failure, Era1Error::BadSnappyFrame,
                "snappy frame: chunk header cut off at byte " + std::to_string(at));
        const uint8_t type = framed[pos];
        const size_t len = size_t{framed[pos + 1]} | (size_t{framed[pos + 2]} << 8) |
                           (size_t{framed[pos + 3]} << 16);
        pos += 4;
        if (len > framed.size() - pos)
            return fail(failure, Era1Error::BadSnappyFrame,
                "snappy frame: chunk of " + std::to_string(len) + " bytes at byte " +
                    std::to_string(at) + " runs past the end of the stream");
        const bytes_view chunk = framed.subspan(pos, len);
        pos += len;
        // framing_format.txt 4.1: the stream identifier comes first (and may repeat).
        if (!seen_stream_id && type != 0xff)
            return fail(failure, Era1Error::BadSnappyFrame,
                "snappy frame: the stream does not start with the stream identifier");
        if (type == 0xff)
        {
            if (len != sizeof kStreamId || std::memcmp(chunk.data(), kStreamId, len) != 0)
                return fail(failure, Era1Error::BadSnappyFrame,
                    "snappy frame: bad stream identifier at byte " + std::to_string(at));
            seen_stream_id = true;
        }
        // 4.2-4.5: data chunks (0x02 and 0x03 are the checksum-less variants of 2022-05-23).
        else if (type <= 0x03)
        {
            if (!decode_data_chunk(type, chunk, max_output, out, failure, at))
                return false;
        }
        // 4.7: reserved unskippable chunks.
        else if (type <= 0x7f)
            return fail(failure, Era1Error::BadSnappyFrame,
                "snappy frame: reserved unskippable chunk type " + std::to_string(type) +
                    " at byte " + std::to_string(at));
        // 4.6 / 4.8: padding (0xfe) and reserved skippable chunks (0x80-0xfd) are skipped.
    }
    if (!seen_stream_id)
        return fail(failure, Era1Error::BadSnappyFrame, "snappy frame: empty stream");
    return true;
}

Era1Reader::Era1Reader(int fd, std::string path, uint64_t size) noexcept
    : m_fd{fd}, m_path{std::move(path)}, m_size{size}
{
}

Era1Reader::~Era1Reader()
{
    ::close(m_fd);
}

std::unique_ptr<Era1Reader> Era1Reader::open(const std::string& path, Era1Failure& failure)
{
    failure = {};
    const std::string context = "era1 " + path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
    {
        fail(failure, Era1Error::Io, std::string{"cannot open: "} + std::strerror(errno));
        with_context(failure, context);
        return nullptr;
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    {
        fail(failure, Era1Error::Io, "not a regular file");
        with_context(failure, context);
        ::close(fd);
        return nullptr;
    }
    std::unique_ptr<Era1Reader> r{new Era1Reader(fd, path, static_cast<uint64_t>(st.st_size))};
    if (!r->read_index(failure))
    {
        with_context(failure, context);
        return nullptr;
    }
    return r;
}

std::unique_ptr<Era1Reader> Era1Reader::open(const std::string& path, std::string& error)
{
    Era1Failure failure;
    auto r = open(path, failure);
    if (!r)
        error = failure.message;
    return r;
}

bool Era1Reader::read_index(Era1Failure& failure)
{
    const uint64_t size = m_size;
    uint8_t head[kEntryHeaderSize];
    if (size < kEntryHeaderSize)
        return fail(failure, Era1Error::Truncated,
            "file of " + std::to_string(size) + " bytes has no room for the Version entry");
    if (!read_at(m_fd, 0, head, sizeof head, failure))
        return false;
    const auto version = parse_entry_header(head);
    if (version.type != kTypeVersion)
        return fail(failure, Era1Error::NotEra1,
            "first entry has type " + hex16(version.type) + ", not Version (0x3265)");
    if (version.reserved != 0)
        return fail(
            failure, Era1Error::BadEntryHeader, "Version entry has a non-zero reserved field");
    if (version.length != 0)
        return fail(failure, Era1Error::NotEra1, "Version entry is not empty");

    // The BlockIndex is the last entry: its last 8 bytes are the block count, which fixes where
    // the entry starts (era1.md).
    if (size < 2 * kEntryHeaderSize + 16)
        return fail(failure, Era1Error::Truncated,
            "file of " + std::to_string(size) + " bytes has no room for a block index");
    uint8_t tail[8];
    if (!read_at(m_fd, size - 8, tail, sizeof tail, failure))
        return false;
    const uint64_t count = le64(tail);
    if (count == 0 || count > max_blocks)
        return fail(failure, Era1Error::BadIndex,
            "block count " + std::to_string(count) +
                " (the file's last 8 bytes) is not in 1..8192: truncated, or not an era1 archive");
    const uint64_t index_len = 16 + 8 * count;
    if (size < 2 * kEntryHeaderSize + index_len)
        return fail(failure, Era1Error::Truncated,
            "file of " + std::to_string(size) + " bytes is too short for a block index of " +
                std::to_string(count) + " blocks");
    const uint64_t index_pos = size - kEntryHeaderSize - index_len;
    bytes index(kEntryHeaderSize + index_len);
    if (!read_at(m_fd, index_pos, index.data(), index.size(), failure))
        return false;
    const auto ih = parse_entry_header(index.data());
    if (ih.type != kTypeBlockIndex)
        return fail(failure, Era1Error::NotEra1,
            "entry at offset " + std::to_string(index_pos) + " has type " + hex16(ih.type) +
                ", not BlockIndex (0x3266), for " + std::to_string(count) + " blocks");
    if (ih.reserved != 0)
        return fail(
            failure, Era1Error::BadEntryHeader, "BlockIndex entry has a non-zero reserved field");
    if (ih.length != index_len)
        return fail(failure, Era1Error::BadIndex,
            "BlockIndex entry has length " + std::to_string(ih.length) + ", expected " +
                std::to_string(index_len) + " for " + std::to_string(count) + " blocks");
    const uint8_t* p = index.data() + kEntryHeaderSize;
    m_start = le64(p);
    if (m_start > UINT64_MAX - count)
        return fail(failure, Era1Error::BadIndex,
            "starting number " + std::to_string(m_start) + " + count overflows");
    m_index_pos = index_pos;
    m_offsets.resize(count);
    for (uint64_t i = 0; i < count; ++i)
    {
        // Relative to the start of the BlockIndex entry; a block tuple lies between the Version
        // entry and the index, so the offset is negative and at least one entry header away.
        const uint64_t rel = le64(p + 8 + 8 * i);
        const uint64_t back = 0 - rel;  // -offset, as unsigned (defined for every value)
        if (static_cast<int64_t>(rel) >= 0 || back > index_pos - kEntryHeaderSize ||
            back < kEntryHeaderSize)
            return fail(failure, Era1Error::OffsetOutOfRange,
                "offset " + std::to_string(static_cast<int64_t>(rel)) + " of block " +
                    std::to_string(m_start + i) + " points outside the block data (bytes 8.." +
                    std::to_string(index_pos) + ")");
        m_offsets[i] = index_pos - back;
    }
    return true;
}

bool Era1Reader::read_entry(
    uint64_t& pos, uint16_t type, const char* name, bytes& data, Era1Failure& failure) const
{
    const std::string where = std::string{name} + " entry at offset " + std::to_string(pos);
    uint8_t head[kEntryHeaderSize];
    if (pos > m_index_pos || m_index_pos - pos < kEntryHeaderSize)
        return fail(failure, Era1Error::EntryBeyondEof,
            where + ": no room for the entry header before the block index");
    if (!read_at(m_fd, pos, head, sizeof head, failure))
        return false;
    const auto h = parse_entry_header(head);
    if (h.reserved != 0)
        return fail(failure, Era1Error::BadEntryHeader,
            where + ": non-zero reserved field " + std::to_string(h.reserved));
    if (h.type != type)
        return fail(failure, Era1Error::WrongEntryType,
            where + ": type " + hex16(h.type) + ", expected " + hex16(type));
    const uint64_t data_pos = pos + kEntryHeaderSize;
    if (h.length > m_size - data_pos)
        return fail(failure, Era1Error::EntryBeyondEof,
            where + ": length " + std::to_string(h.length) + " runs past the end of the file (" +
                std::to_string(m_size) + " bytes)");
    if (h.length > m_index_pos - data_pos)
        return fail(failure, Era1Error::EntryBeyondEof,
            where + ": length " + std::to_string(h.length) + " runs into the block index at " +
                std::to_string(m_index_pos));
    if (h.length > max_entry_bytes)
        return fail(failure, Era1Error::TooLarge,
            where + ": length " + std::to_string(h.length) + " exceeds the reader's limit");
    data.resize(h.length);
    if (!read_at(m_fd, data_pos, data.data(), data.size(), failure))
        return false;
    pos = data_pos + h.length;
    return true;
}

bool Era1Reader::read_compressed(uint64_t& pos, uint16_t type, const char* name, bytes& scratch,
    bytes& out, Era1Failure& failure) const
{
    const uint64_t at = pos;
    if (!read_entry(pos, type, name, scratch, failure))
        return false;
    if (!snappy_frame_decode(scratch, max_decoded_bytes, out, failure))
    {
        failure.message =
            std::string{name} + " entry at offset " + std::to_string(at) + ": " + failure.message;
        return false;
    }
    // Each of header, body and receipts is one RLP list (era1.md: snappyFramed(rlp(...))).
    rlp::Item item;
    auto e = rlp::validate(out);
    if (e == rlp::Error::ok && (rlp::decode_item(out, item) != rlp::Error::ok || !item.is_list))
        e = rlp::Error::unexpected_string;
    if (e != rlp::Error::ok)
        return fail(failure, Era1Error::BadRlp,
            std::string{name} + " entry at offset " + std::to_string(at) +
                ": not one canonical RLP list (" + rlp::error_name(e) + ")");
    return true;
}

bool Era1Reader::block(uint64_t i, Era1Block& out, Era1Failure& failure) const
{
    failure = {};
    if (i >= count())
    {
        fail(failure, Era1Error::NoSuchBlock,
            "block index " + std::to_string(i) + " is not below the count " +
                std::to_string(count()));
        return with_context(failure, "era1 " + m_path);
    }
    out.number = m_start + i;
    const std::string context = "era1 " + m_path + ": block " + std::to_string(out.number);
    uint64_t pos = m_offsets[i];
    bytes scratch;
    if (!read_compressed(
            pos, kTypeCompressedHeader, "CompressedHeader", scratch, out.header_rlp, failure) ||
        !read_compressed(
            pos, kTypeCompressedBody, "CompressedBody", scratch, out.body_rlp, failure) ||
        !read_compressed(
            pos, kTypeCompressedReceipts, "CompressedReceipts", scratch, out.receipts_rlp, failure))
        return with_context(failure, context);
    const uint64_t td_pos = pos;
    if (!read_entry(pos, kTypeTotalDifficulty, "TotalDifficulty", scratch, failure))
        return with_context(failure, context);
    if (scratch.size() != 32)
    {
        fail(failure, Era1Error::BadTotalDifficulty,
            "TotalDifficulty entry at offset " + std::to_string(td_pos) + " has " +
                std::to_string(scratch.size()) + " bytes, not 32");
        return with_context(failure, context);
    }
    // A little-endian uint256 (era1.md: uint256(header.total_difficulty)).
    for (size_t w = 0; w < 4; ++w)
        out.total_difficulty[w] = le64(scratch.data() + 8 * w);

    // The body must be a list of lists (transactions, ommers, ...) to form a block with.
    rlp::Decoder d{out.body_rlp};
    auto items = d.list();
    size_t lists = 0;
    while (!items.at_end() && items.next_is_list())
    {
        (void)items.item();
        ++lists;
    }
    if (!items.at_end() || !d.ok() || lists < 2)
    {
        fail(failure, Era1Error::BadRlp, "body is not a list of at least two lists");
        return with_context(failure, context);
    }
    return true;
}

bool Era1Reader::block(uint64_t i, Era1Block& out, std::string& error) const
{
    Era1Failure failure;
    if (block(i, out, failure))
        return true;
    error = failure.message;
    return false;
}

bool Era1Reader::accumulator(hash256& out, Era1Failure& failure) const
{
    failure = {};
    constexpr uint64_t entry_size = kEntryHeaderSize + 32;
    if (m_index_pos < kEntryHeaderSize + entry_size)
    {
        fail(failure, Era1Error::Truncated, "no room for an Accumulator entry before the index");
        return with_context(failure, "era1 " + m_path);
    }
    uint64_t pos = m_index_pos - entry_size;
    bytes data;
    if (!read_entry(pos, kTypeAccumulator, "Accumulator", data, failure))
        return with_context(failure, "era1 " + m_path);
    if (data.size() != 32 || pos != m_index_pos)
    {
        fail(failure, Era1Error::NotEra1, "the Accumulator entry is not 32 bytes");
        return with_context(failure, "era1 " + m_path);
    }
    out = hash256::from(data);
    return true;
}

std::optional<hash256> era1_accumulator_root(std::span<const Era1HeaderRecord> records)
{
    if (records.size() > Era1Reader::max_blocks)
        return std::nullopt;
    std::vector<hash256> leaves;
    leaves.reserve(records.size());
    for (const auto& r : records)
    {
        // A container of two 32-byte fields: the hash of its two leaves (the uint256 as SSZ
        // encodes it, little-endian).
        hash256 td;
        for (size_t w = 0; w < 4; ++w)
            ssz::store_le(td.data() + 8 * w, r.total_difficulty[w], 8);
        leaves.push_back(crypto::sha256_pair(r.block_hash, td));
    }
    return ssz::mix_in_length(ssz::merkleize(leaves, Era1Reader::max_blocks), records.size());
}

bool block_rlp(const Era1Block& block, bytes& out)
{
    rlp::Item body;
    if (rlp::decode_item(block.body_rlp, body) != rlp::Error::ok || !body.is_list)
        return false;
    out.clear();
    out.reserve(rlp::list_size(block.header_rlp.size() + body.payload.size()));
    rlp::append_list_header(out, block.header_rlp.size() + body.payload.size());
    out.insert(out.end(), block.header_rlp.begin(), block.header_rlp.end());
    out.insert(out.end(), body.payload.begin(), body.payload.end());
    return true;
}

bool receipt_encodings(bytes_view receipts_rlp, std::vector<bytes>& out, std::string& error)
{
    out.clear();
    rlp::Decoder d{receipts_rlp};
    auto list = d.list();
    while (!list.at_end())
    {
        const size_t i = out.size();
        if (list.next_is_list())
        {
            // Legacy receipt: [status/post-state, cumulative gas, bloom, logs].
            const auto encoded = list.raw();
            if (list.ok())
                out.emplace_back(encoded.begin(), encoded.end());
            continue;
        }
        // Typed receipt (EIP-2718): an RLP string holding type || RLP list.
        const auto envelope = list.string();
        if (!list.ok())
            break;
        rlp::Item inner;
        if (envelope.empty() || envelope[0] == 0 || envelope[0] >= 0x80 ||
            rlp::validate(envelope.subspan(1)) != rlp::Error::ok ||
            rlp::decode_item(envelope.subspan(1), inner) != rlp::Error::ok || !inner.is_list)
        {
            error = "receipt " + std::to_string(i) + " is neither a list nor a typed envelope";
            return false;
        }
        out.emplace_back(envelope.begin(), envelope.end());
    }
    list.finish();
    d.finish();
    if (!d.ok())
    {
        error = std::string{"receipts: "} + rlp::error_name(d.error());
        return false;
    }
    return true;
}
}  // namespace stele::witness
