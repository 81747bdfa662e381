// Runs a program for a test: stdin from bytes, stdout/stderr captured, with a wall-clock limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace stele::test
{
struct ProcessResult
{
    int exit_code = -1;  // exit status, or 128 + signal number
    bool timed_out = false;
    std::string out;
    std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {},
    std::chrono::seconds timeout = std::chrono::seconds{120});
}  // namespace stele::test
