// The chain store: an LMDB environment holding imported blocks (headers, bodies, receipts),
// the canonical index, transaction locations, codes and the archive state as trie nodes by
// hash. Key layout and format versioning: witness-rpc/README.md ("Chain store").
//
// One writer (a WriteBatch, one LMDB write transaction) and any number of concurrent readers:
// every ChainReader call runs in its own LMDB read transaction (MVCC snapshot), so readers on
// several threads never block each other or the writer and always see whole committed batches.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chain_reader.hpp"

namespace stele::witness
{
class ChainStore;

// The writes of one batch of blocks, applied atomically by commit(); destroying an uncommitted
// batch discards it (nothing of it becomes visible or durable).
class WriteBatch
{
public:
    WriteBatch(WriteBatch&&) noexcept;
    WriteBatch& operator=(WriteBatch&&) = delete;
    ~WriteBatch();

    // Stores a block and makes it canonical at `number`: the header, the body (the RLP items
    // after the header in the block list: transactions, ommers, withdrawals), the receipts
    // (one consensus encoding per transaction) and the location of each transaction.
    [[nodiscard]] bool put_block(const hash256& hash, uint64_t number, bytes_view header_rlp,
        bytes_view body_items, const std::vector<bytes>& receipts,
        const std::vector<hash256>& tx_hashes);
    // A trie node or a code, keyed by its keccak hash (idempotent).
    [[nodiscard]] bool put_node(const hash256& hash, bytes_view node);
    [[nodiscard]] bool put_code(const hash256& hash, bytes_view code);
    // The chain configuration as geth's `config` JSON (meta "config"), so that a server opening
    // the store later executes under the same rules.
    [[nodiscard]] bool put_config(std::string_view config_json);
    // The highest canonical block; the canonical index must be contiguous up to it.
    [[nodiscard]] bool set_head(uint64_t number);
    // Reads through this batch (its own uncommitted writes included), for the importer's
    // execution of the next block before the batch is committed.
    [[nodiscard]] std::optional<bytes> get_node(const hash256& hash) const;
    [[nodiscard]] std::optional<bytes> get_code(const hash256& hash) const;
    [[nodiscard]] std::optional<hash256> get_canonical(uint64_t number) const;

    [[nodiscard]] bool commit(std::string& error);
    [[nodiscard]] const std::string& error() const noexcept
    {
        return m_error;
    }

private:
    friend class ChainStore;
    WriteBatch(const ChainStore& store, void* txn) noexcept : m_store{&store}, m_txn{txn} {}
    bool put(unsigned dbi, bytes_view key, bytes_view value, bool keep_existing = false);
    [[nodiscard]] std::optional<bytes> get(unsigned dbi, bytes_view key) const;

    const ChainStore* m_store;
    void* m_txn;  // MDB_txn*, null after commit
    std::string m_error;
};

class ChainStore final : public ChainReader
{
public:
    // The on-disk format this build reads and writes (meta key "format"). A store of another
    // version is refused: there is no in-place migration, re-import instead.
    static constexpr uint32_t format_version = 1;

    // Opens (and, when writable, creates) the store in `datadir`. Null with a message when the
    // directory is not a store, the store has another format version, or LMDB fails.
    [[nodiscard]] static std::unique_ptr<ChainStore> open(
        const std::string& datadir, bool writable, std::string& error);
    // Opens a store read-only for serving and re-execution: the fork schedule is the one the
    // import recorded (meta "config"), sender recovery is `recover`.
    [[nodiscard]] static std::unique_ptr<ChainStore> open_configured(
        const std::string& datadir, chain::RecoverFn recover, std::string& error);
    ~ChainStore() override;
    ChainStore(const ChainStore&) = delete;
    ChainStore& operator=(const ChainStore&) = delete;

    // The store itself is the reader (thread-safe); kept for the server's wiring.
    [[nodiscard]] const ChainReader& reader() const noexcept
    {
        return *this;
    }
    // The fork schedule and sender recovery used for re-execution (set by the importer from the
    // genesis source, and by the server from the stored chain configuration).
    void set_config(const chain::ChainConfig& config)
    {
        m_config = config;
    }
    void set_recover(chain::RecoverFn recover) noexcept
    {
        m_recover = recover;
    }
    [[nodiscard]] chain::RecoverFn recover() const noexcept
    {
        return m_recover;
    }
    // The chain configuration recorded at import (geth's `config` JSON), if any.
    [[nodiscard]] std::optional<std::string> stored_config() const;

    // A write batch (one LMDB write transaction; LMDB serialises writers). Null with a
    // message when the store is read-only or LMDB fails.
    [[nodiscard]] std::unique_ptr<WriteBatch> begin_write(std::string& error);
    // Whether a head is recorded (false for a freshly created, empty store).
    [[nodiscard]] bool has_head() const;

    [[nodiscard]] const chain::ChainConfig& config() const override
    {
        return m_config;
    }
    [[nodiscard]] uint64_t head() const override;
    [[nodiscard]] std::optional<hash256> canonical_hash(uint64_t number) const override;
    [[nodiscard]] std::optional<uint64_t> block_number(const hash256& block) const override;
    [[nodiscard]] std::optional<bytes> header_rlp(const hash256& block) const override;
    [[nodiscard]] std::optional<bytes> block_rlp(const hash256& block) const override;
    [[nodiscard]] std::optional<std::vector<bytes>> receipts_rlp(
        const hash256& block) const override;
    [[nodiscard]] std::optional<TxLocation> transaction(const hash256& tx) const override;
    [[nodiscard]] std::optional<bytes> node(const hash256& hash) const override;
    [[nodiscard]] std::optional<bytes> code(const hash256& hash) const override;
    [[nodiscard]] bool execution_witness(const hash256& block, WitnessMode mode,
        ExecutionWitness& out, std::string& error) const override;

    // Table indices (one LMDB named database each; README.md lists keys and values).
    enum Table : unsigned
    {
        meta,
        headers,
        bodies,
        receipts,
        canonical,
        numbers,
        txs,
        codes,
        nodes,
        table_count
    };

private:
    friend class WriteBatch;
    ChainStore() = default;
    [[nodiscard]] std::optional<bytes> get(Table t, bytes_view key) const;

    void* m_env = nullptr;  // MDB_env*
    unsigned m_dbi[table_count]{};
    bool m_writable = false;
    chain::ChainConfig m_config;
    chain::RecoverFn m_recover = nullptr;
};
}  // namespace stele::witness
