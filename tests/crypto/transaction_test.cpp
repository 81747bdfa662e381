// ethereum/tests TransactionTests through our RLP decoder and secp256k1 recovery: every
// (transaction, fork) pair must be rejected exactly when the fixture names an exception, and
// otherwise give the fixture's sender, hash and intrinsic gas. The envelope rules (types per
// fork, EIP-155, EIP-2 low s, EIP-2681, EIP-3860, intrinsic gas) are spelled out here, in the
// test, on top of the engine's rlp::Decoder and crypto::secp256k1_recover.
#include <gmp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <string>

using namespace stele;
using nlohmann::json;

namespace
{
enum Fork
{
    Frontier,
    Homestead,
    EIP150,
    EIP158,
    Byzantium,
    Constantinople,
    ConstantinopleFix,
    Istanbul,
    Berlin,
    London,
    Paris,
    Shanghai,
    Cancun,
};

std::optional<Fork> fork_of(const std::string& s)
{
    static const std::pair<const char*, Fork> names[] = {{"Frontier", Frontier},
        {"Homestead", Homestead}, {"EIP150", EIP150}, {"EIP158", EIP158}, {"Byzantium", Byzantium},
        {"Constantinople", Constantinople}, {"ConstantinopleFix", ConstantinopleFix},
        {"Istanbul", Istanbul}, {"Berlin", Berlin}, {"London", London}, {"Paris", Paris},
        {"Shanghai", Shanghai}, {"Cancun", Cancun}};
    for (const auto& [n, f] : names)
        if (s == n)
            return f;
    return std::nullopt;
}

constexpr uint64_t kChainId = 1;

struct Checked
{
    bool valid = false;
    std::string why;
    address sender;
    uint64_t intrinsic_gas = 0;
};

bool product_overflows_256(bytes_view a, bytes_view b)
{
    mpz_t x, y;
    mpz_inits(x, y, nullptr);
    mpz_import(x, a.size(), 1, 1, 1, 0, a.data());
    mpz_import(y, b.size(), 1, 1, 1, 0, b.data());
    mpz_mul(x, x, y);
    const bool over = mpz_sizeinbase(x, 2) > 256;
    mpz_clears(x, y, nullptr);
    return over;
}

int cmp_be(bytes_view a, bytes_view b)  // both canonical (no leading zeros)
{
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    const int c = std::memcmp(a.data(), b.data(), a.size());
    return c < 0 ? -1 : c > 0;
}

Checked check(bytes_view tx, Fork fork)
{
    Checked out;
    const auto fail = [&](const char* why)
    {
        out.valid = false;
        out.why = why;
        return out;
    };
    if (tx.empty())
        return fail("empty");
    uint8_t type = 0;
    bytes_view body = tx;
    if (tx[0] < 0x80)
    {
        type = tx[0];
        body = tx.subspan(1);
        const Fork first = type == 1 ? Berlin : type == 2 ? London : type == 3 ? Cancun : Frontier;
        if (type == 0 || type > 3 || fork < first)
            return fail("type not supported");
    }
    else if (tx[0] < 0xc0)
        return fail("not a list");

    rlp::Decoder d{body};
    auto l = d.list();
    std::vector<rlp::Item> items;
    while (!l.at_end())
        items.push_back(l.item());
    if (!d.finish() || !l.ok())
        return fail("rlp");
    const size_t want = type == 0 ? 9 : type == 1 ? 11 : type == 2 ? 12 : 14;
    if (items.size() != want)
        return fail("item count");
    // Canonical unsigned integer of at most `max` bytes.
    const auto uint_ok = [](const rlp::Item& it, size_t max) {
        return !it.is_list && it.payload.size() <= max &&
               (it.payload.empty() || it.payload[0] != 0);
    };
    size_t i = 0;
    if (type != 0)
    {
        uint64_t chain = 0;
        if (!uint_ok(items[0], 32) || rlp::decode_u64(items[0].payload, chain) != rlp::Error::ok ||
            chain != kChainId)
            return fail("chain id");
        i = 1;
    }
    const auto& nonce = items[i];
    if (!uint_ok(nonce, 32))
        return fail("nonce encoding");
    uint64_t nonce_v = 0;
    if (rlp::decode_u64(nonce.payload, nonce_v) != rlp::Error::ok || nonce_v == UINT64_MAX)
        return fail("nonce too big (EIP-2681)");
    bytes_view price, priority;
    if (type >= 2)
    {
        priority = items[i + 1].payload;
        price = items[i + 2].payload;
        if (!uint_ok(items[i + 1], 32) || !uint_ok(items[i + 2], 32))
            return fail("fee encoding");
        if (cmp_be(priority, price) > 0)
            return fail("priority fee above max fee");
        i += 3;
    }
    else
    {
        price = items[i + 1].payload;
        if (!uint_ok(items[i + 1], 32))
            return fail("gas price encoding");
        i += 2;
    }
    const auto& gas = items[i];
    uint64_t gas_limit = 0;
    if (!uint_ok(gas, 32) || rlp::decode_u64(gas.payload, gas_limit) != rlp::Error::ok)
        return fail("gas limit");
    if (product_overflows_256(gas.payload, price))
        return fail("gas limit * price overflows");
    const auto& to = items[i + 1];
    if (to.is_list || (to.payload.size() != 0 && to.payload.size() != 20))
        return fail("to");
    if (type == 3 && to.payload.empty())
        return fail("blob transaction without to");
    if (!uint_ok(items[i + 2], 32))
        return fail("value");
    const auto data = items[i + 3].payload;
    if (items[i + 3].is_list)
        return fail("data");
    i += 4;
    uint64_t access_addresses = 0, access_keys = 0;
    if (type != 0)
    {
        if (!items[i].is_list)
            return fail("access list");
        rlp::Decoder al{items[i].payload};
        while (!al.at_end())
        {
            auto entry = al.list();
            (void)entry.fixed<20>();
            auto keys = entry.list();
            while (!keys.at_end())
            {
                (void)keys.fixed<32>();
                ++access_keys;
            }
            keys.finish();
            entry.finish();
            ++access_addresses;
        }
        if (!al.ok())
            return fail("access list entries");
        ++i;
    }
    if (type == 3)
    {
        if (!uint_ok(items[i], 32) || !items[i + 1].is_list)
            return fail("blob fields");
        rlp::Decoder hashes{items[i + 1].payload};
        size_t count = 0;
        while (!hashes.at_end())
        {
            const auto h = hashes.fixed<32>();
            if (hashes.ok() && h.bytes[0] != 0x01)
                return fail("blob hash version");
            ++count;
        }
        if (!hashes.ok() || count == 0)
            return fail("blob hashes");
        i += 2;
    }
    const size_t signed_fields = i;
    const auto& v = items[i];
    const auto& r = items[i + 1];
    const auto& s = items[i + 2];
    if (!uint_ok(v, 32) || !uint_ok(r, 32) || !uint_ok(s, 32))
        return fail("signature encoding");

    // Signature values and the signing hash.
    uint8_t recid = 0;
    bool eip155 = false;
    if (type == 0)
    {
        uint64_t vv = 0;
        if (rlp::decode_u64(v.payload, vv) != rlp::Error::ok)
            return fail("v too large");
        if (vv == 27 || vv == 28)
            recid = static_cast<uint8_t>(vv - 27);
        else if (fork >= EIP158 && (vv == 2 * kChainId + 35 || vv == 2 * kChainId + 36))
        {
            recid = static_cast<uint8_t>(vv - 2 * kChainId - 35);
            eip155 = true;
        }
        else
            return fail("v");
    }
    else
    {
        if (v.payload.size() > 1 || (v.payload.size() == 1 && v.payload[0] > 1))
            return fail("y parity");
        recid = v.payload.empty() ? 0 : 1;
    }
    uint8_t sig[64] = {};
    std::memcpy(sig + 32 - r.payload.size(), r.payload.data(), r.payload.size());
    std::memcpy(sig + 64 - s.payload.size(), s.payload.data(), s.payload.size());
    if (!crypto::is_valid_scalar(sig) || !crypto::is_valid_scalar(sig + 32))
        return fail("r or s out of range");
    if (fork >= Homestead && !crypto::is_low_s(sig + 32))
        return fail("high s (EIP-2)");

    bytes unsigned_rlp;
    if (type != 0)
        unsigned_rlp.push_back(type);
    rlp::Encoder e{unsigned_rlp};
    const auto m = e.begin_list();
    for (size_t k = 0; k < signed_fields; ++k)
        e.raw(items[k].encoded);
    if (eip155)
        e.u64(kChainId).u64(0).u64(0);
    e.end_list(m);
    const auto pub = crypto::secp256k1_recover(keccak256(unsigned_rlp), sig, recid);
    if (!pub)
        return fail("recovery failed");
    out.sender = crypto::pubkey_to_address(*pub);

    // Intrinsic gas.
    const bool create = to.payload.empty();
    uint64_t g = 21000;
    if (create && fork >= Homestead)
        g += 32000;
    for (const uint8_t b : data)
        g += b == 0 ? 4 : (fork >= Istanbul ? 16 : 68);
    g += access_addresses * 2400 + access_keys * 1900;
    if (create && fork >= Shanghai)
    {
        if (data.size() > 49152)
            return fail("initcode too large (EIP-3860)");
        g += 2 * ((data.size() + 31) / 32);
    }
    out.intrinsic_gas = g;
    if (gas_limit < g)
        return fail("intrinsic gas above gas limit");
    out.valid = true;
    return out;
}

struct Counts
{
    size_t files = 0, cases = 0, valid = 0, invalid = 0;
};

Counts run_dir(const std::string& dir)
{
    Counts c;
    const std::filesystem::path root{std::string{STELE_ETH_TESTS_DIR} + "/TransactionTests/" + dir};
    EXPECT_TRUE(std::filesystem::is_directory(root)) << root;
    if (!std::filesystem::is_directory(root))
        return c;
    for (const auto& f : std::filesystem::directory_iterator(root))
    {
        if (f.path().extension() != ".json")
            continue;
        ++c.files;
        std::ifstream in{f.path()};
        const auto j = json::parse(in);
        for (const auto& [name, t] : j.items())
        {
            const auto raw = from_hex(t["txbytes"].get<std::string>());
            for (const auto& [fork_name, res] : t["result"].items())
            {
                const auto fork = fork_of(fork_name);
                EXPECT_TRUE(fork.has_value()) << "unknown fork " << fork_name;
                if (!fork)
                    continue;
                ++c.cases;
                const bool want_valid = !res.contains("exception");
                const auto got = raw ? check(*raw, *fork) : Checked{};
                EXPECT_EQ(got.valid, want_valid)
                    << f.path().filename() << " " << name << " " << fork_name << ": "
                    << (want_valid ? "rejected (" + got.why + ")"
                                   : "accepted, want " + res["exception"].get<std::string>());
                if (!want_valid || !got.valid)
                {
                    c.invalid += !want_valid;
                    continue;
                }
                ++c.valid;
                EXPECT_EQ(to_hex0x(got.sender), res["sender"].get<std::string>()) << name;
                EXPECT_EQ(to_hex0x(keccak256(*raw)), res["hash"].get<std::string>()) << name;
                EXPECT_EQ(got.intrinsic_gas,
                    std::stoull(res["intrinsicGas"].get<std::string>(), nullptr, 16))
                    << name << " " << fork_name;
            }
        }
    }
    return c;
}

void run(const std::string& dir)
{
    const auto c = run_dir(dir);
    EXPECT_GT(c.cases, 0u);
    std::printf("%s: %zu files, %zu (tx, fork) cases: %zu valid, %zu invalid\n", dir.c_str(),
        c.files, c.cases, c.valid, c.invalid);
}
}  // namespace

TEST(TransactionTests, ttAddress)
{
    run("ttAddress");
}
TEST(TransactionTests, ttData)
{
    run("ttData");
}
TEST(TransactionTests, ttEIP1559)
{
    run("ttEIP1559");
}
TEST(TransactionTests, ttEIP2028)
{
    run("ttEIP2028");
}
TEST(TransactionTests, ttEIP2930)
{
    run("ttEIP2930");
}
TEST(TransactionTests, ttEIP3860)
{
    run("ttEIP3860");
}
TEST(TransactionTests, ttGasLimit)
{
    run("ttGasLimit");
}
TEST(TransactionTests, ttGasPrice)
{
    run("ttGasPrice");
}
TEST(TransactionTests, ttNonce)
{
    run("ttNonce");
}
TEST(TransactionTests, ttRSValue)
{
    run("ttRSValue");
}
TEST(TransactionTests, ttSignature)
{
    run("ttSignature");
}
TEST(TransactionTests, ttVValue)
{
    run("ttVValue");
}
TEST(TransactionTests, ttValue)
{
    run("ttValue");
}
TEST(TransactionTests, ttWrongRLP)
{
    run("ttWrongRLP");
}
