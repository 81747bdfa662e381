// RLP: ethereum/tests RLPTests (valid vectors encode and decode exactly; invalid ones are
// rejected with a typed error) and hand-written canonical-form cases.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stateless/core/hex.hpp>
#include <stateless/core/rlp.hpp>
#include <string>

using namespace stele;
using nlohmann::json;

namespace
{
json load(const std::string& rel)
{
    std::ifstream f{std::string{STELE_ETH_TESTS_DIR} + "/" + rel};
    EXPECT_TRUE(f.good()) << "missing fixture " << rel;
    return f.good() ? json::parse(f) : json::object();
}

bytes hex(std::string_view s)
{
    auto b = from_hex(s);
    EXPECT_TRUE(b.has_value()) << s;
    return b.value_or(bytes{});
}

// Decimal string to minimal big-endian bytes.
bytes decimal_to_be(const std::string& dec)
{
    bytes le;  // little-endian accumulator
    for (char c : dec)
    {
        unsigned carry = static_cast<unsigned>(c - '0');
        for (auto& b : le)
        {
            const unsigned v = b * 10u + carry;
            b = static_cast<uint8_t>(v);
            carry = v >> 8;
        }
        while (carry)
        {
            le.push_back(static_cast<uint8_t>(carry));
            carry >>= 8;
        }
    }
    while (!le.empty() && le.back() == 0)
        le.pop_back();
    return {le.rbegin(), le.rend()};
}

// Encodes a RLPTests "in" value.
void encode_json(rlp::Encoder& enc, const json& v)
{
    if (v.is_array())
    {
        const auto m = enc.begin_list();
        for (const auto& e : v)
            encode_json(enc, e);
        enc.end_list(m);
    }
    else if (v.is_number_unsigned() || v.is_number_integer())
        enc.u64(v.get<uint64_t>());
    else
    {
        const auto s = v.get<std::string>();
        if (!s.empty() && s[0] == '#')
            enc.uint_be(decimal_to_be(s.substr(1)));
        else
            enc.string(bytes{s.begin(), s.end()});
    }
}

// Checks a decoded item against the "in" value; integers compare as minimal big-endian.
void expect_decoded(rlp::Decoder& d, const json& v)
{
    if (v.is_array())
    {
        auto l = d.list();
        for (const auto& e : v)
            expect_decoded(l, e);
        EXPECT_TRUE(l.finish());
        return;
    }
    bytes want;
    if (v.is_number())
        rlp::append_u64(want, v.get<uint64_t>());
    else
    {
        const auto s = v.get<std::string>();
        if (!s.empty() && s[0] == '#')
            rlp::append_uint_be(want, decimal_to_be(s.substr(1)));
        else
            rlp::append_string(want, bytes{s.begin(), s.end()});
    }
    rlp::Decoder wd{want};
    const auto want_payload = wd.string();
    const auto got = d.string();
    EXPECT_TRUE(d.ok()) << rlp::error_name(d.error());
    EXPECT_EQ(to_hex(got), to_hex(want_payload));
}

// Re-encodes a decoded item: decoding then encoding must reproduce canonical input exactly.
void reencode(rlp::Decoder& d, rlp::Encoder& enc)
{
    while (!d.at_end())
    {
        if (d.next_is_list())
        {
            auto l = d.list();
            const auto m = enc.begin_list();
            reencode(l, enc);
            enc.end_list(m);
        }
        else
            enc.string(d.string());
    }
}
}  // namespace

TEST(RlpTests, ValidVectorsEncode)
{
    const auto j = load("RLPTests/rlptest.json");
    ASSERT_FALSE(j.empty());
    size_t n = 0;
    for (const auto& [name, t] : j.items())
    {
        bytes out;
        rlp::Encoder enc{out};
        encode_json(enc, t["in"]);
        EXPECT_EQ("0x" + to_hex(out), t["out"].get<std::string>()) << name;
        ++n;
    }
    EXPECT_EQ(n, 28u);
}

TEST(RlpTests, ValidVectorsDecode)
{
    const auto j = load("RLPTests/rlptest.json");
    for (const auto& [name, t] : j.items())
    {
        const auto enc = hex(t["out"].get<std::string>());
        EXPECT_EQ(rlp::validate(enc), rlp::Error::ok) << name;
        rlp::Decoder d{enc};
        expect_decoded(d, t["in"]);
        EXPECT_TRUE(d.finish()) << name << ": " << rlp::error_name(d.error());
    }
}

TEST(RlpTests, InvalidVectorsRejected)
{
    const auto j = load("RLPTests/invalidRLPTest.json");
    ASSERT_FALSE(j.empty());
    size_t n = 0;
    for (const auto& [name, t] : j.items())
    {
        ASSERT_EQ(t["in"], "INVALID");
        const auto enc = hex(t["out"].get<std::string>());
        EXPECT_NE(rlp::validate(enc), rlp::Error::ok) << name;
        ++n;
    }
    EXPECT_EQ(n, 26u);
}

TEST(RlpTests, RandomVectorsRoundTrip)
{
    const auto j = load("RLPTests/RandomRLPTests/example.json");
    ASSERT_FALSE(j.empty());
    for (const auto& [name, t] : j.items())
    {
        ASSERT_EQ(t["in"], "VALID");
        const auto enc = hex(t["out"].get<std::string>());
        ASSERT_EQ(rlp::validate(enc), rlp::Error::ok) << name;
        bytes again;
        rlp::Encoder e{again};
        rlp::Decoder d{enc};
        reencode(d, e);
        EXPECT_TRUE(d.ok());
        EXPECT_EQ(to_hex(again), to_hex(enc)) << name;
    }
}

TEST(Rlp, TypedErrors)
{
    using E = rlp::Error;
    const auto check = [](std::string_view h, E want)
    { EXPECT_EQ(rlp::validate(hex(h)), want) << h; };
    check("", E::input_too_short);
    check("8100", E::non_canonical_single_byte);
    check("817f", E::non_canonical_single_byte);
    check("8180", E::ok);
    check("b800", E::leading_zeros_in_length);
    check("b80100", E::non_canonical_size);
    check("b837" + std::string(110, 'a'), E::non_canonical_size);
    check("b838" + std::string(112, 'a'), E::ok);
    check("f800", E::leading_zeros_in_length);
    check("83616263", E::ok);
    check("8361626364", E::trailing_bytes);
    check("836162", E::input_too_short);
    check("b9", E::input_too_short);
    check("bf0f000000000000021111", E::length_overflow);
    check("ffffffffffffffffff00", E::length_overflow);
    check("c2c281", E::input_too_short);          // inner list longer than the outer payload
    check("c28100", E::non_canonical_single_byte);  // nested errors are found too
}

TEST(Rlp, DecoderIntegersAndShapes)
{
    using E = rlp::Error;
    {
        const auto in = hex("c9820400808180c20102");
        rlp::Decoder d{in};
        auto l = d.list();
        EXPECT_EQ(l.u64(), 0x400u);
        EXPECT_EQ(l.u64(), 0u);
        EXPECT_EQ(l.u64(), 0x80u);
        auto inner = l.list();
        EXPECT_EQ(inner.u64(), 1u);
        EXPECT_EQ(inner.u64(), 2u);
        EXPECT_TRUE(inner.finish());
        EXPECT_TRUE(l.finish());
        EXPECT_TRUE(d.finish());
    }
    {
        const auto in = hex("820001");  // leading zero in an integer
        rlp::Decoder d{in};
        (void)d.u64();
        EXPECT_EQ(d.error(), E::leading_zeros_in_integer);
    }
    {
        const auto in = hex("00");  // zero must be encoded as the empty string
        rlp::Decoder d{in};
        (void)d.u64();
        EXPECT_EQ(d.error(), E::leading_zeros_in_integer);
    }
    {
        const auto in = hex("89010000000000000000");
        rlp::Decoder d{in};
        (void)d.u64();
        EXPECT_EQ(d.error(), E::integer_overflow);
    }
    {
        const auto in = hex("c2c180");  // errors in a child reach the parent
        rlp::Decoder d{in};
        auto l = d.list();
        (void)l.string();
        EXPECT_EQ(d.error(), E::unexpected_list);
        EXPECT_FALSE(d.ok());
    }
    {
        const auto in = hex("c3010203");
        rlp::Decoder d{in};
        auto l = d.list();
        (void)l.u64();
        EXPECT_FALSE(l.finish());
        EXPECT_EQ(d.error(), E::trailing_bytes);
    }
    {
        const auto in = hex("94" + std::string(40, '1'));
        rlp::Decoder d{in};
        const auto a = d.fixed<20>();
        EXPECT_TRUE(d.finish());
        EXPECT_EQ(a[0], 0x11);
        rlp::Decoder d2{in};
        (void)d2.fixed<32>();
        EXPECT_EQ(d2.error(), E::wrong_size);
    }
}

TEST(Rlp, EncoderNestingAndLongLists)
{
    bytes out;
    rlp::Encoder e{out};
    const auto outer = e.begin_list();
    for (int i = 0; i < 30; ++i)
        e.u64(static_cast<uint64_t>(i) * 1000);
    const auto inner = e.begin_list();
    e.string(bytes(100, 0xab));
    e.end_list(inner);
    e.end_list(outer);
    EXPECT_EQ(rlp::validate(out), rlp::Error::ok);
    rlp::Decoder d{out};
    auto l = d.list();
    for (int i = 0; i < 30; ++i)
        EXPECT_EQ(l.u64(), static_cast<uint64_t>(i) * 1000);
    auto l2 = l.list();
    EXPECT_EQ(l2.string().size(), 100u);
    EXPECT_TRUE(l2.finish() && l.finish() && d.finish());
}

TEST(Rlp, RandomMutationsNeverCrash)
{
    // Random nested structures round-trip; random byte flips decode or fail, never crash, and
    // anything validate() accepts re-encodes to the same bytes (canonical form is unique).
    std::mt19937_64 rng{7};
    for (int iter = 0; iter < 3000; ++iter)
    {
        bytes out;
        rlp::Encoder e{out};
        std::vector<size_t> marks;
        marks.push_back(e.begin_list());
        for (int k = rng() % 20; k > 0; --k)
        {
            switch (rng() % 5)
            {
                case 0:
                    e.u64(rng() >> (rng() % 64));
                    break;
                case 1:
                {
                    bytes s(rng() % 70);
                    for (auto& b : s)
                        b = static_cast<uint8_t>(rng());
                    e.string(s);
                    break;
                }
                case 2:
                    marks.push_back(e.begin_list());
                    break;
                default:
                    if (marks.size() > 1)
                    {
                        e.end_list(marks.back());
                        marks.pop_back();
                    }
            }
        }
        while (!marks.empty())
        {
            e.end_list(marks.back());
            marks.pop_back();
        }
        ASSERT_EQ(rlp::validate(out), rlp::Error::ok);
        bytes mutated = out;
        mutated[rng() % mutated.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
        if (rlp::validate(mutated) == rlp::Error::ok)
        {
            bytes again;
            rlp::Encoder e2{again};
            rlp::Decoder d{mutated};
            reencode(d, e2);
            EXPECT_EQ(to_hex(again), to_hex(mutated));
        }
    }
}
