#include "trie.hpp"

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"

namespace stele::trie
{
const char* error_name(TrieError e) noexcept
{
    switch (e)
    {
        case TrieError::ok:
            return "ok";
        case TrieError::missing_node:
            return "missing_node";
        case TrieError::invalid_node:
            return "invalid_node";
    }
    return "unknown";
}

namespace
{
Status invalid() noexcept
{
    return {TrieError::invalid_node, {}};
}
}  // namespace

Trie::Trie(NodeSource source, const hash256& root) : m_store{source}
{
    if (root == kEmptyRoot)
        return;
    m_root = new_node(Kind::hashref);
    auto& n = m_nodes[m_root];
    n.dirty = false;
    n.ref_len = 32;
    std::memcpy(n.ref, root.bytes, 32);
}

Status Trie::fail(Status s) noexcept
{
    if (m_failed.ok())
        m_failed = s;
    return s;
}

void Trie::key_to_nibbles(bytes_view key)
{
    m_key.resize(2 * key.size());
    for (size_t i = 0; i < key.size(); ++i)
    {
        m_key[2 * i] = key[i] >> 4;
        m_key[2 * i + 1] = key[i] & 0x0f;
    }
}

uint32_t Trie::new_node(Kind k)
{
    m_nodes.emplace_back();
    m_nodes.back().kind = k;
    return static_cast<uint32_t>(m_nodes.size() - 1);
}

uint32_t Trie::store_path(const uint8_t* path, size_t n)
{
    const auto off = static_cast<uint32_t>(m_nibbles.size());
    m_nibbles.insert(m_nibbles.end(), path, path + n);
    return off;
}

uint32_t Trie::store_value(bytes_view v)
{
    const auto off = static_cast<uint32_t>(m_values.size());
    m_values.insert(m_values.end(), v.begin(), v.end());
    return off;
}

uint32_t Trie::new_leaf_at(const uint8_t* path, size_t n, uint32_t value_off, uint32_t value_len)
{
    const auto path_off = store_path(path, n);
    const auto i = new_node(Kind::leaf);
    auto& node = m_nodes[i];
    node.path_off = path_off;
    node.path_len = static_cast<uint32_t>(n);
    node.value_off = value_off;
    node.value_len = value_len;
    return i;
}

uint32_t Trie::new_leaf(const uint8_t* path, size_t n, bytes_view value)
{
    const auto voff = store_value(value);
    return new_leaf_at(path, n, voff, static_cast<uint32_t>(value.size()));
}

uint32_t Trie::new_extension(const uint8_t* path, size_t n, uint32_t child)
{
    const auto path_off = store_path(path, n);
    const auto i = new_node(Kind::extension);
    auto& node = m_nodes[i];
    node.path_off = path_off;
    node.path_len = static_cast<uint32_t>(n);
    node.child = child;
    return i;
}

uint32_t Trie::new_branch()
{
    const auto b = static_cast<uint32_t>(m_branches.size());
    m_branches.emplace_back();
    m_branches.back().fill(kNone);
    const auto i = new_node(Kind::branch);
    m_nodes[i].child = b;
    return i;
}

uint32_t Trie::child_node(uint32_t b, unsigned nib)
{
    const uint32_t c = m_branches[b][nib];
    if (c == kNone || !(c & kLazy))
        return c;
    const uint8_t* h = m_lazy[c & ~kLazy];
    const auto i = new_node(Kind::hashref);
    auto& n = m_nodes[i];
    n.dirty = false;
    n.ref_len = 32;
    std::memcpy(n.ref, h, 32);
    m_branches[b][nib] = i;
    return i;
}

// ---- decoding stored nodes ---------------------------------------------------------------------

Status Trie::resolve(uint32_t idx)
{
    hash256 h;
    std::memcpy(h.bytes, m_nodes[idx].ref, 32);
    bytes_view rlp;
    if (m_store.lookup == nullptr || !m_store.lookup(m_store.self, h, rlp))
        return fail({TrieError::missing_node, h});
    if (const auto s = decode_into(idx, rlp, 0); !s.ok())
        return fail(s);
    auto& n = m_nodes[idx];
    n.dirty = false;
    n.ref_len = 32;
    std::memcpy(n.ref, h.bytes, 32);
    return {};
}

Status Trie::decode_child(bytes_view encoded, bool is_list, uint32_t& out, int depth)
{
    if (is_list)
    {
        // An embedded node: its encoding is shorter than a hash, else it must be referenced.
        if (encoded.size() >= 32)
            return invalid();
        out = new_node(Kind::leaf);
        if (const auto s = decode_into(out, encoded, depth + 1); !s.ok())
            return s;
        auto& n = m_nodes[out];
        n.dirty = false;
        n.ref_len = static_cast<uint8_t>(encoded.size());
        std::memcpy(n.ref, encoded.data(), encoded.size());
        return {};
    }
    // `encoded` is the string's payload here.
    if (encoded.empty())
    {
        out = kNone;
        return {};
    }
    if (encoded.size() != 32)
        return invalid();
    out = new_node(Kind::hashref);
    auto& n = m_nodes[out];
    n.dirty = false;
    n.ref_len = 32;
    std::memcpy(n.ref, encoded.data(), 32);
    return {};
}

Status Trie::decode_into(uint32_t idx, bytes_view rlp_node, int depth)
{
    if (depth > 64)
        return invalid();
    // Items are read as a stream (no array of 17 to initialize): two, then either the end
    // (leaf / extension) or fifteen more (branch).
    rlp::Decoder d{rlp_node};
    auto l = d.list();
    const rlp::Item first = l.item();
    const rlp::Item second = l.item();
    if (!l.ok())
        return invalid();

    if (l.at_end())
    {
        if (!d.finish())
            return invalid();
        const rlp::Item items[2] = {first, second};
        if (items[0].is_list || items[0].payload.empty())
            return invalid();
        const auto hp = items[0].payload;
        const uint8_t flag = hp[0] >> 4;
        if (flag > 3 || ((flag & 1) == 0 && (hp[0] & 0x0f) != 0))
            return invalid();
        const bool is_leaf = flag >= 2;
        uint8_t path[2 * 33];
        std::vector<uint8_t> long_path;
        uint8_t* p = path;
        const size_t n = 2 * (hp.size() - 1) + (flag & 1);
        if (n > sizeof(path))
        {
            long_path.resize(n);
            p = long_path.data();
        }
        size_t k = 0;
        if (flag & 1)
            p[k++] = hp[0] & 0x0f;
        for (size_t i = 1; i < hp.size(); ++i)
        {
            p[k++] = hp[i] >> 4;
            p[k++] = hp[i] & 0x0f;
        }
        if (is_leaf)
        {
            if (items[1].is_list || items[1].payload.empty())
                return invalid();
            const auto voff = store_value(items[1].payload);
            const auto poff = store_path(p, n);
            auto& node = m_nodes[idx];
            node.kind = Kind::leaf;
            node.path_off = poff;
            node.path_len = static_cast<uint32_t>(n);
            node.value_off = voff;
            node.value_len = static_cast<uint32_t>(items[1].payload.size());
            return {};
        }
        if (n == 0)
            return invalid();
        uint32_t child = kNone;
        if (const auto s = decode_child(items[1].is_list ? items[1].encoded : items[1].payload,
                items[1].is_list, child, depth);
            !s.ok())
            return s;
        if (child == kNone)
            return invalid();
        const auto poff = store_path(p, n);
        auto& node = m_nodes[idx];
        node.kind = Kind::extension;
        node.path_off = poff;
        node.path_len = static_cast<uint32_t>(n);
        node.child = child;
        return {};
    }

    std::array<uint32_t, 16> children;
    for (size_t i = 0; i < 16; ++i)
    {
        const rlp::Item it = i == 0 ? first : i == 1 ? second : l.item();
        if (!l.ok())
            return invalid();
        if (!it.is_list && it.payload.size() == 32)
        {
            // A child known by hash stays a pointer to that hash (in the source's bytes) until
            // a path goes through it.
            children[i] = kLazy | static_cast<uint32_t>(m_lazy.size());
            m_lazy.push_back(it.payload.data());
            continue;
        }
        if (const auto s =
                decode_child(it.is_list ? it.encoded : it.payload, it.is_list, children[i], depth);
            !s.ok())
            return s;
    }
    const rlp::Item last = l.item();
    if (!l.finish() || !d.finish() || last.is_list)
        return invalid();
    const auto b = static_cast<uint32_t>(m_branches.size());
    m_branches.push_back(children);
    const auto value = last.payload;
    const auto voff = store_value(value);
    auto& node = m_nodes[idx];
    node.kind = Kind::branch;
    node.child = b;
    node.has_value = !value.empty();
    node.value_off = voff;
    node.value_len = static_cast<uint32_t>(value.size());
    return {};
}

// ---- lookup ------------------------------------------------------------------------------------

GetResult Trie::get(bytes_view key)
{
    GetResult r;
    if (!m_failed.ok())
    {
        r.status = m_failed;
        return r;
    }
    key_to_nibbles(key);
    size_t pos = 0;
    uint32_t idx = m_root;
    while (idx != kNone)
    {
        if (m_nodes[idx].kind == Kind::hashref)
            if (r.status = resolve(idx); !r.status.ok())
                return r;
        const Node& n = m_nodes[idx];
        const size_t rest = m_key.size() - pos;
        switch (n.kind)
        {
            case Kind::leaf:
                if (n.path_len == rest &&
                    std::equal(m_key.begin() + static_cast<std::ptrdiff_t>(pos), m_key.end(),
                        m_nibbles.begin() + n.path_off))
                {
                    r.found = true;
                    r.value = {m_values.data() + n.value_off, n.value_len};
                }
                return r;
            case Kind::extension:
                if (n.path_len > rest || !std::equal(m_nibbles.begin() + n.path_off,
                                             m_nibbles.begin() + n.path_off + n.path_len,
                                             m_key.begin() + static_cast<std::ptrdiff_t>(pos)))
                    return r;
                pos += n.path_len;
                idx = n.child;
                break;
            case Kind::branch:
                if (rest == 0)
                {
                    if (n.has_value)
                    {
                        r.found = true;
                        r.value = {m_values.data() + n.value_off, n.value_len};
                    }
                    return r;
                }
                idx = child_node(n.child, m_key[pos]);
                ++pos;
                break;
            case Kind::hashref:
                return r;  // unreachable: resolved above
        }
    }
    return r;
}

// ---- updates -----------------------------------------------------------------------------------

Status Trie::put(bytes_view key, bytes_view value)
{
    if (value.empty())
        return erase(key);
    if (!m_failed.ok())
        return m_failed;
    key_to_nibbles(key);
    return insert(m_root, 0, value);
}

Status Trie::erase(bytes_view key)
{
    if (!m_failed.ok())
        return m_failed;
    key_to_nibbles(key);
    bool removed = false;
    return remove(m_root, 0, removed);
}

namespace
{
size_t common_prefix(const uint8_t* a, size_t an, const uint8_t* b, size_t bn) noexcept
{
    const size_t n = an < bn ? an : bn;
    size_t i = 0;
    while (i < n && a[i] == b[i])
        ++i;
    return i;
}
}  // namespace

// The common end of splitting a leaf or an extension at `common` nibbles: the inserted value
// goes into branch `br` (as its value when the key ends there, else as a new leaf under the
// key's next nibble), and a shared prefix of `common` nibbles (at path_off) becomes an
// extension above the branch. Returns the node that replaces the split one.
uint32_t Trie::finish_split(uint32_t br, uint32_t path_off, size_t common, const uint8_t* key,
    size_t klen, bytes_view value)
{
    const auto b = m_nodes[br].child;
    if (common == klen)
    {
        const auto voff = store_value(value);
        auto& bn = m_nodes[br];
        bn.has_value = true;
        bn.value_off = voff;
        bn.value_len = static_cast<uint32_t>(value.size());
    }
    else
    {
        const auto leaf = new_leaf(key + common + 1, klen - common - 1, value);
        m_branches[b][key[common]] = leaf;
    }
    if (common == 0)
        return br;
    const auto ext = new_node(Kind::extension);
    auto& en = m_nodes[ext];
    en.path_off = path_off;
    en.path_len = static_cast<uint32_t>(common);
    en.child = br;
    return ext;
}

Status Trie::insert(uint32_t& idx, size_t pos, bytes_view value)
{
    const uint8_t* key = m_key.data() + pos;
    const size_t klen = m_key.size() - pos;
    if (idx == kNone)
    {
        idx = new_leaf(key, klen, value);
        return {};
    }
    if (m_nodes[idx].kind == Kind::hashref)
        if (const auto s = resolve(idx); !s.ok())
            return s;
    const Node n = m_nodes[idx];  // a copy: the arrays may grow below
    switch (n.kind)
    {
        case Kind::leaf:
        {
            const size_t common =
                common_prefix(m_nibbles.data() + n.path_off, n.path_len, key, klen);
            if (common == n.path_len && common == klen)
            {
                const auto voff = store_value(value);
                auto& node = m_nodes[idx];
                node.value_off = voff;
                node.value_len = static_cast<uint32_t>(value.size());
                node.dirty = true;
                return {};
            }
            const auto br = new_branch();
            const auto b = m_nodes[br].child;
            if (common == n.path_len)
            {
                auto& bn = m_nodes[br];
                bn.has_value = true;
                bn.value_off = n.value_off;
                bn.value_len = n.value_len;
            }
            else
            {
                const uint8_t nib = m_nibbles[n.path_off + common];
                const auto leaf = new_node(Kind::leaf);
                auto& ln = m_nodes[leaf];
                ln.path_off = n.path_off + static_cast<uint32_t>(common) + 1;
                ln.path_len = n.path_len - static_cast<uint32_t>(common) - 1;
                ln.value_off = n.value_off;
                ln.value_len = n.value_len;
                m_branches[b][nib] = leaf;
            }
            idx = finish_split(br, n.path_off, common, key, klen, value);
            return {};
        }
        case Kind::extension:
        {
            const size_t common =
                common_prefix(m_nibbles.data() + n.path_off, n.path_len, key, klen);
            if (common == n.path_len)
            {
                uint32_t child = n.child;
                if (const auto s = insert(child, pos + common, value); !s.ok())
                    return s;
                auto& node = m_nodes[idx];
                node.child = child;
                node.dirty = true;
                return {};
            }
            const auto br = new_branch();
            const auto b = m_nodes[br].child;
            const uint8_t nib = m_nibbles[n.path_off + common];
            const uint32_t rest = n.path_len - static_cast<uint32_t>(common) - 1;
            if (rest == 0)
                m_branches[b][nib] = n.child;
            else
            {
                const auto ext = new_node(Kind::extension);
                auto& en = m_nodes[ext];
                en.path_off = n.path_off + static_cast<uint32_t>(common) + 1;
                en.path_len = rest;
                en.child = n.child;
                m_branches[b][nib] = ext;
            }
            idx = finish_split(br, n.path_off, common, key, klen, value);
            return {};
        }
        case Kind::branch:
        {
            if (klen == 0)
            {
                const auto voff = store_value(value);
                auto& node = m_nodes[idx];
                node.has_value = true;
                node.value_off = voff;
                node.value_len = static_cast<uint32_t>(value.size());
                node.dirty = true;
                return {};
            }
            uint32_t child = child_node(n.child, key[0]);
            if (const auto s = insert(child, pos + 1, value); !s.ok())
                return s;
            m_branches[n.child][key[0]] = child;
            m_nodes[idx].dirty = true;
            return {};
        }
        case Kind::hashref:
            break;
    }
    return invalid();
}

Status Trie::remove(uint32_t& idx, size_t pos, bool& removed)
{
    removed = false;
    if (idx == kNone)
        return {};
    if (m_nodes[idx].kind == Kind::hashref)
        if (const auto s = resolve(idx); !s.ok())
            return s;
    const uint8_t* key = m_key.data() + pos;
    const size_t klen = m_key.size() - pos;
    const Node n = m_nodes[idx];
    switch (n.kind)
    {
        case Kind::leaf:
            if (n.path_len == klen && std::equal(key, key + klen, m_nibbles.data() + n.path_off))
            {
                idx = kNone;
                removed = true;
            }
            return {};
        case Kind::extension:
        {
            if (n.path_len > klen ||
                !std::equal(key, key + n.path_len, m_nibbles.data() + n.path_off))
                return {};
            uint32_t child = n.child;
            if (const auto s = remove(child, pos + n.path_len, removed); !s.ok() || !removed)
                return s;
            if (child == kNone)
            {
                idx = kNone;
                return {};
            }
            const Node c = m_nodes[child];
            if (c.kind == Kind::branch)
            {
                auto& node = m_nodes[idx];
                node.child = child;
                node.dirty = true;
                return {};
            }
            // The child collapsed to a leaf or an extension: merge the two paths.
            const auto off = static_cast<uint32_t>(m_nibbles.size());
            m_nibbles.reserve(off + n.path_len + c.path_len);
            for (uint32_t i = 0; i < n.path_len; ++i)
                m_nibbles.push_back(m_nibbles[n.path_off + i]);
            for (uint32_t i = 0; i < c.path_len; ++i)
                m_nibbles.push_back(m_nibbles[c.path_off + i]);
            const auto merged = new_node(c.kind);
            auto& mn = m_nodes[merged];
            mn = c;
            mn.dirty = true;
            mn.ref_len = 0;
            mn.path_off = off;
            mn.path_len = n.path_len + c.path_len;
            idx = merged;
            return {};
        }
        case Kind::branch:
        {
            if (klen == 0)
            {
                if (!n.has_value)
                    return {};
                m_nodes[idx].has_value = false;
                removed = true;
            }
            else
            {
                uint32_t child = child_node(n.child, key[0]);
                if (const auto s = remove(child, pos + 1, removed); !s.ok() || !removed)
                    return s;
                m_branches[n.child][key[0]] = child;
            }
            m_nodes[idx].dirty = true;
            return collapse_branch(idx);
        }
        case Kind::hashref:
            break;
    }
    return invalid();
}

Status Trie::collapse_branch(uint32_t& idx)
{
    const Node n = m_nodes[idx];
    const auto& children = m_branches[n.child];
    int count = 0;
    int last = -1;
    for (int i = 0; i < 16; ++i)
        if (children[static_cast<size_t>(i)] != kNone)
        {
            ++count;
            last = i;
        }
    if (count >= 2 || (count == 1 && n.has_value))
        return {};
    if (count == 0)
    {
        if (n.has_value)
            idx = new_leaf_at(nullptr, 0, n.value_off, n.value_len);
        else
            idx = kNone;
        return {};
    }
    // One child and no value: the branch disappears into its only child, whose kind decides
    // the shape. That child may be known only by hash: it must come from the store (this is
    // the sibling a witness has to carry for such a deletion).
    const uint32_t sib = child_node(n.child, static_cast<unsigned>(last));
    if (m_nodes[sib].kind == Kind::hashref)
        if (const auto s = resolve(sib); !s.ok())
            return s;
    const Node s = m_nodes[sib];
    const auto nib = static_cast<uint8_t>(last);
    if (s.kind == Kind::branch)
    {
        idx = new_extension(&nib, 1, sib);
        return {};
    }
    const auto off = static_cast<uint32_t>(m_nibbles.size());
    m_nibbles.reserve(off + 1 + s.path_len);
    m_nibbles.push_back(nib);
    for (uint32_t i = 0; i < s.path_len; ++i)
        m_nibbles.push_back(m_nibbles[s.path_off + i]);
    const auto merged = new_node(s.kind);
    auto& mn = m_nodes[merged];
    mn = s;
    mn.dirty = true;
    mn.ref_len = 0;
    mn.path_off = off;
    mn.path_len = s.path_len + 1;
    idx = merged;
    return {};
}

// ---- encoding and hashing ----------------------------------------------------------------------

size_t Trie::ref_size(uint32_t child) const noexcept
{
    if (child == kNone)
        return 1;
    if (child & kLazy)
        return 33;
    const auto len = m_nodes[child].ref_len;
    return len == 32 ? 33 : len;
}

void Trie::append_ref(bytes& out, uint32_t child) const
{
    if (child == kNone)
    {
        out.push_back(0x80);
        return;
    }
    if (child & kLazy)
    {
        out.push_back(0xa0);
        const uint8_t* h = m_lazy[child & ~kLazy];
        out.insert(out.end(), h, h + 32);
        return;
    }
    const Node& c = m_nodes[child];
    if (c.ref_len == 32)
        out.push_back(0xa0);
    out.insert(out.end(), c.ref, c.ref + c.ref_len);
}

namespace
{
// Hex-prefix encoding of a nibble path (Yellow Paper appendix C), as an RLP string. A one-byte
// HP (empty or one-nibble path) is < 0x40, so it stands for itself without a header.
void append_hex_prefix(bytes& out, const uint8_t* path, size_t n, bool leaf)
{
    const size_t len = n / 2 + 1;
    if (len > 1)
        rlp::append_string_header(out, len);
    uint8_t first = leaf ? 0x20 : 0x00;
    size_t i = 0;
    if (n & 1)
        first |= static_cast<uint8_t>(0x10 | path[i++]);
    out.push_back(first);
    for (; i < n; i += 2)
        out.push_back(static_cast<uint8_t>((path[i] << 4) | path[i + 1]));
}

size_t hex_prefix_size(size_t n) noexcept
{
    const size_t len = n / 2 + 1;
    return len == 1 ? 1 : rlp::header_size(len) + len;
}

size_t value_size(const uint8_t* v, size_t n) noexcept
{
    return rlp::string_size({v, n});
}
}  // namespace

void Trie::encode(uint32_t idx, bytes& out) const
{
    out.clear();
    const Node& n = m_nodes[idx];
    const uint8_t* path = m_nibbles.data() + n.path_off;
    const uint8_t* value = m_values.data() + n.value_off;
    switch (n.kind)
    {
        case Kind::leaf:
        {
            const size_t payload = hex_prefix_size(n.path_len) + value_size(value, n.value_len);
            rlp::append_list_header(out, payload);
            append_hex_prefix(out, path, n.path_len, true);
            rlp::append_string(out, {value, n.value_len});
            return;
        }
        case Kind::extension:
        {
            const size_t payload = hex_prefix_size(n.path_len) + ref_size(n.child);
            rlp::append_list_header(out, payload);
            append_hex_prefix(out, path, n.path_len, false);
            append_ref(out, n.child);
            return;
        }
        case Kind::branch:
        {
            const auto& children = m_branches[n.child];
            size_t payload = n.has_value ? value_size(value, n.value_len) : 1;
            for (const auto c : children)
                payload += ref_size(c);
            rlp::append_list_header(out, payload);
            for (const auto c : children)
                append_ref(out, c);
            if (n.has_value)
                rlp::append_string(out, {value, n.value_len});
            else
                out.push_back(0x80);
            return;
        }
        case Kind::hashref:
            return;
    }
}

void Trie::commit(uint32_t idx)
{
    if (!m_nodes[idx].dirty)
        return;
    const Node& n = m_nodes[idx];
    if (n.kind == Kind::extension)
        commit(n.child);
    else if (n.kind == Kind::branch)
        for (const auto c : m_branches[n.child])
            if (c != kNone && !(c & kLazy))
                commit(c);
    encode(idx, m_scratch);
    auto& node = m_nodes[idx];
    if (m_scratch.size() < 32)
    {
        node.ref_len = static_cast<uint8_t>(m_scratch.size());
        std::memcpy(node.ref, m_scratch.data(), m_scratch.size());
    }
    else
    {
        const auto h = keccak256(m_scratch);
        node.ref_len = 32;
        std::memcpy(node.ref, h.bytes, 32);
    }
    node.dirty = false;
}

Status Trie::root_hash(hash256& out)
{
    if (!m_failed.ok())
        return m_failed;
    if (m_root == kNone)
    {
        out = kEmptyRoot;
        return {};
    }
    commit(m_root);
    const Node& n = m_nodes[m_root];
    if (n.ref_len == 32)
        std::memcpy(out.bytes, n.ref, 32);
    else
        out = keccak256({n.ref, n.ref_len});
    return {};
}

void Trie::collect(uint32_t idx, bool is_root, std::vector<bytes>& out)
{
    const Node n = m_nodes[idx];
    if (n.kind == Kind::hashref)
        return;
    if (is_root || n.ref_len == 32)
    {
        encode(idx, m_scratch);
        out.push_back(m_scratch);
    }
    if (n.kind == Kind::extension)
        collect(n.child, false, out);
    else if (n.kind == Kind::branch)
        for (size_t i = 0; i < 16; ++i)
            if (const auto c = m_branches[n.child][i]; c != kNone && !(c & kLazy))
                collect(c, false, out);
}

Status Trie::collect_nodes(std::vector<bytes>& out)
{
    hash256 root;
    if (const auto s = root_hash(root); !s.ok())
        return s;
    if (m_root != kNone)
        collect(m_root, true, out);
    return {};
}

Status Trie::prove(bytes_view key, std::vector<bytes>& out)
{
    hash256 root;
    if (const auto s = root_hash(root); !s.ok())
        return s;
    key_to_nibbles(key);
    size_t pos = 0;
    uint32_t idx = m_root;
    bool is_root = true;
    while (idx != kNone)
    {
        if (m_nodes[idx].kind == Kind::hashref)
            if (const auto s = resolve(idx); !s.ok())
                return s;
        const Node n = m_nodes[idx];
        if (is_root || n.ref_len == 32)
        {
            encode(idx, m_scratch);
            out.push_back(m_scratch);
        }
        is_root = false;
        const size_t rest = m_key.size() - pos;
        if (n.kind == Kind::leaf)
            break;
        if (n.kind == Kind::extension)
        {
            if (n.path_len > rest || !std::equal(m_nibbles.begin() + n.path_off,
                                         m_nibbles.begin() + n.path_off + n.path_len,
                                         m_key.begin() + static_cast<std::ptrdiff_t>(pos)))
                break;
            pos += n.path_len;
            idx = n.child;
        }
        else
        {
            if (rest == 0)
                break;
            idx = child_node(n.child, m_key[pos]);
            ++pos;
        }
    }
    return {};
}

// ---- whole-set helpers -------------------------------------------------------------------------

hash256 trie_root(std::span<const KeyValue> entries)
{
    Trie t;
    for (const auto& e : entries)
        (void)t.put(e.key, e.value);
    hash256 r;
    (void)t.root_hash(r);  // a trie without a store cannot miss nodes
    return r;
}

hash256 secure_trie_root(std::span<const KeyValue> entries)
{
    Trie t;
    for (const auto& e : entries)
    {
        const auto k = keccak256(e.key);
        (void)t.put(k, e.value);
    }
    hash256 r;
    (void)t.root_hash(r);
    return r;
}

hash256 ordered_trie_root(std::span<const bytes_view> items)
{
    Trie t;
    bytes key;
    for (size_t i = 0; i < items.size(); ++i)
    {
        key.clear();
        rlp::append_u64(key, i);
        (void)t.put(key, items[i]);
    }
    hash256 r;
    (void)t.root_hash(r);
    return r;
}

GetResult verify_proof(
    const hash256& root, bytes_view key, std::span<const bytes> proof, bytes& value_out)
{
    NodeStore store;
    store.reserve(proof.size());
    for (const auto& p : proof)
        (void)store.add(p);
    Trie t{&store, root};
    auto r = t.get(key);
    if (r.found)
    {
        value_out.assign(r.value.begin(), r.value.end());
        r.value = value_out;
    }
    return r;
}
}  // namespace stele::trie
