// EVM revisions (hard forks that change execution rules), in activation order.
#pragma once

#include <cstdint>
#include <string_view>

namespace stele
{
enum class Fork : uint8_t
{
    Frontier,
    Homestead,
    TangerineWhistle,  // EIP-150
    SpuriousDragon,    // EIP-155/158/161/170
    Byzantium,
    Constantinople,
    Petersburg,  // "ConstantinopleFix": Constantinople without EIP-1283
    Istanbul,
    Berlin,
    London,
    Paris,  // "Merge"
    Shanghai,
    Cancun,
    Prague,
    Osaka,
};

inline constexpr Fork kLatestFork = Fork::Osaka;

[[nodiscard]] constexpr std::string_view fork_name(Fork f) noexcept
{
    constexpr std::string_view names[] = {"Frontier", "Homestead", "EIP150", "EIP158", "Byzantium",
        "Constantinople", "ConstantinopleFix", "Istanbul", "Berlin", "London", "Paris", "Shanghai",
        "Cancun", "Prague", "Osaka"};
    return names[static_cast<uint8_t>(f)];
}
}  // namespace stele
