#include "node_store.hpp"

#include "../core/keccak.hpp"

namespace stele::trie
{
void NodeStore::reserve(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    if (cap <= m_slots.size())
        return;
    auto old = std::move(m_slots);
    m_slots.assign(cap, Slot{});
    for (auto& s : old)
        if (s.used)
            m_slots[slot_of(s.key)] = s;
    // Touched order refers to slots: rebuild it from the keys in their old order.
    std::vector<uint32_t> touched;
    touched.reserve(m_touched.size());
    for (const auto i : m_touched)
        touched.push_back(static_cast<uint32_t>(slot_of(old[i].key)));
    m_touched = std::move(touched);
}

void NodeStore::grow()
{
    reserve(m_slots.empty() ? 8 : m_slots.size());
}

size_t NodeStore::slot_of(const hash256& h) const noexcept
{
    // Keys are Keccak hashes: their leading bytes are uniform, so linear probing is enough.
    const size_t mask = m_slots.size() - 1;
    size_t i = static_cast<size_t>(fast_hash(h)) & mask;
    while (m_slots[i].used && m_slots[i].key != h)
        i = (i + 1) & mask;
    return i;
}

hash256 NodeStore::insert(const hash256& h, bytes_view rlp)
{
    if (2 * (m_size + 1) > m_slots.size())
        grow();
    auto& s = m_slots[slot_of(h)];
    if (!s.used)
    {
        s.used = true;
        s.key = h;
        s.value = rlp;
        ++m_size;
    }
    return h;
}

hash256 NodeStore::add(bytes_view rlp)
{
    return insert(keccak256(rlp), rlp);
}

hash256 NodeStore::add_copy(bytes_view rlp)
{
    const auto h = keccak256(rlp);
    if (peek(h) != nullptr)
        return h;
    m_owned.emplace_back(rlp.begin(), rlp.end());
    return insert(h, m_owned.back());
}

const bytes_view* NodeStore::peek(const hash256& h) const noexcept
{
    if (m_slots.empty())
        return nullptr;
    const auto& s = m_slots[slot_of(h)];
    return s.used ? &s.value : nullptr;
}

const bytes_view* NodeStore::find(const hash256& h) noexcept
{
    if (m_slots.empty())
        return nullptr;
    const size_t i = slot_of(h);
    auto& s = m_slots[i];
    if (!s.used)
        return nullptr;
    if (!s.touched)
    {
        s.touched = true;
        m_touched.push_back(static_cast<uint32_t>(i));
    }
    return &s.value;
}

bool NodeStore::lookup(const hash256& h, bytes_view& out) noexcept
{
    const auto* v = find(h);
    if (v == nullptr)
        return false;
    out = *v;
    return true;
}

std::vector<hash256> NodeStore::touched() const
{
    std::vector<hash256> r;
    r.reserve(m_touched.size());
    for (const auto i : m_touched)
        r.push_back(m_slots[i].key);
    return r;
}

void NodeStore::clear_touched() noexcept
{
    for (const auto i : m_touched)
        m_slots[i].touched = false;
    m_touched.clear();
}
}  // namespace stele::trie
