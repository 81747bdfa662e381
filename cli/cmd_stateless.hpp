// `stele spec run --mode stateless`: the per-block stateless check used by the spec runner
// (witness from the stateful pre-state, then validation from block + witness alone).
#pragma once

#include <emulator/accelerators.hpp>
#include <span>
#include <stateless/chain/block.hpp>
#include <stateless/state/memory_state.hpp>
#include <string>

namespace stele::cli
{
// What a zkevm fixture block carries besides the block: the reference execution witness and
// the guest input and expected output (execution-specs filled them).
struct ReferenceBlock
{
    bool has_witness = false;
    std::vector<bytes> state, codes, headers;
    bytes input, output;  // statelessInputBytes / statelessOutputBytes (empty when absent)
};

// --mode guest: every block with an engine payload (Paris on) also runs through this validator
// ELF in stelevm, fed the StatelessInput the host preflight builds (public keys, requests,
// generated witness); its output must carry the host's payload-request root and the stateful
// verdict, and equal the stateless program's output on the host byte for byte.
struct GuestOptions
{
    std::string name;          // for the report
    std::vector<uint8_t> elf;  // the ELF file
    uint64_t max_cycles = 100'000'000'000;
    // --calibrate: the software ELF runs the same input too, and one line per block goes to
    // this file: software cycles, accelerated cycles, then per accelerator 1..19 its calls,
    // input bytes and work in the accelerated run (bench/guest/calibrate.py fits prices).
    std::vector<uint8_t> software_elf;
    std::FILE* calibration = nullptr;
};

// --mode guest: what the guest made of one block (for `spec run --jsonl`).
struct GuestBlockRecord
{
    size_t index = 0;  // the block's place in the test (set by the caller)
    uint64_t number = 0;
    bool valid = false;                       // the stateful verdict
    std::string verdict;                      // "agreed", "failed" or "skipped"
    std::string reason;                       // why skipped, or what differs
    uint64_t gas_used = 0, cycles = 0;        // gas: 0 for a rejected block
    uint64_t accelerator_cost = 0, cost = 0;  // stele-cost-v1: cost = cycles + accelerator_cost
    std::vector<std::pair<std::string, uint64_t>> regions;  // the guest's cycle regions: total
    std::vector<emu::AccelReport> accelerators;
};

struct StatelessCheckOptions
{
    const chain::ChainConfig* config = nullptr;
    const evm::PrecompileTable* precompiles = nullptr;
    chain::RecoverFn recover = nullptr;
    unsigned adversarial_every = 0;  // 0: off; N: tamper the witness of every N-th block
    bool public_keys = false;        // validate with signer public keys (verify, not recover)
    std::string dump_dir;            // if set: <block hash>.rlp (hex) and .witness.json per block
    // With timing: per accepted block, the CPU time of witness generation (pre-state commitment
    // and recording run apart) and of stateless validation, next to the stateful import's.
    bool timing = false;
    std::string label;                // file and test name, for the per-block records
    double stateful_cpu_seconds = 0;  // the stateful import of this block
    std::string network;              // the fixture's network, written to <block hash>.meta
    // When set: the generated witness must equal the reference one (a block whose expected
    // guest output says false carries a damaged witness on purpose and is not compared; one
    // whose reference witness is a superset carries spare items on purpose), and the stateless
    // program fed the reference input must give the reference output byte for byte.
    const ReferenceBlock* reference = nullptr;
    const GuestOptions* guest = nullptr;
    // When set, each block the guest check sees appends its record here.
    std::vector<GuestBlockRecord>* guest_blocks = nullptr;
};

// Generates the witness of `block_rlp` on top of `pre` (the state after ancestors.back()),
// validates the block from the witness alone and compares with the stateful verdict
// `stateful_error`. Returns "" on agreement, else what differs.
std::string stateless_check_block(state::InMemoryState& pre,
    std::span<const chain::BlockHeader> ancestors, bytes_view block_rlp,
    chain::Error stateful_error, const StatelessCheckOptions& opt);

// Totals over all checks (thread-safe), printed at the end of a stateless run; with timing,
// also throughput and witness sizes (overall and per benchmark category).
void stateless_print_summary();
// The guest ELF's name in that summary (--mode guest).
void stateless_set_guest_name(const std::string& name);

// The per-block timing records as a JSON array ("[]" without timing).
[[nodiscard]] std::string stateless_blocks_json();
}  // namespace stele::cli
