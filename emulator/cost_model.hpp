// The cost model: a deterministic, versioned figure next to cycles in which every accelerator
// call is priced by its input, as what the same work costs in software in our guest. `stele run`
// reports cost = cycles + sum over accelerator calls of
//   calls * per_call + input_bytes * per_byte + work * per_work
// (work: hash bytes, blake2f rounds, pairing / MSM pairs, modexp modulus words^2 x exponent
// bits; see AccelStats). `--accel-cost FILE` replaces the table.
//
// stele-cost-v1 was fitted by bench/guest/calibrate.py from `stele spec run --mode guest
// --calibrate` over the EEST blockchain tests (22,029 blocks, both validator builds on the same
// inputs: software cycles - accelerated cycles = the software cost of the ecalls' work), staged
// so that co-occurring precompiles do not trade prices. It predicts the software build's extra
// cycles per block with a median error of 0.6 % (p90 3.6 %). The precompile prices reflect the
// EEST input mix (many edge cases); accelerators called rarely there (blake2f 10 calls,
// bls12_g2_add 3) are the least certain. See emulator/README.md.
#pragma once

#include <array>
#include <cstdint>

#include "accelerators.hpp"

namespace stele::emu
{
struct AccelPrice
{
    double per_call = 0;
    double per_byte = 0;
    double per_work = 0;
};

inline constexpr const char* kCostModelName = "stele-cost-v1";

// Indexed by accelerator number (1..19; 0 unused).
[[nodiscard]] const std::array<AccelPrice, kAccelCount + 1>& cost_model_v1() noexcept;

// One accelerator's cost under a price, saturating at 2^64 - 1.
[[nodiscard]] uint64_t accel_cost(const AccelStats& s, const AccelPrice& p) noexcept;
}  // namespace stele::emu
