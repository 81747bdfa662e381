#include "paths.hpp"

#include <filesystem>

namespace stele::test
{
std::string guest_elf(const std::string& dir, const std::string& name, const std::string& backend)
{
    return std::string{STELE_GUEST_BIN_DIR} + "/" + dir + "/" + name + "." + backend + ".elf";
}

std::string qemu()
{
    return STELE_QEMU;
}

std::string stele_cli()
{
    return std::string{STELE_BINARY_DIR} + "/cli/stele";
}

std::string scratch_dir(const std::string& name)
{
    const auto dir = std::filesystem::path{STELE_BINARY_DIR} / "test-scratch" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}
}  // namespace stele::test

namespace stele::test
{
std::string fixture_dir(const std::string& name)
{
    return std::string{STELE_BINARY_DIR} + "/fixtures/" + name;
}
}  // namespace stele::test
