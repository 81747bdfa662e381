// An open-addressing hash map (linear probing, power-of-two capacity, no erase) for the engine:
// std::unordered_map does not link on the guest. Values live in the slot array, so references
// are invalidated by inserts that grow the table.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"

namespace stele
{
template <typename K>
struct MapHash;

template <size_t N>
struct MapHash<FixedBytes<N>>
{
    [[nodiscard]] uint64_t operator()(const FixedBytes<N>& k) const noexcept
    {
        // Keys are addresses/hashes chosen by users, so mix all bytes (a fixture can make the
        // leading bytes collide on purpose).
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < N; i += 8)
        {
            uint64_t v = 0;
            std::memcpy(&v, k.bytes + i, N - i < 8 ? N - i : 8);
            h = (h ^ v) * 0x100000001b3ull;
            h ^= h >> 29;
        }
        return h * 0x9E3779B97F4A7C15ull;
    }
};

template <>
struct MapHash<uint256>
{
    [[nodiscard]] uint64_t operator()(const uint256& k) const noexcept
    {
        uint64_t h = k.w[0] * 0x9E3779B97F4A7C15ull;
        h ^= (k.w[1] + (h >> 31)) * 0xC2B2AE3D27D4EB4Full;
        h ^= (k.w[2] + (h >> 29)) * 0x165667B19E3779F9ull;
        h ^= (k.w[3] + (h >> 32)) * 0x9E3779B97F4A7C15ull;
        return h ^ (h >> 32);
    }
};

template <typename K, typename V>
class FlatMap
{
public:
    FlatMap() noexcept = default;
    FlatMap(FlatMap&&) noexcept = default;
    FlatMap& operator=(FlatMap&&) noexcept = default;
    FlatMap(const FlatMap& o)
    {
        *this = o;
    }
    FlatMap& operator=(const FlatMap& o)
    {
        if (this == &o)
            return *this;
        m_capacity = o.m_capacity;
        m_size = o.m_size;
        if (m_capacity == 0)
        {
            m_slots.reset();
            return *this;
        }
        m_slots = std::make_unique<Slot[]>(m_capacity);
        for (size_t i = 0; i < m_capacity; ++i)
            m_slots[i] = o.m_slots[i];
        return *this;
    }

    [[nodiscard]] size_t size() const noexcept
    {
        return m_size;
    }
    [[nodiscard]] bool empty() const noexcept
    {
        return m_size == 0;
    }

    [[nodiscard]] V* find(const K& key) noexcept
    {
        if (m_capacity == 0)
            return nullptr;
        const size_t mask = m_capacity - 1;
        for (size_t i = MapHash<K>{}(key)&mask;; i = (i + 1) & mask)
        {
            Slot& s = m_slots[i];
            if (!s.used)
                return nullptr;
            if (s.key == key)
                return &s.value;
        }
    }
    [[nodiscard]] const V* find(const K& key) const noexcept
    {
        return const_cast<FlatMap*>(this)->find(key);
    }

    // Returns the value for key, default-constructing it when absent; `inserted` tells which.
    V& get_or_insert(const K& key, bool& inserted)
    {
        if ((m_size + 1) * 4 > m_capacity * 3)
            grow();
        const size_t mask = m_capacity - 1;
        for (size_t i = MapHash<K>{}(key)&mask;; i = (i + 1) & mask)
        {
            Slot& s = m_slots[i];
            if (!s.used)
            {
                s.used = true;
                s.key = key;
                s.value = V{};
                ++m_size;
                inserted = true;
                return s.value;
            }
            if (s.key == key)
            {
                inserted = false;
                return s.value;
            }
        }
    }
    V& operator[](const K& key)
    {
        bool inserted = false;
        return get_or_insert(key, inserted);
    }

    void clear() noexcept
    {
        m_slots.reset();
        m_capacity = 0;
        m_size = 0;
    }

    // Visits every (key, value).
    template <typename F>
    void for_each(F&& f)
    {
        for (size_t i = 0; i < m_capacity; ++i)
            if (m_slots[i].used)
                f(m_slots[i].key, m_slots[i].value);
    }
    template <typename F>
    void for_each(F&& f) const
    {
        for (size_t i = 0; i < m_capacity; ++i)
            if (m_slots[i].used)
                f(m_slots[i].key, m_slots[i].value);
    }

private:
    struct Slot
    {
        K key{};
        V value{};
        bool used = false;
    };

    void grow()
    {
        const size_t new_cap = m_capacity == 0 ? 16 : m_capacity * 2;
        auto old = std::move(m_slots);
        const size_t old_cap = m_capacity;
        m_slots = std::make_unique<Slot[]>(new_cap);
        m_capacity = new_cap;
        const size_t mask = new_cap - 1;
        for (size_t j = 0; j < old_cap; ++j)
        {
            if (!old[j].used)
                continue;
            size_t i = MapHash<K>{}(old[j].key) & mask;
            while (m_slots[i].used)
                i = (i + 1) & mask;
            m_slots[i] = std::move(old[j]);
        }
    }

    std::unique_ptr<Slot[]> m_slots;
    size_t m_capacity = 0;
    size_t m_size = 0;
};
}  // namespace stele
