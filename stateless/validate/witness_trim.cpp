#include "witness_trim.hpp"

#include <algorithm>

#include "../core/keccak.hpp"

namespace stele::stateless
{
namespace
{
// Lexicographic order, written out (GCC 12 -Wstringop-overread, as in witness_builder.cpp).
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

WitnessBuildResult trim_witness(
    const chain::Block& block, const WitnessView& given, const ValidateOptions& options)
{
    WitnessBuildResult res;
    trie::NodeStore store;
    store.reserve(given.state.size());
    for (const bytes_view n : given.state)
        (void)store.add(n);

    chain::Block copy = block;
    std::unique_ptr<WitnessDb> db;
    AncestorHashes anc;
    res.verdict =
        validate_with(copy, given.headers, store.source(), given.codes, options, &db, &anc);

    for (const hash256& h : store.touched())
        if (const bytes_view* n = store.peek(h))
            res.witness.state.emplace_back(n->begin(), n->end());
    sort_unique(res.witness.state);

    if (db)
    {
        const std::vector<hash256>& read = db->codes_read();
        for (const bytes_view c : given.codes)
        {
            if (c.empty())
                continue;
            const hash256 h = keccak256(c);
            if (std::find(read.begin(), read.end(), h) != read.end())
                res.witness.codes.emplace_back(c.begin(), c.end());
        }
    }
    sort_unique(res.witness.codes);

    // Headers: ascending by number, from the oldest BLOCKHASH target (at least the parent).
    std::vector<std::pair<uint64_t, bytes_view>> headers;
    for (const bytes_view h : given.headers)
    {
        chain::BlockHeader hdr;
        if (chain::decode_header(h, hdr) == chain::Error::ok)
            headers.emplace_back(hdr.number, h);
    }
    std::sort(headers.begin(), headers.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    headers.erase(std::unique(headers.begin(), headers.end(),
                      [](const auto& a, const auto& b) { return a.first == b.first; }),
        headers.end());
    const uint64_t parent = block.header.number == 0 ? 0 : block.header.number - 1;
    const uint64_t oldest = std::min(anc.oldest_requested, parent);
    for (const auto& [number, h] : headers)
        if (number >= oldest && number <= parent)
            res.witness.headers.emplace_back(h.begin(), h.end());
    return res;
}
}  // namespace stele::stateless
