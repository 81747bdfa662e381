// A short mutation campaign on the stateless input decoder (label fuzz-smoke): real fixture
// inputs and synthetic prefixed inputs, mutated by bit flips, byte writes, offset-word nudges,
// insertions, deletions and splices. Every outcome must be a typed error or a canonical decode
// (re-encoding gives the mutated bytes back). Run it under the asan preset for memory errors.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <stateless/validate/stateless_input.hpp>

#include "fixtures.hpp"

using namespace stele;
using stele::stateless::SchemaVersion;

namespace
{
bytes mutate(const bytes& base, const bytes& other, std::mt19937_64& rng)
{
    bytes m = base;
    const int rounds = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < rounds && !m.empty(); ++k)
    {
        const size_t at = rng() % m.size();
        switch (rng() % 6)
        {
            case 0:
                m[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
                break;
            case 1:
                m[at] = static_cast<uint8_t>(rng());
                break;
            case 2:
                if (const size_t w = at & ~size_t{3}; w + 4 <= m.size())
                    ssz::store_le(
                        m.data() + w, ssz::load_le(m.data() + w, 4) + (rng() % 65) - 32, 4);
                break;
            case 3:
                m.insert(m.begin() + static_cast<ptrdiff_t>(at), 1 + rng() % 8,
                    static_cast<uint8_t>(rng()));
                break;
            case 4:
                m.erase(m.begin() + static_cast<ptrdiff_t>(at),
                    m.begin() + static_cast<ptrdiff_t>(std::min(m.size(), at + 1 + rng() % 8)));
                break;
            default:  // splice: our prefix, the other input's suffix
                if (!other.empty())
                {
                    const size_t from = rng() % other.size();
                    m.resize(at);
                    m.insert(m.end(), other.begin() + static_cast<ptrdiff_t>(from), other.end());
                }
                break;
        }
    }
    return m;
}
}  // namespace

TEST(StatelessInputFuzzSmoke, MutationsGiveTypedErrorsOrCanonicalDecodes)
{
    const auto records = test::load_zkevm_guest_records();
    ASSERT_FALSE(records.empty());
    std::mt19937_64 rng{7};
    size_t decoded = 0, rejected = 0;
    constexpr int iterations = 60000;
    for (int i = 0; i < iterations; ++i)
    {
        const bytes& base = records[rng() % records.size()].input;
        const bytes& other = records[rng() % records.size()].input;
        const bytes m = mutate(base, other, rng);
        stateless::StatelessInput in;
        // Detection too: a mutated prefix may turn into a prefixed schema id.
        if (stateless::decode_stateless_input(m, in) == ssz::Error::success)
        {
            ++decoded;
            ASSERT_EQ(stateless::encode_stateless_input(in), m) << "iteration " << i;
            (void)stateless::new_payload_request_root(in);
        }
        else
            ++rejected;
    }
    std::cout << "fuzz-smoke: " << iterations << " mutations, " << decoded
              << " decoded canonically, " << rejected << " rejected with a typed error\n";
    EXPECT_GT(decoded, 0u);
    EXPECT_GT(rejected, 0u);
}
