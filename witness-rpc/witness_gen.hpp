// Host glue between the engine's witness generator (stateless/validate/witness_builder.hpp) and
// witness files (witness_file.hpp): conversion both ways.
#pragma once

#include <stateless/validate/validate.hpp>

#include "witness_file.hpp"

namespace stele::witness
{
// The canonical file form of a generated witness (keys empty: the generator tracks none).
[[nodiscard]] ExecutionWitness to_execution_witness(const stateless::Witness& w);

// Views into a loaded witness for stateless::validate (valid while `w` lives).
struct WitnessViews
{
    std::vector<bytes_view> state, codes, headers;
    [[nodiscard]] stateless::WitnessView view() const noexcept
    {
        return {state, codes, headers};
    }
};
[[nodiscard]] WitnessViews views_of(const ExecutionWitness& w);
}  // namespace stele::witness
