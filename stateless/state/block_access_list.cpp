#include "block_access_list.hpp"

#include <algorithm>

#include "../core/rlp.hpp"

namespace stele::state
{
namespace
{
void put_value(rlp::Encoder& e, const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    e.uint_be({be, 32});
}
void put_value(rlp::Encoder& e, uint64_t v)
{
    e.u64(v);
}
void put_value(rlp::Encoder& e, const bytes& v)
{
    e.string(v);
}

// [[index, value]...]
template <typename Changes>
void put_changes(rlp::Encoder& e, const Changes& v)
{
    const size_t list = e.begin_list();
    for (const auto& c : v)
    {
        const size_t m = e.begin_list();
        e.u64(c.index);
        put_value(e, c.value);
        e.end_list(m);
    }
    e.end_list(list);
}
}  // namespace

template <typename T>
void BlockAccessList::set_change(std::vector<Change<T>>& v, uint32_t index, bool changed, T value)
{
    // Indices only grow, so this index's entry, if any, is the last one.
    const bool has = !v.empty() && v.back().index == index;
    if (!changed)
    {
        if (has)
            v.pop_back();
        return;
    }
    if (has)
        v.back().value = std::move(value);
    else
        v.push_back({index, std::move(value)});
}

void BlockAccessList::account(const address& addr)
{
    (void)m_accounts[addr];
}

void BlockAccessList::balance(
    const address& addr, uint32_t index, const uint256& pre, const uint256& post)
{
    set_change(m_accounts[addr].balance, index, !(pre == post), post);
}

void BlockAccessList::nonce(const address& addr, uint32_t index, uint64_t pre, uint64_t post)
{
    set_change(m_accounts[addr].nonce, index, pre != post, post);
}

void BlockAccessList::code(const address& addr, uint32_t index, bool changed, bytes_view post)
{
    set_change(m_accounts[addr].code, index, changed, bytes{post.begin(), post.end()});
}

void BlockAccessList::slot(const address& addr, const uint256& key, uint32_t index,
    const uint256& pre, const uint256& post)
{
    Slot& s = m_accounts[addr].slots[key];
    s.read = true;  // accessed; listed as a read only if no index changed it
    set_change(s.changes, index, !(pre == post), post);
}

size_t BlockAccessList::item_count()
{
    size_t n = 0;
    m_accounts.for_each([&](const address&, Account& a) { n += 1 + a.slots.size(); });
    return n;
}

bytes BlockAccessList::encode()
{
    std::vector<std::pair<address, Account*>> accounts;
    accounts.reserve(m_accounts.size());
    m_accounts.for_each([&](const address& k, Account& a) { accounts.emplace_back(k, &a); });
    std::sort(accounts.begin(), accounts.end(),
        [](const auto& x, const auto& y) { return x.first < y.first; });

    bytes out;
    rlp::Encoder e{out};
    const size_t all = e.begin_list();
    std::vector<std::pair<uint256, Slot*>> slots;
    for (const auto& [addr, acc] : accounts)
    {
        slots.clear();
        acc->slots.for_each([&](const uint256& k, Slot& s) { slots.emplace_back(k, &s); });
        std::sort(slots.begin(), slots.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });

        const size_t m = e.begin_list();
        e.string(addr);
        const size_t changes = e.begin_list();
        for (const auto& [key, s] : slots)
        {
            if (s->changes.empty())
                continue;
            const size_t sm = e.begin_list();
            put_value(e, key);
            put_changes(e, s->changes);
            e.end_list(sm);
        }
        e.end_list(changes);
        const size_t reads = e.begin_list();
        for (const auto& [key, s] : slots)
            if (s->changes.empty() && s->read)
                put_value(e, key);
        e.end_list(reads);
        put_changes(e, acc->balance);
        put_changes(e, acc->nonce);
        put_changes(e, acc->code);
        e.end_list(m);
    }
    e.end_list(all);
    return out;
}
}  // namespace stele::state
