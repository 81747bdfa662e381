// The Merkle Patricia Trie (Yellow Paper appendix D).
//
// One Trie type serves both uses:
//  - a full trie built from key/value pairs (trie_root, receipts/transactions roots, tests);
//  - a sparse trie over a NodeStore (witness nodes addressed by hash), starting from a root
//    hash: nodes are decoded on first use, and a path through a node the store lacks fails with
//    TrieError::missing_node carrying that node's hash (never a wrong answer).
// Updates (put / erase) keep the trie canonical: branches with one entry left collapse into
// their sibling (which is resolved from the store: it is a touched node), extensions merge.
// root_hash() encodes only the nodes changed since the last call; unchanged nodes keep the
// hash they were resolved by, and every changed node is hashed once.
//
// Nodes live in arrays owned by the trie (32-bit indices; no allocation per node). Keys are byte
// strings; the secure variant (state and storage tries) hashes keys with Keccak-256 first.
#pragma once

#include <vector>

#include "../core/bytes.hpp"
#include "node_store.hpp"

namespace stele::trie
{
// keccak256(rlp("")): the root of the empty trie.
inline constexpr hash256 kEmptyRoot = []
{
    constexpr uint8_t b[32] = {0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
        0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62,
        0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};
    hash256 h;
    for (size_t i = 0; i < 32; ++i)
        h.bytes[i] = b[i];
    return h;
}();

enum class TrieError : uint8_t
{
    ok = 0,
    missing_node,  // a node needed on the path is not in the store (hash in Status::missing)
    invalid_node,  // a stored node does not decode as a canonical trie node
};

[[nodiscard]] const char* error_name(TrieError e) noexcept;

struct Status
{
    TrieError error = TrieError::ok;
    hash256 missing;  // the node that was needed, for missing_node

    [[nodiscard]] bool ok() const noexcept
    {
        return error == TrieError::ok;
    }
};

struct GetResult
{
    Status status;
    bool found = false;
    bytes_view value;  // valid until the trie is next modified
};

class Trie
{
public:
    // An empty trie (no store needed unless one is given for later use).
    Trie() noexcept = default;
    // A sparse trie with the given root, resolving nodes from `store` (which must outlive it).
    Trie(NodeStore* store, const hash256& root)
        : Trie(store != nullptr ? store->source() : NodeSource{}, root)
    {
    }
    // The same over any node source.
    Trie(NodeSource source, const hash256& root);

    // Lookup. Resolves (and so touches) the nodes on the path.
    [[nodiscard]] GetResult get(bytes_view key);
    // Insert or update; an empty value erases (Ethereum semantics).
    Status put(bytes_view key, bytes_view value);
    Status erase(bytes_view key);

    // The root hash; encodes and hashes the nodes changed since the last call. After any error
    // the trie is poisoned: every later call returns that error (the caller must drop it).
    [[nodiscard]] Status root_hash(hash256& out);

    // The RLP nodes a verifier needs to check the presence or absence of `key` against the root
    // (root first, then each hash-referenced node on the path; embedded nodes travel inside
    // their parent). Appends to `out`.
    Status prove(bytes_view key, std::vector<bytes>& out);

    // Every node of the trie known so far (root and hash-referenced nodes; unresolved parts of
    // a sparse trie are skipped): what a store needs to rebuild this trie. Appends to `out`.
    Status collect_nodes(std::vector<bytes>& out);

    [[nodiscard]] const Status& failure() const noexcept
    {
        return m_failed;
    }
    [[nodiscard]] size_t node_count() const noexcept
    {
        return m_nodes.size();
    }

private:
    enum class Kind : uint8_t
    {
        leaf,
        extension,
        branch,
        hashref,  // known only by hash: resolved from the store on use
    };
    static constexpr uint32_t kNone = 0xffffffff;
    // A branch slot with this bit holds an index into m_lazy: a child known only by hash and
    // not yet visited (decoding a branch creates no nodes for its 16 children).
    static constexpr uint32_t kLazy = 0x80000000;

    struct Node
    {
        Kind kind = Kind::leaf;
        bool dirty = true;       // changed since its ref was computed
        uint8_t ref_len = 0;     // 32: ref is the hash; 1..31: ref is the embedded encoding
        bool has_value = false;  // branch: value present
        uint32_t path_off = 0, path_len = 0;    // nibbles in m_nibbles
        uint32_t value_off = 0, value_len = 0;  // bytes in m_values
        uint32_t child = kNone;  // extension: child node; branch: index into m_branches
        uint8_t ref[32];
    };

    struct NibblePath
    {
        const uint8_t* p;
        size_t n;
    };

    uint32_t new_node(Kind k);
    uint32_t new_leaf(const uint8_t* path, size_t n, bytes_view value);
    uint32_t new_leaf_at(const uint8_t* path, size_t n, uint32_t value_off, uint32_t value_len);
    uint32_t new_extension(const uint8_t* path, size_t n, uint32_t child);
    uint32_t new_branch();
    uint32_t store_path(const uint8_t* path, size_t n);
    uint32_t store_value(bytes_view v);

    // The node in slot `nib` of branch `b` (kNone if empty), materializing a lazy hash.
    uint32_t child_node(uint32_t b, unsigned nib);
    Status resolve(uint32_t idx);
    Status decode_into(uint32_t idx, bytes_view rlp, int depth);
    Status decode_child(bytes_view item, bool is_list, uint32_t& out, int depth);

    Status insert(uint32_t& idx, size_t pos, bytes_view value);
    uint32_t finish_split(uint32_t br, uint32_t path_off, size_t common, const uint8_t* key,
        size_t klen, bytes_view value);
    Status remove(uint32_t& idx, size_t pos, bool& removed);
    Status collapse_branch(uint32_t& idx);

    void commit(uint32_t idx);
    void collect(uint32_t idx, bool is_root, std::vector<bytes>& out);
    void encode(uint32_t idx, bytes& out) const;
    void append_ref(bytes& out, uint32_t child) const;
    [[nodiscard]] size_t ref_size(uint32_t child) const noexcept;

    Status fail(Status s) noexcept;
    void key_to_nibbles(bytes_view key);

    NodeSource m_store;
    uint32_t m_root = kNone;
    Status m_failed;
    std::vector<Node> m_nodes;
    std::vector<std::array<uint32_t, 16>> m_branches;
    std::vector<const uint8_t*> m_lazy;  // lazy branch children: 32-byte hashes in the source
    std::vector<uint8_t> m_nibbles;
    std::vector<uint8_t> m_values;
    std::vector<uint8_t> m_key;  // nibbles of the key being processed
    bytes m_scratch;
};

// Root of a set of key/value pairs (keys distinct; empty values are skipped).
struct KeyValue
{
    bytes_view key;
    bytes_view value;
};
[[nodiscard]] hash256 trie_root(std::span<const KeyValue> entries);
// The same with every key replaced by its Keccak-256 hash (state and storage tries).
[[nodiscard]] hash256 secure_trie_root(std::span<const KeyValue> entries);
// Root of an ordered list (transactions, receipts, withdrawals): keys are rlp(index).
[[nodiscard]] hash256 ordered_trie_root(std::span<const bytes_view> items);

// Verifies a proof produced by Trie::prove against `root`: found/value for presence, found ==
// false for a proven absence, missing_node / invalid_node when the proof does not show either.
[[nodiscard]] GetResult verify_proof(
    const hash256& root, bytes_view key, std::span<const bytes> proof, bytes& value_out);
}  // namespace stele::trie
