// The EVM: a baseline interpreter in the style of evmone (padded code + jumpdest bitmap, one
// switch over the opcode, per-fork cost table, stack and memory reused per call depth) with the
// CALL/CREATE machinery, running on a state::State.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/uint256.hpp"
#include "../state/hash_map.hpp"
#include "../state/state.hpp"
#include "fork.hpp"
#include "precompiles.hpp"

namespace stele::evm
{
enum class Status : uint8_t
{
    success,
    revert,
    out_of_gas,
    invalid_instruction,  // undefined opcode or INVALID (0xFE)
    stack_underflow,
    stack_overflow,
    bad_jump_destination,
    invalid_memory_access,  // RETURNDATACOPY out of bounds
    static_mode_violation,
    precompile_failure,
    call_depth_exceeded,
    insufficient_balance,
    create_collision,
    nonce_overflow,
    contract_validation_failure,  // EIP-3541: code starting with 0xEF
    code_size_exceeded,
};

enum class CallKind : uint8_t
{
    call,
    delegatecall,
    callcode,
    staticcall,
    create,
    create2,
};

struct Message
{
    CallKind kind = CallKind::call;
    bool is_static = false;
    int depth = 0;
    int64_t gas = 0;
    address recipient;     // the account whose storage/balance the code runs on
    address sender;        // CALLER
    address code_address;  // where the code comes from (for CREATE: the new account)
    uint256 value;
    bytes_view input;  // calldata, or init code for CREATE
};

struct Result
{
    Status status = Status::success;
    int64_t gas_left = 0;
    int64_t gas_refund = 0;
    bytes output;
    address created;  // CREATE/CREATE2 on success
};

struct Log
{
    address addr;
    std::vector<hash256> topics;
    bytes data;
};

// EIP-8037 state gas (tests-zkevm@v0.3.3: a fixed cost per state byte).
inline constexpr int64_t kCostPerStateByte = 1174;
inline constexpr int64_t kStateGasNewAccount = 112 * kCostPerStateByte;
inline constexpr int64_t kStateGasStorageSet = 32 * kCostPerStateByte;
inline constexpr int64_t kStateGasAuthBase = 23 * kCostPerStateByte;

// Maximum deployed code and init code sizes (EIP-170 / EIP-3860; EIP-7954 from Amsterdam).
[[nodiscard]] constexpr size_t max_code_size(Fork f) noexcept
{
    return has_eip(f, Eip::contract_size_7954) ? 0x8000 : 0x6000;
}
[[nodiscard]] constexpr size_t max_initcode_size(Fork f) noexcept
{
    return 2 * max_code_size(f);
}

// Returns the hash of block `number` (or zero when unknown / out of range).
using BlockHashFn = hash256 (*)(void* ctx, uint64_t number);

struct BlockContext
{
    address coinbase;
    uint64_t number = 0;
    uint64_t timestamp = 0;
    uint64_t gas_limit = 0;
    uint256 difficulty;  // PREVRANDAO from Paris on
    uint256 base_fee;
    uint256 blob_base_fee;
    uint64_t slot_number = 0;  // EIP-7843 SLOTNUM
    uint256 chain_id{1};
    BlockHashFn block_hash = nullptr;
    void* block_hash_ctx = nullptr;
};

struct TxContext
{
    address origin;
    uint256 gas_price;
    std::span<const hash256> blob_hashes;
};

// Jump-destination map and code padded with zeros (STOP) so the loop needs no bounds checks.
// A run of instructions charged and stack-checked once, where execution enters it (evmone's
// "advanced" blocks): a segment ends at a jump, a halt, and after every instruction whose body
// reads the state (SLOAD, BALANCE, CALL, ...) or depends on the gas left (SSTORE, CALL,
// CREATE). Its other instructions only touch the frame, so failing at the entry instead of
// halfway is the same exceptional halt: all gas consumed, the frame reverted, and no state read
// that the instruction-by-instruction order would have made (witness and EIP-7928 reads stay
// exact). Entries: the code's start, after a segment's end, and each JUMPDEST (a jump lands
// there; falling through, the enclosing segment has already paid for it).
struct Segment
{
    uint32_t gas = 0;      // entry: the base costs from here to the segment's end
    uint32_t tail = 0;     // at a GAS: the base costs after it, already charged
    int16_t required = 0;  // entry: stack height needed; kUnreachable: an undefined opcode
    int16_t growth = 0;    // entry: largest height above the entry's after any instruction
    static constexpr int16_t kUnreachable = INT16_MAX;
};

struct CodeAnalysis
{
    bytes padded;                     // code + 33 zero bytes
    std::vector<uint64_t> jumpdests;  // bitmap
    std::vector<Segment> segments;    // indexed by code position; valid at entries and GAS
    size_t size = 0;
    [[nodiscard]] bool is_jumpdest(uint64_t pos) const noexcept
    {
        return pos < size && ((jumpdests[pos / 64] >> (pos % 64)) & 1) != 0;
    }
};
// `costs`: the fork's base cost per opcode (-1: undefined), as the Vm builds it.
[[nodiscard]] std::unique_ptr<CodeAnalysis> analyze(bytes_view code, const int16_t* costs);

// EIP-7702 delegation designator: 0xef0100 || address.
[[nodiscard]] bool is_delegation(bytes_view code) noexcept;
[[nodiscard]] address delegation_target(bytes_view code) noexcept;

[[nodiscard]] address create_address(const address& sender, uint64_t nonce);
[[nodiscard]] address create2_address(
    const address& sender, const hash256& salt, bytes_view init_code);

class Vm
{
public:
    Vm(state::State& state, const BlockContext& block, Fork fork,
        const PrecompileTable& precompiles);
    ~Vm();

    // Runs a message: value transfer, code (or precompile), revert on failure. Does not do the
    // transaction-level work (nonce, fees, access lists).
    [[nodiscard]] Result execute(const Message& msg);

    // The top-level create of a creation transaction (the nonce is bumped by the caller).
    [[nodiscard]] Result execute_create(const Message& msg);

    // EIP-7708: the Burn logs of the transaction's end, for accounts destructed in it that still
    // hold a balance (received after their SELFDESTRUCT), in ascending address order.
    void burn_logs_of_destructed();

    TxContext tx;
    std::vector<Log> logs;
    // EIP-8037: the transaction's state-gas reservoir (what the frame running now may draw on
    // before its regular gas) and the state gas its execution has used. A failing frame gives
    // back the state gas it used to the reservoir. Set per transaction by the caller.
    int64_t state_gas_reservoir = 0;
    int64_t state_gas_used = 0;
    // Set when a precompile with no implementation in this build was called.
    unsigned missing_precompile = 0;

    [[nodiscard]] Fork fork() const noexcept
    {
        return m_fork;
    }
    [[nodiscard]] state::State& state() noexcept
    {
        return m_state;
    }
    [[nodiscard]] const BlockContext& block() const noexcept
    {
        return m_block;
    }
    [[nodiscard]] const PrecompileTable& precompiles() const noexcept
    {
        return m_precompiles;
    }

    struct Frame;

private:
    friend struct Interpreter;
    [[nodiscard]] Result execute_code(const Message& msg, const CodeAnalysis& code);
    [[nodiscard]] Result call_precompile(const Message& msg);
    // CREATE/CREATE2 and the CALL family, out of line to keep the interpreter's stack frame
    // (paid once per call depth) small. Status::success means "continue".
    [[gnu::noinline]] Status op_create(
        uint8_t op, const Message& msg, Frame& fr, uint256*& sp, int64_t& gas, int64_t& refund);
    [[gnu::noinline]] Status op_call(
        uint8_t op, const Message& msg, Frame& fr, uint256*& sp, int64_t& gas, int64_t& refund);
    [[nodiscard]] Result create_message(const Message& msg, const address& new_addr);
    // EIP-8037: take `amount` from the reservoir, the rest from `gas`; false (nothing taken)
    // when the two do not cover it.
    [[nodiscard]] bool charge_state_gas(int64_t& gas, int64_t amount) noexcept;
    // A failed inner frame: the state gas it used goes back to the reservoir. A failed
    // transaction (depth 0) keeps it spent (tests-zkevm@v0.3.3 fixtures).
    void return_state_gas(int depth, int64_t used_at_start) noexcept
    {
        if (depth == 0)
            return;
        state_gas_reservoir += state_gas_used - used_at_start;
        state_gas_used = used_at_start;
    }
    // EIP-7708 logs from SYSTEM_ADDRESS.
    void transfer_log(const address& from, const address& to, const uint256& value);
    void burn_log(const address& from, const uint256& value);
    [[nodiscard]] const CodeAnalysis& analysis_for(const address& code_addr);
    [[nodiscard]] Frame& frame(int depth);

    state::State& m_state;
    const BlockContext& m_block;
    Fork m_fork;
    bool m_state_gas;      // EIP-8037
    bool m_transfer_logs;  // EIP-7708
    const PrecompileTable& m_precompiles;
    int16_t m_costs[256];
    FlatMap<hash256, std::unique_ptr<CodeAnalysis>> m_analysis_cache;
    std::vector<std::unique_ptr<Frame>> m_frames;
};
}  // namespace stele::evm
