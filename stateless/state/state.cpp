#include "state.hpp"

#include "../core/keccak.hpp"

namespace stele::state
{
Account& State::entry(const address& addr)
{
    bool inserted = false;
    auto& slot = m_accounts.get_or_insert(addr, inserted);
    if (inserted)
        slot = std::make_unique<Account>();
    return *slot;
}

Account& State::get(const address& addr)
{
    Account& a = entry(addr);
    if (!a.loaded)
    {
        a.loaded = true;
        m_backend->read_purpose(m_purpose);
        if (const auto info = m_backend->account(addr))
        {
            a.exists = true;
            a.nonce = info->nonce;
            a.balance = info->balance;
            a.code_hash = info->code_hash;
            a.code_loaded = info->code_hash == kEmptyCodeHash;
        }
    }
    if (m_bal && a.bal_stamp != m_bal_stamp)
        bal_first_access(addr, a);
    return a;
}

void State::bal_first_access(const address& addr, Account& a)
{
    // Every change goes through get(), so the first access in an index sees the values the
    // index starts from.
    a.bal_stamp = m_bal_stamp;
    a.bal_nonce = a.nonce;
    a.bal_balance = a.balance;
    a.bal_code_hash = a.code_hash;
    m_bal_accounts.push_back(addr);
    m_bal->account(addr);
}

void State::bal_flush()
{
    for (const address& addr : m_bal_accounts)
    {
        Account& a = entry(addr);
        m_bal->balance(addr, m_bal_index, a.bal_balance, a.balance);
        m_bal->nonce(addr, m_bal_index, a.bal_nonce, a.nonce);
        m_bal->code(addr, m_bal_index, a.code_hash != a.bal_code_hash, a.code);
    }
    for (const BalSlot& r : m_bal_slots)
    {
        const StorageSlot* s = entry(r.addr).storage.find(r.key);
        // A removed account's storage is gone: its slots end at zero.
        const uint256 post = s && s->loaded ? s->current : uint256{};
        m_bal->slot(r.addr, r.key, m_bal_index, r.pre, post);
    }
}

bytes_view State::code(const address& addr)
{
    Account& a = get(addr);
    if (!a.code_loaded)
    {
        if (const CreatedCode* c = m_created_codes.find(a.code_hash); c && c->live > 0)
        {
            a.code = c->code;
            a.code_loaded = true;
            return a.code;
        }
        m_backend->read_purpose(m_purpose);
        const auto c = m_backend->code(a.code_hash);
        a.code.assign(c.begin(), c.end());
        a.code_loaded = true;
    }
    return a.code;
}

StorageSlot& State::slot(const address& addr, const uint256& key)
{
    Account& a = get(addr);
    bool inserted = false;
    StorageSlot& s = a.storage.get_or_insert(key, inserted);
    if (!s.loaded)
    {
        if (a.exists && !a.storage_cleared)
            m_backend->read_purpose(m_purpose);
        s.committed = m_backend->storage(addr, key);
        s.current = s.committed;
        s.original = s.committed;
        s.loaded = true;
    }
    if (m_bal && s.bal_stamp != m_bal_stamp)
    {
        s.bal_stamp = m_bal_stamp;
        m_bal_slots.push_back({addr, key, s.current});
    }
    return s;
}

uint256 State::get_storage(const address& addr, const uint256& key)
{
    return slot(addr, key).current;
}

Account& State::modify(const address& addr)
{
    Account& a = get(addr);
    a.dirty = true;
    return a;
}

void State::touch(const address& addr)
{
    Account& a = get(addr);
    if (!a.touched)
    {
        a.touched = true;
        journal(Kind::touched, addr);
    }
}

void State::create_account(const address& addr)
{
    Account& a = modify(addr);
    if (!a.exists)
    {
        a.exists = true;
        journal(Kind::created_account, addr);
    }
}

void State::set_balance(const address& addr, const uint256& v)
{
    Account& a = modify(addr);
    journal(Kind::balance, addr, {}, a.balance);
    a.balance = v;
}

void State::add_balance(const address& addr, const uint256& v)
{
    create_account(addr);
    touch(addr);
    Account& a = get(addr);
    if (v.is_zero())
        return;
    journal(Kind::balance, addr, {}, a.balance);
    a.balance = a.balance + v;
}

void State::sub_balance(const address& addr, const uint256& v)
{
    touch(addr);
    Account& a = modify(addr);
    if (v.is_zero())
        return;
    journal(Kind::balance, addr, {}, a.balance);
    a.balance = a.balance - v;
}

void State::set_nonce(const address& addr, uint64_t nonce)
{
    Account& a = modify(addr);
    journal(Kind::nonce, addr, {}, uint256{a.nonce});
    a.nonce = nonce;
}

void State::set_code(const address& addr, bytes code)
{
    (void)this->code(addr);  // make sure the previous code is loaded before saving it
    Account& a = modify(addr);
    m_saved_code.emplace_back(std::move(a.code), a.code_hash);
    Entry e{Kind::code, addr, {}, {}, static_cast<uint32_t>(m_saved_code.size() - 1)};
    m_journal.push_back(e);
    a.code_hash = code.empty() ? kEmptyCodeHash : keccak256(code);
    if (!code.empty())
    {
        CreatedCode& c = m_created_codes[a.code_hash];
        if (c.live++ == 0)
            c.code = code;
    }
    a.code = std::move(code);
    a.code_loaded = true;
    a.code_dirty = true;
}

void State::set_storage(const address& addr, const uint256& key, const uint256& value)
{
    StorageSlot& s = slot(addr, key);
    journal(Kind::storage, addr, key, s.current);
    s.current = value;
    get(addr).dirty = true;
}

uint256 State::get_transient(const address& addr, const uint256& key)
{
    const uint256* v = get(addr).transient.find(key);
    return v ? *v : uint256{};
}

void State::set_transient(const address& addr, const uint256& key, const uint256& value)
{
    uint256& v = get(addr).transient[key];
    journal(Kind::transient, addr, key, v);
    v = value;
}

void State::mark_created(const address& addr)
{
    Account& a = get(addr);
    if (!a.created)
    {
        a.created = true;
        journal(Kind::created_flag, addr);
    }
}

void State::mark_destructed(const address& addr)
{
    Account& a = get(addr);
    if (!a.destructed)
    {
        a.destructed = true;
        journal(Kind::destructed, addr);
    }
}

bool State::access_account(const address& addr)
{
    Account& a = entry(addr);
    if (a.warm)
        return false;
    a.warm = true;
    journal(Kind::warm_account, addr);
    return true;
}

bool State::access_storage(const address& addr, const uint256& key)
{
    // The slot entry without its value (loaded by slot() when SLOAD/SSTORE read it).
    bool inserted = false;
    StorageSlot& s = entry(addr).storage.get_or_insert(key, inserted);
    if (s.warm)
        return false;
    s.warm = true;
    journal(Kind::warm_slot, addr, key);
    return true;
}

void State::revert_to(size_t checkpoint)
{
    static constexpr address kRipemd = []
    {
        address a;
        a.bytes[19] = 3;
        return a;
    }();
    while (m_journal.size() > checkpoint)
    {
        const Entry e = m_journal.back();
        m_journal.pop_back();
        Account& a = entry(e.addr);
        switch (e.kind)
        {
            case Kind::balance:
                a.balance = e.prev;
                break;
            case Kind::nonce:
                a.nonce = e.prev.w[0];
                break;
            case Kind::storage:
                a.storage.find(e.key)->current = e.prev;
                break;
            case Kind::transient:
                a.transient[e.key] = e.prev;
                break;
            case Kind::code:
            {
                if (CreatedCode* c = m_created_codes.find(a.code_hash))
                    --c->live;
                auto& saved = m_saved_code[e.code_index];
                a.code = std::move(saved.first);
                a.code_hash = saved.second;
                a.code_loaded = true;
                m_saved_code.pop_back();
                break;
            }
            case Kind::created_account:
                a.exists = false;
                break;
            case Kind::touched:
                // The touch of RIPEMD-160 survives a revert: mainnet block 2675119 did so and
                // the rule was kept (EIP-716 discussion).
                if (!(e.addr == kRipemd))
                    a.touched = false;
                break;
            case Kind::created_flag:
                a.created = false;
                break;
            case Kind::destructed:
                a.destructed = false;
                break;
            case Kind::warm_account:
                a.warm = false;
                break;
            case Kind::warm_slot:
                a.storage.find(e.key)->warm = false;
                break;
        }
    }
}

void State::finalize_transaction(Fork fork)
{
    const bool clear_empty = fork >= Fork::SpuriousDragon;
    for (const Entry& e : m_journal)
    {
        Account& a = entry(e.addr);
        switch (e.kind)
        {
            case Kind::storage:
            {
                StorageSlot& s = *a.storage.find(e.key);
                s.original = s.current;
                break;
            }
            case Kind::warm_slot:
                a.storage.find(e.key)->warm = false;
                break;
            case Kind::transient:
                a.transient.clear();
                break;
            default:
                break;
        }
    }
    for (const Entry& e : m_journal)
    {
        Account& a = entry(e.addr);
        // Only warmed, never read: nothing to remove (a destructed or touched account is loaded).
        const bool remove =
            a.loaded && ((a.destructed) || (clear_empty && a.touched && a.exists && a.is_empty()));
        if (remove)
        {
            a.exists = false;
            a.nonce = 0;
            a.balance = 0;
            a.code.clear();
            a.code_hash = kEmptyCodeHash;
            a.code_loaded = true;
            a.storage.clear();
            a.storage_cleared = true;
            a.dirty = true;
            a.code_dirty = true;
        }
        a.warm = false;
        a.touched = false;
        a.created = false;
        a.destructed = false;
    }
    if (m_bal)
        bal_flush();
    m_journal.clear();
    m_saved_code.clear();
}

void State::commit(StateDb& db)
{
    m_accounts.for_each(
        [&](const address& addr, std::unique_ptr<Account>& p)
        {
            Account& a = *p;
            if (!a.dirty)
                return;
            if (!a.exists)
            {
                db.update_account(addr, nullptr, true);
            }
            else
            {
                if (a.code_dirty && a.code_loaded)
                    db.update_code(a.code_hash, a.code);
                const AccountInfo info{a.nonce, a.balance, a.code_hash};
                db.update_account(addr, &info, a.storage_cleared);
                a.storage.for_each(
                    [&](const uint256& key, StorageSlot& s)
                    {
                        if (s.loaded && (!(s.current == s.committed) || a.storage_cleared))
                        {
                            db.update_storage(addr, key, s.current);
                            s.committed = s.current;
                        }
                    });
            }
            a.dirty = false;
            a.code_dirty = false;
            a.storage_cleared = false;
        });
}
}  // namespace stele::state
