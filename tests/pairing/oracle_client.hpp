// Runs tests/oracle/oracle.mjs (@noble/curves, kzg-wasm) on a batch of requests.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/process.hpp"

namespace stele::test::pairing
{
struct OracleRequest
{
    std::string op;
    std::string hex;
};

// The node binary found on PATH (run_process does not search PATH), or "".
inline std::string node_path()
{
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size())
    {
        const size_t end = std::min(dirs.find(':', start), dirs.size());
        const auto candidate = std::filesystem::path{dirs.substr(start, end - start)} / "node";
        if (end > start && std::filesystem::exists(candidate))
            return candidate.string();
        start = end + 1;
    }
    return {};
}

inline std::string oracle_dir()
{
    return std::string{STELE_SOURCE_DIR} + "/tests/oracle";
}

// Empty when the oracle can run, else the reason it cannot.
inline std::string oracle_unavailable()
{
    if (node_path().empty() || run_process({node_path(), "--version"}).exit_code != 0)
        return "node is not installed (scripts/setup installs it)";
    if (!std::filesystem::exists(oracle_dir() + "/node_modules/@noble/curves") ||
        !std::filesystem::exists(oracle_dir() + "/node_modules/kzg-wasm"))
        return "oracle packages missing: run `npm ci --prefix tests/oracle` (scripts/setup does)";
    return {};
}

// One answer line per request ("ok <hex>", "fail", or "error <message>").
inline std::vector<std::string> run_oracle(const std::vector<OracleRequest>& reqs)
{
    std::string input;
    for (const auto& r : reqs)
        input += r.op + " " + r.hex + "\n";
    const auto res =
        run_process({node_path(), oracle_dir() + "/oracle.mjs"}, input, std::chrono::seconds{900});
    std::vector<std::string> lines;
    std::istringstream is{res.out};
    for (std::string line; std::getline(is, line);)
        lines.push_back(line);
    if (res.exit_code != 0 || lines.size() != reqs.size())
        lines.assign(reqs.size(),
            "error oracle exited " + std::to_string(res.exit_code) + ": " + res.err.substr(0, 400));
    return lines;
}

// Number of random cases per operation (STELE_PAIRING_CASES overrides the default 1000).
inline size_t case_count()
{
    if (const char* e = std::getenv("STELE_PAIRING_CASES"))
        return std::strtoull(e, nullptr, 10);
    return 1000;
}
}  // namespace stele::test::pairing
