// The stateless mode of `stele spec run`: for every block, the stateful pre-state produces the
// canonical witness, and the block is then validated from block + witness alone (a fresh
// validator with no access to the stateful state). Optionally, the witness of a seeded sample
// of blocks is damaged (one node / code / header dropped or altered) and the validator must
// answer with the matching missing-data or witness error, never with a verdict on the block.
#include "cmd_stateless.hpp"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/validate/validate.hpp>
#include <stateless/validate/witness_builder.hpp>
#include <witness-rpc/witness_gen.hpp>

namespace stele::cli
{
namespace
{
struct Totals
{
    std::atomic<uint64_t> blocks{0}, valid_accepted{0}, invalid_rejected{0}, same_reason{0},
        not_decodable{0}, state_nodes{0}, codes{0}, headers{0}, bytes{0};
    std::atomic<uint64_t> adv_cases{0}, adv_ok{0}, adv_failed{0};
};
Totals g_totals;

using stateless::Status;
using stateless::ValidationResult;

// The public key of each transaction's signer, recovered here on the host (what a prover
// supplies to the guest); a zero key where recovery fails.
std::vector<stateless::PublicKey> public_keys_of(const chain::Block& block)
{
    std::vector<stateless::PublicKey> keys;
    for (const chain::Transaction& tx : block.transactions)
    {
        stateless::PublicKey pk;
        uint8_t y = 0;
        if (tx.type != 0)
            y = static_cast<uint8_t>(tx.v.w[0] & 1);
        else if (tx.v.w[0] == 27 || tx.v.w[0] == 28)
            y = static_cast<uint8_t>(tx.v.w[0] - 27);
        else if (tx.v.w[0] >= 35)
            y = static_cast<uint8_t>((tx.v.w[0] - 35) % 2);
        uint8_t sig[64];
        store_be(sig, tx.r);
        store_be(sig + 32, tx.s);
        if (const auto pub = crypto::secp256k1_recover(tx.signing_hash, sig, y))
        {
            pk.bytes[0] = 0x04;
            std::memcpy(pk.bytes + 1, pub->bytes, 64);
        }
        keys.push_back(pk);
    }
    return keys;
}

// validate() with public keys is not reentrant (the engine is single-threaded): one at a time.
std::mutex g_keys_mutex;

ValidationResult run_validator(bytes_view block_rlp, const std::vector<bytes>& state,
    const std::vector<bytes>& codes, const std::vector<bytes>& headers,
    const StatelessCheckOptions& opt, const std::vector<stateless::PublicKey>* keys = nullptr)
{
    chain::Block block;
    if (chain::decode_block(block_rlp, block) != chain::Error::ok)
    {
        ValidationResult r;
        r.status = Status::block_invalid;
        r.block_error = chain::Error::rlp_structures_encoding;
        return r;
    }
    const std::vector<bytes_view> sv(state.begin(), state.end());
    const std::vector<bytes_view> cv(codes.begin(), codes.end());
    const std::vector<bytes_view> hv(headers.begin(), headers.end());
    stateless::ValidateOptions vo;
    vo.config = opt.config;
    vo.precompiles = opt.precompiles;
    vo.recover = opt.recover;
    if (keys)
    {
        vo.use_public_keys = true;
        vo.public_keys = *keys;
        std::lock_guard lock{g_keys_mutex};
        return stateless::validate(block, {sv, cv, hv}, vo);
    }
    return stateless::validate(block, {sv, cv, hv}, vo);
}

std::string describe(const ValidationResult& r)
{
    std::string s = stateless::status_name(r.status);
    if (r.status == Status::block_invalid)
        s.append(" (").append(chain::error_name(r.block_error)).append(")");
    else if (r.status == Status::missing_trie_node || r.status == Status::missing_code)
        s.append(" ").append(to_hex0x(r.missing_hash));
    else if (r.status == Status::missing_ancestor_header)
        s.append(" ").append(std::to_string(r.missing_number));
    return s;
}

uint64_t splitmix(uint64_t& x)
{
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Damages the witness in each supported way once; returns "" if every answer was as required.
std::string adversarial(bytes_view block_rlp, const stateless::Witness& w, uint64_t seed,
    const StatelessCheckOptions& opt, const std::vector<stateless::PublicKey>& keys)
{
    std::string failures;
    const auto expect = [&](const char* what, const ValidationResult& r, bool good)
    {
        ++g_totals.adv_cases;
        if (good)
        {
            ++g_totals.adv_ok;
            return;
        }
        ++g_totals.adv_failed;
        if (!failures.empty())
            failures.append("; ");
        failures.append("adversarial ").append(what).append(": ").append(describe(r));
    };
    uint64_t rng = seed;
    if (!w.state.empty())
    {
        const size_t i = splitmix(rng) % w.state.size();
        auto s = w.state;
        s.erase(s.begin() + static_cast<ptrdiff_t>(i));
        const auto r = run_validator(block_rlp, s, w.codes, w.headers, opt);
        expect("drop node", r, r.status == Status::missing_trie_node);
        s = w.state;
        bytes& n = s[i];
        n[splitmix(rng) % n.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, s, w.codes, w.headers, opt);
        expect("tamper node", r2, r2.status == Status::missing_trie_node);
    }
    if (!w.codes.empty())
    {
        const size_t i = splitmix(rng) % w.codes.size();
        auto c = w.codes;
        c.erase(c.begin() + static_cast<ptrdiff_t>(i));
        const auto r = run_validator(block_rlp, w.state, c, w.headers, opt);
        expect("drop code", r, r.status == Status::missing_code);
        c = w.codes;
        bytes& code = c[i];
        code[splitmix(rng) % code.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, w.state, c, w.headers, opt);
        expect("tamper code", r2, r2.status == Status::missing_code);
    }
    if (opt.public_keys && !keys.empty())
    {
        // Another transaction's key (or a corrupted one): the signature check must fail.
        auto k = keys;
        const size_t i = splitmix(rng) % k.size();
        k[i].bytes[1 + splitmix(rng) % 64] ^= 1;
        const auto r = run_validator(block_rlp, w.state, w.codes, w.headers, opt, &k);
        expect("tamper public key", r, r.status == Status::signer_mismatch);
        k = keys;
        k.pop_back();
        const auto r2 = run_validator(block_rlp, w.state, w.codes, w.headers, opt, &k);
        expect("drop public key", r2, r2.status == Status::signer_mismatch);
    }
    if (!w.headers.empty())
    {
        // The oldest header: the only BLOCKHASH target that far back, or the parent.
        auto h = w.headers;
        h.erase(h.begin());
        const auto r = run_validator(block_rlp, w.state, w.codes, h, opt);
        expect("drop header", r, r.status == Status::missing_ancestor_header);
        h = w.headers;
        bytes& hb = h.back();
        hb[splitmix(rng) % hb.size()] ^= static_cast<uint8_t>(1 + splitmix(rng) % 255);
        const auto r2 = run_validator(block_rlp, w.state, w.codes, h, opt);
        expect("tamper parent header", r2,
            r2.status != Status::ok && r2.status != Status::block_invalid);
    }
    return failures;
}
}  // namespace

std::string stateless_check_block(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, bytes_view block_rlp,
    chain::Error stateful_error, const StatelessCheckOptions& opt)
{
    chain::Block block;
    if (chain::decode_block(block_rlp, block) != chain::Error::ok)
    {
        ++g_totals.not_decodable;
        return "";  // rejected before any state is involved, stateful or not
    }
    ++g_totals.blocks;
    stateless::ValidateOptions vo;
    vo.config = opt.config;
    vo.precompiles = opt.precompiles;
    vo.recover = opt.recover;
    const stateless::WitnessBuildResult gen = stateless::build_witness(pre, ancestors, block, vo);
    if (gen.pre_state_mismatch)
        return "witness: pre-state does not match the parent state root";
    // The generating run sees the complete pre-state: it must reach the stateful verdict.
    if (gen.verdict.missing_data() ||
        (gen.verdict.status == Status::ok) != (stateful_error == chain::Error::ok))
        return std::string{"witness generation run: "}.append(describe(gen.verdict));
    const stateless::Witness& w = gen.witness;
    if (!opt.dump_dir.empty())
    {
        const std::string base = opt.dump_dir + "/" + to_hex0x(block.header.hash);
        std::ofstream{base + ".rlp"} << to_hex0x(block_rlp) << "\n";
        std::ofstream{base + ".witness.json"} << witness::to_json(witness::to_execution_witness(w));
        // What a consumer of the dump needs to judge it: the rules and the expected verdict.
        std::ofstream{base + ".meta"}
            << opt.network << " "
            << (stateful_error == chain::Error::ok ? "valid" : chain::error_name(stateful_error))
            << " " << block.transactions.size() << "\n";
    }
    g_totals.state_nodes += w.state.size();
    g_totals.codes += w.codes.size();
    g_totals.headers += w.headers.size();
    uint64_t size = 0;
    for (const auto* list : {&w.state, &w.codes, &w.headers})
        for (const bytes& b : *list)
            size += b.size();
    g_totals.bytes += size;

    std::vector<stateless::PublicKey> keys;
    if (opt.public_keys)
        keys = public_keys_of(block);
    const ValidationResult r = run_validator(
        block_rlp, w.state, w.codes, w.headers, opt, opt.public_keys ? &keys : nullptr);
    std::string out;
    if (stateful_error == chain::Error::ok)
    {
        if (r.status != Status::ok)
            out = std::string{"stateless rejected a valid block: "}.append(describe(r));
        else
            ++g_totals.valid_accepted;
    }
    else
    {
        if (r.status == Status::block_invalid || r.status == Status::parent_mismatch ||
            (r.status == Status::signer_mismatch &&
                stateful_error == chain::Error::invalid_signature))
        {
            ++g_totals.invalid_rejected;
            if (r.block_error == stateful_error)
                ++g_totals.same_reason;
        }
        else
        {
            out = "stateless on invalid block (stateful ";
            out.append(chain::error_name(stateful_error)).append("): ").append(describe(r));
        }
    }
    if (opt.adversarial_every)
    {
        uint64_t seed = 0;
        std::memcpy(&seed, block.header.hash.bytes, 8);
        uint64_t pick = seed;
        if (splitmix(pick) % opt.adversarial_every == 0)
        {
            std::string a = adversarial(block_rlp, w, seed, opt, keys);
            if (!a.empty())
            {
                if (!out.empty())
                    out.append("; ");
                out.append(a);
            }
        }
    }
    return out;
}

void stateless_print_summary()
{
    const Totals& t = g_totals;
    std::printf(
        "stateless: %llu blocks (%llu undecodable skipped): %llu valid accepted, %llu "
        "invalid rejected (%llu with the stateful reason)\n",
        static_cast<unsigned long long>(t.blocks.load()),
        static_cast<unsigned long long>(t.not_decodable.load()),
        static_cast<unsigned long long>(t.valid_accepted.load()),
        static_cast<unsigned long long>(t.invalid_rejected.load()),
        static_cast<unsigned long long>(t.same_reason.load()));
    std::printf("stateless witnesses: %llu nodes, %llu codes, %llu headers, %llu bytes total\n",
        static_cast<unsigned long long>(t.state_nodes.load()),
        static_cast<unsigned long long>(t.codes.load()),
        static_cast<unsigned long long>(t.headers.load()),
        static_cast<unsigned long long>(t.bytes.load()));
    if (t.adv_cases.load())
        std::printf("stateless adversarial: %llu cases, %llu answered as required, %llu wrong\n",
            static_cast<unsigned long long>(t.adv_cases.load()),
            static_cast<unsigned long long>(t.adv_ok.load()),
            static_cast<unsigned long long>(t.adv_failed.load()));
}
}  // namespace stele::cli
