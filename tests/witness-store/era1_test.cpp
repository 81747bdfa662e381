// The era1 reader (witness-rpc/era1.hpp): CRC-32C against RFC 3720's vectors, the snappy
// framing format chunk by chunk, the mainnet epoch-0 archive nimbus-eth1 published (blocks
// 0..8191: genesis and block 1 hashes, the parent chain, body and receipt roots against every
// header, total difficulties and the accumulator root the file is named after), and malformed
// copies of that archive, each of which must give its typed error, never a crash.
#include <gtest/gtest.h>
#include <snappy.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/core/ssz.hpp>
#include <stateless/trie/trie.hpp>
#include <witness-rpc/era1.hpp>

#include "../common/paths.hpp"

using namespace stele;
using namespace stele::witness;

namespace
{
const char* const kArchiveName = "mainnet-00000-5ec1ffb8.era1";

std::string archive_path()
{
    return test::fixture_dir("realblocks") + "/real-blocks/nimbus/" + kArchiveName;
}

hash256 hash_hex(std::string_view hex)
{
    const auto h = fixed_from_hex<32>(hex);
    EXPECT_TRUE(h) << hex;
    return h ? *h : hash256{};
}

bytes to_bytes(std::string_view s)
{
    return bytes(s.begin(), s.end());
}

uint64_t load_le64(const bytes& b, size_t pos)
{
    return ssz::load_le(b.data() + pos, 8);
}

bytes read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const bytes& data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(
        reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

// ---- snappy framed streams built by hand ------------------------------------------------------

bytes concat(std::initializer_list<bytes_view> parts)
{
    size_t n = 0;
    for (const auto p : parts)
        n += p.size();
    bytes r(n);
    size_t at = 0;
    for (const auto p : parts)
    {
        std::copy(p.begin(), p.end(), r.begin() + static_cast<std::ptrdiff_t>(at));
        at += p.size();
    }
    return r;
}
void append_chunk(bytes& out, uint8_t type, bytes_view data)
{
    const uint8_t header[4] = {type, static_cast<uint8_t>(data.size()),
        static_cast<uint8_t>(data.size() >> 8), static_cast<uint8_t>(data.size() >> 16)};
    out = concat({out, bytes_view{header, 4}, data});
}
void append_stream_id(bytes& out)
{
    append_chunk(out, 0xff, to_bytes("sNaPpY"));
}
// A data chunk's payload: the masked CRC-32C (little-endian) of `uncompressed`, then `payload`.
bytes with_crc(bytes_view payload, bytes_view uncompressed)
{
    const uint32_t c = mask_crc32c(crc32c(uncompressed));
    const uint8_t crc[4] = {static_cast<uint8_t>(c), static_cast<uint8_t>(c >> 8),
        static_cast<uint8_t>(c >> 16), static_cast<uint8_t>(c >> 24)};
    return concat({bytes_view{crc, 4}, payload});
}
bytes raw_compress(bytes_view data)
{
    std::string out;
    snappy::Compress(reinterpret_cast<const char*>(data.data()), data.size(), &out);
    return to_bytes(out);
}

Era1Failure decode_failure(const bytes& framed, size_t max_output = 1 << 20)
{
    bytes out;
    Era1Failure f;
    EXPECT_FALSE(snappy_frame_decode(framed, max_output, out, f));
    EXPECT_FALSE(f.message.empty());
    return f;
}

// ---- the real archive -------------------------------------------------------------------------

std::unique_ptr<Era1Reader> open_archive(const std::string& path)
{
    Era1Failure f;
    auto r = Era1Reader::open(path, f);
    EXPECT_TRUE(r) << f.message;
    return r;
}

// Where the entries of the archive lie, from its own bytes (era1.md): the index is the last
// entry, its offsets are relative to the index entry's start, and a block tuple is header,
// body, receipts, TD entries back to back.
struct Layout
{
    uint64_t count = 0;
    uint64_t index_pos = 0;
    size_t offset_pos(uint64_t i) const
    {
        return index_pos + 16 + 8 * i;
    }
};
Layout layout_of(const bytes& file)
{
    Layout l;
    l.count = load_le64(file, file.size() - 8);
    l.index_pos = file.size() - 8 - (16 + 8 * l.count);
    return l;
}
uint64_t block_pos(const bytes& file, uint64_t i)
{
    const auto l = layout_of(file);
    return l.index_pos + load_le64(file, l.offset_pos(i));
}
// The position of entry k (0 header, 1 body, 2 receipts, 3 TD) of block i.
uint64_t entry_pos(const bytes& file, uint64_t i, int k)
{
    uint64_t pos = block_pos(file, i);
    for (int j = 0; j < k; ++j)
        pos += 8 + ssz::load_le(file.data() + pos + 2, 4);
    return pos;
}

// A patched copy of the archive in a scratch directory.
std::string mutated_copy(const std::string& name, const std::function<void(bytes&)>& patch)
{
    bytes file = read_file(archive_path());
    EXPECT_GT(file.size(), 1000u);
    patch(file);
    const auto path = test::scratch_dir("era1_" + name) + "/" + kArchiveName;
    write_file(path, file);
    return path;
}

Era1Failure open_failure(const std::string& path)
{
    Era1Failure f;
    EXPECT_FALSE(Era1Reader::open(path, f));
    EXPECT_FALSE(f.message.empty());
    return f;
}

Era1Failure block_failure(const std::string& path, uint64_t i)
{
    Era1Failure f;
    auto r = Era1Reader::open(path, f);
    EXPECT_TRUE(r) << f.message;
    if (!r)
        return f;
    Era1Block b;
    EXPECT_FALSE(r->block(i, b, f));
    EXPECT_FALSE(f.message.empty());
    return f;
}
}  // namespace

TEST(Crc32c, Rfc3720Vectors)
{
    // RFC 3720 B.4 (the values as integers; the RFC lists them byte-reversed).
    EXPECT_EQ(crc32c(bytes(32, 0x00)), 0x8a9136aau);
    EXPECT_EQ(crc32c(bytes(32, 0xff)), 0x62a8ab43u);
    bytes inc(32);
    for (size_t i = 0; i < 32; ++i)
        inc[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(crc32c(inc), 0x46dd794eu);
    // The catalogue check value of CRC-32C.
    EXPECT_EQ(crc32c(to_bytes("123456789")), 0xe3069283u);
    EXPECT_EQ(crc32c({}), 0u);
}

TEST(SnappyFrame, DecodesEveryChunkKind)
{
    const bytes a = to_bytes("hello, hello, hello, hello era1");
    const bytes b = to_bytes("raw bytes");
    const bytes c(1000, 0x5a);
    bytes framed;
    append_stream_id(framed);
    append_chunk(framed, 0x00, with_crc(raw_compress(a), a));  // compressed
    append_chunk(framed, 0xfe, bytes(7, 0));                   // padding
    append_chunk(framed, 0x01, with_crc(b, b));                // uncompressed
    append_chunk(framed, 0x80, to_bytes("skip me"));           // reserved skippable
    append_stream_id(framed);                                  // repeated identifier: ignored
    append_chunk(framed, 0x02, raw_compress(c));               // compressed, no checksum
    append_chunk(framed, 0x03, b);                             // uncompressed, no checksum
    append_chunk(framed, 0x01, with_crc({}, {}));              // empty data chunk
    bytes out;
    Era1Failure f;
    ASSERT_TRUE(snappy_frame_decode(framed, 1 << 20, out, f)) << f.message;
    EXPECT_EQ(out, concat({a, b, c, b}));

    // A full 65536-byte chunk is the largest allowed.
    const bytes big(65536, 0x01);
    bytes max_chunk;
    append_stream_id(max_chunk);
    append_chunk(max_chunk, 0x00, with_crc(raw_compress(big), big));
    ASSERT_TRUE(snappy_frame_decode(max_chunk, 1 << 20, out, f)) << f.message;
    EXPECT_EQ(out, big);
}

TEST(SnappyFrame, RejectsMalformedStreams)
{
    const bytes data = to_bytes("some data");
    bytes ok;
    append_stream_id(ok);
    append_chunk(ok, 0x00, with_crc(raw_compress(data), data));

    EXPECT_EQ(decode_failure({}).code, Era1Error::BadSnappyFrame);  // empty

    bytes no_id;
    append_chunk(no_id, 0x01, with_crc(data, data));
    EXPECT_EQ(decode_failure(no_id).code, Era1Error::BadSnappyFrame);

    bytes bad_id;
    append_chunk(bad_id, 0xff, to_bytes("SnAPpY"));
    EXPECT_EQ(decode_failure(bad_id).code, Era1Error::BadSnappyFrame);

    bytes short_id;
    append_chunk(short_id, 0xff, to_bytes("sNaPp"));
    EXPECT_EQ(decode_failure(short_id).code, Era1Error::BadSnappyFrame);

    for (size_t cut = 1; cut < ok.size(); ++cut)  // every truncation but the empty stream
    {
        bytes t(ok.begin(), ok.begin() + static_cast<std::ptrdiff_t>(cut));
        if (cut == 10)
            continue;  // the identifier alone is a valid (empty) stream
        EXPECT_EQ(decode_failure(t).code, Era1Error::BadSnappyFrame) << cut;
    }

    for (const uint8_t reserved : {0x04, 0x42, 0x7f})
    {
        bytes r;
        append_stream_id(r);
        append_chunk(r, reserved, data);
        EXPECT_EQ(decode_failure(r).code, Era1Error::BadSnappyFrame) << int{reserved};
    }

    bytes bad_crc = ok;
    bad_crc[14] ^= 0x01;  // first byte of the data chunk's checksum
    EXPECT_EQ(decode_failure(bad_crc).code, Era1Error::BadCrc);

    bytes bad_uncompressed_crc;
    append_stream_id(bad_uncompressed_crc);
    append_chunk(bad_uncompressed_crc, 0x01, with_crc(data, to_bytes("other data")));
    EXPECT_EQ(decode_failure(bad_uncompressed_crc).code, Era1Error::BadCrc);

    bytes short_crc;
    append_stream_id(short_crc);
    append_chunk(short_crc, 0x01, bytes{1, 2, 3});
    EXPECT_EQ(decode_failure(short_crc).code, Era1Error::BadSnappyFrame);

    // framing_format.txt 4.2 / 4.3: at most 65536 uncompressed bytes per chunk.
    const bytes over(65537, 0x01);
    bytes too_big;
    append_stream_id(too_big);
    append_chunk(too_big, 0x00, with_crc(raw_compress(over), over));
    EXPECT_EQ(decode_failure(too_big).code, Era1Error::BadSnappyFrame);
    bytes too_big_raw;
    append_stream_id(too_big_raw);
    append_chunk(too_big_raw, 0x01, with_crc(over, over));
    EXPECT_EQ(decode_failure(too_big_raw).code, Era1Error::BadSnappyFrame);

    bytes garbage;
    append_stream_id(garbage);
    const bytes junk = {0x20, 0xff, 0xff, 0xff, 0xff, 0xff};  // claims 32 bytes, copies from -1
    append_chunk(garbage, 0x02, junk);
    EXPECT_EQ(decode_failure(garbage).code, Era1Error::BadSnappyData);
    bytes no_preamble;
    append_stream_id(no_preamble);
    append_chunk(no_preamble, 0x02, bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
    EXPECT_EQ(decode_failure(no_preamble).code, Era1Error::BadSnappyData);

    EXPECT_EQ(decode_failure(ok, data.size() - 1).code, Era1Error::TooLarge);
}

TEST(Era1Archive, OpensMainnetEpochZero)
{
    const auto r = open_archive(archive_path());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->start(), 0u);
    EXPECT_EQ(r->count(), 8192u);
}

TEST(Era1Archive, GenesisAndBlockOne)
{
    const auto r = open_archive(archive_path());
    ASSERT_TRUE(r);
    Era1Block b;
    std::string err;
    ASSERT_TRUE(r->block(0, b, err)) << err;
    EXPECT_EQ(b.number, 0u);
    EXPECT_EQ(keccak256(b.header_rlp),
        hash_hex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"));
    EXPECT_EQ(b.total_difficulty, uint256{0x400000000});  // the genesis difficulty 17179869184
    chain::BlockHeader genesis;
    ASSERT_EQ(chain::decode_header(b.header_rlp, genesis), chain::Error::ok);
    EXPECT_EQ(genesis.difficulty, uint256{17179869184});

    ASSERT_TRUE(r->block(1, b, err)) << err;
    EXPECT_EQ(b.number, 1u);
    EXPECT_EQ(keccak256(b.header_rlp),
        hash_hex("88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6"));
}

TEST(Era1Archive, EveryBlockChainsAndMatchesItsHeader)
{
    const auto r = open_archive(archive_path());
    ASSERT_TRUE(r);
    hash256 parent_hash;
    uint256 td;
    size_t ommers_total = 0;
    std::vector<Era1HeaderRecord> records;
    for (uint64_t i = 0; i < r->count(); ++i)
    {
        SCOPED_TRACE("block " + std::to_string(i));
        Era1Block b;
        std::string err;
        ASSERT_TRUE(r->block(i, b, err)) << err;
        ASSERT_EQ(b.number, r->start() + i);

        chain::BlockHeader h;
        ASSERT_EQ(chain::decode_header(b.header_rlp, h), chain::Error::ok);
        EXPECT_EQ(h.number, r->start() + i);
        EXPECT_EQ(h.hash, keccak256(b.header_rlp));
        if (i > 0)
        {
            EXPECT_EQ(h.parent_hash, parent_hash);
        }
        parent_hash = h.hash;
        td = td + h.difficulty;  // TD(n) = TD(n-1) + difficulty(n), from genesis
        EXPECT_EQ(b.total_difficulty, td);

        bytes full;
        ASSERT_TRUE(block_rlp(b, full));
        chain::Block block;
        ASSERT_EQ(chain::decode_block(full, block), chain::Error::ok);
        EXPECT_EQ(block.header.hash, h.hash);
        std::vector<bytes_view> txs;
        for (const auto& tx : block.transactions)
            txs.push_back(tx.encoded);
        EXPECT_EQ(trie::ordered_trie_root(txs), h.transactions_root);
        rlp::Decoder d{b.body_rlp};
        auto body = d.list();
        (void)body.raw();                                 // transactions
        EXPECT_EQ(keccak256(body.raw()), h.ommers_hash);  // the ommers list
        ASSERT_TRUE(d.ok());
        ommers_total += block.ommers.size();

        std::vector<bytes> receipts;
        ASSERT_TRUE(receipt_encodings(b.receipts_rlp, receipts, err)) << err;
        EXPECT_EQ(receipts.size(), block.transactions.size());
        std::vector<bytes_view> rviews(receipts.begin(), receipts.end());
        EXPECT_EQ(trie::ordered_trie_root(rviews), h.receipts_root);

        records.push_back({h.hash, b.total_difficulty});
    }
    // Early mainnet has uncles, so the ommers hash check above is not only of empty lists.
    EXPECT_GT(ommers_total, 0u);
    // The accumulator of these hashes and total difficulties is the one the archive holds, and
    // nimbus named the file after its first 4 bytes (mainnet-00000-5ec1ffb8.era1), as go-ethereum
    // does (era.Filename).
    const auto computed = era1_accumulator_root(records);
    ASSERT_TRUE(computed);
    EXPECT_EQ(to_hex(bytes_view{*computed}.first(4)), "5ec1ffb8");
    hash256 stored;
    Era1Failure f;
    ASSERT_TRUE(r->accumulator(stored, f)) << f.message;
    EXPECT_EQ(stored, *computed);
}

TEST(Era1Archive, BlockBeyondCountIsAnError)
{
    const auto r = open_archive(archive_path());
    ASSERT_TRUE(r);
    Era1Block b;
    Era1Failure f;
    EXPECT_FALSE(r->block(8192, b, f));
    EXPECT_EQ(f.code, Era1Error::NoSuchBlock);
    EXPECT_FALSE(r->block(UINT64_MAX, b, f));
    EXPECT_EQ(f.code, Era1Error::NoSuchBlock);
}

TEST(Era1Archive, MissingFileIsAnIoError)
{
    const auto f = open_failure(test::scratch_dir("era1_missing") + "/none.era1");
    EXPECT_EQ(f.code, Era1Error::Io);
    EXPECT_EQ(open_failure(test::scratch_dir("era1_dir")).code, Era1Error::Io);
}

TEST(Era1Malformed, TruncatedFile)
{
    const bytes file = read_file(archive_path());
    for (const size_t size : {size_t{0}, size_t{7}, size_t{8}, size_t{39}, size_t{4000},
             file.size() / 2, file.size() - 8, file.size() - 1})
    {
        SCOPED_TRACE("size " + std::to_string(size));
        const auto path = mutated_copy("truncated", [&](bytes& f) { f.resize(size); });
        const auto fail = open_failure(path);
        EXPECT_TRUE(fail.code == Era1Error::Truncated || fail.code == Era1Error::BadIndex ||
                    fail.code == Era1Error::NotEra1)
            << era1_error_name(fail.code) << ": " << fail.message;
    }
    EXPECT_EQ(open_failure(mutated_copy("trunc4", [](bytes& f) { f.resize(4); })).code,
        Era1Error::Truncated);
}

TEST(Era1Malformed, BadCrc)
{
    // Block 0's header: entry header (8), stream identifier chunk (10), chunk header (4), then
    // the masked CRC-32C.
    const auto path =
        mutated_copy("crc", [](bytes& f) { f[entry_pos(f, 0, 0) + 8 + 10 + 4] ^= 0x40; });
    const auto fail = block_failure(path, 0);
    EXPECT_EQ(fail.code, Era1Error::BadCrc) << fail.message;
    EXPECT_NE(fail.message.find("block 0"), std::string::npos) << fail.message;
    EXPECT_NE(fail.message.find("CompressedHeader"), std::string::npos) << fail.message;

    // A flipped data byte of block 7's receipts (an uncompressed chunk in this archive).
    const auto data_path =
        mutated_copy("crc_data", [](bytes& f) { f[entry_pos(f, 7, 2) + 8 + 10 + 4 + 4] ^= 0x01; });
    EXPECT_EQ(block_failure(data_path, 7).code, Era1Error::BadCrc);
    // The other blocks still read.
    auto r = open_archive(data_path);
    ASSERT_TRUE(r);
    Era1Block b;
    std::string err;
    EXPECT_TRUE(r->block(6, b, err)) << err;
    EXPECT_TRUE(r->block(8, b, err)) << err;
}

TEST(Era1Malformed, EntryLengthBeyondEof)
{
    const auto path = mutated_copy("beyond_eof",
        [](bytes& f)
        {
            const auto pos = entry_pos(f, 5, 1);  // block 5's body
            f[pos + 2] = f[pos + 3] = f[pos + 4] = f[pos + 5] = 0xff;
        });
    const auto fail = block_failure(path, 5);
    EXPECT_EQ(fail.code, Era1Error::EntryBeyondEof) << fail.message;
    EXPECT_NE(fail.message.find("CompressedBody"), std::string::npos) << fail.message;

    // The last block's TD entry running past the Accumulator entry (40 bytes) into the index.
    const auto into_index =
        mutated_copy("into_index", [](bytes& f) { f[entry_pos(f, 8191, 3) + 2] = 32 + 40 + 1; });
    EXPECT_EQ(block_failure(into_index, 8191).code, Era1Error::EntryBeyondEof);
}

TEST(Era1Malformed, NonZeroReservedField)
{
    const auto path = mutated_copy("reserved", [](bytes& f) { f[entry_pos(f, 3, 0) + 7] = 0x01; });
    const auto fail = block_failure(path, 3);
    EXPECT_EQ(fail.code, Era1Error::BadEntryHeader) << fail.message;

    EXPECT_EQ(open_failure(mutated_copy("reserved_version", [](bytes& f) { f[6] = 1; })).code,
        Era1Error::BadEntryHeader);
    EXPECT_EQ(open_failure(mutated_copy("reserved_index",
                               [](bytes& f) { f[layout_of(f).index_pos + 6] = 1; }))
                  .code,
        Era1Error::BadEntryHeader);
}

TEST(Era1Malformed, IndexOffsetOutOfRange)
{
    auto set_offset = [](bytes& f, uint64_t i, int64_t value)
    { ssz::store_le(f.data() + layout_of(f).offset_pos(i), static_cast<uint64_t>(value), 8); };
    const int64_t index_pos = static_cast<int64_t>(layout_of(read_file(archive_path())).index_pos);
    for (const int64_t bad :
        {int64_t{0}, int64_t{16}, int64_t{-1}, -index_pos, -index_pos + 7, INT64_MIN, INT64_MAX})
    {
        SCOPED_TRACE("offset " + std::to_string(bad));
        const auto path = mutated_copy("offset", [&](bytes& f) { set_offset(f, 3, bad); });
        const auto fail = open_failure(path);
        EXPECT_EQ(fail.code, Era1Error::OffsetOutOfRange) << fail.message;
        EXPECT_NE(fail.message.find("block 3"), std::string::npos) << fail.message;
    }
    // In range but not at a block tuple: block 2's offset pointing at block 1's body entry.
    const auto path = mutated_copy("offset_misplaced",
        [&](bytes& f)
        {
            set_offset(f, 2,
                static_cast<int64_t>(entry_pos(f, 1, 1)) -
                    static_cast<int64_t>(layout_of(f).index_pos));
        });
    EXPECT_EQ(block_failure(path, 2).code, Era1Error::WrongEntryType);
}

TEST(Era1Malformed, BadIndexAndVersion)
{
    // A count that does not match the index (8191 instead of 8192: the index entry would start
    // 8 bytes later, where no entry header is).
    EXPECT_EQ(open_failure(mutated_copy("count",
                               [](bytes& f)
                               {
                                   f[f.size() - 8] = 0xff;
                                   f[f.size() - 7] = 0x1f;
                               }))
                  .code,
        Era1Error::NotEra1);
    EXPECT_EQ(
        open_failure(mutated_copy("count8193", [](bytes& f) { f[f.size() - 8] = 0x01; })).code,
        Era1Error::BadIndex);
    EXPECT_EQ(open_failure(mutated_copy("count0",
                               [](bytes& f) { std::fill(f.end() - 8, f.end(), uint8_t{0}); }))
                  .code,
        Era1Error::BadIndex);
    EXPECT_EQ(open_failure(mutated_copy("version", [](bytes& f) { f[0] = 0x66; })).code,
        Era1Error::NotEra1);
    // A starting number so high that start + count overflows.
    EXPECT_EQ(open_failure(
                  mutated_copy("start",
                      [](bytes& f)
                      {
                          std::fill(
                              f.begin() + static_cast<std::ptrdiff_t>(layout_of(f).index_pos + 8),
                              f.begin() + static_cast<std::ptrdiff_t>(layout_of(f).index_pos + 16),
                              uint8_t{0xff});
                      }))
                  .code,
        Era1Error::BadIndex);
    // A TotalDifficulty entry of 24 bytes (the next block is found through the index, so the
    // rest of the file stays readable).
    const auto td_path = mutated_copy("td", [](bytes& f) { f[entry_pos(f, 4, 3) + 2] = 24; });
    EXPECT_EQ(block_failure(td_path, 4).code, Era1Error::BadTotalDifficulty);
    const auto swapped = mutated_copy("swapped", [](bytes& f) { f[entry_pos(f, 4, 3)] = 0x05; });
    EXPECT_EQ(block_failure(swapped, 4).code, Era1Error::WrongEntryType);
}

// Every single-bit flip over the first blocks and the last block gives a clean result: an error
// with a message, or (where no checksum covers the byte, as in a TotalDifficulty) a block.
TEST(Era1Malformed, BitFlipsNeverCrash)
{
    const bytes original = read_file(archive_path());
    const auto dir = test::scratch_dir("era1_flips");
    const auto path = dir + "/" + kArchiveName;
    const uint64_t last = block_pos(original, 8191);
    std::vector<size_t> positions;
    for (size_t p = 0; p < entry_pos(original, 3, 0); ++p)
        positions.push_back(p);
    for (size_t p = last; p < original.size(); p += (p < last + 1200 ? 1 : 97))
        positions.push_back(p);
    size_t errors = 0;
    bytes file = original;
    write_file(path, file);
    for (const size_t p : positions)
    {
        std::fstream io(path, std::ios::binary | std::ios::in | std::ios::out);
        io.seekp(static_cast<std::streamoff>(p));
        io.put(static_cast<char>(original[p] ^ 0x10));
        io.close();
        Era1Failure f;
        auto r = Era1Reader::open(path, f);
        bool failed = !r;
        for (uint64_t i : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{8191}})
        {
            Era1Block b;
            Era1Failure bf;
            if (r && !r->block(i, b, bf) && !failed)
            {
                failed = true;
                f = bf;
            }
        }
        if (failed)
        {
            EXPECT_NE(f.code, Era1Error::None) << p;
            EXPECT_FALSE(f.message.empty()) << p;
            ++errors;
        }
        io.open(path, std::ios::binary | std::ios::in | std::ios::out);
        io.seekp(static_cast<std::streamoff>(p));
        io.put(static_cast<char>(original[p]));
    }
    // Most bytes are covered by a checksum, an entry header or the index.
    EXPECT_GT(errors, positions.size() / 2);
}

TEST(Era1Malformed, AccumulatorEntry)
{
    const auto path = mutated_copy("accumulator", [](bytes& f)
        { f[layout_of(f).index_pos - 40] = 0x06; });  // a TotalDifficulty type in its place
    auto r = open_archive(path);
    ASSERT_TRUE(r);
    hash256 root;
    Era1Failure f;
    EXPECT_FALSE(r->accumulator(root, f));
    EXPECT_EQ(f.code, Era1Error::WrongEntryType) << f.message;

    const std::vector<Era1HeaderRecord> too_many(8193);
    EXPECT_FALSE(era1_accumulator_root(too_many));
}

// era1 stores receipts as go-ethereum's types.Receipts RLP: a list whose legacy receipts are
// lists and whose typed receipts are strings holding the EIP-2718 envelope. (The epoch-0
// archive has no transactions, so these are built with the engine's consensus encoder.)
TEST(Era1Receipts, ConsensusEncodingsFromTheStoredList)
{
    chain::Receipt legacy;
    legacy.success = true;
    legacy.cumulative_gas = 21000;
    chain::Receipt pre_byzantium;
    pre_byzantium.post_state = hash_hex(std::string(64, 'a'));
    pre_byzantium.cumulative_gas = 42000;
    pre_byzantium.logs.push_back({address{}, {hash256{}}, bytes{1, 2, 3}});
    chain::Receipt typed;
    typed.type = 2;
    typed.success = false;
    typed.cumulative_gas = 63000;
    const std::vector<bytes> expected = {chain::encode_receipt(legacy),
        chain::encode_receipt(pre_byzantium), chain::encode_receipt(typed)};

    bytes stored;
    rlp::Encoder e{stored};
    const size_t m = e.begin_list();
    e.raw(expected[0]).raw(expected[1]).string(expected[2]);
    e.end_list(m);
    std::vector<bytes> got;
    std::string err;
    ASSERT_TRUE(receipt_encodings(stored, got, err)) << err;
    EXPECT_EQ(got, expected);

    ASSERT_TRUE(receipt_encodings(bytes{0xc0}, got, err)) << err;
    EXPECT_TRUE(got.empty());

    auto refused = [](const bytes& list_payload_item)
    {
        bytes b;
        rlp::Encoder enc{b};
        const size_t mark = enc.begin_list();
        enc.raw(list_payload_item);
        enc.end_list(mark);
        std::vector<bytes> out;
        std::string error;
        EXPECT_FALSE(receipt_encodings(b, out, error));
        EXPECT_FALSE(error.empty());
    };
    refused(rlp::encode_string(bytes{}));                  // empty envelope
    refused(rlp::encode_string(bytes{0x00, 0xc0}));        // type 0 is not a typed receipt
    refused(rlp::encode_string(bytes{0x80, 0xc0}));        // nor is 0x80
    refused(rlp::encode_string(bytes{0x02, 0x80}));        // the payload is not a list
    refused(rlp::encode_string(bytes{0x02, 0xc1}));        // a cut-off list
    refused(rlp::encode_string(bytes{0x02, 0xc0, 0x00}));  // trailing bytes
    refused(bytes{0xc2, 0x81, 0x00});                      // a non-canonical legacy list

    std::vector<bytes> out;
    EXPECT_FALSE(receipt_encodings(bytes{0x80}, out, err));        // not a list
    EXPECT_FALSE(receipt_encodings(bytes{0xc0, 0xc0}, out, err));  // trailing bytes
    EXPECT_FALSE(receipt_encodings(bytes{}, out, err));
}
