// Reading a file named on the command line: only regular files (a directory, FIFO, device such
// as /dev/zero or socket is refused before any read, and a FIFO never blocks the open), and only
// up to a size checked before reading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stele::cli
{
// Reads the whole regular file at `path` into `out`. Returns "" or why not ("is a directory",
// "is not a regular file (a FIFO)", "is 5368709120 bytes, more than the limit of ...", or the
// system error); the message does not repeat the path.
// With follow_symlinks false a symbolic link is refused too ("is a symbolic link").
[[nodiscard]] std::string read_regular_file(const std::string& path, uint64_t max_bytes,
    std::vector<uint8_t>& out, bool follow_symlinks = true);
}  // namespace stele::cli
