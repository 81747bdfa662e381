// Trie nodes addressed by their Keccak-256 hash: the execution witness `state` list (or a proof).
// Each node is hashed once, when added. Lookups record which nodes were used ("touched"), in
// first-use order, so a witness generator can emit exactly the nodes a block needed.
#pragma once

#include <vector>

#include "../core/bytes.hpp"

namespace stele::trie
{
class NodeStore
{
public:
    NodeStore() = default;
    NodeStore(const NodeStore&) = delete;
    NodeStore& operator=(const NodeStore&) = delete;
    NodeStore(NodeStore&&) noexcept = default;
    NodeStore& operator=(NodeStore&&) noexcept = default;

    void reserve(size_t n);
    // Adds a node by view: the bytes must outlive the store (e.g. the guest's input buffer).
    // Returns its hash. Adding the same node twice keeps one entry.
    hash256 add(bytes_view rlp);
    // Adds a copy of the node (the store owns it).
    hash256 add_copy(bytes_view rlp);

    // The node with this hash, or nullptr. Marks it touched.
    [[nodiscard]] const bytes_view* find(const hash256& h) noexcept;
    // The node without marking it touched.
    [[nodiscard]] const bytes_view* peek(const hash256& h) const noexcept;

    [[nodiscard]] size_t size() const noexcept
    {
        return m_size;
    }
    // Hashes of the nodes found through find(), each once, in first-use order.
    [[nodiscard]] std::vector<hash256> touched() const;
    [[nodiscard]] size_t touched_count() const noexcept
    {
        return m_touched.size();
    }
    // Forgets which nodes were touched.
    void clear_touched() noexcept;

private:
    struct Slot
    {
        hash256 key;
        bytes_view value;
        bool used = false;
        bool touched = false;
    };
    [[nodiscard]] size_t slot_of(const hash256& h) const noexcept;
    void grow();
    hash256 insert(const hash256& h, bytes_view rlp);

    std::vector<Slot> m_slots;
    std::vector<uint32_t> m_touched;  // slot indices
    std::vector<bytes> m_owned;
    size_t m_size = 0;
};
}  // namespace stele::trie
