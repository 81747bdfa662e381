#include "store.hpp"

#include <lmdb.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stateless/evm/precompiles.hpp>

#include "block_json.hpp"
#include "store_exec.hpp"

namespace stele::witness
{
namespace
{
constexpr const char* table_names[ChainStore::table_count] = {
    "meta", "headers", "bodies", "receipts", "canonical", "numbers", "txs", "codes", "nodes"};
constexpr std::string_view meta_format = "format";
constexpr std::string_view meta_head = "head";
constexpr std::string_view meta_config = "config";

// Big-endian so that LMDB's byte-wise key order is numeric order (canonical index scans).
bytes be64(uint64_t v)
{
    bytes out(8);
    for (int i = 7; i >= 0; --i, v >>= 8)
        out[static_cast<size_t>(i)] = static_cast<uint8_t>(v);
    return out;
}
uint64_t read_be(bytes_view b)
{
    uint64_t v = 0;
    for (const uint8_t x : b)
        v = (v << 8) | x;
    return v;
}
bytes_view key_of(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
MDB_val val_of(bytes_view b)
{
    return {b.size(), const_cast<uint8_t*>(b.data())};
}
std::string lmdb_error(const char* what, int rc)
{
    return std::string{what} + ": " + mdb_strerror(rc);
}

// One read transaction for the duration of one reader call.
class ReadTxn
{
public:
    explicit ReadTxn(MDB_env* env) noexcept
    {
        if (mdb_txn_begin(env, nullptr, MDB_RDONLY, &m_txn) != MDB_SUCCESS)
            m_txn = nullptr;
    }
    ~ReadTxn()
    {
        if (m_txn != nullptr)
            mdb_txn_abort(m_txn);
    }
    ReadTxn(const ReadTxn&) = delete;
    ReadTxn& operator=(const ReadTxn&) = delete;
    [[nodiscard]] MDB_txn* get() const noexcept
    {
        return m_txn;
    }

private:
    MDB_txn* m_txn = nullptr;
};

// RLP list prefix for a payload of `len` bytes (Yellow Paper appendix B, 0xc0 / 0xf7 forms).
void list_prefix(bytes& out, size_t len)
{
    if (len < 56)
    {
        out.push_back(static_cast<uint8_t>(0xc0 + len));
        return;
    }
    uint8_t be[8];
    int n = 0;
    for (size_t v = len; v != 0; v >>= 8)
        be[n++] = static_cast<uint8_t>(v);
    out.push_back(static_cast<uint8_t>(0xf7 + n));
    while (n > 0)
        out.push_back(be[--n]);
}
}  // namespace

std::unique_ptr<ChainStore> ChainStore::open(
    const std::string& datadir, bool writable, std::string& error)
{
    std::error_code ec;
    if (writable)
        std::filesystem::create_directories(datadir, ec);
    if (!std::filesystem::exists(std::filesystem::path{datadir} / "data.mdb"))
    {
        if (!writable)
        {
            error = datadir + ": not a chain store (no data.mdb; run `stele chain import`)";
            return nullptr;
        }
    }
    std::unique_ptr<ChainStore> s{new ChainStore};
    s->m_writable = writable;
    MDB_env* env = nullptr;
    int rc = mdb_env_create(&env);
    if (rc != MDB_SUCCESS)
    {
        error = lmdb_error("mdb_env_create", rc);
        return nullptr;
    }
    s->m_env = env;
    mdb_env_set_maxdbs(env, table_count);
    // The map is a reservation of address space, not of disk: 1 TiB covers an archive store.
    mdb_env_set_mapsize(env, size_t{1} << 40);
    // MDB_NOTLS: read transactions are not bound to threads (each call begins and ends its own).
    const unsigned flags = MDB_NOTLS | (writable ? 0u : MDB_RDONLY);
    rc = mdb_env_open(env, datadir.c_str(), flags, 0644);
    if (rc != MDB_SUCCESS)
    {
        error = datadir + ": " + lmdb_error("cannot open the LMDB environment", rc);
        return nullptr;
    }
    MDB_txn* txn = nullptr;
    rc = mdb_txn_begin(env, nullptr, writable ? 0u : MDB_RDONLY, &txn);
    if (rc != MDB_SUCCESS)
    {
        error = lmdb_error("mdb_txn_begin", rc);
        return nullptr;
    }
    for (unsigned t = 0; t < table_count; ++t)
    {
        rc = mdb_dbi_open(txn, table_names[t], writable ? MDB_CREATE : 0u, &s->m_dbi[t]);
        if (rc != MDB_SUCCESS)
        {
            mdb_txn_abort(txn);
            error = datadir + ": not a chain store (table " + table_names[t] + ": " +
                    mdb_strerror(rc) + ")";
            return nullptr;
        }
    }
    MDB_val k = val_of(key_of(meta_format)), v{};
    rc = mdb_get(txn, s->m_dbi[meta], &k, &v);
    if (rc == MDB_NOTFOUND && writable)
    {
        const bytes ver = be64(format_version);
        MDB_val nv = val_of(ver);
        rc = mdb_put(txn, s->m_dbi[meta], &k, &nv, 0);
        if (rc != MDB_SUCCESS)
        {
            mdb_txn_abort(txn);
            error = lmdb_error("writing the format version", rc);
            return nullptr;
        }
    }
    else if (rc != MDB_SUCCESS)
    {
        mdb_txn_abort(txn);
        error = datadir + ": not a chain store (no format version)";
        return nullptr;
    }
    else
    {
        const uint64_t found =
            v.mv_size == 8 ? read_be({static_cast<const uint8_t*>(v.mv_data), 8}) : ~uint64_t{0};
        if (found != format_version)
        {
            mdb_txn_abort(txn);
            error = datadir + ": chain store format version " +
                    (v.mv_size == 8 ? std::to_string(found) : std::string{"(malformed)"}) +
                    ", this stele reads version " + std::to_string(format_version) +
                    "; re-import into a new datadir";
            return nullptr;
        }
    }
    rc = mdb_txn_commit(txn);
    if (rc != MDB_SUCCESS)
    {
        error = lmdb_error("mdb_txn_commit", rc);
        return nullptr;
    }
    return s;
}

std::unique_ptr<ChainStore> ChainStore::open_configured(
    const std::string& datadir, chain::RecoverFn recover, std::string& error)
{
    auto s = open(datadir, false, error);
    if (!s)
        return nullptr;
    if (!s->has_head())
    {
        error = datadir + ": the chain store is empty (run `stele chain import`)";
        return nullptr;
    }
    const auto cfg = s->stored_config();
    ChainSpec spec;
    if (!cfg)
    {
        error = datadir + ": the chain store records no chain configuration";
        return nullptr;
    }
    if (const FormatResult r = chain_config_from_json(*cfg, spec); !r.ok())
    {
        error = datadir + ": the stored chain configuration: " + r.message;
        return nullptr;
    }
    s->set_config(spec.config);
    s->set_recover(recover);
    return s;
}

ChainStore::~ChainStore()
{
    if (m_env != nullptr)
        mdb_env_close(static_cast<MDB_env*>(m_env));
}

std::unique_ptr<WriteBatch> ChainStore::begin_write(std::string& error)
{
    if (!m_writable)
    {
        error = "the chain store is open read-only";
        return nullptr;
    }
    MDB_txn* txn = nullptr;
    const int rc = mdb_txn_begin(static_cast<MDB_env*>(m_env), nullptr, 0, &txn);
    if (rc != MDB_SUCCESS)
    {
        error = lmdb_error("mdb_txn_begin", rc);
        return nullptr;
    }
    return std::unique_ptr<WriteBatch>{new WriteBatch{*this, txn}};
}

std::optional<bytes> ChainStore::get(Table t, bytes_view key) const
{
    const ReadTxn txn{static_cast<MDB_env*>(m_env)};
    if (txn.get() == nullptr)
        return std::nullopt;
    MDB_val k = val_of(key), v{};
    if (mdb_get(txn.get(), m_dbi[t], &k, &v) != MDB_SUCCESS)
        return std::nullopt;
    const auto* p = static_cast<const uint8_t*>(v.mv_data);
    return bytes(p, p + v.mv_size);
}

bool ChainStore::has_head() const
{
    return get(meta, key_of(meta_head)).has_value();
}

std::optional<std::string> ChainStore::stored_config() const
{
    const auto v = get(meta, key_of(meta_config));
    if (!v)
        return std::nullopt;
    return std::string(v->begin(), v->end());
}

uint64_t ChainStore::head() const
{
    const auto v = get(meta, key_of(meta_head));
    return v && v->size() == 8 ? read_be(*v) : 0;
}

std::optional<hash256> ChainStore::canonical_hash(uint64_t number) const
{
    const auto v = get(canonical, be64(number));
    if (!v || v->size() != 32)
        return std::nullopt;
    return hash256::from(*v);
}

std::optional<uint64_t> ChainStore::block_number(const hash256& block) const
{
    const auto v = get(numbers, block);
    if (!v || v->size() != 8)
        return std::nullopt;
    return read_be(*v);
}

std::optional<bytes> ChainStore::header_rlp(const hash256& block) const
{
    return get(headers, block);
}

std::optional<bytes> ChainStore::block_rlp(const hash256& block) const
{
    // Header and body from one snapshot, so a concurrent commit cannot split them.
    const ReadTxn txn{static_cast<MDB_env*>(m_env)};
    if (txn.get() == nullptr)
        return std::nullopt;
    MDB_val k = val_of(block), h{}, b{};
    if (mdb_get(txn.get(), m_dbi[headers], &k, &h) != MDB_SUCCESS ||
        mdb_get(txn.get(), m_dbi[bodies], &k, &b) != MDB_SUCCESS)
        return std::nullopt;
    bytes out;
    list_prefix(out, h.mv_size + b.mv_size);
    const auto* hp = static_cast<const uint8_t*>(h.mv_data);
    const auto* bp = static_cast<const uint8_t*>(b.mv_data);
    out.insert(out.end(), hp, hp + h.mv_size);
    out.insert(out.end(), bp, bp + b.mv_size);
    return out;
}

std::optional<std::vector<bytes>> ChainStore::receipts_rlp(const hash256& block) const
{
    // Value: the receipts as (u32 big-endian length, encoding) records, in transaction order.
    const auto v = get(receipts, block);
    if (!v)
        return std::nullopt;
    std::vector<bytes> out;
    size_t at = 0;
    while (at < v->size())
    {
        if (v->size() - at < 4)
            return std::nullopt;
        const auto len = static_cast<size_t>(read_be(bytes_view{*v}.subspan(at, 4)));
        at += 4;
        if (v->size() - at < len)
            return std::nullopt;
        out.emplace_back(v->begin() + static_cast<std::ptrdiff_t>(at),
            v->begin() + static_cast<std::ptrdiff_t>(at + len));
        at += len;
    }
    return out;
}

std::optional<TxLocation> ChainStore::transaction(const hash256& tx) const
{
    // Value: block hash (32) || block number (u64 BE) || index (u32 BE).
    const auto v = get(txs, tx);
    if (!v || v->size() != 44)
        return std::nullopt;
    const bytes_view b{*v};
    return TxLocation{hash256::from(b.first(32)), read_be(b.subspan(32, 8)),
        static_cast<uint32_t>(read_be(b.subspan(40, 4)))};
}

std::optional<bytes> ChainStore::node(const hash256& hash) const
{
    return get(nodes, hash);
}

std::optional<bytes> ChainStore::code(const hash256& hash) const
{
    return get(codes, hash);
}

bool ChainStore::execution_witness(
    const hash256& block, WitnessMode mode, ExecutionWitness& out, std::string& error) const
{
    // One snapshot for the whole generation: a commit meanwhile cannot mix two states.
    const ReadTxn txn{static_cast<MDB_env*>(m_env)};
    if (txn.get() == nullptr)
    {
        error = "chain store: cannot begin a read transaction";
        return false;
    }
    const auto read = [&](Table t, bytes_view key) -> std::optional<bytes>
    {
        MDB_val k = val_of(key), v{};
        if (mdb_get(txn.get(), m_dbi[t], &k, &v) != MDB_SUCCESS)
            return std::nullopt;
        const auto* p = static_cast<const uint8_t*>(v.mv_data);
        return bytes(p, p + v.mv_size);
    };
    const auto header = read(headers, block);
    const auto body = read(bodies, block);
    if (!header || !body)
    {
        error = "unknown block";
        return false;
    }
    bytes block_bytes;
    list_prefix(block_bytes, header->size() + body->size());
    block_bytes.insert(block_bytes.end(), header->begin(), header->end());
    block_bytes.insert(block_bytes.end(), body->begin(), body->end());
    chain::Block b;
    if (chain::decode_block(block_bytes, b) != chain::Error::ok)
    {
        error = "chain store: the stored block does not decode";
        return false;
    }
    if (b.header.number == 0)
    {
        error = "the genesis block has no execution witness";
        return false;
    }
    // Ancestors: the parent and up to 255 more, by parent hash (BLOCKHASH's reach).
    std::vector<bytes> ancestors;
    hash256 at = b.header.parent_hash;
    for (size_t i = 0; i < 256; ++i)
    {
        auto h = read(headers, at);
        if (!h)
        {
            if (i == 0)
            {
                error = "chain store: the parent header is missing";
                return false;
            }
            break;
        }
        chain::BlockHeader hd;
        if (chain::decode_header(*h, hd) != chain::Error::ok)
        {
            error = "chain store: a stored header does not decode";
            return false;
        }
        ancestors.push_back(std::move(*h));
        if (hd.number == 0)
            break;
        at = hd.parent_hash;
    }
    std::reverse(ancestors.begin(), ancestors.end());
    const std::vector<bytes_view> views(ancestors.begin(), ancestors.end());

    const StateLookup lookup{[&](const hash256& h) { return read(nodes, h); },
        [&](const hash256& h) { return read(codes, h); }};
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions options;
    options.config = &m_config;
    options.precompiles = &precompiles;
    options.recover = m_recover;
    StoreRun run;
    const bool legacy = mode == WitnessMode::legacy;
    run_block(b, views, lookup, options, run, legacy);
    if (!run.result.ok())
    {
        // A stored block was valid when imported: any failure here is the store's.
        error = std::string{"re-executing the stored block failed: "} +
                stateless::status_name(run.result.status);
        if (run.result.status == stateless::Status::block_invalid)
            error +=
                std::string{" ("} + std::string{chain::error_name(run.result.block_error)} + ")";
        return false;
    }
    witness_of(run, views, out, legacy);
    return true;
}

WriteBatch::WriteBatch(WriteBatch&& o) noexcept
    : m_store{o.m_store}, m_txn{o.m_txn}, m_error{std::move(o.m_error)}
{
    o.m_txn = nullptr;
}

WriteBatch::~WriteBatch()
{
    if (m_txn != nullptr)
        mdb_txn_abort(static_cast<MDB_txn*>(m_txn));
}

bool WriteBatch::put(unsigned dbi, bytes_view key, bytes_view value, bool keep_existing)
{
    if (m_txn == nullptr)
    {
        m_error = "write batch already committed";
        return false;
    }
    MDB_val k = val_of(key), v = val_of(value);
    const int rc = mdb_put(static_cast<MDB_txn*>(m_txn), m_store->m_dbi[dbi], &k, &v,
        keep_existing ? MDB_NOOVERWRITE : 0u);
    if (keep_existing && rc == MDB_KEYEXIST)
        return true;
    if (rc != MDB_SUCCESS)
    {
        m_error = lmdb_error("mdb_put", rc);
        return false;
    }
    return true;
}

bool WriteBatch::put_block(const hash256& hash, uint64_t number, bytes_view header_rlp,
    bytes_view body_items, const std::vector<bytes>& receipts,
    const std::vector<hash256>& tx_hashes)
{
    bytes rs;
    for (const auto& r : receipts)
    {
        const auto len = static_cast<uint32_t>(r.size());
        for (int i = 3; i >= 0; --i)
            rs.push_back(static_cast<uint8_t>(len >> (8 * i)));
        rs.insert(rs.end(), r.begin(), r.end());
    }
    const bytes num = be64(number);
    if (!put(ChainStore::headers, hash, header_rlp) || !put(ChainStore::bodies, hash, body_items) ||
        !put(ChainStore::receipts, hash, rs) || !put(ChainStore::canonical, num, hash) ||
        !put(ChainStore::numbers, hash, num))
        return false;
    for (size_t i = 0; i < tx_hashes.size(); ++i)
    {
        bytes loc(hash.bytes, hash.bytes + 32);
        loc.insert(loc.end(), num.begin(), num.end());
        for (int s = 3; s >= 0; --s)
            loc.push_back(static_cast<uint8_t>(i >> (8 * s)));
        if (!put(ChainStore::txs, tx_hashes[i], loc))
            return false;
    }
    return true;
}

// Content-addressed: a key present already holds the same bytes, so it is not rewritten
// (MDB_NOOVERWRITE leaves its page clean).
bool WriteBatch::put_node(const hash256& hash, bytes_view node)
{
    return put(ChainStore::nodes, hash, node, true);
}

bool WriteBatch::put_code(const hash256& hash, bytes_view code)
{
    return put(ChainStore::codes, hash, code, true);
}

bool WriteBatch::put_config(std::string_view config_json)
{
    return put(ChainStore::meta, key_of(meta_config), key_of(config_json));
}

std::optional<bytes> WriteBatch::get(unsigned dbi, bytes_view key) const
{
    if (m_txn == nullptr)
        return std::nullopt;
    MDB_val k = val_of(key), v{};
    if (mdb_get(static_cast<MDB_txn*>(m_txn), m_store->m_dbi[dbi], &k, &v) != MDB_SUCCESS)
        return std::nullopt;
    const auto* p = static_cast<const uint8_t*>(v.mv_data);
    return bytes(p, p + v.mv_size);
}

std::optional<bytes> WriteBatch::get_node(const hash256& hash) const
{
    return get(ChainStore::nodes, hash);
}

std::optional<bytes> WriteBatch::get_code(const hash256& hash) const
{
    return get(ChainStore::codes, hash);
}

std::optional<hash256> WriteBatch::get_canonical(uint64_t number) const
{
    const auto v = get(ChainStore::canonical, be64(number));
    if (!v || v->size() != 32)
        return std::nullopt;
    return hash256::from(*v);
}

bool WriteBatch::set_head(uint64_t number)
{
    return put(ChainStore::meta, key_of(meta_head), be64(number));
}

bool WriteBatch::commit(std::string& error)
{
    if (m_txn == nullptr)
    {
        error = "write batch already committed";
        return false;
    }
    const int rc = mdb_txn_commit(static_cast<MDB_txn*>(m_txn));
    m_txn = nullptr;
    if (rc != MDB_SUCCESS)
    {
        error = lmdb_error("mdb_txn_commit", rc);
        return false;
    }
    return true;
}
}  // namespace stele::witness
