// Test-vector interpreter shared by the prim_vectors guest (RV64IM, under qemu-riscv64) and the
// native test that checks it: both run the same engine code on the same input, and the native
// test compares the outputs byte for byte.
//
// Input: records [op u8][len u32 LE][payload]; output per record: [len u32 LE][result].
#pragma once

#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/precompiles.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/trie/trie.hpp>
#include <vector>

namespace stele::prim_vectors
{
enum Op : uint8_t
{
    op_keccak = 1,
    op_ecrecover = 2,       // precompile 0x01 input
    op_sha256 = 3,          // precompile 0x02
    op_ripemd160 = 4,       // precompile 0x03
    op_modexp = 5,          // precompile 0x05 input (Osaka limits)
    op_blake2f = 6,         // precompile 0x09 input
    op_p256verify = 7,      // precompile 0x100 input
    op_secp_verify = 8,     // msg32 sig64 pub64 -> 1 byte
    op_rlp_validate = 9,    // bytes -> error code
    op_trie_root = 10,      // [klen u8][key][vlen u16 LE][value]... -> root
    op_sparse_update = 11,  // root32, [n u16] nodes [len u16][rlp], then ops like op_trie_root
                            // (empty value = erase) -> status, missing hash, root
};

inline uint32_t rd32(const uint8_t* p)
{
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint16_t rd16(const uint8_t* p)
{
    return static_cast<uint16_t>(p[0] | p[1] << 8);
}

struct Reader
{
    bytes_view in;
    size_t pos = 0;
    bool ok = true;
    bytes_view take(size_t n)
    {
        if (!ok || in.size() - pos < n)
        {
            ok = false;
            return {};
        }
        const auto r = in.subspan(pos, n);
        pos += n;
        return r;
    }
    uint8_t u8()
    {
        const auto b = take(1);
        return ok ? b[0] : 0;
    }
    uint16_t u16()
    {
        const auto b = take(2);
        return ok ? rd16(b.data()) : 0;
    }
    bool at_end() const
    {
        return pos == in.size();
    }
};

inline void append(bytes& out, bytes_view b)
{
    const auto n = static_cast<uint32_t>(b.size());
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(n >> (8 * i)));
    out.insert(out.end(), b.begin(), b.end());
}

inline bytes apply_trie_ops(trie::Trie& t, Reader& r)
{
    bytes res;
    trie::Status st;
    while (r.ok && !r.at_end() && st.ok())
    {
        const auto key = r.take(r.u8());
        const auto value = r.take(r.u16());
        if (!r.ok)
            break;
        st = t.put(key, value);
    }
    hash256 root;
    if (st.ok())
        st = t.root_hash(root);
    res.push_back(static_cast<uint8_t>(st.error));
    res.insert(res.end(), st.missing.begin(), st.missing.end());
    res.insert(res.end(), root.begin(), root.end());
    return res;
}

// Returns false on a malformed record stream.
inline bool run(bytes_view input, bytes& out)
{
    size_t pos = 0;
    while (pos < input.size())
    {
        if (input.size() - pos < 5)
            return false;
        const uint8_t op = input[pos];
        const uint32_t len = rd32(input.data() + pos + 1);
        pos += 5;
        if (input.size() - pos < len)
            return false;
        const bytes_view p = input.subspan(pos, len);
        pos += len;
        bytes res;
        switch (op)
        {
            case op_keccak:
            {
                const auto h = keccak256(p);
                res.assign(h.begin(), h.end());
                break;
            }
            case op_ecrecover:
            case op_sha256:
            case op_ripemd160:
            case op_modexp:
            case op_blake2f:
            case op_p256verify:
            {
                namespace pc = crypto::precompile;
                const auto r = op == op_ecrecover   ? pc::ecrecover(p)
                               : op == op_sha256    ? pc::sha256(p)
                               : op == op_ripemd160 ? pc::ripemd160(p)
                               : op == op_modexp    ? pc::modexp(p, true)
                               : op == op_blake2f   ? pc::blake2f(p)
                                                    : pc::p256verify(p);
                res.push_back(r.success ? 1 : 0);
                res.insert(res.end(), r.output.begin(), r.output.end());
                break;
            }
            case op_secp_verify:
            {
                if (p.size() != 160)
                    return false;
                const auto msg = hash256::from(p.first(32));
                const auto pub = crypto::Secp256k1Pubkey::from(p.subspan(96, 64));
                res.push_back(crypto::secp256k1_verify(msg, p.data() + 32, pub) ? 1 : 0);
                break;
            }
            case op_rlp_validate:
                res.push_back(static_cast<uint8_t>(rlp::validate(p)));
                break;
            case op_trie_root:
            {
                trie::Trie t;
                Reader r{p};
                res = apply_trie_ops(t, r);
                break;
            }
            case op_sparse_update:
            {
                Reader r{p};
                const auto root = hash256::from(r.take(32));
                const uint16_t n = r.u16();
                trie::NodeStore store;
                for (uint16_t i = 0; i < n && r.ok; ++i)
                    (void)store.add(r.take(r.u16()));
                if (!r.ok)
                    return false;
                trie::Trie t{&store, root};
                res = apply_trie_ops(t, r);
                break;
            }
            default:
                return false;
        }
        append(out, res);
    }
    return true;
}
}  // namespace stele::prim_vectors
