// Importing blocks into the chain store: each block is executed statelessly over the stored
// state of its parent (witness-rpc/store_exec.hpp), fully validated by the engine (header,
// transactions, gas, receipts root, bloom, state root, requests), and only then staged with its
// receipts, its transaction locations and every new trie node and code of its post-state. A
// batch of blocks is one LMDB write transaction: a crash at any moment leaves the store at the
// last committed batch, and the next import resumes from there.
#pragma once

#include <deque>
#include <memory>
#include <stateless/evm/precompiles.hpp>
#include <stateless/state/memory_state.hpp>
#include <string>

#include "store.hpp"

namespace stele::witness
{
enum class ImportStatus
{
    imported,  // validated and staged in the current batch
    known,     // already in the store (same hash at that number): skipped
    invalid,   // the block is invalid: `reason` holds the EEST exception name
    error,     // a store failure or a block that does not extend the chain: see `message`
};

struct ImportResult
{
    ImportStatus status = ImportStatus::imported;
    uint64_t number = 0;
    uint64_t gas_used = 0;
    std::string reason;   // invalid: e.g. INVALID_STATE_ROOT
    std::string message;  // error
};

class Importer
{
public:
    // `store` must be writable and outlive the importer; `config` is the chain's schedule and
    // `config_json` geth's `config` object for it, recorded in the store (empty: derived).
    Importer(ChainStore& store, const chain::ChainConfig& config, chain::RecoverFn recover,
        std::string config_json = {});
    ~Importer();
    Importer(const Importer&) = delete;
    Importer& operator=(const Importer&) = delete;

    // An empty store gets the genesis block and its whole state; a store with a head must hold
    // this genesis (else: "the datadir holds another chain"). Loads the last 256 headers.
    [[nodiscard]] bool open_chain(
        state::InMemoryState& genesis_state, const chain::BlockHeader& genesis, std::string& error);

    // Validates and stages one block (RLP). Blocks up to the head must be the stored ones.
    // After an `error` result the staged batch must not be committed (drop the importer).
    [[nodiscard]] ImportResult add(bytes_view block_rlp);

    // Commits the staged blocks (a no-op when none are staged).
    [[nodiscard]] bool commit(std::string& error);
    [[nodiscard]] size_t staged() const noexcept
    {
        return m_staged;
    }
    [[nodiscard]] uint64_t head() const noexcept
    {
        return m_head;
    }

private:
    bool batch(std::string& error);

    ChainStore& m_store;
    chain::ChainConfig m_config;
    chain::RecoverFn m_recover;
    std::string m_config_json;
    evm::PrecompileTable m_precompiles;
    std::unique_ptr<WriteBatch> m_batch;
    size_t m_staged = 0;
    uint64_t m_head = 0;
    std::deque<bytes> m_headers;  // the last (at most 256) canonical headers, RLP, ascending
};
}  // namespace stele::witness
