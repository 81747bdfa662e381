#include "store_exec.hpp"

#include <algorithm>

#include "witness_file.hpp"

namespace stele::witness
{
namespace
{
struct Sources
{
    const StateLookup* lookup;
    StoreRun* run;
};

// Serves `h` from `fetch`, once per hash and run (the engine may ask again after a trie
// collapses and re-resolves a path).
bool serve(StoreRun& run, std::unordered_map<hash256, const bytes*, HashKey>& served,
    const std::function<std::optional<bytes>(const hash256&)>& fetch, const hash256& h,
    bytes_view& out) noexcept
{
    if (const auto it = served.find(h); it != served.end())
    {
        out = *it->second;
        return true;
    }
    std::optional<bytes> v = fetch(h);
    if (!v)
        return false;
    const bytes& kept = run.served.emplace_back(std::move(*v));
    served.emplace(h, &kept);
    out = kept;
    return true;
}

bool node_lookup(void* self, const hash256& h, bytes_view& out) noexcept
{
    auto& s = *static_cast<Sources*>(self);
    return serve(*s.run, s.run->nodes_served, s.lookup->node, h, out);
}

bool code_lookup(void* self, const hash256& h, bytes_view& out) noexcept
{
    auto& s = *static_cast<Sources*>(self);
    return serve(*s.run, s.run->codes_served, s.lookup->code, h, out);
}

bool bytes_less(const bytes& a, const bytes& b) noexcept
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

void sort_unique(std::vector<bytes>& v)
{
    std::sort(v.begin(), v.end(), bytes_less);
    v.erase(std::unique(v.begin(), v.end()), v.end());
}
}  // namespace

void run_block(chain::Block& block, std::span<const bytes_view> ancestor_headers,
    const StateLookup& lookup, const stateless::ValidateOptions& options, StoreRun& run,
    bool track_keys)
{
    Sources sources{&lookup, &run};
    stateless::ValidateOptions o = options;
    o.code_source = {&sources, code_lookup};
    o.track_keys = track_keys;
    run.result = stateless::validate_with(
        block, ancestor_headers, {&sources, node_lookup}, {}, o, &run.db, &run.ancestors);
    // The lookups end with the run: the db must not resolve anything more through them.
}

void witness_of(const StoreRun& run, std::span<const bytes_view> ancestor_headers,
    ExecutionWitness& out, bool keys)
{
    out = ExecutionWitness{};
    for (const auto& [h, n] : run.nodes_served)
        out.state.push_back(*n);
    sort_unique(out.state);
    // Codes the execution read from the pre-state (a code served for a lookup that was not a
    // read, if any, is not part of the witness).
    if (run.db)
        for (const hash256& h : run.db->codes_read())
            if (const auto it = run.codes_served.find(h); it != run.codes_served.end())
                if (!it->second->empty())
                    out.codes.push_back(*it->second);
    sort_unique(out.codes);
    if (keys && run.db)
    {
        run.db->accessed_keys(out.keys);
        sort_unique(out.keys);
    }
    if (ancestor_headers.empty())
        return;
    chain::BlockHeader parent;
    if (chain::decode_header(ancestor_headers.back(), parent) != chain::Error::ok)
        return;
    const uint64_t oldest = std::min(run.ancestors.oldest_requested, parent.number);
    const uint64_t first = parent.number + 1 - ancestor_headers.size();
    for (size_t i = 0; i < ancestor_headers.size(); ++i)
        if (first + i >= oldest)
            out.headers.emplace_back(ancestor_headers[i].begin(), ancestor_headers[i].end());
}
}  // namespace stele::witness
