// Whole-file reads and writes for tests.
#pragma once

#include <fstream>
#include <iterator>
#include <stateless/core/bytes.hpp>
#include <string>

namespace stele::test
{
// The file's bytes; empty when it cannot be read.
inline bytes read_bytes(const std::string& path)
{
    std::ifstream f{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{f}, {}};
}

inline void write_bytes(const std::string& path, const bytes& b)
{
    std::ofstream f{path, std::ios::binary | std::ios::trunc};
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
}  // namespace stele::test
