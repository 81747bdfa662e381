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
    Amsterdam,  // Glamsterdam EL (execution-specs tests-zkevm@v0.3.3; see chain/FORKS.md)
};

inline constexpr Fork kLatestFork = Fork::Amsterdam;

// EIPs of forks after Osaka, each behind this table: the fork that activates it in the
// execution-specs revision stele follows (tests-zkevm@v0.3.3 for Amsterdam), or none (kNever)
// for an EIP that revision does not have. A later revision is a change of this table.
// chain/FORKS.md lists each with what it changes and where it lives.
enum class Eip : uint8_t
{
    block_access_lists_7928,
    slotnum_7843,
    transfer_logs_7708,
    block_gas_without_refunds_7778,
    state_creation_gas_8037,
    state_access_gas_8038,
    reduced_intrinsic_gas_2780,
    calldata_floor_7976,
    access_list_cost_7981,
    dupn_swapn_exchange_8024,
    contract_size_7954,
    no_selfdestruct_burn_8246,
    builder_requests_8282,
};

inline constexpr uint8_t kNever = 0xff;

[[nodiscard]] constexpr uint8_t eip_activation(Eip e) noexcept
{
    constexpr auto A = static_cast<uint8_t>(Fork::Amsterdam);
    switch (e)
    {
        case Eip::block_access_lists_7928:
        case Eip::slotnum_7843:
        case Eip::transfer_logs_7708:
        case Eip::block_gas_without_refunds_7778:
        case Eip::state_creation_gas_8037:
        case Eip::dupn_swapn_exchange_8024:
        case Eip::contract_size_7954:
            return A;
        default:
            return kNever;
    }
}

[[nodiscard]] constexpr bool has_eip(Fork f, Eip e) noexcept
{
    return static_cast<uint8_t>(f) >= eip_activation(e);
}

[[nodiscard]] constexpr std::string_view fork_name(Fork f) noexcept
{
    constexpr std::string_view names[] = {"Frontier", "Homestead", "EIP150", "EIP158", "Byzantium",
        "Constantinople", "ConstantinopleFix", "Istanbul", "Berlin", "London", "Paris", "Shanghai",
        "Cancun", "Prague", "Osaka", "Amsterdam"};
    return names[static_cast<uint8_t>(f)];
}
}  // namespace stele
