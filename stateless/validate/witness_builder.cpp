#include "witness_builder.hpp"

#include <algorithm>

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"

namespace stele::stateless
{
namespace
{
bytes encode_u256(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    bytes out;
    rlp::append_uint_be(out, {be, 32});
    return out;
}

// Lexicographic byte order (written out: GCC 12's std::vector operator< trips a false
// -Wstringop-overread at -O3).
bool bytes_less(const bytes& a, const bytes& b) noexcept
{
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return a[i] < b[i];
    return a.size() < b.size();
}

void sort_unique(std::vector<bytes>& v)
{
    std::sort(v.begin(), v.end(), bytes_less);
    v.erase(std::unique(v.begin(), v.end()), v.end());
}
}  // namespace

bool PreStateTries::build(state::InMemoryState& pre, const hash256& expected_root)
{
    m_pre = &pre;
    m_nodes.clear();
    m_codes.clear();
    m_store = trie::NodeStore{};
    trie::Trie accounts;
    bool ok = true;
    pre.for_each(
        [&](const address& addr, const state::InMemoryState::Entry& e)
        {
            trie::Trie st;
            e.storage.for_each(
                [&](const uint256& k, const uint256& v)
                {
                    if (v.is_zero())
                        return;
                    uint8_t kb[32];
                    store_be(kb, k);
                    ok = ok && st.put(keccak256({kb, 32}).view(), encode_u256(v)).ok();
                });
            hash256 sroot;
            ok = ok && st.root_hash(sroot).ok() && st.collect_nodes(m_nodes).ok();
            bytes enc;
            rlp::Encoder en{enc};
            const size_t mark = en.begin_list();
            en.u64(e.info.nonce);
            uint8_t be[32];
            store_be(be, e.info.balance);
            en.uint_be({be, 32});
            en.string(sroot.view()).string(e.info.code_hash.view());
            en.end_list(mark);
            ok = ok && accounts.put(keccak256(addr.view()).view(), enc).ok();
            if (e.info.code_hash != state::kEmptyCodeHash)
                m_codes.push_back(pre.code(e.info.code_hash));
        });
    hash256 root;
    ok = ok && accounts.root_hash(root).ok() && accounts.collect_nodes(m_nodes).ok();
    if (!ok || root != expected_root)
        return false;
    m_store.reserve(m_nodes.size());
    for (const bytes& n : m_nodes)
        m_store.add(n);
    return true;
}

WitnessBuildResult record_witness(PreStateTries& pre, std::span<const chain::BlockHeader> ancestors,
    const chain::Block& block, const ValidateOptions& options)
{
    WitnessBuildResult res;
    if (ancestors.size() > 256)
        ancestors = ancestors.subspan(ancestors.size() - 256);
    if (pre.m_pre == nullptr || ancestors.empty())
    {
        res.pre_state_mismatch = true;
        return res;
    }
    pre.m_store.clear_touched();

    std::vector<bytes> header_rlp;
    header_rlp.reserve(ancestors.size());
    for (const chain::BlockHeader& h : ancestors)
        header_rlp.push_back(chain::encode_header(h));
    std::vector<bytes_view> header_views(header_rlp.begin(), header_rlp.end());

    chain::Block copy = block;
    std::unique_ptr<WitnessDb> db;
    AncestorHashes anc;
    res.verdict =
        validate_with(copy, header_views, pre.m_store.source(), pre.m_codes, options, &db, &anc);

    for (const hash256& h : pre.m_store.touched())
        if (const bytes_view* n = pre.m_store.peek(h))
            res.witness.state.emplace_back(n->begin(), n->end());
    sort_unique(res.witness.state);
    if (db)
        for (const hash256& h : db->codes_read())
        {
            const bytes_view c = pre.m_pre->code(h);
            if (!c.empty())
                res.witness.codes.emplace_back(c.begin(), c.end());
        }
    sort_unique(res.witness.codes);
    const uint64_t parent_number = ancestors.back().number;
    const uint64_t oldest = std::min(anc.oldest_requested, parent_number);
    for (size_t i = 0; i < ancestors.size(); ++i)
        if (ancestors[i].number >= oldest)
            res.witness.headers.push_back(std::move(header_rlp[i]));
    return res;
}

WitnessBuildResult build_witness(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, const chain::Block& block,
    const ValidateOptions& options)
{
    PreStateTries tries;
    if (ancestors.empty() || !tries.build(pre, ancestors.back().state_root))
    {
        WitnessBuildResult res;
        res.pre_state_mismatch = true;
        return res;
    }
    return record_witness(tries, ancestors, block, options);
}
}  // namespace stele::stateless
