#include "fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <common/process.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/core/hex.hpp>

namespace fs = std::filesystem;

namespace stele::test
{
namespace
{
uint64_t parse_number(const nlohmann::json& j)
{
    if (j.is_number_unsigned())
        return j.get<uint64_t>();
    const std::string s = j.get<std::string>();
    return std::stoull(s, nullptr, s.rfind("0x", 0) == 0 ? 16 : 10);
}

std::string extract_dir()
{
    const std::string dir = std::string{STELE_BINARY_DIR} + "/fixtures/ssz-zkevm-amsterdam";
    const std::string stamp = dir + "/.extracted";
    if (fs::exists(stamp))
        return dir;
    const std::string archive = std::string{STELE_FIXTURES_DIR} + "/eest-zkevm-amsterdam.tar.zst";
    if (!fs::exists(archive))
    {
        ADD_FAILURE() << "fixture archive missing: " << archive;
        return {};
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto r =
        run_process({"/bin/sh", "-c", "zstd -dc \"$0\" | tar -x -C \"$1\"", archive, dir}, {},
            std::chrono::seconds{300});
    if (r.exit_code != 0)
    {
        ADD_FAILURE() << "extracting " << archive << " failed: " << r.err;
        return {};
    }
    std::ofstream{stamp} << "ok\n";
    return dir;
}
}  // namespace

std::vector<GuestRecord> load_zkevm_guest_records()
{
    std::vector<GuestRecord> records;
    const std::string dir = extract_dir();
    if (dir.empty())
        return records;
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
    {
        std::ifstream in{f};
        const auto doc = nlohmann::json::parse(in);
        for (const auto& [test_name, test] : doc.items())
        {
            const uint64_t chain_id = parse_number(test.at("config").at("chainid"));
            const auto& blocks = test.at("blocks");
            for (size_t i = 0; i < blocks.size(); ++i)
            {
                const auto& b = blocks[i];
                if (!b.contains("statelessInputBytes"))
                    continue;
                GuestRecord rec;
                rec.name =
                    fs::relative(f, dir).string() + ":" + test_name + ":" + std::to_string(i);
                rec.chain_id = chain_id;
                const auto input = from_hex(b.at("statelessInputBytes").get<std::string>());
                const auto output = from_hex(b.at("statelessOutputBytes").get<std::string>());
                if (!input || !output)
                {
                    ADD_FAILURE() << "bad hex in " << rec.name;
                    continue;
                }
                rec.input = *input;
                rec.output = *output;
                records.push_back(std::move(rec));
            }
        }
    }
    return records;
}
}  // namespace stele::test
