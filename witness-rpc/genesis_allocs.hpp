// The genesis allocations of mainnet, sepolia and hoodi, embedded at build time from the pinned
// npm package @ethereumjs/genesis (tests/oracle; scripts/setup installs it) when Node.js and the
// package are present at configure time; otherwise none are embedded and `--chain` needs
// `--genesis-alloc FILE`.
#pragma once

#include <string>
#include <string_view>

namespace stele::witness
{
// geth's `{"alloc": …}` JSON for the network, or "" when it was not embedded.
[[nodiscard]] std::string builtin_genesis_alloc(std::string_view network);
}  // namespace stele::witness
