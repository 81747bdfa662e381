// The execution state: a cache of accounts over a backend (the in-memory world state natively,
// the witness trie in the stateless validator), with a journal for call-frame reverts,
// EIP-2929 warm/cold tracking, EIP-1153 transient storage and per-transaction finalisation
// (EIP-161 empty-account removal, SELFDESTRUCT). Nothing is written to the backend until the
// block is accepted: an invalid block is dropped with its State.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"
#include "../evm/fork.hpp"
#include "block_access_list.hpp"
#include "hash_map.hpp"

namespace stele::state
{
// keccak256 of the empty string.
inline constexpr hash256 kEmptyCodeHash = []
{
    hash256 h;
    constexpr uint8_t v[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
        0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa,
        0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
    for (int i = 0; i < 32; ++i)
        h.bytes[i] = v[i];
    return h;
}();

struct AccountInfo
{
    uint64_t nonce = 0;
    uint256 balance;
    hash256 code_hash = kEmptyCodeHash;
};

// Where accounts, slots and code come from on a cache miss.
class StateBackend
{
public:
    virtual ~StateBackend() = default;
    [[nodiscard]] virtual std::optional<AccountInfo> account(const address& addr) = 0;
    [[nodiscard]] virtual uint256 storage(const address& addr, const uint256& key) = 0;
    // Whether the account has any non-zero slot (EIP-7610 collision rule).
    [[nodiscard]] virtual bool storage_nonempty(const address& addr) = 0;
    // The code with this hash; must stay valid for the backend's lifetime.
    [[nodiscard]] virtual bytes_view code(const hash256& code_hash) = 0;
    // Called before each read with the spec step that needs it (a static string, or nullptr):
    // a witness-backed state names it when the witness lacks the data.
    virtual void read_purpose(const char* /*why*/) noexcept {}
};

// A backend that also takes the changes of accepted transactions and computes the state root.
class StateDb : public StateBackend
{
public:
    // info == nullptr deletes the account (and its storage). storage_cleared: drop the old
    // storage before applying the slots that follow.
    virtual void update_account(
        const address& addr, const AccountInfo* info, bool storage_cleared) = 0;
    virtual void update_storage(const address& addr, const uint256& key, const uint256& value) = 0;
    virtual void update_code(const hash256& code_hash, bytes_view code) = 0;
    [[nodiscard]] virtual hash256 state_root() = 0;
};

struct StorageSlot
{
    uint256 current;
    uint256 original;   // value at the start of the transaction (EIP-2200)
    uint256 committed;  // value in the backend (before the block)
    bool warm = false;
    bool loaded = false;
    uint32_t bal_stamp = 0;  // the access-list index this slot was last recorded in
};

struct Account
{
    uint64_t nonce = 0;
    uint256 balance;
    hash256 code_hash = kEmptyCodeHash;
    bytes code;  // valid when code_loaded
    FlatMap<uint256, StorageSlot> storage;
    FlatMap<uint256, uint256> transient;
    bool loaded = false;  // fields below read from the backend (see State::entry)
    bool exists = false;  // present in the state
    bool code_loaded = true;
    bool warm = false;             // EIP-2929, this transaction
    bool touched = false;          // EIP-161, this transaction
    bool created = false;          // created in this transaction (EIP-6780)
    bool destructed = false;       // SELFDESTRUCT executed in this transaction
    bool storage_cleared = false;  // backend storage is gone (account deleted in this block)
    bool dirty = false;            // changed in this block
    bool code_dirty = false;
    // EIP-7928: the values before the current access-list index (valid when bal_stamp matches).
    uint32_t bal_stamp = 0;
    uint64_t bal_nonce = 0;
    uint256 bal_balance;
    hash256 bal_code_hash;

    [[nodiscard]] bool is_empty() const noexcept
    {
        return nonce == 0 && balance.is_zero() && code_hash == kEmptyCodeHash;
    }
};

class State
{
public:
    explicit State(StateBackend& backend) noexcept : m_backend{&backend} {}

    // The account (loaded from the backend on first use; `exists` false if absent).
    [[nodiscard]] Account& get(const address& addr);
    // Whether the account was ever read from the backend in this block (a stateless witness
    // must prove exactly these, plus the written ones).
    [[nodiscard]] bool loaded(const address& addr) const noexcept
    {
        const auto* p = m_accounts.find(addr);
        return p && (*p)->loaded;
    }
    [[nodiscard]] bool exists(const address& addr)
    {
        return get(addr).exists;
    }
    // EIP-161 "dead": absent or empty.
    [[nodiscard]] bool is_dead(const address& addr)
    {
        Account& a = get(addr);
        return !a.exists || a.is_empty();
    }

    [[nodiscard]] bytes_view code(const address& addr);
    [[nodiscard]] uint256 get_storage(const address& addr, const uint256& key);
    // Returns the slot (loaded) for SSTORE cost computation.
    [[nodiscard]] StorageSlot& slot(const address& addr, const uint256& key);

    // ---- journaled mutations ---------------------------------------------------------------
    void touch(const address& addr);
    void create_account(const address& addr);  // makes it exist (if not)
    void set_balance(const address& addr, const uint256& v);
    void add_balance(const address& addr, const uint256& v);
    void sub_balance(const address& addr, const uint256& v);
    void set_nonce(const address& addr, uint64_t nonce);
    void set_code(const address& addr, bytes code);
    void set_storage(const address& addr, const uint256& key, const uint256& value);
    void set_transient(const address& addr, const uint256& key, const uint256& value);
    [[nodiscard]] uint256 get_transient(const address& addr, const uint256& key);
    void mark_created(const address& addr);
    void mark_destructed(const address& addr);
    // EIP-2929 accessed_addresses / accessed_storage_keys: returns true if the account (slot)
    // was cold and now is warm. Warming reads nothing from the backend: the spec's access sets
    // hold addresses and keys, not state (a precompile or an access-list entry that is never
    // read needs no witness data).
    bool access_account(const address& addr);
    bool access_storage(const address& addr, const uint256& key);

    [[nodiscard]] size_t checkpoint() const noexcept
    {
        return m_journal.size();
    }
    void revert_to(size_t checkpoint);

    // End of a transaction: removes destructed and (EIP-161) touched empty accounts, resets
    // warm flags and transient storage, and makes current storage the new original.
    void finalize_transaction(Fork fork);

    // Calls f(address, Account&) for each account destructed in this transaction (so far).
    template <typename F>
    void for_each_destructed(F&& f)
    {
        for (const Entry& e : m_journal)
            if (e.kind == Kind::destructed)
                if (Account& a = entry(e.addr); a.destructed)
                    f(e.addr, a);
    }

    // End of a block-level operation outside transactions (system calls, withdrawals).
    void clear_journal()
    {
        m_journal.clear();
    }

    // Writes the accounts changed since the last commit to db (after finalize_transaction).
    void commit(StateDb& db);

    // EIP-7928: record every access into `bal` from now on (nullptr stops), attributed to the
    // block access index set last. Changes are netted per index at finalize_transaction.
    void set_access_list(BlockAccessList* bal) noexcept
    {
        m_bal = bal;
    }
    void set_access_index(uint32_t index)
    {
        m_bal_index = index;
        ++m_bal_stamp;
        m_bal_accounts.clear();
        m_bal_slots.clear();
    }

    // Visits every cached account.
    template <typename F>
    void for_each_account(F&& f)
    {
        m_accounts.for_each([&](const address& a, std::unique_ptr<Account>& acc) { f(a, *acc); });
    }

    [[nodiscard]] StateBackend& backend() noexcept
    {
        return *m_backend;
    }

private:
    enum class Kind : uint8_t
    {
        balance,
        nonce,
        storage,
        transient,
        code,
        created_account,  // exists flipped false -> true
        touched,
        created_flag,
        destructed,
        warm_account,
        warm_slot,
    };
    struct Entry
    {
        Kind kind;
        address addr;
        uint256 key;
        uint256 prev;
        uint32_t code_index = 0;
    };

    void journal(Kind k, const address& addr, const uint256& key = {}, const uint256& prev = {})
    {
        m_journal.push_back(Entry{k, addr, key, prev, 0});
    }
    Account& modify(const address& addr);
    void bal_first_access(const address& addr, Account& a);
    void bal_flush();
    // The cache entry, created unloaded if absent: nothing is read from the backend.
    Account& entry(const address& addr);

    friend class ReadPurpose;
    StateBackend* m_backend;
    const char* m_purpose = nullptr;
    FlatMap<address, std::unique_ptr<Account>> m_accounts;
    std::vector<Entry> m_journal;
    std::vector<std::pair<bytes, hash256>> m_saved_code;
    // Codes this block wrote (and no revert took back): an account whose pre-state code has
    // one of these hashes is served from here, not read from the backend (execution-specs
    // witness rule: a stateless verifier already has that code from the creation).
    struct CreatedCode
    {
        bytes code;
        uint32_t live = 0;
    };
    FlatMap<hash256, CreatedCode> m_created_codes;

    struct BalSlot
    {
        address addr;
        uint256 key;
        uint256 pre;
    };
    BlockAccessList* m_bal = nullptr;
    uint32_t m_bal_index = 0;
    uint32_t m_bal_stamp = 0;
    std::vector<address> m_bal_accounts;  // accessed in the current index
    std::vector<BalSlot> m_bal_slots;     // accessed in the current index, with the value before
};

// Names the spec step whose reads follow, for as long as it lives (nests: the previous purpose
// comes back at scope exit). `why` must be a static string.
class ReadPurpose
{
public:
    ReadPurpose(State& s, const char* why) noexcept : m_state{s}, m_prev{s.m_purpose}
    {
        s.m_purpose = why;
    }
    ~ReadPurpose()
    {
        m_state.m_purpose = m_prev;
    }
    ReadPurpose(const ReadPurpose&) = delete;
    ReadPurpose& operator=(const ReadPurpose&) = delete;

private:
    State& m_state;
    const char* m_prev;
};
}  // namespace stele::state
