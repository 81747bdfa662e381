// Where tests find the build's artifacts and the shared fixtures.
#pragma once

#include <string>

namespace stele::test
{
// A guest ELF of the guest tree, e.g. guest_elf("examples", "echo", "linux").
std::string guest_elf(const std::string& dir, const std::string& name, const std::string& backend);
// The qemu-riscv64 binary, or "" when it is not installed.
std::string qemu();
// The native stele CLI.
std::string stele_cli();
// A fresh, empty scratch directory for one test.
std::string scratch_dir(const std::string& name);
}  // namespace stele::test

namespace stele::test
{
// Where the ctest fixture of that name (tests/CMakeLists.txt: stele_fixture_archive) unpacked
// its archive, e.g. fixture_dir("zkevm").
std::string fixture_dir(const std::string& name);
}  // namespace stele::test
