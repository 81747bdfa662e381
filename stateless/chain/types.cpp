#include "types.hpp"

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"

namespace stele::chain
{
namespace
{
// Items of one RLP list, decoded shallowly.
struct Fields
{
    rlp::Item items[24];
    size_t n = 0;
    bool ok = false;
};

Fields split_list(bytes_view list_payload)
{
    Fields f;
    rlp::Decoder d{list_payload};
    while (!d.at_end())
    {
        if (f.n == 24)
            return f;
        f.items[f.n++] = d.item();
    }
    f.ok = d.ok();
    return f;
}

bool get_u64(const rlp::Item& it, uint64_t& out)
{
    return !it.is_list && rlp::decode_u64(it.payload, out) == rlp::Error::ok;
}

bool get_u256(const rlp::Item& it, uint256& out)
{
    if (it.is_list || it.payload.size() > 32 || (!it.payload.empty() && it.payload[0] == 0))
        return false;
    out = load_be(it.payload.data(), it.payload.size());
    return true;
}

template <size_t N>
bool get_fixed(const rlp::Item& it, FixedBytes<N>& out)
{
    if (it.is_list || it.payload.size() != N)
        return false;
    out = FixedBytes<N>::from(it.payload);
    return true;
}

bool get_bytes(const rlp::Item& it, bytes& out)
{
    if (it.is_list)
        return false;
    out.assign(it.payload.begin(), it.payload.end());
    return true;
}

bool get_to(const rlp::Item& it, std::optional<address>& out)
{
    if (it.is_list)
        return false;
    if (it.payload.empty())
    {
        out.reset();
        return true;
    }
    address a;
    if (!get_fixed(it, a))
        return false;
    out = a;
    return true;
}

bool get_access_list(const rlp::Item& it, std::vector<AccessListEntry>& out)
{
    if (!it.is_list)
        return false;
    rlp::Decoder d{it.payload};
    while (!d.at_end())
    {
        auto e = d.list();
        AccessListEntry entry;
        entry.addr = e.fixed<20>();
        auto keys = e.list();
        while (!keys.at_end())
            entry.keys.push_back(keys.fixed<32>());
        e.finish();
        if (!d.ok())
            return false;
        out.push_back(std::move(entry));
    }
    return d.ok();
}

bool get_authorizations(const rlp::Item& it, std::vector<Authorization>& out)
{
    if (!it.is_list)
        return false;
    rlp::Decoder d{it.payload};
    while (!d.at_end())
    {
        const rlp::Item li = d.item();
        if (!d.ok() || !li.is_list)
            return false;
        const Fields f = split_list(li.payload);
        if (!f.ok || f.n != 6)
            return false;
        Authorization a;
        uint256 nonce;
        if (!get_u256(f.items[0], a.chain_id) || !get_fixed(f.items[1], a.addr) ||
            !get_u256(f.items[2], nonce) || !get_u256(f.items[3], a.y_parity) ||
            !get_u256(f.items[4], a.r) || !get_u256(f.items[5], a.s))
            return false;
        a.nonce_overflow = !nonce.fits_u64();
        a.nonce = nonce.w[0];
        out.push_back(std::move(a));
    }
    return d.ok();
}

// keccak256(prefix || rlp-list(items[0..n))).
hash256 hash_of_fields(int type, const Fields& f, size_t n, const bytes* extra = nullptr)
{
    size_t payload = 0;
    for (size_t i = 0; i < n; ++i)
        payload += f.items[i].encoded.size();
    if (extra)
        payload += extra->size();
    bytes out;
    if (type > 0)
        out.push_back(static_cast<uint8_t>(type));
    rlp::append_list_header(out, payload);
    for (size_t i = 0; i < n; ++i)
        out.insert(out.end(), f.items[i].encoded.begin(), f.items[i].encoded.end());
    if (extra)
        out.insert(out.end(), extra->begin(), extra->end());
    return keccak256(out);
}
}  // namespace

Error decode_header(bytes_view in, BlockHeader& h)
{
    rlp::Item item;
    if (rlp::decode_item(in, item) != rlp::Error::ok || !item.is_list)
        return Error::rlp_structures_encoding;
    const Fields f = split_list(item.payload);
    if (!f.ok || f.n < 15)
        return Error::rlp_structures_encoding;
    bool ok = get_fixed(f.items[0], h.parent_hash) && get_fixed(f.items[1], h.ommers_hash) &&
              get_fixed(f.items[2], h.coinbase) && get_fixed(f.items[3], h.state_root) &&
              get_fixed(f.items[4], h.transactions_root) &&
              get_fixed(f.items[5], h.receipts_root) && get_fixed(f.items[6], h.logs_bloom) &&
              get_u256(f.items[7], h.difficulty) && get_u64(f.items[8], h.number) &&
              get_u64(f.items[9], h.gas_limit) && get_u64(f.items[10], h.gas_used) &&
              get_u64(f.items[11], h.timestamp) && get_bytes(f.items[12], h.extra_data) &&
              get_fixed(f.items[13], h.mix_hash) && get_fixed(f.items[14], h.nonce);
    if (!ok)
        return Error::rlp_structures_encoding;
    size_t i = 15;
    uint64_t v = 0;
    hash256 hv;
    if (ok && i < f.n)
    {
        ok = get_u64(f.items[i++], v);
        h.base_fee = v;
    }
    if (ok && i < f.n)
    {
        ok = get_fixed(f.items[i++], hv);
        h.withdrawals_root = hv;
    }
    if (ok && i < f.n)
    {
        ok = get_u64(f.items[i++], v);
        h.blob_gas_used = v;
    }
    if (ok && i < f.n)
    {
        ok = get_u64(f.items[i++], v);
        h.excess_blob_gas = v;
    }
    if (ok && i < f.n)
    {
        ok = get_fixed(f.items[i++], hv);
        h.parent_beacon_block_root = hv;
    }
    if (ok && i < f.n)
    {
        ok = get_fixed(f.items[i++], hv);
        h.requests_hash = hv;
    }
    if (ok && i < f.n)
    {
        ok = get_fixed(f.items[i++], hv);
        h.block_access_list_hash = hv;
    }
    if (ok && i < f.n)
    {
        ok = get_u64(f.items[i++], v);
        h.slot_number = v;
    }
    if (!ok || i < f.n)
        return Error::incorrect_block_format;
    h.hash = keccak256(item.encoded);
    return Error::ok;
}

Error decode_transaction(bytes_view env, Transaction& tx)
{
    if (env.empty())
        return Error::tx_rlp;
    tx.encoded.assign(env.begin(), env.end());
    int type = 0;
    bytes_view list_enc = env;
    if (env[0] < 0xc0)
    {
        type = env[0];
        if (type < 1 || type > 4)
            return Error::tx_rlp;
        list_enc = env.subspan(1);
    }
    tx.type = static_cast<uint8_t>(type);
    rlp::Item item;
    if (rlp::decode_item(list_enc, item) != rlp::Error::ok || !item.is_list ||
        item.encoded.size() != list_enc.size())
        return Error::tx_rlp;
    const Fields f = split_list(item.payload);
    if (!f.ok)
        return Error::tx_rlp;
    const auto& it = f.items;
    bool ok = true;
    uint64_t chain_id = 0;
    switch (type)
    {
        case 0:
            ok = f.n == 9 && get_u64(it[0], tx.nonce) && get_u256(it[1], tx.gas_price) &&
                 get_u64(it[2], tx.gas_limit) && get_to(it[3], tx.to) &&
                 get_u256(it[4], tx.value) && get_bytes(it[5], tx.data) && get_u256(it[6], tx.v) &&
                 get_u256(it[7], tx.r) && get_u256(it[8], tx.s);
            if (!ok)
                return Error::tx_rlp;
            tx.max_priority_fee = tx.gas_price;
            if (tx.v == uint256{27} || tx.v == uint256{28})
                tx.signing_hash = hash_of_fields(0, f, 6);
            else if (tx.v >= uint256{35} && tx.v.fits_u64())
            {
                tx.chain_id = (tx.v.w[0] - 35) / 2;
                bytes extra;
                rlp::append_u64(extra, *tx.chain_id);
                extra.push_back(0x80);
                extra.push_back(0x80);
                tx.signing_hash = hash_of_fields(0, f, 6, &extra);
            }
            else
                return Error::invalid_signature;
            return Error::ok;
        case 1:
            ok = f.n == 11 && get_u64(it[0], chain_id) && get_u64(it[1], tx.nonce) &&
                 get_u256(it[2], tx.gas_price) && get_u64(it[3], tx.gas_limit) &&
                 get_to(it[4], tx.to) && get_u256(it[5], tx.value) && get_bytes(it[6], tx.data) &&
                 get_access_list(it[7], tx.access_list) && get_u256(it[8], tx.v) &&
                 get_u256(it[9], tx.r) && get_u256(it[10], tx.s);
            tx.max_priority_fee = tx.gas_price;
            break;
        case 2:
            ok = f.n == 12 && get_u64(it[0], chain_id) && get_u64(it[1], tx.nonce) &&
                 get_u256(it[2], tx.max_priority_fee) && get_u256(it[3], tx.gas_price) &&
                 get_u64(it[4], tx.gas_limit) && get_to(it[5], tx.to) &&
                 get_u256(it[6], tx.value) && get_bytes(it[7], tx.data) &&
                 get_access_list(it[8], tx.access_list) && get_u256(it[9], tx.v) &&
                 get_u256(it[10], tx.r) && get_u256(it[11], tx.s);
            break;
        case 3:
        {
            ok = f.n == 14 && get_u64(it[0], chain_id) && get_u64(it[1], tx.nonce) &&
                 get_u256(it[2], tx.max_priority_fee) && get_u256(it[3], tx.gas_price) &&
                 get_u64(it[4], tx.gas_limit) && get_to(it[5], tx.to) &&
                 get_u256(it[6], tx.value) && get_bytes(it[7], tx.data) &&
                 get_access_list(it[8], tx.access_list) &&
                 get_u256(it[9], tx.max_fee_per_blob_gas) && it[10].is_list &&
                 get_u256(it[11], tx.v) && get_u256(it[12], tx.r) && get_u256(it[13], tx.s);
            if (ok)
            {
                rlp::Decoder d{it[10].payload};
                while (!d.at_end())
                    tx.blob_hashes.push_back(d.fixed<32>());
                ok = d.ok();
            }
            if (ok && !tx.to)
                return Error::type_3_contract_creation;
            break;
        }
        case 4:
            ok = f.n == 13 && get_u64(it[0], chain_id) && get_u64(it[1], tx.nonce) &&
                 get_u256(it[2], tx.max_priority_fee) && get_u256(it[3], tx.gas_price) &&
                 get_u64(it[4], tx.gas_limit) && get_to(it[5], tx.to) &&
                 get_u256(it[6], tx.value) && get_bytes(it[7], tx.data) &&
                 get_access_list(it[8], tx.access_list) &&
                 get_authorizations(it[9], tx.authorizations) && get_u256(it[10], tx.v) &&
                 get_u256(it[11], tx.r) && get_u256(it[12], tx.s);
            if (ok && !tx.to)
                return Error::type_4_contract_creation;
            break;
        default:
            return Error::tx_rlp;
    }
    if (!ok)
        return Error::tx_rlp;
    tx.chain_id = chain_id;
    tx.signing_hash = hash_of_fields(type, f, f.n - 3);
    return Error::ok;
}

Error decode_block(bytes_view in, Block& b)
{
    rlp::Item item;
    if (rlp::decode_item(in, item) != rlp::Error::ok || !item.is_list ||
        item.encoded.size() != in.size())
        return Error::rlp_structures_encoding;
    b.encoded_size = in.size();
    const Fields f = split_list(item.payload);
    if (!f.ok || f.n < 3 || f.n > 4)
        return Error::rlp_structures_encoding;
    if (const Error e = decode_header(f.items[0].encoded, b.header); e != Error::ok)
        return e;
    if (!f.items[1].is_list || !f.items[2].is_list)
        return Error::rlp_structures_encoding;
    {
        rlp::Decoder d{f.items[1].payload};
        while (!d.at_end())
        {
            const rlp::Item t = d.item();
            if (!d.ok())
                return Error::rlp_structures_encoding;
            Transaction tx;
            const bytes_view env = t.is_list ? t.encoded : t.payload;
            if (!t.is_list && (env.empty() || env[0] >= 0xc0))
                return Error::rlp_structures_encoding;
            if (const Error e = decode_transaction(env, tx); e != Error::ok)
                return e == Error::tx_rlp ? Error::rlp_structures_encoding : e;
            b.transactions.push_back(std::move(tx));
        }
        if (!d.ok())
            return Error::rlp_structures_encoding;
    }
    {
        rlp::Decoder d{f.items[2].payload};
        while (!d.at_end())
        {
            const rlp::Item o = d.item();
            BlockHeader oh;
            if (!d.ok() || decode_header(o.encoded, oh) != Error::ok)
                return Error::rlp_structures_encoding;
            b.ommers.push_back(std::move(oh));
        }
    }
    if (f.n == 4)
    {
        if (!f.items[3].is_list)
            return Error::rlp_structures_encoding;
        std::vector<Withdrawal> ws;
        rlp::Decoder d{f.items[3].payload};
        while (!d.at_end())
        {
            const rlp::Item wi = d.item();
            if (!d.ok() || !wi.is_list)
                return Error::rlp_structures_encoding;
            const Fields wf = split_list(wi.payload);
            Withdrawal w;
            if (!wf.ok || wf.n != 4 || !get_u64(wf.items[0], w.index) ||
                !get_u64(wf.items[1], w.validator) || !get_fixed(wf.items[2], w.addr) ||
                !get_u64(wf.items[3], w.amount_gwei))
                return Error::rlp_structures_encoding;
            w.encoded.assign(wi.encoded.begin(), wi.encoded.end());
            ws.push_back(std::move(w));
        }
        b.withdrawals = std::move(ws);
    }
    return Error::ok;
}

namespace
{
void append_u256(bytes& out, const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    rlp::append_uint_be(out, {be, 32});
}
}  // namespace

bytes encode_header(const BlockHeader& h)
{
    bytes out;
    rlp::Encoder e{out};
    const size_t m = e.begin_list();
    e.string(h.parent_hash).string(h.ommers_hash).string(h.coinbase).string(h.state_root);
    e.string(h.transactions_root).string(h.receipts_root).string(h.logs_bloom);
    append_u256(out, h.difficulty);
    e.u64(h.number).u64(h.gas_limit).u64(h.gas_used).u64(h.timestamp).string(h.extra_data);
    e.string(h.mix_hash).string(h.nonce);
    if (h.base_fee)
        e.u64(*h.base_fee);
    if (h.withdrawals_root)
        e.string(*h.withdrawals_root);
    if (h.blob_gas_used)
        e.u64(*h.blob_gas_used);
    if (h.excess_blob_gas)
        e.u64(*h.excess_blob_gas);
    if (h.parent_beacon_block_root)
        e.string(*h.parent_beacon_block_root);
    if (h.requests_hash)
        e.string(*h.requests_hash);
    if (h.block_access_list_hash)
        e.string(*h.block_access_list_hash);
    if (h.slot_number)
        e.u64(*h.slot_number);
    e.end_list(m);
    return out;
}

bytes encode_receipt(const Receipt& r)
{
    bytes out;
    if (r.type != 0)
        out.push_back(r.type);
    rlp::Encoder e{out};
    const size_t m = e.begin_list();
    if (r.post_state)
        e.string(*r.post_state);
    else
        e.u64(r.success ? 1 : 0);
    e.u64(r.cumulative_gas).string(r.logs_bloom);
    const size_t lm = e.begin_list();
    for (const Log& l : r.logs)
    {
        const size_t m2 = e.begin_list();
        e.string(l.addr);
        const size_t tm = e.begin_list();
        for (const auto& t : l.topics)
            e.string(t);
        e.end_list(tm);
        e.string(l.data);
        e.end_list(m2);
    }
    e.end_list(lm);
    e.end_list(m);
    return out;
}

void add_to_bloom(bloom& b, bytes_view data) noexcept
{
    const hash256 h = keccak256(data);
    for (int i = 0; i < 6; i += 2)
    {
        const unsigned bit = ((unsigned{h.bytes[i]} << 8) | h.bytes[i + 1]) & 2047;
        b.bytes[255 - bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
    }
}

hash256 authorization_hash(const Authorization& a)
{
    bytes out{0x05};
    rlp::Encoder e{out};
    const size_t m = e.begin_list();
    append_u256(out, a.chain_id);
    e.string(a.addr).u64(a.nonce);
    e.end_list(m);
    return keccak256(out);
}

hash256 empty_list_hash()
{
    const uint8_t empty[1] = {0xc0};
    return keccak256({empty, 1});
}
}  // namespace stele::chain
