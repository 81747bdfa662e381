#include "importer.hpp"

#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/validate/witness_builder.hpp>
#include <vector>

#include "block_json.hpp"
#include "store_exec.hpp"

namespace stele::witness
{
namespace
{
// BLOCKHASH reaches 256 ancestors (Yellow Paper §9.4.4); so does the witness.
constexpr size_t kAncestors = 256;
}  // namespace

Importer::Importer(ChainStore& store, const chain::ChainConfig& config, chain::RecoverFn recover,
    std::string config_json)
    : m_store{store},
      m_config{config},
      m_recover{recover},
      m_config_json{std::move(config_json)},
      m_precompiles{evm::default_precompiles()}
{
    m_store.set_config(config);
    m_store.set_recover(recover);
}

Importer::~Importer() = default;

bool Importer::batch(std::string& error)
{
    if (!m_batch)
        m_batch = m_store.begin_write(error);
    return m_batch != nullptr;
}

bool Importer::open_chain(
    state::InMemoryState& genesis_state, const chain::BlockHeader& genesis, std::string& error)
{
    if (m_store.has_head())
    {
        if (m_store.canonical_hash(0) != genesis.hash)
        {
            error = "the datadir holds another chain (its genesis differs)";
            return false;
        }
        m_head = m_store.head();
        const uint64_t from = m_head + 1 > kAncestors ? m_head + 1 - kAncestors : 0;
        for (uint64_t n = from; n <= m_head; ++n)
        {
            const auto h = m_store.canonical_hash(n);
            auto rlp = h ? m_store.header_rlp(*h) : std::nullopt;
            if (!rlp)
            {
                error = "chain store: header " + std::to_string(n) + " is missing";
                return false;
            }
            m_headers.push_back(std::move(*rlp));
        }
        return true;
    }
    stateless::PreStateTries tries;
    if (!tries.build(genesis_state, genesis.state_root))
    {
        error = "the genesis state does not hash to the genesis header's state root";
        return false;
    }
    if (!batch(error))
        return false;
    std::string config_json = m_config_json;
    bool ok = (!config_json.empty() || chain_config_to_json(m_config, config_json).ok()) &&
              m_batch->put_config(config_json);
    for (const bytes& n : tries.nodes())
        ok = ok && m_batch->put_node(keccak256(n), n);
    for (const bytes_view c : tries.codes())
        ok = ok && m_batch->put_code(keccak256(c), c);
    const bytes header = chain::encode_header(genesis);
    const bytes empty_body{0xc0, 0xc0};  // no transactions, no ommers
    ok = ok && m_batch->put_block(genesis.hash, 0, header, empty_body, {}, {}) &&
         m_batch->set_head(0);
    if (!ok)
    {
        error = "writing the genesis block: " + m_batch->error();
        return false;
    }
    ++m_staged;
    m_head = 0;
    m_headers.push_back(header);
    return commit(error);
}

ImportResult Importer::add(bytes_view block_rlp)
{
    ImportResult res;
    chain::Block block;
    if (const chain::Error e = chain::decode_block(block_rlp, block); e != chain::Error::ok)
    {
        res.status = ImportStatus::invalid;
        res.reason = chain::error_name(e);
        // The number, when the header at least decodes.
        rlp::Decoder d{block_rlp};
        auto items = d.list();
        chain::BlockHeader h;
        if (d.ok() && chain::decode_header(items.raw(), h) == chain::Error::ok)
            res.number = h.number;
        return res;
    }
    res.number = block.header.number;
    if (block.header.number <= m_head)
    {
        const auto stored = m_batch ? m_batch->get_canonical(block.header.number)
                                    : m_store.canonical_hash(block.header.number);
        if (stored == block.header.hash)
        {
            res.status = ImportStatus::known;
            return res;
        }
        res.status = ImportStatus::error;
        res.message = "the store holds another block at this number (reorgs are not supported)";
        return res;
    }
    if (block.header.number != m_head + 1)
    {
        res.status = ImportStatus::error;
        res.message = "does not extend the head " + std::to_string(m_head);
        return res;
    }
    if (!batch(res.message))
    {
        res.status = ImportStatus::error;
        return res;
    }

    std::vector<bytes_view> ancestors(m_headers.begin(), m_headers.end());
    const WriteBatch& b = *m_batch;
    const StateLookup lookup{[&b](const hash256& h) { return b.get_node(h); },
        [&b](const hash256& h) { return b.get_code(h); }};
    stateless::ValidateOptions options;
    options.config = &m_config;
    options.precompiles = &m_precompiles;
    options.recover = m_recover;
    StoreRun run;
    run_block(block, ancestors, lookup, options, run);
    const stateless::ValidationResult& v = run.result;
    if (v.status == stateless::Status::block_invalid)
    {
        res.status = ImportStatus::invalid;
        res.reason = chain::error_name(v.block_error);
        return res;
    }
    if (v.status != stateless::Status::ok)
    {
        // The store must hold the whole parent state: a miss is corruption, not a verdict.
        res.status = ImportStatus::error;
        res.message = std::string{"the chain store lacks the parent state ("} +
                      stateless::status_name(v.status) + " " + to_hex0x(v.missing_hash) + ")";
        return res;
    }
    res.gas_used = v.gas_used;

    std::vector<bytes> nodes;
    std::vector<bytes_view> codes;
    if (const trie::Status s = run.db->collect_post_state(nodes, codes); !s.ok())
    {
        res.status = ImportStatus::error;
        res.message = "collecting the post-state nodes failed";
        return res;
    }
    std::vector<bytes> receipts;
    receipts.reserve(v.receipts.size());
    for (const chain::Receipt& r : v.receipts)
        receipts.push_back(chain::encode_receipt(r));
    std::vector<hash256> txs;
    txs.reserve(block.transactions.size());
    for (const chain::Transaction& tx : block.transactions)
        txs.push_back(keccak256(tx.encoded));
    rlp::Decoder d{block_rlp};
    auto items = d.list();
    (void)items.raw();  // the header
    const bytes header = chain::encode_header(block.header);
    bool ok = true;
    for (const bytes& n : nodes)
        ok = ok && m_batch->put_node(keccak256(n), n);
    for (const bytes_view c : codes)
        ok = ok && m_batch->put_code(keccak256(c), c);
    ok = ok &&
         m_batch->put_block(
             block.header.hash, block.header.number, header, items.remaining(), receipts, txs) &&
         m_batch->set_head(block.header.number);
    if (!ok)
    {
        res.status = ImportStatus::error;
        res.message = m_batch->error();
        return res;
    }
    ++m_staged;
    m_head = block.header.number;
    m_headers.push_back(header);
    if (m_headers.size() > kAncestors)
        m_headers.pop_front();
    return res;
}

bool Importer::commit(std::string& error)
{
    if (!m_batch)
        return true;
    const bool ok = m_batch->commit(error);
    m_batch.reset();
    m_staged = 0;
    return ok;
}
}  // namespace stele::witness
