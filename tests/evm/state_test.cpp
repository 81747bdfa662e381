// State journal: nested checkpoints revert exactly, warm sets and transient storage end with the
// transaction, EIP-161 removes touched empty accounts, and commits reach the backend.
#include <gtest/gtest.h>

#include <stateless/core/hex.hpp>
#include <stateless/state/memory_state.hpp>

using namespace stele;

namespace
{
address addr(uint8_t b)
{
    address a;
    a.bytes[19] = b;
    return a;
}
}  // namespace

TEST(state, nested_checkpoints_revert_exactly)
{
    state::InMemoryState db;
    state::State st{db};
    st.add_balance(addr(1), 100);
    const size_t outer = st.checkpoint();
    st.set_storage(addr(1), 5, 7);
    st.set_nonce(addr(1), 3);
    const size_t inner = st.checkpoint();
    st.set_storage(addr(1), 5, 9);
    st.access_account(addr(2));
    st.revert_to(inner);
    EXPECT_EQ(st.get_storage(addr(1), 5), uint256{7});
    EXPECT_FALSE(st.get(addr(2)).warm);
    st.revert_to(outer);
    EXPECT_TRUE(st.get_storage(addr(1), 5).is_zero());
    EXPECT_EQ(st.get(addr(1)).nonce, 0u);
    EXPECT_EQ(st.get(addr(1)).balance, uint256{100});
}

TEST(state, transaction_end_resets_warmth_and_transient_storage)
{
    state::InMemoryState db;
    state::State st{db};
    st.create_account(addr(1));
    st.set_nonce(addr(1), 1);
    st.access_account(addr(1));
    st.access_storage(addr(1), 1);
    st.set_transient(addr(1), 1, 42);
    st.set_storage(addr(1), 1, 8);
    st.finalize_transaction(Fork::Cancun);
    EXPECT_FALSE(st.get(addr(1)).warm);
    EXPECT_FALSE(st.slot(addr(1), 1).warm);
    EXPECT_TRUE(st.get_transient(addr(1), 1).is_zero());
    EXPECT_EQ(st.slot(addr(1), 1).original, uint256{8});  // EIP-2200 original for the next tx
}

TEST(state, eip161_removes_touched_empty_accounts_only_from_spurious_dragon)
{
    for (const Fork fork : {Fork::Homestead, Fork::SpuriousDragon})
    {
        state::InMemoryState db;
        state::State st{db};
        st.add_balance(addr(7), 0);  // touch: creates an empty account
        st.finalize_transaction(fork);
        st.commit(db);
        EXPECT_EQ(db.account(addr(7)).has_value(), fork < Fork::SpuriousDragon);
    }
}

TEST(state, commit_writes_changes_and_roots_follow)
{
    state::InMemoryState db;
    // The empty trie root.
    EXPECT_EQ(to_hex(db.state_root()),
        "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    state::State st{db};
    st.add_balance(addr(1), 5);
    st.set_storage(addr(1), 2, 3);
    st.finalize_transaction(Fork::Cancun);
    st.commit(db);
    ASSERT_TRUE(db.account(addr(1)).has_value());
    EXPECT_EQ(db.account(addr(1))->balance, uint256{5});
    EXPECT_EQ(db.storage(addr(1), 2), uint256{3});
    const hash256 root = db.state_root();
    // Destructing the account brings back the empty root.
    state::State st2{db};
    st2.mark_destructed(addr(1));
    st2.finalize_transaction(Fork::Cancun);
    st2.commit(db);
    EXPECT_NE(root, db.state_root());
    EXPECT_EQ(to_hex(db.state_root()),
        "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
}
