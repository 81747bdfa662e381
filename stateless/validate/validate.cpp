#include "validate.hpp"

#include <algorithm>
#include <cstring>

#include "../core/keccak.hpp"
#include "../core/profile.hpp"
#include "../core/rlp.hpp"
#include "../crypto/secp256k1.hpp"

namespace stele::stateless
{
const char* status_name(Status s) noexcept
{
    switch (s)
    {
        case Status::ok:
            return "ok";
        case Status::block_invalid:
            return "block invalid";
        case Status::missing_trie_node:
            return "missing trie node";
        case Status::missing_code:
            return "missing code";
        case Status::missing_ancestor_header:
            return "missing ancestor header";
        case Status::too_many_headers:
            return "too many ancestor headers";
        case Status::invalid_header:
            return "invalid witness header";
        case Status::invalid_ancestor_chain:
            return "invalid ancestor chain";
        case Status::parent_mismatch:
            return "parent mismatch";
        case Status::invalid_trie_node:
            return "invalid trie node";
        case Status::invalid_account:
            return "invalid account";
        case Status::signer_mismatch:
            return "signer mismatch";
    }
    return "unknown";
}

const char* missing_step_name(MissingStep s) noexcept
{
    switch (s)
    {
        case MissingStep::none:
            return "";
        case MissingStep::account_read:
            return "account read";
        case MissingStep::storage_read:
            return "storage read";
        case MissingStep::code_read:
            return "code read";
        case MissingStep::storage_update:
            return "post-state storage update";
        case MissingStep::account_update:
            return "post-state account update";
    }
    return "";
}

// ---- WitnessDb ---------------------------------------------------------------------------------

struct WitnessDb::Entry
{
    bool loaded = false;
    bool existed = false;                     // in the pre-state
    hash256 storage_root = trie::kEmptyRoot;  // pre-state storage root
    std::optional<state::AccountInfo> info;   // current
    bool dirty = false;
    bool cleared = false;             // pre-state storage dropped (deleted / re-created)
    FlatMap<uint256, uint256> slots;  // written since the last root computation
    std::vector<uint256> slot_order;  // written keys, first-write order
    std::unique_ptr<trie::Trie> storage;
    FlatMap<uint256, bool> keys;  // with track_keys: slots read or written
};

namespace
{
bytes slot_key(const uint256& key)
{
    bytes k(32);
    store_be(k.data(), key);
    return k;
}

bytes encode_u256(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    bytes out;
    rlp::append_uint_be(out, {be, 32});
    return out;
}

bytes encode_account(const state::AccountInfo& info, const hash256& storage_root)
{
    bytes enc;
    rlp::Encoder en{enc};
    const size_t mark = en.begin_list();
    en.u64(info.nonce);
    uint8_t be[32];
    store_be(be, info.balance);
    en.uint_be({be, 32});
    en.string(storage_root.view()).string(info.code_hash.view());
    en.end_list(mark);
    return enc;
}
}  // namespace

WitnessDb::WitnessDb(trie::NodeSource nodes, const hash256& state_root)
    : m_nodes{nodes}, m_accounts{nodes, state_root}
{
}

WitnessDb::~WitnessDb() = default;

void WitnessDb::add_code(bytes_view code)
{
    m_codes[keccak256(code)] = code;
}

void WitnessDb::fail(Status s, const hash256& h) noexcept
{
    if (m_failure != Status::ok)
        return;
    m_failure = s;
    m_failure_hash = h;
    m_failure_ctx = m_ctx;
}

void WitnessDb::fail_trie(const trie::Status& s) noexcept
{
    if (s.ok())
        return;
    fail(s.error == trie::TrieError::missing_node ? Status::missing_trie_node
                                                  : Status::invalid_trie_node,
        s.missing);
}

WitnessDb::Entry& WitnessDb::entry(const address& addr)
{
    std::unique_ptr<Entry>& slot = m_entries[addr];
    if (!slot)
        slot = std::make_unique<Entry>();
    Entry& e = *slot;
    if (e.loaded || m_failure != Status::ok)
        return e;
    e.loaded = true;
    set_context(MissingStep::account_read, addr);
    const hash256 key = keccak256(addr.view());
    const trie::GetResult r = m_accounts.get(key.view());
    if (!r.status.ok())
    {
        fail_trie(r.status);
        return e;
    }
    if (!r.found)
        return e;
    rlp::Decoder d{r.value};
    rlp::Decoder l = d.list();
    state::AccountInfo info;
    info.nonce = l.u64();
    const bytes_view bal = l.uint_be(32);
    const hash256 root = l.fixed<32>();
    info.code_hash = l.fixed<32>();
    l.finish();
    d.finish();
    if (!d.ok())
    {
        fail(Status::invalid_account, key);
        return e;
    }
    info.balance = load_be(bal.data(), bal.size());
    e.existed = true;
    e.storage_root = root;
    e.info = info;
    return e;
}

trie::Trie& WitnessDb::storage_trie(Entry& e)
{
    if (!e.storage)
    {
        const hash256 root = (e.cleared || !e.existed) ? trie::kEmptyRoot : e.storage_root;
        e.storage = std::make_unique<trie::Trie>(m_nodes, root);
    }
    return *e.storage;
}

std::optional<state::AccountInfo> WitnessDb::account(const address& addr)
{
    return entry(addr).info;
}

uint256 WitnessDb::storage(const address& addr, const uint256& key)
{
    Entry& e = entry(addr);
    if (m_failure != Status::ok)
        return {};
    if (m_track_keys)
        e.keys[key] = true;
    if (const uint256* v = e.slots.find(key))
        return *v;
    if (e.cleared || !e.existed || (e.storage_root == trie::kEmptyRoot && !e.storage))
        return {};
    const bytes k = slot_key(key);
    set_context(MissingStep::storage_read, addr, key);
    const trie::GetResult r = storage_trie(e).get(keccak256(k).view());
    if (!r.status.ok())
    {
        fail_trie(r.status);
        return {};
    }
    if (!r.found)
        return {};
    rlp::Decoder d{r.value};
    const bytes_view v = d.uint_be(32);
    d.finish();
    if (!d.ok())
    {
        fail(Status::invalid_trie_node, keccak256(k));
        return {};
    }
    return load_be(v.data(), v.size());
}

bool WitnessDb::storage_nonempty(const address& addr)
{
    Entry& e = entry(addr);
    bool any = false;
    e.slots.for_each([&](const uint256&, const uint256& v) { any = any || !v.is_zero(); });
    if (any)
        return true;
    return !e.cleared && e.existed && e.storage_root != trie::kEmptyRoot;
}

bytes_view WitnessDb::code(const hash256& code_hash)
{
    if (code_hash == state::kEmptyCodeHash)
        return {};
    if (const bytes* c = m_created_codes.find(code_hash))
        return *c;
    if (const bytes_view* c = m_codes.find(code_hash))
    {
        bool inserted = false;
        m_code_read.get_or_insert(code_hash, inserted);
        if (inserted)
            m_codes_read.push_back(code_hash);
        return *c;
    }
    if (bytes_view c;
        m_code_source.lookup && m_code_source.lookup(m_code_source.self, code_hash, c))
    {
        m_codes[code_hash] = c;
        bool inserted = false;
        m_code_read.get_or_insert(code_hash, inserted);
        if (inserted)
            m_codes_read.push_back(code_hash);
        return c;
    }
    // The account whose code this is, for the message (failure path only).
    address owner;
    m_entries.for_each(
        [&](const address& a, std::unique_ptr<Entry>& e)
        {
            if (e && e->info && e->info->code_hash == code_hash)
                owner = a;
        });
    set_context(MissingStep::code_read, owner);
    fail(Status::missing_code, code_hash);
    return {};
}

void WitnessDb::update_account(
    const address& addr, const state::AccountInfo* info, bool storage_cleared)
{
    Entry& e = entry(addr);
    e.dirty = true;
    if (!info || storage_cleared)
    {
        e.cleared = true;
        e.slots.clear();
        e.slot_order.clear();
        e.storage.reset();
    }
    if (info)
        e.info = *info;
    else
        e.info.reset();
}

void WitnessDb::update_storage(const address& addr, const uint256& key, const uint256& value)
{
    Entry& e = entry(addr);
    e.dirty = true;
    if (m_track_keys)
        e.keys[key] = true;
    bool inserted = false;
    uint256& v = e.slots.get_or_insert(key, inserted);
    v = value;
    if (inserted)
        e.slot_order.push_back(key);
}

void WitnessDb::update_code(const hash256& code_hash, bytes_view code)
{
    if (m_codes.find(code_hash) || m_created_codes.find(code_hash))
        return;
    m_created_codes[code_hash] = bytes(code.begin(), code.end());
}

hash256 WitnessDb::state_root()
{
    m_purpose = nullptr;  // the post-state root: every step names itself (storage/account update)
    if (m_failure != Status::ok)
        return {};
    // Dirty accounts in a fixed order (by hashed key), so the nodes touched do not depend on
    // hash-map layout.
    struct Dirty
    {
        hash256 key;
        Entry* e;
        address addr;
    };
    std::vector<Dirty> dirty;
    m_entries.for_each(
        [&](const address& a, std::unique_ptr<Entry>& e)
        {
            if (e && e->dirty)
                dirty.push_back({keccak256(a.view()), e.get(), a});
        });
    std::sort(
        dirty.begin(), dirty.end(), [](const Dirty& x, const Dirty& y) { return x.key < y.key; });

    // Storage: updates first, deletions second.
    for (const Dirty& d : dirty)
    {
        Entry& e = *d.e;
        if (!e.info)
            continue;
        if (e.slot_order.empty() && !(e.cleared && e.existed))
            continue;
        trie::Trie& t = storage_trie(e);
        for (int pass = 0; pass < 2; ++pass)
            for (const uint256& k : e.slot_order)
            {
                const uint256 v = *e.slots.find(k);
                if (v.is_zero() != (pass == 1))
                    continue;
                const bytes sk = slot_key(k);
                const hash256 hk = keccak256(sk);
                set_context(MissingStep::storage_update, d.addr, k);
                const trie::Status s =
                    pass == 0 ? t.put(hk.view(), encode_u256(v)) : t.erase(hk.view());
                if (!s.ok())
                {
                    fail_trie(s);
                    return {};
                }
            }
        hash256 root;
        set_context(MissingStep::storage_update, d.addr);
        if (const trie::Status s = t.root_hash(root); !s.ok())
        {
            fail_trie(s);
            return {};
        }
        e.storage_root = root;
        e.existed = true;  // the storage trie now holds the account's storage
        e.cleared = false;
        e.slots.clear();
        e.slot_order.clear();
    }
    // Accounts: updates first, deletions second.
    for (int pass = 0; pass < 2; ++pass)
        for (const Dirty& d : dirty)
        {
            Entry& e = *d.e;
            if (e.info.has_value() != (pass == 0))
                continue;
            trie::Status s;
            set_context(MissingStep::account_update, d.addr);
            if (e.info)
            {
                const hash256 root = (e.cleared || !e.existed) ? trie::kEmptyRoot : e.storage_root;
                s = m_accounts.put(d.key.view(), encode_account(*e.info, root));
            }
            else
                s = m_accounts.erase(d.key.view());
            if (!s.ok())
            {
                fail_trie(s);
                return {};
            }
        }
    for (const Dirty& d : dirty)
    {
        Entry& e = *d.e;
        e.dirty = false;
        if (!e.info)
        {
            // Deleted: a later re-creation starts from empty storage.
            e.existed = false;
            e.cleared = false;
            e.storage_root = trie::kEmptyRoot;
            e.storage.reset();
        }
    }
    hash256 root;
    if (const trie::Status s = m_accounts.root_hash(root); !s.ok())
    {
        fail_trie(s);
        return {};
    }
    return root;
}

trie::Status WitnessDb::collect_post_state(
    std::vector<bytes>& nodes, std::vector<bytes_view>& created_codes)
{
    if (trie::Status s = m_accounts.collect_nodes(nodes); !s.ok())
        return s;
    trie::Status status;
    m_entries.for_each(
        [&](const address&, std::unique_ptr<Entry>& e)
        {
            if (status.ok() && e && e->info && e->storage)
                status = e->storage->collect_nodes(nodes);
        });
    m_created_codes.for_each([&](const hash256&, const bytes& c) { created_codes.push_back(c); });
    return status;
}

void WitnessDb::accessed_keys(std::vector<bytes>& out) const
{
    m_entries.for_each(
        [&](const address& a, const std::unique_ptr<Entry>& e)
        {
            if (!e || !e->loaded)
                return;
            out.emplace_back(a.bytes, a.bytes + 20);
            e->keys.for_each([&](const uint256& k, bool) { out.push_back(slot_key(k)); });
        });
}

// ---- ancestors ---------------------------------------------------------------------------------

hash256 AncestorHashes::lookup(void* self, uint64_t number)
{
    auto& a = *static_cast<AncestorHashes*>(self);
    a.oldest_requested = std::min(a.oldest_requested, number);
    if (!a.headers.empty() && number >= a.headers.front().number &&
        number <= a.headers.back().number)
        return a.headers[number - a.headers.front().number].hash;
    if (!a.missing)
    {
        a.missing = true;
        a.missing_number = number;
    }
    return {};
}

// ---- public keys -------------------------------------------------------------------------------

namespace
{
}  // namespace

// ---- validation --------------------------------------------------------------------------------

ValidationResult validate_with(chain::Block& block, std::span<const bytes_view> headers,
    trie::NodeSource nodes, std::span<const bytes_view> codes, const ValidateOptions& options,
    std::unique_ptr<WitnessDb>* db_out, AncestorHashes* ancestors_out)
{
    ValidationResult res;
    res.block_hash = block.header.hash;
    const auto fail = [&](Status s)
    {
        res.status = s;
        return res;
    };

    // Ancestor headers: at most 256, decodable, contiguous, hash-linked, ending at the parent.
    if (headers.size() > 256)
        return fail(Status::too_many_headers);
    AncestorHashes local;
    AncestorHashes& anc = ancestors_out ? *ancestors_out : local;
    anc.headers.clear();
    anc.headers.reserve(headers.size());
    for (const bytes_view h : headers)
    {
        chain::BlockHeader hd;
        if (chain::decode_header(h, hd) != chain::Error::ok)
            return fail(Status::invalid_header);
        anc.headers.push_back(std::move(hd));
    }
    if (anc.headers.empty())
    {
        res.missing_number = block.header.number == 0 ? 0 : block.header.number - 1;
        return fail(Status::missing_ancestor_header);
    }
    if (!options.headers_in_order)
        std::sort(anc.headers.begin(), anc.headers.end(),
            [](const chain::BlockHeader& a, const chain::BlockHeader& b)
            { return a.number < b.number; });
    for (size_t i = 1; i < anc.headers.size(); ++i)
        if (anc.headers[i].number != anc.headers[i - 1].number + 1 ||
            anc.headers[i].parent_hash != anc.headers[i - 1].hash)
            return fail(Status::invalid_ancestor_chain);
    const chain::BlockHeader& parent = anc.headers.back();
    if (parent.number + 1 != block.header.number)
    {
        if (parent.number + 1 < block.header.number)
        {
            res.missing_number = block.header.number - 1;
            return fail(Status::missing_ancestor_header);
        }
        return fail(Status::parent_mismatch);
    }
    if (parent.hash != block.header.parent_hash)
        return fail(Status::parent_mismatch);

    // Senders from public keys: verified, not recovered.
    std::vector<address> senders;
    chain::BlockEnv env;
    env.config = options.config;
    env.precompiles = options.precompiles;
    env.recover = options.recover;
    if (options.use_public_keys)
    {
        const profile::Region region{"public_keys"};
        if (options.public_keys.size() != block.transactions.size())
            return fail(Status::signer_mismatch);
        for (size_t i = 0; i < block.transactions.size(); ++i)
        {
            const chain::Transaction& tx = block.transactions[i];
            const PublicKey& pk = options.public_keys[i];
            if (pk.bytes[0] != 0x04)
                return fail(Status::signer_mismatch);
            crypto::Secp256k1Pubkey pub;
            std::memcpy(pub.bytes, pk.bytes + 1, 64);
            uint8_t sig[64];
            store_be(sig, tx.r);
            store_be(sig + 32, tx.s);
            if (!crypto::secp256k1_is_on_curve(pub) ||
                !crypto::secp256k1_verify(tx.signing_hash, sig, pub))
                return fail(Status::signer_mismatch);
            senders.push_back(crypto::pubkey_to_address(pub));
        }
        env.senders = senders;
    }

    auto db = std::make_unique<WitnessDb>(nodes, parent.state_root);
    for (const bytes_view c : codes)
        db->add_code(c);
    db->set_code_source(options.code_source);
    db->track_keys(options.track_keys);
    env.block_hash = AncestorHashes::lookup;
    env.block_hash_ctx = &anc;

    chain::BlockOutcome out;
    {
        const profile::Region region{"execution"};
        out = chain::apply_block(*db, env, parent, block);
    }
    res.gas_used = out.gas_used;
    res.requests = std::move(out.requests);
    res.receipts = std::move(out.receipts);
    res.block_access_list = std::move(out.block_access_list);

    // Missing data first: a block executed on incomplete data proves nothing either way.
    if (db->failure() != Status::ok)
    {
        res.status = db->failure();
        res.missing_hash = db->failure_hash();
        res.missing = db->failure_context();
    }
    else if (anc.missing)
    {
        res.status = Status::missing_ancestor_header;
        res.missing_number = anc.missing_number;
    }
    else if (out.error != chain::Error::ok)
    {
        res.status = Status::block_invalid;
        res.block_error = out.error;
    }
    if (db_out)
        *db_out = std::move(db);
    return res;
}

ValidationResult validate(
    chain::Block& block, const WitnessView& witness, const ValidateOptions& options)
{
    trie::NodeStore store;
    {
        const profile::Region region{"witness_nodes"};
        store.reserve(witness.state.size());
        for (const bytes_view n : witness.state)
            store.add(n);
    }
    return validate_with(
        block, witness.headers, store.source(), witness.codes, options, nullptr, nullptr);
}
}  // namespace stele::stateless
