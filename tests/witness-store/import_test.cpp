// `stele chain import` on EEST blockchain tests (a fixed sample of the fixture files): valid
// chains are committed in full, resumable, and leave a consistent store (contiguous canonical
// index, head's state root resolvable); chains with an invalid block stop there, exit 1.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <stateless/chain/types.hpp>
#include <witness-rpc/store.hpp>

#include "../common/paths.hpp"
#include "../common/process.hpp"

using namespace stele;

TEST(ChainImport, EestSample)
{
    const std::filesystem::path root =
        std::filesystem::path{test::fixture_dir("eest")} / "blockchain_tests";
    if (!std::filesystem::exists(root))
        GTEST_SKIP() << "no EEST fixtures at " << root;
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.path().extension() == ".json")
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    size_t checked = 0, invalid = 0;
    // Every 11th file: a fixed sample spread over all forks and directories.
    for (size_t i = 0; i < files.size(); i += 11)
    {
        simdjson::dom::parser parser;
        simdjson::dom::object tests;
        ASSERT_FALSE(parser.load(files[i]).get(tests)) << files[i];
        const auto first = *tests.begin();
        const std::string name{first.key};
        simdjson::dom::array blocks;
        if (first.value["blocks"].get(blocks))
            continue;
        size_t valid = 0;
        bool has_invalid = false;
        for (auto b : blocks)
        {
            if (!b["expectException"].error())
            {
                has_invalid = true;
                break;
            }
            ++valid;
        }
        const auto dir = test::scratch_dir("import_" + std::to_string(i));
        const auto r = test::run_process(
            {test::stele_cli(), "chain", "import", "--datadir", dir, "--test", name, files[i]});
        ASSERT_EQ(r.exit_code, has_invalid ? 1 : 0) << files[i] << "\n" << r.err;
        if (has_invalid)
        {
            EXPECT_NE(
                r.err.find("block " + std::to_string(valid + 1) + ": invalid: "), std::string::npos)
                << files[i] << "\n"
                << r.err;
        }
        invalid += has_invalid;
        std::string err;
        auto store = witness::ChainStore::open(dir, false, err);
        ASSERT_TRUE(store) << err;
        ASSERT_EQ(store->head(), valid) << files[i];
        for (uint64_t n = 0; n <= store->head(); ++n)
            ASSERT_TRUE(store->canonical_hash(n)) << files[i] << " block " << n;
        const auto hrlp = store->header_rlp(*store->canonical_hash(store->head()));
        ASSERT_TRUE(hrlp);
        chain::BlockHeader h;
        ASSERT_EQ(chain::decode_header(*hrlp, h), chain::Error::ok);
        EXPECT_TRUE(store->node(h.state_root)) << files[i] << ": head state root not stored";
        ++checked;
    }
    std::printf("imported %zu EEST tests (%zu stop at an invalid block)\n", checked, invalid);
    EXPECT_GT(checked, 0u);
}
