#include "memory_state.hpp"

#include <algorithm>

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"
#include "../trie/trie.hpp"

namespace stele::state
{
std::optional<AccountInfo> InMemoryState::account(const address& addr)
{
    const Entry* e = find(addr);
    if (!e)
        return std::nullopt;
    return e->info;
}

uint256 InMemoryState::storage(const address& addr, const uint256& key)
{
    const Entry* e = find(addr);
    if (!e)
        return {};
    const uint256* v = e->storage.find(key);
    return v ? *v : uint256{};
}

bool InMemoryState::storage_nonempty(const address& addr)
{
    const Entry* e = find(addr);
    if (!e)
        return false;
    bool any = false;
    e->storage.for_each([&](const uint256&, const uint256& v) { any = any || !v.is_zero(); });
    return any;
}

bytes_view InMemoryState::code(const hash256& code_hash)
{
    const bytes* c = m_codes.find(code_hash);
    return c ? bytes_view{*c} : bytes_view{};
}

void InMemoryState::update_account(
    const address& addr, const AccountInfo* info, bool storage_cleared)
{
    Entry& e = m_accounts[addr];
    if (!info)
    {
        e = Entry{};
        return;
    }
    if (storage_cleared || !e.alive)
    {
        e.storage.clear();
        e.storage_root_valid = false;
    }
    e.info = *info;
    e.alive = true;
}

void InMemoryState::update_storage(const address& addr, const uint256& key, const uint256& value)
{
    Entry& e = m_accounts[addr];
    if (value.is_zero())
    {
        if (uint256* v = e.storage.find(key))
            *v = 0;
    }
    else
        e.storage[key] = value;
    e.storage_root_valid = false;
}

void InMemoryState::update_code(const hash256& code_hash, bytes_view code)
{
    bool inserted = false;
    bytes& c = m_codes.get_or_insert(code_hash, inserted);
    if (inserted)
        c.assign(code.begin(), code.end());
}

namespace
{
void append_uint256(bytes& out, const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    rlp::append_uint_be(out, {be, 32});
}
}  // namespace

hash256 InMemoryState::state_root()
{
    std::vector<bytes> keys, values;
    m_accounts.for_each(
        [&](const address& addr, Entry& e)
        {
            if (!e.alive)
                return;
            if (!e.storage_root_valid)
            {
                std::vector<bytes> sk, sv;
                e.storage.for_each(
                    [&](const uint256& k, const uint256& v)
                    {
                        if (v.is_zero())
                            return;
                        bytes kb(32);
                        store_be(kb.data(), k);
                        sk.push_back(std::move(kb));
                        bytes vb;
                        append_uint256(vb, v);
                        sv.push_back(std::move(vb));
                    });
                std::vector<trie::KeyValue> kv;
                kv.reserve(sk.size());
                for (size_t i = 0; i < sk.size(); ++i)
                    kv.push_back({sk[i], sv[i]});
                e.storage_root = trie::secure_trie_root(kv);
                e.storage_root_valid = true;
            }
            bytes enc;
            rlp::Encoder en{enc};
            const size_t mark = en.begin_list();
            en.u64(e.info.nonce);
            append_uint256(enc, e.info.balance);
            en.string(e.storage_root.view()).string(e.info.code_hash.view());
            en.end_list(mark);
            keys.emplace_back(addr.begin(), addr.end());
            values.push_back(std::move(enc));
        });
    std::vector<trie::KeyValue> kv;
    kv.reserve(keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
        kv.push_back({keys[i], values[i]});
    return trie::secure_trie_root(kv);
}
}  // namespace stele::state
