#include "cost_model.hpp"

namespace stele::emu
{
const std::array<AccelPrice, kAccelCount + 1>& cost_model_v1() noexcept
{
    // bench/guest/calibrate.py --cpp on the EEST blockchain tests (see cost_model.hpp).
    static constexpr std::array<AccelPrice, kAccelCount + 1> kTable{{
        {0, 0, 0},             // (no accelerator 0)
        {6775, 0, 72.5047},    // keccak256
        {505514, 0, 0},        // secp256k1_verify
        {549379, 0, 0},        // secp256k1_ecrecover
        {10141, 0, 4.2906},    // sha256
        {0, 0, 135.502},       // ripemd160
        {95196, 0, 0},         // modexp
        {24936, 0, 0},         // bn254_g1_add
        {70949, 0, 0},         // bn254_g1_mul
        {0, 0, 860649},        // bn254_pairing
        {26595806, 0, 0},      // blake2f
        {3373589, 0, 0},       // kzg_point_eval
        {56859, 0, 0},         // bls12_g1_add
        {178264, 0, 9199.05},  // bls12_g1_msm
        {140332, 0, 0},        // bls12_g2_add
        {307466, 0, 13921.2},  // bls12_g2_msm
        {11995109, 0, 0},      // bls12_pairing
        {1593673, 0, 0},       // bls12_map_fp_to_g1
        {7286426, 0, 0},       // bls12_map_fp2_to_g2
        {345517, 0, 0},        // secp256r1_verify
    }};
    return kTable;
}

uint64_t accel_cost(const AccelStats& s, const AccelPrice& p) noexcept
{
    const double c = static_cast<double>(s.calls) * p.per_call +
                     static_cast<double>(s.input_bytes) * p.per_byte +
                     static_cast<double>(s.work) * p.per_work + 0.5;
    return c >= 18446744073709551615.0 ? UINT64_MAX : static_cast<uint64_t>(c);
}
}  // namespace stele::emu
