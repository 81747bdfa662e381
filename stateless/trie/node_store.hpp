// Trie nodes addressed by their Keccak-256 hash: the execution witness `state` list (or a proof).
// Each node is hashed once, when added. Lookups record which nodes were used ("touched"), in
// first-use order, so a witness generator can emit exactly the nodes a block needed.
#pragma once

#include <vector>

#include "../core/bytes.hpp"

namespace stele::trie
{
// Where a sparse trie finds nodes by hash. NodeStore (below) is the in-memory one (witness
// nodes); a stateful chain store can implement its own (e.g. backed by its database) and record
// what it served to build a witness.
class NodeSource
{
public:
    virtual ~NodeSource() = default;
    // The RLP of the node whose Keccak-256 is `h`: true and `out` set (the bytes must stay valid
    // while the source lives), or false when the source does not have it.
    [[nodiscard]] virtual bool lookup(const hash256& h, bytes_view& out) noexcept = 0;
};

class NodeStore final : public NodeSource
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
    // find() for a Trie: marks the node touched.
    [[nodiscard]] bool lookup(const hash256& h, bytes_view& out) noexcept override;
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
