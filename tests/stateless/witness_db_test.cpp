// WitnessDb (the validator's sparse-trie state) against InMemoryState (the stateful oracle):
// same reads, same post-state roots after updates that insert, update and delete (including
// deletions that collapse branches); a store holding only the nodes touched by one run is
// enough for a second run; dropping any one of those nodes yields missing_trie_node.
#include <gtest/gtest.h>

#include <stateless/core/keccak.hpp>
#include <stateless/state/memory_state.hpp>
#include <stateless/validate/validate.hpp>

using namespace stele;

namespace
{
address addr_of(uint64_t i)
{
    address a;
    for (int b = 0; b < 8; ++b)
        a.bytes[19 - b] = static_cast<uint8_t>(i >> (8 * b));
    a.bytes[0] = 0xaa;
    return a;
}

struct Fixture
{
    state::InMemoryState pre;
    bytes code{0x60, 0x01, 0x60, 0x00, 0x55};

    Fixture()
    {
        pre.update_code(keccak256(code), code);
        for (uint64_t i = 0; i < 40; ++i)
        {
            state::AccountInfo info;
            info.nonce = i;
            info.balance = uint256{1000 + i};
            if (i % 5 == 0)
                info.code_hash = keccak256(code);
            pre.update_account(addr_of(i), &info, false);
            if (i % 4 == 0)
                for (uint64_t k = 0; k < 1 + i % 7; ++k)
                    pre.update_storage(addr_of(i), uint256{k}, uint256{k * 11 + 1});
        }
    }

    // All nodes of the pre-state, built independently of the code under test.
    std::vector<bytes> all_nodes()
    {
        std::vector<bytes> nodes;
        trie::Trie accounts;
        pre.for_each(
            [&](const address& a, const state::InMemoryState::Entry& e)
            {
                trie::Trie st;
                e.storage.for_each(
                    [&](const uint256& k, const uint256& v)
                    {
                        if (v.is_zero())
                            return;
                        uint8_t kb[32], vb[32];
                        store_be(kb, k);
                        store_be(vb, v);
                        size_t z = 0;
                        while (z < 31 && vb[z] == 0)
                            ++z;
                        bytes enc{static_cast<uint8_t>(0x80 + (32 - z))};
                        if (32 - z == 1 && vb[31] < 0x80)
                            enc.clear();
                        enc.insert(enc.end(), vb + z, vb + 32);
                        EXPECT_TRUE(st.put(keccak256({kb, 32}).view(), enc).ok());
                    });
                hash256 sr;
                EXPECT_TRUE(st.root_hash(sr).ok());
                EXPECT_TRUE(st.collect_nodes(nodes).ok());
                EXPECT_EQ(sr, e.storage_root);
                (void)a;
            });
        (void)accounts;
        return nodes;
    }
};

// Applies the same change set to any StateDb.
void apply_changes(state::StateDb& db)
{
    state::AccountInfo info;
    info.nonce = 7;
    info.balance = uint256{5};
    db.update_account(addr_of(3), &info, false);    // update
    db.update_account(addr_of(100), &info, false);  // insert
    db.update_storage(addr_of(100), uint256{1}, uint256{9});
    db.update_account(addr_of(7), nullptr, false);  // delete (collapses)
    db.update_account(addr_of(8), nullptr, false);  // delete with storage
    state::AccountInfo a12 = *db.account(addr_of(12));
    db.update_account(addr_of(12), &a12, false);
    db.update_storage(addr_of(12), uint256{0}, uint256{0});  // storage deletion
    db.update_storage(addr_of(12), uint256{3}, uint256{0});
    db.update_storage(addr_of(12), uint256{9}, uint256{77});  // storage insert
    state::AccountInfo a16 = *db.account(addr_of(16));
    db.update_account(addr_of(16), &a16, true);  // re-created: storage dropped
    db.update_storage(addr_of(16), uint256{2}, uint256{3});
}
}  // namespace

TEST(WitnessDb, MatchesInMemoryStateAndNeedsOnlyTouchedNodes)
{
    Fixture f;
    const hash256 pre_root = f.pre.state_root();
    f.all_nodes();  // storage roots cross-checked against InMemoryState

    // A full store: the InMemoryState trie nodes, rebuilt by a full Trie over the same data.
    std::vector<bytes> nodes;
    {
        trie::Trie accounts;
        f.pre.for_each(
            [&](const address& a, const state::InMemoryState::Entry& e)
            {
                bytes enc;
                // Leaf encoding via the db under test would be circular: use rlp by hand.
                auto uint_enc = [](bytes& out, const uint256& v)
                {
                    uint8_t be[32];
                    store_be(be, v);
                    size_t z = 0;
                    while (z < 32 && be[z] == 0)
                        ++z;
                    const size_t n = 32 - z;
                    if (n == 1 && be[31] < 0x80)
                        out.push_back(be[31]);
                    else
                    {
                        out.push_back(static_cast<uint8_t>(0x80 + n));
                        out.insert(out.end(), be + z, be + 32);
                    }
                };
                bytes payload;
                uint_enc(payload, uint256{e.info.nonce});
                uint_enc(payload, e.info.balance);
                payload.push_back(0xa0);
                payload.insert(payload.end(), e.storage_root.bytes, e.storage_root.bytes + 32);
                payload.push_back(0xa0);
                payload.insert(payload.end(), e.info.code_hash.bytes, e.info.code_hash.bytes + 32);
                ASSERT_LT(payload.size(), 56u + 200u);
                if (payload.size() < 56)
                    enc.push_back(static_cast<uint8_t>(0xc0 + payload.size()));
                else
                {
                    enc.push_back(0xf8);
                    enc.push_back(static_cast<uint8_t>(payload.size()));
                }
                enc.insert(enc.end(), payload.begin(), payload.end());
                ASSERT_TRUE(accounts.put(keccak256(a.view()).view(), enc).ok());
            });
        hash256 r;
        ASSERT_TRUE(accounts.root_hash(r).ok());
        ASSERT_EQ(r, pre_root);
        ASSERT_TRUE(accounts.collect_nodes(nodes).ok());
    }
    {
        auto storage_nodes = f.all_nodes();
        nodes.insert(nodes.end(), storage_nodes.begin(), storage_nodes.end());
    }

    trie::NodeStore full;
    for (const bytes& n : nodes)
        full.add(n);
    stateless::WitnessDb db{full.source(), pre_root};

    // Reads agree with the oracle.
    for (uint64_t i = 0; i < 45; i += 3)
    {
        const auto ours = db.account(addr_of(i));
        const auto want = f.pre.account(addr_of(i));
        ASSERT_EQ(ours.has_value(), want.has_value()) << i;
        if (want)
        {
            EXPECT_EQ(ours->nonce, want->nonce);
            EXPECT_EQ(ours->balance, want->balance);
            EXPECT_EQ(ours->code_hash, want->code_hash);
        }
        for (uint64_t k = 0; k < 8; ++k)
            EXPECT_EQ(db.storage(addr_of(i), uint256{k}), f.pre.storage(addr_of(i), uint256{k}));
    }
    ASSERT_EQ(db.failure(), stateless::Status::ok);

    state::InMemoryState oracle = f.pre;
    apply_changes(oracle);
    apply_changes(db);
    const hash256 want_root = oracle.state_root();
    EXPECT_NE(want_root, pre_root);
    EXPECT_EQ(db.state_root(), want_root);
    ASSERT_EQ(db.failure(), stateless::Status::ok);

    // Only the touched nodes: enough for the same reads and updates.
    std::vector<bytes> touched;
    for (const hash256& h : full.touched())
        touched.emplace_back(full.peek(h)->begin(), full.peek(h)->end());
    EXPECT_LT(touched.size(), nodes.size());
    const auto run = [&](const std::vector<bytes>& set, hash256& root)
    {
        trie::NodeStore s;
        for (const bytes& n : set)
            s.add(n);
        stateless::WitnessDb w{s.source(), pre_root};
        for (uint64_t i = 0; i < 45; i += 3)
        {
            (void)w.account(addr_of(i));
            for (uint64_t k = 0; k < 8; ++k)
                (void)w.storage(addr_of(i), uint256{k});
        }
        apply_changes(w);
        root = w.state_root();
        return w.failure();
    };
    hash256 root;
    EXPECT_EQ(run(touched, root), stateless::Status::ok);
    EXPECT_EQ(root, want_root);

    // Every touched node is necessary.
    for (size_t i = 0; i < touched.size(); ++i)
    {
        auto less = touched;
        less.erase(less.begin() + static_cast<ptrdiff_t>(i));
        EXPECT_EQ(run(less, root), stateless::Status::missing_trie_node) << "node " << i;
    }
}

TEST(WitnessDb, MissingCodeIsReportedAndCreatedCodeIsServed)
{
    trie::NodeStore s;
    stateless::WitnessDb db{s.source(), trie::kEmptyRoot};
    const bytes code{0x00};
    const hash256 h = keccak256(code);
    EXPECT_TRUE(db.code(state::kEmptyCodeHash).empty());
    EXPECT_EQ(db.failure(), stateless::Status::ok);
    db.update_code(h, code);
    EXPECT_EQ(db.code(h).size(), 1u);
    EXPECT_EQ(db.failure(), stateless::Status::ok);
    EXPECT_TRUE(db.codes_read().empty());  // created, not read from the pre-state
    (void)db.code(keccak256(bytes{0x01}));
    EXPECT_EQ(db.failure(), stateless::Status::missing_code);
    EXPECT_EQ(db.failure_hash(), keccak256(bytes{0x01}));
}

TEST(WitnessDb, MissingRootIsMissingTrieNode)
{
    trie::NodeStore s;
    hash256 root;
    root.bytes[0] = 1;
    stateless::WitnessDb db{s.source(), root};
    EXPECT_FALSE(db.account(addr_of(1)).has_value());
    EXPECT_EQ(db.failure(), stateless::Status::missing_trie_node);
    EXPECT_EQ(db.failure_hash(), root);
}
