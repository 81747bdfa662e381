// EIP-7928 block-level access list: every account and storage slot a block touches, with the
// post-values of what each block access index changed. Index 0 is the pre-execution system
// calls, 1..n the transactions, n + 1 the withdrawals and post-execution system calls.
//
// The State records into this builder while it executes (see State::set_access_list): on the
// first access of an account or slot within an index it keeps the value before the index, and
// at each finalisation it compares with the value after. A change becomes a `(index, value)`
// entry; a slot accessed but left unchanged becomes a read; an account accessed but left
// unchanged is listed with empty changes. Reverted frames still count as accesses.
#pragma once

#include <vector>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"
#include "hash_map.hpp"

namespace stele::state
{
class BlockAccessList
{
public:
    // The RLP encoding the header's block_access_list_hash commits to:
    // [[address, storage_changes, storage_reads, balance_changes, nonce_changes, code_changes]]
    // with storage_changes = [[slot, [[index, value]...]]...], storage_reads = [slot...],
    // balance_changes = [[index, balance]...], nonce_changes = [[index, nonce]...],
    // code_changes = [[index, code]...]; integers minimal big-endian, addresses and slots
    // ascending, indices ascending.
    [[nodiscard]] bytes encode();

    // Number of addresses plus storage keys (EIP-7928's size bound counts these items).
    [[nodiscard]] size_t item_count();

    // ---- recording (called by State) -------------------------------------------------------
    void account(const address& addr);
    // The net effect of `index` on a field: a change when pre != post, else none (an earlier
    // segment of the same index that changed it is undone).
    void balance(const address& addr, uint32_t index, const uint256& pre, const uint256& post);
    void nonce(const address& addr, uint32_t index, uint64_t pre, uint64_t post);
    void code(const address& addr, uint32_t index, bool changed, bytes_view post);
    void slot(const address& addr, const uint256& key, uint32_t index, const uint256& pre,
        const uint256& post);

private:
    template <typename T>
    struct Change
    {
        uint32_t index;
        T value;
    };
    struct Slot
    {
        std::vector<Change<uint256>> changes;
        bool read = false;
    };
    struct Account
    {
        FlatMap<uint256, Slot> slots;
        std::vector<Change<uint256>> balance;
        std::vector<Change<uint64_t>> nonce;
        std::vector<Change<bytes>> code;
    };
    template <typename T>
    static void set_change(std::vector<Change<T>>& v, uint32_t index, bool changed, T value);

    FlatMap<address, Account> m_accounts;
};
}  // namespace stele::state
