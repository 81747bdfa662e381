// The LMDB chain store: round trips through a write batch, durability across reopen, atomic
// batches, refusal of other format versions, and concurrent readers.
#include <gtest/gtest.h>
#include <lmdb.h>

#include <atomic>
#include <filesystem>
#include <stateless/core/keccak.hpp>
#include <thread>
#include <witness-rpc/store.hpp>

#include "../common/paths.hpp"

using namespace stele;
using stele::witness::ChainStore;

namespace
{
bytes b(std::initializer_list<uint8_t> v)
{
    return bytes(v);
}
hash256 h(uint8_t x)
{
    hash256 r;
    r.bytes[0] = x;
    return r;
}

// Writes blocks 0..n-1 with synthetic contents (hash h(i), header [i], one tx h(100+i)).
void write_chain(ChainStore& s, uint8_t n)
{
    std::string err;
    auto batch = s.begin_write(err);
    ASSERT_TRUE(batch) << err;
    for (uint8_t i = 0; i < n; ++i)
    {
        const bytes header = b({0xc1, static_cast<uint8_t>(0x01 + i)});
        const bytes body = b({0xc0, 0xc0});  // no transactions, no ommers
        ASSERT_TRUE(batch->put_block(h(i), i, header, body, {b({0x01, 0xc0}), b({0xc0})},
            {h(static_cast<uint8_t>(100 + i))}))
            << batch->error();
    }
    ASSERT_TRUE(batch->set_head(n - 1u));
    ASSERT_TRUE(batch->commit(err)) << err;
}
}  // namespace

TEST(ChainStore, RoundTripAndReopen)
{
    const auto dir = test::scratch_dir("store_roundtrip");
    std::string err;
    {
        auto s = ChainStore::open(dir, true, err);
        ASSERT_TRUE(s) << err;
        EXPECT_FALSE(s->has_head());
        write_chain(*s, 3);
        const bytes node = b({0xc2, 0x80, 0x80});
        auto batch = s->begin_write(err);
        ASSERT_TRUE(batch) << err;
        ASSERT_TRUE(batch->put_node(keccak256(node), node));
        ASSERT_TRUE(batch->put_code(keccak256(b({0x60, 0x00})), b({0x60, 0x00})));
        ASSERT_TRUE(batch->commit(err)) << err;
    }
    auto s = ChainStore::open(dir, false, err);
    ASSERT_TRUE(s) << err;
    EXPECT_EQ(s->head(), 2u);
    EXPECT_EQ(s->canonical_hash(1), h(1));
    EXPECT_FALSE(s->canonical_hash(3));
    EXPECT_EQ(s->block_number(h(2)), 2u);
    EXPECT_EQ(s->header_rlp(h(1)), b({0xc1, 0x02}));
    EXPECT_EQ(s->block_rlp(h(1)), b({0xc4, 0xc1, 0x02, 0xc0, 0xc0}));
    const auto rs = s->receipts_rlp(h(0));
    ASSERT_TRUE(rs);
    ASSERT_EQ(rs->size(), 2u);
    EXPECT_EQ((*rs)[0], b({0x01, 0xc0}));
    EXPECT_EQ((*rs)[1], b({0xc0}));
    const auto tx = s->transaction(h(102));
    ASSERT_TRUE(tx);
    EXPECT_EQ(tx->block_hash, h(2));
    EXPECT_EQ(tx->block_number, 2u);
    EXPECT_EQ(tx->index, 0u);
    EXPECT_EQ(s->node(keccak256(b({0xc2, 0x80, 0x80}))), b({0xc2, 0x80, 0x80}));
    EXPECT_EQ(s->code(keccak256(b({0x60, 0x00}))), b({0x60, 0x00}));
    EXPECT_FALSE(s->node(h(7)));
    // Read-only stores take no writes.
    EXPECT_FALSE(s->begin_write(err));
    EXPECT_NE(err.find("read-only"), std::string::npos);
}

TEST(ChainStore, UncommittedBatchLeavesNoTrace)
{
    const auto dir = test::scratch_dir("store_abort");
    std::string err;
    auto s = ChainStore::open(dir, true, err);
    ASSERT_TRUE(s) << err;
    write_chain(*s, 2);
    {
        auto batch = s->begin_write(err);
        ASSERT_TRUE(batch) << err;
        ASSERT_TRUE(batch->put_block(h(9), 2, b({0xc0}), {}, {}, {}));
        ASSERT_TRUE(batch->set_head(2));
    }  // dropped without commit
    EXPECT_EQ(s->head(), 1u);
    EXPECT_FALSE(s->canonical_hash(2));
    EXPECT_FALSE(s->block_number(h(9)));
}

TEST(ChainStore, RefusesMissingStoreAndOtherFormatVersion)
{
    const auto dir = test::scratch_dir("store_version");
    std::string err;
    EXPECT_FALSE(ChainStore::open(dir, false, err));
    EXPECT_NE(err.find("not a chain store"), std::string::npos) << err;
    {
        auto s = ChainStore::open(dir, true, err);
        ASSERT_TRUE(s) << err;
    }
    // Rewrite the meta record the way a future format would, with LMDB directly.
    MDB_env* env = nullptr;
    ASSERT_EQ(mdb_env_create(&env), MDB_SUCCESS);
    mdb_env_set_maxdbs(env, 16);
    ASSERT_EQ(mdb_env_open(env, dir.c_str(), 0, 0644), MDB_SUCCESS);
    MDB_txn* txn = nullptr;
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), MDB_SUCCESS);
    MDB_dbi dbi = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &dbi), MDB_SUCCESS);
    char key[] = "format";
    uint8_t ver[8] = {0, 0, 0, 0, 0, 0, 0, 2};
    MDB_val k{6, key}, v{8, ver};
    ASSERT_EQ(mdb_put(txn, dbi, &k, &v, 0), MDB_SUCCESS);
    ASSERT_EQ(mdb_txn_commit(txn), MDB_SUCCESS);
    mdb_env_close(env);
    for (const bool writable : {false, true})
    {
        err.clear();
        EXPECT_FALSE(ChainStore::open(dir, writable, err));
        EXPECT_NE(err.find("format version 2, this stele reads version 1"), std::string::npos)
            << err;
    }
}

TEST(ChainStore, ConcurrentReadersSeeWholeBatches)
{
    const auto dir = test::scratch_dir("store_mvcc");
    std::string err;
    auto s = ChainStore::open(dir, true, err);
    ASSERT_TRUE(s) << err;
    write_chain(*s, 1);
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back(
            [&]
            {
                while (!stop.load())
                {
                    // The head's canonical hash is always present: batches are atomic.
                    if (!s->canonical_hash(s->head()))
                        ++torn;
                }
            });
    for (uint8_t n = 2; n < 60; ++n)
        write_chain(*s, n);
    stop = true;
    for (auto& r : readers)
        r.join();
    EXPECT_EQ(torn.load(), 0);
    EXPECT_EQ(s->head(), 58u);
}

TEST(ChainStore, WitnessOfUnknownBlockFails)
{
    const auto dir = test::scratch_dir("store_witness");
    std::string err;
    auto s = ChainStore::open(dir, true, err);
    ASSERT_TRUE(s) << err;
    witness::ExecutionWitness w;
    EXPECT_FALSE(s->execution_witness(h(1), witness::WitnessMode::canonical, w, err));
    EXPECT_EQ(err, "unknown block");
}
