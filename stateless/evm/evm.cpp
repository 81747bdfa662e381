#include "evm.hpp"

#include <algorithm>

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"

namespace stele::evm
{
namespace
{
enum : uint8_t
{
    OP_STOP = 0x00,
    OP_ADD,
    OP_MUL,
    OP_SUB,
    OP_DIV,
    OP_SDIV,
    OP_MOD,
    OP_SMOD,
    OP_ADDMOD,
    OP_MULMOD,
    OP_EXP,
    OP_SIGNEXTEND,
    OP_LT = 0x10,
    OP_GT,
    OP_SLT,
    OP_SGT,
    OP_EQ,
    OP_ISZERO,
    OP_AND,
    OP_OR,
    OP_XOR,
    OP_NOT,
    OP_BYTE,
    OP_SHL,
    OP_SHR,
    OP_SAR,
    OP_CLZ,
    OP_KECCAK256 = 0x20,
    OP_ADDRESS = 0x30,
    OP_BALANCE,
    OP_ORIGIN,
    OP_CALLER,
    OP_CALLVALUE,
    OP_CALLDATALOAD,
    OP_CALLDATASIZE,
    OP_CALLDATACOPY,
    OP_CODESIZE,
    OP_CODECOPY,
    OP_GASPRICE,
    OP_EXTCODESIZE,
    OP_EXTCODECOPY,
    OP_RETURNDATASIZE,
    OP_RETURNDATACOPY,
    OP_EXTCODEHASH,
    OP_BLOCKHASH = 0x40,
    OP_COINBASE,
    OP_TIMESTAMP,
    OP_NUMBER,
    OP_PREVRANDAO,
    OP_GASLIMIT,
    OP_CHAINID,
    OP_SELFBALANCE,
    OP_BASEFEE,
    OP_BLOBHASH,
    OP_BLOBBASEFEE,
    OP_SLOTNUM = 0x4b,  // EIP-7843
    OP_POP = 0x50,
    OP_MLOAD,
    OP_MSTORE,
    OP_MSTORE8,
    OP_SLOAD,
    OP_SSTORE,
    OP_JUMP,
    OP_JUMPI,
    OP_PC,
    OP_MSIZE,
    OP_GAS,
    OP_JUMPDEST,
    OP_TLOAD,
    OP_TSTORE,
    OP_MCOPY,
    OP_PUSH0,
    OP_PUSH1 = 0x60,
    OP_PUSH32 = 0x7f,
    OP_DUP1 = 0x80,
    OP_DUP16 = 0x8f,
    OP_SWAP1 = 0x90,
    OP_SWAP16 = 0x9f,
    OP_LOG0 = 0xa0,
    OP_LOG4 = 0xa4,
    OP_CREATE = 0xf0,
    OP_CALL,
    OP_CALLCODE,
    OP_RETURN,
    OP_DELEGATECALL,
    OP_CREATE2,
    OP_DUPN = 0xe6,  // EIP-8024
    OP_SWAPN,
    OP_EXCHANGE,
    OP_STATICCALL = 0xfa,
    OP_REVERT = 0xfd,
    OP_INVALID = 0xfe,
    OP_SELFDESTRUCT = 0xff,
};

struct StackTraits
{
    int8_t required;
    int8_t change;
};

constexpr auto kStack = []
{
    std::array<StackTraits, 256> t{};
    const auto set = [&](int op, int req, int chg) {
        t[static_cast<size_t>(op)] = {static_cast<int8_t>(req), static_cast<int8_t>(chg)};
    };
    for (int op : {OP_ADD, OP_MUL, OP_SUB, OP_DIV, OP_SDIV, OP_MOD, OP_SMOD, OP_EXP, OP_SIGNEXTEND,
             OP_LT, OP_GT, OP_SLT, OP_SGT, OP_EQ, OP_AND, OP_OR, OP_XOR, OP_BYTE, OP_SHL, OP_SHR,
             OP_SAR, OP_KECCAK256})
        set(op, 2, -1);
    set(OP_ADDMOD, 3, -2);
    set(OP_MULMOD, 3, -2);
    for (int op : {OP_ISZERO, OP_NOT, OP_CLZ, OP_BALANCE, OP_CALLDATALOAD, OP_EXTCODESIZE,
             OP_EXTCODEHASH, OP_BLOCKHASH, OP_BLOBHASH, OP_MLOAD, OP_SLOAD, OP_TLOAD})
        set(op, 1, 0);
    for (int op : {OP_ADDRESS, OP_ORIGIN, OP_CALLER, OP_CALLVALUE, OP_CALLDATASIZE, OP_CODESIZE,
             OP_GASPRICE, OP_RETURNDATASIZE, OP_COINBASE, OP_TIMESTAMP, OP_NUMBER, OP_PREVRANDAO,
             OP_GASLIMIT, OP_CHAINID, OP_SELFBALANCE, OP_BASEFEE, OP_BLOBBASEFEE, OP_PC, OP_MSIZE,
             OP_GAS, OP_PUSH0, OP_SLOTNUM})
        set(op, 0, 1);
    for (int op : {OP_CALLDATACOPY, OP_CODECOPY, OP_RETURNDATACOPY, OP_MCOPY})
        set(op, 3, -3);
    set(OP_EXTCODECOPY, 4, -4);
    set(OP_POP, 1, -1);
    set(OP_JUMP, 1, -1);
    set(OP_SELFDESTRUCT, 1, -1);
    for (int op : {OP_MSTORE, OP_MSTORE8, OP_SSTORE, OP_JUMPI, OP_TSTORE, OP_RETURN, OP_REVERT})
        set(op, 2, -2);
    for (int op = OP_PUSH1; op <= OP_PUSH32; ++op)
        set(op, 0, 1);
    for (int n = 1; n <= 16; ++n)
    {
        set(OP_DUP1 + n - 1, n, 1);
        set(OP_SWAP1 + n - 1, n + 1, 0);
    }
    for (int n = 0; n <= 4; ++n)
        set(OP_LOG0 + n, n + 2, -(n + 2));
    // EIP-8024: the depth comes from the immediate; the handlers check it.
    set(OP_DUPN, 0, 1);
    set(OP_SWAPN, 0, 0);
    set(OP_EXCHANGE, 0, 0);
    set(OP_CREATE, 3, -2);
    set(OP_CREATE2, 4, -3);
    set(OP_CALL, 7, -6);
    set(OP_CALLCODE, 7, -6);
    set(OP_DELEGATECALL, 6, -5);
    set(OP_STATICCALL, 6, -5);
    return t;
}();

// Base cost per opcode for a fork; -1 = undefined. Variable parts are charged by the handlers.
// From Berlin on, the state-access opcodes carry the warm cost here and add the cold surcharge.
void build_cost_table(int16_t* c, Fork f)
{
    for (int i = 0; i < 256; ++i)
        c[i] = -1;
    const auto set = [&](int op, int cost) { c[op] = static_cast<int16_t>(cost); };
    set(OP_STOP, 0);
    for (int op : {OP_ADD, OP_SUB, OP_LT, OP_GT, OP_SLT, OP_SGT, OP_EQ, OP_ISZERO, OP_AND, OP_OR,
             OP_XOR, OP_NOT, OP_BYTE, OP_CALLDATALOAD, OP_MLOAD, OP_MSTORE, OP_MSTORE8,
             OP_CALLDATACOPY, OP_CODECOPY})
        set(op, 3);
    for (int op : {OP_MUL, OP_DIV, OP_SDIV, OP_MOD, OP_SMOD, OP_SIGNEXTEND})
        set(op, 5);
    set(OP_ADDMOD, 8);
    set(OP_MULMOD, 8);
    set(OP_EXP, 10);
    set(OP_KECCAK256, 30);
    for (int op : {OP_ADDRESS, OP_ORIGIN, OP_CALLER, OP_CALLVALUE, OP_CALLDATASIZE, OP_CODESIZE,
             OP_GASPRICE, OP_COINBASE, OP_TIMESTAMP, OP_NUMBER, OP_PREVRANDAO, OP_GASLIMIT, OP_POP,
             OP_PC, OP_MSIZE, OP_GAS})
        set(op, 2);
    set(OP_BLOCKHASH, 20);
    set(OP_JUMP, 8);
    set(OP_JUMPI, 10);
    set(OP_JUMPDEST, 1);
    for (int op = OP_PUSH1; op <= OP_PUSH32; ++op)
        set(op, 3);
    for (int op = OP_DUP1; op <= OP_SWAP16; ++op)
        set(op, 3);
    for (int n = 0; n <= 4; ++n)
        set(OP_LOG0 + n, 375 * (n + 1));
    set(OP_CREATE, 32000);
    set(OP_RETURN, 0);
    set(OP_SSTORE, 0);
    const bool tw = f >= Fork::TangerineWhistle;
    set(OP_BALANCE, tw ? 400 : 20);
    set(OP_EXTCODESIZE, tw ? 700 : 20);
    set(OP_EXTCODECOPY, tw ? 700 : 20);
    set(OP_SLOAD, tw ? 200 : 50);
    set(OP_CALL, tw ? 700 : 40);
    set(OP_CALLCODE, tw ? 700 : 40);
    set(OP_SELFDESTRUCT, tw ? 5000 : 0);
    if (f >= Fork::Homestead)
        set(OP_DELEGATECALL, tw ? 700 : 40);
    if (f >= Fork::Byzantium)
    {
        set(OP_REVERT, 0);
        set(OP_RETURNDATASIZE, 2);
        set(OP_RETURNDATACOPY, 3);
        set(OP_STATICCALL, 700);
    }
    if (f >= Fork::Constantinople)
    {
        set(OP_SHL, 3);
        set(OP_SHR, 3);
        set(OP_SAR, 3);
        set(OP_CREATE2, 32000);
        set(OP_EXTCODEHASH, 400);
    }
    if (f >= Fork::Istanbul)
    {
        set(OP_CHAINID, 2);
        set(OP_SELFBALANCE, 5);
        set(OP_BALANCE, 700);
        set(OP_EXTCODEHASH, 700);
        set(OP_SLOAD, 800);
    }
    if (f >= Fork::Berlin)
    {
        for (int op : {OP_BALANCE, OP_EXTCODESIZE, OP_EXTCODECOPY, OP_EXTCODEHASH, OP_SLOAD,
                 OP_CALL, OP_CALLCODE, OP_DELEGATECALL, OP_STATICCALL})
            set(op, 100);
    }
    if (f >= Fork::London)
        set(OP_BASEFEE, 2);
    if (f >= Fork::Shanghai)
        set(OP_PUSH0, 2);
    if (f >= Fork::Cancun)
    {
        set(OP_TLOAD, 100);
        set(OP_TSTORE, 100);
        set(OP_MCOPY, 3);
        set(OP_BLOBHASH, 3);
        set(OP_BLOBBASEFEE, 2);
    }
    if (f >= Fork::Osaka)
        set(OP_CLZ, 5);
    if (has_eip(f, Eip::state_creation_gas_8037))
    {
        // The new account's state is charged as state gas; 9000 stays regular.
        set(OP_CREATE, 9000);
        set(OP_CREATE2, 9000);
    }
    if (has_eip(f, Eip::dupn_swapn_exchange_8024))
    {
        set(OP_DUPN, 3);
        set(OP_SWAPN, 3);
        set(OP_EXCHANGE, 3);
    }
    if (has_eip(f, Eip::slotnum_7843))
        set(OP_SLOTNUM, 2);
}

constexpr int64_t kColdAccountExtra = 2500;  // 2600 - 100
constexpr int64_t kColdSloadExtra = 2000;    // 2100 - 100
constexpr int64_t kColdAccountCost = 2600;
constexpr int64_t kWarmAccessCost = 100;
constexpr int kMaxDepth = 1024;
// EIP-7708: logs come from SYSTEM_ADDRESS with these event signatures as topic 0.
constexpr address kSystemAddress = []
{
    address a;
    for (int i = 0; i < 19; ++i)
        a.bytes[i] = 0xff;
    a.bytes[19] = 0xfe;
    return a;
}();
constexpr uint8_t kTransferTopic[32] = {  // keccak256("Transfer(address,address,uint256)")
    0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0, 0x68, 0xfc, 0x37, 0x8d, 0xaa,
    0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4, 0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d, 0xf5, 0x23, 0xb3, 0xef};

[[nodiscard]] inline uint256 addr_to_word(const address& a) noexcept
{
    uint64_t hi = 0;
    for (int i = 0; i < 4; ++i)
        hi = (hi << 8) | a.bytes[i];
    return {load_be64(a.bytes + 12), load_be64(a.bytes + 4), hi, 0};
}
[[nodiscard]] inline address word_to_addr(const uint256& v) noexcept
{
    address a;
    for (int i = 0; i < 4; ++i)
        a.bytes[i] = static_cast<uint8_t>(v.w[2] >> (24 - 8 * i));
    store_be64(a.bytes + 4, v.w[1]);
    store_be64(a.bytes + 12, v.w[0]);
    return a;
}
[[nodiscard]] inline uint256 hash_to_word(const hash256& h) noexcept
{
    return load_be(h.bytes);
}
[[nodiscard]] inline constexpr int64_t num_words(uint64_t size) noexcept
{
    return static_cast<int64_t>((size + 31) / 32);
}
}  // namespace

bool is_delegation(bytes_view code) noexcept
{
    return code.size() == 23 && code[0] == 0xef && code[1] == 0x01 && code[2] == 0x00;
}

address delegation_target(bytes_view code) noexcept
{
    address a;
    std::memcpy(a.bytes, code.data() + 3, 20);
    return a;
}

namespace
{
// The instructions after which a segment ends (see Segment): halts and jumps, and those whose
// body reads the gas left (SSTORE's stipend check, the CALL and CREATE families) or the state,
// witness and access lists. GAS does not: it adds back what its segment charged after it.
constexpr auto kEndsSegment = []
{
    std::array<bool, 256> t{};
    for (int op :
        {OP_STOP, OP_JUMP, OP_JUMPI, OP_RETURN, OP_REVERT, OP_INVALID, OP_SELFDESTRUCT, OP_BALANCE,
            OP_EXTCODESIZE, OP_EXTCODECOPY, OP_EXTCODEHASH, OP_BLOCKHASH, OP_SELFBALANCE, OP_SLOAD,
            OP_SSTORE, OP_CREATE, OP_CREATE2, OP_CALL, OP_CALLCODE, OP_DELEGATECALL, OP_STATICCALL})
        t[static_cast<size_t>(op)] = true;
    return t;
}();

// EIP-8024 immediates that make DUPN/SWAPN (first range) or EXCHANGE (second) invalid.
constexpr bool bad_single_immediate(unsigned x) noexcept
{
    return x >= 91 && x <= 127;
}
constexpr bool bad_pair_immediate(unsigned x) noexcept
{
    return x >= 82 && x <= 127;
}
}  // namespace

std::unique_ptr<CodeAnalysis> analyze(bytes_view code, const int16_t* costs)
{
    auto a = std::make_unique<CodeAnalysis>();
    a->size = code.size();
    a->padded.assign(code.size() + 33, 0);
    if (!code.empty())
        std::memcpy(a->padded.data(), code.data(), code.size());
    a->jumpdests.assign(code.size() / 64 + 1, 0);
    for (size_t i = 0; i < code.size(); ++i)
    {
        const uint8_t op = code[i];
        if (op == OP_JUMPDEST)
            a->jumpdests[i / 64] |= uint64_t{1} << (i % 64);
        else if (op >= OP_PUSH1 && op <= OP_PUSH32)
            i += static_cast<size_t>(op - OP_PUSH1 + 1);
    }

    // Segments, in one pass over the instructions as execution steps through them (the
    // padding's STOP ends the last one). A JUMPDEST inside an EIP-8024 immediate is only
    // reachable when that immediate is invalid, which ends the segment before it.
    a->segments.assign(code.size() + 1, Segment{});
    const uint8_t* const c = a->padded.data();
    struct Step
    {
        uint32_t pos;
        uint8_t op;
        int16_t cost;
        int depth;  // stack height before it, relative to the segment's start
    };
    std::vector<Step> steps;
    size_t start = 0;
    int depth = 0;
    const auto close = [&](size_t next, bool unreachable)
    {
        // Backwards: each JUMPDEST's entry covers the suffix from it; the start's the whole.
        int64_t gas = 0;
        // Over the suffix: max(required - depth) and max(depth after), relative to the start.
        int max_need = INT32_MIN / 2, max_height = INT32_MIN / 2;
        for (size_t k = steps.size(); k-- > 0;)
        {
            const Step& st = steps[k];
            const auto tr = kStack[st.op];
            gas += st.cost;
            max_need = std::max(max_need, tr.required - st.depth);
            max_height = std::max(max_height, st.depth + tr.change);
            Segment& seg = a->segments[st.pos];
            if (st.op == OP_GAS)
                seg.tail = static_cast<uint32_t>(gas - st.cost);
            if (k == 0 || st.op == OP_JUMPDEST)
            {
                seg.gas = static_cast<uint32_t>(gas);
                seg.required = unreachable ? Segment::kUnreachable
                                           : static_cast<int16_t>(std::max(0, max_need + st.depth));
                seg.growth = static_cast<int16_t>(std::max(0, max_height - st.depth));
            }
        }
        if (steps.empty() && unreachable)
            a->segments[start].required = Segment::kUnreachable;
        steps.clear();
        start = next;
        depth = 0;
    };
    for (size_t i = 0; i <= code.size();)
    {
        const uint8_t op = c[i];
        size_t next = i + 1;
        if (op >= OP_PUSH1 && op <= OP_PUSH32)
            next += static_cast<size_t>(op - OP_PUSH1 + 1);
        const int16_t cost = costs[op];
        if (cost < 0)
        {
            close(next, true);
            i = next;
            continue;
        }
        bool ends = kEndsSegment[op];
        if (op == OP_DUPN || op == OP_SWAPN || op == OP_EXCHANGE)
        {
            const unsigned x = c[i + 1];
            if (op == OP_EXCHANGE ? bad_pair_immediate(x) : bad_single_immediate(x))
                ends = true;  // the handler halts; the immediate may be a JUMPDEST
            else
                next = i + 2;
        }
        steps.push_back({static_cast<uint32_t>(i), op, cost, depth});
        depth += kStack[op].change;
        if (ends || next > code.size())
            close(next, false);
        i = next;
    }
    return a;
}

address create_address(const address& sender, uint64_t nonce)
{
    bytes enc;
    rlp::Encoder e{enc};
    const size_t mark = e.begin_list();
    e.string(sender.view()).u64(nonce);
    e.end_list(mark);
    const hash256 h = keccak256(enc);
    address a;
    std::memcpy(a.bytes, h.bytes + 12, 20);
    return a;
}

address create2_address(const address& sender, const hash256& salt, bytes_view init_code)
{
    uint8_t buf[85];
    buf[0] = 0xff;
    std::memcpy(buf + 1, sender.bytes, 20);
    std::memcpy(buf + 21, salt.bytes, 32);
    const hash256 ch = keccak256(init_code);
    std::memcpy(buf + 53, ch.bytes, 32);
    const hash256 h = keccak256({buf, 85});
    address a;
    std::memcpy(a.bytes, h.bytes + 12, 20);
    return a;
}

struct Vm::Frame
{
    std::unique_ptr<uint256[]> stack{new uint256[1024]};
    bytes memory;
    bytes return_data;
};

Vm::Vm(
    state::State& state, const BlockContext& block, Fork fork, const PrecompileTable& precompiles)
    : m_state{state},
      m_block{block},
      m_fork{fork},
      m_state_gas{has_eip(fork, Eip::state_creation_gas_8037)},
      m_transfer_logs{has_eip(fork, Eip::transfer_logs_7708)},
      m_precompiles{precompiles}
{
    build_cost_table(m_costs, fork);
}

Vm::~Vm() = default;

bool Vm::charge_state_gas(int64_t& gas, int64_t amount) noexcept
{
    if (state_gas_reservoir >= amount)
        state_gas_reservoir -= amount;
    else
    {
        const int64_t spill = amount - state_gas_reservoir;
        if (gas < spill)
            return false;
        gas -= spill;
        state_gas_reservoir = 0;
    }
    state_gas_used += amount;
    return true;
}

namespace
{
hash256 address_topic(const address& a)
{
    hash256 t;
    std::memcpy(t.bytes + 12, a.bytes, 20);
    return t;
}
bytes word_bytes(const uint256& v)
{
    bytes out(32);
    store_be(out.data(), v);
    return out;
}
}  // namespace

void Vm::transfer_log(const address& from, const address& to, const uint256& value)
{
    hash256 topic;
    std::memcpy(topic.bytes, kTransferTopic, 32);
    logs.push_back(
        Log{kSystemAddress, {topic, address_topic(from), address_topic(to)}, word_bytes(value)});
}

void Vm::burn_log(const address& from, const uint256& value)
{
    // keccak256("Burn(address,uint256)")
    static constexpr uint8_t kBurnTopic[32] = {0xcc, 0x16, 0xf5, 0xdb, 0xb4, 0x87, 0x32, 0x80, 0x81,
        0x5c, 0x1e, 0xe0, 0x9d, 0xbd, 0x06, 0x73, 0x6c, 0xff, 0xcc, 0x18, 0x44, 0x12, 0xcf, 0x7a,
        0x71, 0xa0, 0xfd, 0xb7, 0x5d, 0x39, 0x7c, 0xa5};
    hash256 topic;
    std::memcpy(topic.bytes, kBurnTopic, 32);
    logs.push_back(Log{kSystemAddress, {topic, address_topic(from)}, word_bytes(value)});
}

void Vm::burn_logs_of_destructed()
{
    if (!m_transfer_logs)
        return;
    std::vector<std::pair<address, uint256>> burnt;
    m_state.for_each_destructed(
        [&](const address& a, const state::Account& acc)
        {
            if (!acc.balance.is_zero())
                burnt.emplace_back(a, acc.balance);
        });
    std::sort(
        burnt.begin(), burnt.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [a, v] : burnt)
        burn_log(a, v);
}

Vm::Frame& Vm::frame(int depth)
{
    while (static_cast<int>(m_frames.size()) <= depth)
        m_frames.push_back(std::make_unique<Frame>());
    return *m_frames[static_cast<size_t>(depth)];
}

const CodeAnalysis& Vm::analysis_for(const address& code_addr)
{
    state::Account& acc = m_state.get(code_addr);
    const hash256 h = acc.code_hash;
    if (auto* p = m_analysis_cache.find(h))
        return **p;
    const bytes_view code = m_state.code(code_addr);
    auto a = analyze(code, m_costs);
    auto& slot = m_analysis_cache[h];
    slot = std::move(a);
    return *slot;
}

Result Vm::call_precompile(const Message& msg)
{
    Result r;
    const PrecompileEntry& e = m_precompiles.entry(msg.code_address);
    if (e.fn == nullptr)
    {
        missing_precompile =
            msg.code_address.bytes[19] | (unsigned{msg.code_address.bytes[18]} << 8);
        r.status = Status::precompile_failure;
        return r;
    }
    const PrecompileResult pr = e.fn(msg.input, msg.gas, m_fork, r.output);
    if (!pr.success || pr.gas_used > msg.gas)
    {
        r.status = Status::precompile_failure;
        r.output.clear();
        r.gas_left = 0;
        return r;
    }
    r.gas_left = msg.gas - pr.gas_used;
    return r;
}

Result Vm::execute(const Message& msg)
{
    if (msg.depth > kMaxDepth)
        return {Status::call_depth_exceeded, msg.gas, 0, {}, {}};
    const size_t cp = m_state.checkpoint();
    const size_t log_mark = logs.size();
    const int64_t state_used_at_start = state_gas_used;
    // EIP-161 touch of the call target: Spurious Dragon … London process_message
    // `touch_account(state, message.current_target)`. From Paris on the spec no longer touches
    // (empty accounts cannot exist, EIP-7523), so a value-0 call reads nothing through it.
    if (m_fork >= Fork::SpuriousDragon && m_fork < Fork::Paris)
        m_state.touch(msg.recipient);
    // generic_call reads the code address's account for `message.code` in every fork
    // (execution-specs `get_account(state, code_address).code`), precompiles included.
    {
        const state::ReadPurpose why{m_state,
            "call target code (prepare_message / generic_call: get_account(code_address).code)"};
        (void)m_state.get(msg.code_address);
    }
    if (msg.kind == CallKind::call || msg.kind == CallKind::callcode)
    {
        if (!msg.value.is_zero() || m_fork < Fork::SpuriousDragon)
        {
            if (msg.kind == CallKind::call)
            {
                m_state.sub_balance(msg.sender, msg.value);
                m_state.add_balance(msg.recipient, msg.value);
                // EIP-7708: a non-zero transfer to another account logs (CALLCODE moves value
                // to itself: no log).
                if (m_transfer_logs && !msg.value.is_zero() && msg.sender != msg.recipient)
                    transfer_log(msg.sender, msg.recipient, msg.value);
            }
        }
    }
    Result r;
    if (m_precompiles.is_active(msg.code_address, m_fork))
        r = call_precompile(msg);
    else
    {
        address code_addr = msg.code_address;
        if (m_fork >= Fork::Prague)
        {
            const bytes_view code = m_state.code(code_addr);
            if (is_delegation(code))
                code_addr = delegation_target(code);
        }
        const bytes_view code = m_state.code(code_addr);
        if (code.empty())
            r = Result{Status::success, msg.gas, 0, {}, {}};
        else
            r = execute_code(msg, analysis_for(code_addr));
    }
    if (r.status != Status::success)
    {
        m_state.revert_to(cp);
        logs.resize(log_mark);
        return_state_gas(msg.depth, state_used_at_start);
        r.gas_refund = 0;
        if (r.status != Status::revert)
            r.gas_left = 0;
    }
    return r;
}

Result Vm::execute_create(const Message& msg)
{
    return create_message(msg, msg.recipient);
}

Result Vm::create_message(const Message& msg, const address& new_addr)
{
    const size_t cp = m_state.checkpoint();
    const size_t log_mark = logs.size();
    const int64_t state_used_at_start = state_gas_used;
    m_state.create_account(new_addr);
    m_state.mark_created(new_addr);
    if (m_fork >= Fork::SpuriousDragon)
        m_state.set_nonce(new_addr, 1);
    m_state.touch(new_addr);
    m_state.sub_balance(msg.sender, msg.value);
    m_state.add_balance(new_addr, msg.value);
    if (m_transfer_logs && !msg.value.is_zero())
        transfer_log(msg.sender, new_addr, msg.value);

    Result r;
    if (msg.input.empty())
        r = Result{Status::success, msg.gas, 0, {}, {}};
    else
    {
        auto analysis = analyze(msg.input, m_costs);
        Message m = msg;
        m.input = {};  // init code runs with empty calldata
        r = execute_code(m, *analysis);
    }
    if (r.status == Status::success)
    {
        Status err = Status::success;
        if (m_state_gas)
        {
            // EIP-8037: the code's bytes are state gas, its hashing (6 per word) regular gas.
            const int64_t hashing = num_words(r.output.size()) * 6;
            if (!r.output.empty() && r.output[0] == 0xef)
                err = Status::contract_validation_failure;
            else if (hashing > r.gas_left)
                err = Status::out_of_gas;
            else if (r.gas_left -= hashing; !charge_state_gas(
                         r.gas_left, static_cast<int64_t>(r.output.size()) * kCostPerStateByte))
                err = Status::out_of_gas;
            else if (r.output.size() > max_code_size(m_fork))
                err = Status::code_size_exceeded;
        }
        else
        {
            const int64_t deposit = static_cast<int64_t>(r.output.size()) * 200;
            if (m_fork >= Fork::London && !r.output.empty() && r.output[0] == 0xef)
                err = Status::contract_validation_failure;
            else if (m_fork >= Fork::SpuriousDragon && r.output.size() > max_code_size(m_fork))
                err = Status::code_size_exceeded;
            else if (deposit > r.gas_left)
            {
                if (m_fork >= Fork::Homestead)
                    err = Status::out_of_gas;
                else
                    r.output.clear();  // Frontier: the contract stays, without code
            }
            else
                r.gas_left -= deposit;
        }
        if (err != Status::success)
            r.status = err;
        else
        {
            m_state.set_code(new_addr, std::move(r.output));
            r.output.clear();
            r.created = new_addr;
        }
    }
    if (r.status != Status::success)
    {
        m_state.revert_to(cp);
        logs.resize(log_mark);
        return_state_gas(msg.depth, state_used_at_start);
        r.gas_refund = 0;
        if (r.status != Status::revert)
        {
            r.gas_left = 0;
            r.output.clear();
        }
    }
    return r;
}
}  // namespace stele::evm

namespace stele::evm
{
namespace
{
// Memory expansion to cover [0, end): the gas left after paying for it, negative (and memory
// unchanged) when it does not cover it. Gas goes by value so that the interpreter's gas
// counter never has its address taken and stays in a register.
[[gnu::noinline]] int64_t grow_memory(bytes& mem, int64_t gas, uint64_t end) noexcept
{
    const int64_t new_words = num_words(end);
    const int64_t old_words = static_cast<int64_t>(mem.size() / 32);
    const int64_t new_cost = new_words * 3 + new_words * new_words / 512;
    const int64_t old_cost = old_words * 3 + old_words * old_words / 512;
    gas -= new_cost - old_cost;
    if (gas >= 0)
        mem.resize(static_cast<size_t>(new_words) * 32);
    return gas;
}

// Validates (offset, size) from the stack and expands memory; size 0 needs no offset.
[[nodiscard]] inline bool check_memory(bytes& mem, int64_t& gas, const uint256& off,
    const uint256& size, uint64_t& o, uint64_t& s) noexcept
{
    if (size.is_zero())
    {
        o = 0;
        s = 0;
        return true;
    }
    constexpr uint64_t kLimit = uint64_t{1} << 32;  // cost would exceed any gas limit
    if (!off.fits_u64() || !size.fits_u64() || off.w[0] >= kLimit || size.w[0] >= kLimit)
        return false;
    o = off.w[0];
    s = size.w[0];
    const uint64_t end = o + s;
    if (end > mem.size())
    {
        gas = grow_memory(mem, gas, end);
        return gas >= 0;
    }
    return true;
}

// Copies src[offset .. offset+size) (zero-padded past the end) to dst.
inline void copy_padded(uint8_t* dst, bytes_view src, const uint256& offset, uint64_t size) noexcept
{
    uint64_t off = offset.fits_u64() ? offset.w[0] : UINT64_MAX;
    uint64_t n = 0;
    if (off < src.size())
    {
        n = std::min<uint64_t>(size, src.size() - off);
        std::memcpy(dst, src.data() + off, n);
    }
    std::memset(dst + n, 0, size - n);
}
}  // namespace

Status Vm::op_create(
    uint8_t op, const Message& msg, Frame& fr, uint256*& sp, int64_t& gas, int64_t& refund)
{
    if (msg.is_static)
        return Status::static_mode_violation;
    const uint256 value = sp[-1], off = sp[-2], size = sp[-3];
    uint256 salt;
    if (op == OP_CREATE2)
        salt = sp[-4];
    sp -= (op == OP_CREATE2 ? 4 : 3);
    uint64_t o, s;
    if (!check_memory(fr.memory, gas, off, size, o, s))
        return Status::out_of_gas;
    if (m_fork >= Fork::Shanghai)
    {
        if (s > max_initcode_size(m_fork))
            return Status::out_of_gas;
        if ((gas -= num_words(s) * 2) < 0)
            return Status::out_of_gas;
    }
    if (op == OP_CREATE2)
        if ((gas -= num_words(s) * 6) < 0)
            return Status::out_of_gas;
    // EIP-8037: the new account's state gas, in this (the creating) frame, so a failing
    // initcode does not give it back.
    if (m_state_gas && !charge_state_gas(gas, kStateGasNewAccount))
        return Status::out_of_gas;
    fr.return_data.clear();
    *sp++ = 0;
    const state::Account& self = m_state.get(msg.recipient);
    if (msg.depth + 1 > kMaxDepth || self.balance < value || self.nonce == UINT64_MAX)
        return Status::success;
    int64_t child_gas = m_fork >= Fork::TangerineWhistle ? gas - gas / 64 : gas;
    gas -= child_gas;
    const bytes init{fr.memory.data() + o, fr.memory.data() + o + s};
    address new_addr;
    if (op == OP_CREATE)
        new_addr = create_address(msg.recipient, self.nonce);
    else
    {
        hash256 salt_h;
        store_be(salt_h.bytes, salt);
        new_addr = create2_address(msg.recipient, salt_h, init);
    }
    m_state.set_nonce(msg.recipient, self.nonce + 1);
    if (m_fork >= Fork::Berlin)
        m_state.access_account(new_addr);
    {
        const state::ReadPurpose why{
            m_state, "creation target (generic_create: account_has_code_or_nonce)"};
        state::Account& target = m_state.get(new_addr);
        bool has_storage = false;
        if (target.exists && !target.storage_cleared && target.nonce == 0 &&
            target.code_hash == state::kEmptyCodeHash)
        {
            // EIP-7610: pre-existing storage also counts as a collision.
            has_storage = m_state.backend().storage_nonempty(new_addr);
        }
        if (target.nonce != 0 || target.code_hash != state::kEmptyCodeHash || has_storage)
            return Status::success;  // collision: the child gas is consumed
    }
    Message child;
    child.kind = op == OP_CREATE ? CallKind::create : CallKind::create2;
    child.depth = msg.depth + 1;
    child.gas = child_gas;
    child.recipient = new_addr;
    child.sender = msg.recipient;
    child.code_address = new_addr;
    child.value = value;
    child.input = init;
    Result r = create_message(child, new_addr);
    gas += r.gas_left;
    if (r.status == Status::success)
    {
        refund += r.gas_refund;
        sp[-1] = addr_to_word(new_addr);
    }
    else if (r.status == Status::revert)
        fr.return_data = std::move(r.output);
    return Status::success;
}

Status Vm::op_call(
    uint8_t op, const Message& msg, Frame& fr, uint256*& sp, int64_t& gas, int64_t& refund)
{
    const bool has_value = op == OP_CALL || op == OP_CALLCODE;
    const uint256 req_gas = sp[-1];
    const address to = word_to_addr(sp[-2]);
    const uint256 value = has_value ? sp[-3] : uint256{};
    const int a = has_value ? 4 : 3;
    const uint256 in_off = sp[-a], in_size = sp[-a - 1], out_off = sp[-a - 2],
                  out_size = sp[-a - 3];
    sp -= has_value ? 7 : 6;
    if (m_fork >= Fork::Berlin && m_state.access_account(to))
        if ((gas -= kColdAccountExtra) < 0)
            return Status::out_of_gas;
    uint64_t io, is, oo, os;
    if (!check_memory(fr.memory, gas, in_off, in_size, io, is) ||
        !check_memory(fr.memory, gas, out_off, out_size, oo, os))
        return Status::out_of_gas;
    address code_addr = to;
    int64_t extra = 0;
    bool new_account_state_gas = false;  // EIP-8037: a value call creating an account
    if (m_fork >= Fork::Prague)
    {
        const state::ReadPurpose why{
            m_state, "call target code (access_delegation: get_account(state, address).code)"};
        const bytes_view c = m_state.code(to);
        if (is_delegation(c))
        {
            code_addr = delegation_target(c);
            extra += m_state.access_account(code_addr) ? kColdAccountCost : kWarmAccessCost;
            // access_delegation reads the delegate's code here, before any balance or depth
            // check can stop the call.
            const state::ReadPurpose why_target{
                m_state, "delegate code (access_delegation: get_account(state, delegate).code)"};
            (void)m_state.code(code_addr);
        }
    }
    if (!value.is_zero())
    {
        if (op == OP_CALL && msg.is_static)
            return Status::static_mode_violation;
        extra += 9000;
    }
    if (op == OP_CALL)
    {
        const bool new_account = m_fork >= Fork::SpuriousDragon
                                     ? (!value.is_zero() && m_state.is_dead(to))
                                     : !m_state.exists(to);
        if (new_account && !m_state_gas)
            extra += 25000;
        new_account_state_gas = new_account && m_state_gas;
    }
    if ((gas -= extra) < 0)
        return Status::out_of_gas;
    int64_t child_gas;
    if (m_fork >= Fork::TangerineWhistle)
    {
        const int64_t cap = gas - gas / 64;
        child_gas = (req_gas.fits_u64() && req_gas.w[0] < static_cast<uint64_t>(cap))
                        ? static_cast<int64_t>(req_gas.w[0])
                        : cap;
    }
    else
    {
        if (!req_gas.fits_u64() || req_gas.w[0] > static_cast<uint64_t>(gas))
            return Status::out_of_gas;
        child_gas = static_cast<int64_t>(req_gas.w[0]);
    }
    gas -= child_gas;
    if (new_account_state_gas && !charge_state_gas(gas, kStateGasNewAccount))
        return Status::out_of_gas;
    if (!value.is_zero())
        child_gas += 2300;
    fr.return_data.clear();
    *sp++ = 0;
    if (msg.depth + 1 > kMaxDepth || (has_value && m_state.get(msg.recipient).balance < value))
    {
        gas += child_gas;
        return Status::success;
    }
    Message child;
    child.depth = msg.depth + 1;
    child.gas = child_gas;
    child.input = bytes_view{fr.memory.data() + io, is};
    child.code_address = to;
    switch (op)
    {
        case OP_CALL:
            child.kind = CallKind::call;
            child.is_static = msg.is_static;
            child.recipient = to;
            child.sender = msg.recipient;
            child.value = value;
            break;
        case OP_CALLCODE:
            child.kind = CallKind::callcode;
            child.is_static = msg.is_static;
            child.recipient = msg.recipient;
            child.sender = msg.recipient;
            child.value = value;
            break;
        case OP_DELEGATECALL:
            child.kind = CallKind::delegatecall;
            child.is_static = msg.is_static;
            child.recipient = msg.recipient;
            child.sender = msg.sender;
            child.value = msg.value;
            break;
        default:
            child.kind = CallKind::staticcall;
            child.is_static = true;
            child.recipient = to;
            child.sender = msg.recipient;
            break;
    }
    // The input view points into this frame's memory, which the child does not touch.
    Result r = execute(child);
    gas += r.gas_left;
    if (r.status == Status::success)
    {
        refund += r.gas_refund;
        sp[-1] = 1;
    }
    if (const uint64_t n = std::min<uint64_t>(os, r.output.size()); n != 0)
        std::memcpy(fr.memory.data() + oo, r.output.data(), n);
    fr.return_data = std::move(r.output);
    return Status::success;
}

namespace
{
// A segment whose start check failed: which exceptional halt the instruction-by-instruction
// order meets first (the status is only reported, every exceptional halt ends the same way).
[[gnu::cold, gnu::noinline]] Status segment_failure(
    const uint8_t* pc, const int16_t* costs, long height, int64_t gas) noexcept
{
    for (;;)
    {
        const uint8_t op = *pc;
        const int16_t cost = costs[op];
        if (cost < 0)
            return Status::invalid_instruction;
        const auto st = kStack[op];
        if (height < st.required)
            return Status::stack_underflow;
        if (height + st.change > 1024)
            return Status::stack_overflow;
        gas -= cost;
        if (gas < 0)
            return Status::out_of_gas;
        height += st.change;
        if (kEndsSegment[op])
            return Status::out_of_gas;
        pc += (op >= OP_PUSH1 && op <= OP_PUSH32)                      ? op - OP_PUSH1 + 2
              : (op == OP_DUPN || op == OP_SWAPN || op == OP_EXCHANGE) ? 2
                                                                       : 1;
    }
}
}  // namespace

Result Vm::execute_code(const Message& msg, const CodeAnalysis& code)
{
    Frame& fr = frame(msg.depth);
    fr.memory.clear();
    fr.return_data.clear();
    bytes& mem = fr.memory;
    uint256* const stack_base = fr.stack.get();
    uint256* sp = stack_base;  // one past the top
    int64_t gas = msg.gas;
    int64_t refund = 0;
    const uint8_t* const code_begin = code.padded.data();
    const uint8_t* pc = code_begin;
    const bool berlin = m_fork >= Fork::Berlin;
    Status status = Status::success;
    Result res;
    state::Account* self_account = nullptr;  // stable for the State's lifetime

#define FAIL(s)       \
    do                \
    {                 \
        status = (s); \
        goto done;    \
    } while (0)
#define CHARGE(c)                     \
    do                                \
    {                                 \
        gas -= (c);                   \
        if (gas < 0)                  \
            FAIL(Status::out_of_gas); \
    } while (0)
// EIP-8037 state gas, through a copy: the gas counter never has its address taken.
#define PAY_STATE_GAS(amount)                                \
    do                                                       \
    {                                                        \
        int64_t gas_ = gas;                                  \
        const bool paid_ = charge_state_gas(gas_, (amount)); \
        gas = gas_;                                          \
        if (!paid_)                                          \
            FAIL(Status::out_of_gas);                        \
    } while (0)
// An out-of-line instruction body that may move sp and gas, through copies (sp_, gas_): the
// counters themselves never have their address taken, so they stay in registers.
#define CALL_OUT(call)              \
    do                              \
    {                               \
        uint256* sp_ = sp;          \
        int64_t gas_ = gas;         \
        const Status st_ = (call);  \
        sp = sp_;                   \
        gas = gas_;                 \
        if (st_ != Status::success) \
            FAIL(st_);              \
        SEGMENT_END();              \
    } while (0)
#define TOP sp[-1]
#define POP() (*--sp)

    // Gas and stack are checked once per segment (CodeAnalysis::segments): at the start, at
    // each JUMPDEST, and after each instruction that ends one (SEGMENT_END).
#define CHECK_SEGMENT()                                                            \
    do                                                                             \
    {                                                                              \
        const Segment& seg_ = code.segments[static_cast<size_t>(pc - code_begin)]; \
        const long height_ = sp - stack_base;                                      \
        if (gas < static_cast<int64_t>(seg_.gas) || height_ < seg_.required ||     \
            height_ + seg_.growth > 1024)                                          \
            FAIL(segment_failure(pc, m_costs, height_, gas));                      \
        gas -= seg_.gas;                                                           \
    } while (0)
#define SEGMENT_END()      \
    do                     \
    {                      \
        ++pc;              \
        goto next_segment; \
    } while (0)

next_segment:
    CHECK_SEGMENT();
    for (;;)
    {
        const uint8_t op = *pc;
        switch (op)
        {
            case OP_STOP:
                goto done;
            case OP_ADD:
                sp[-2] = sp[-1] + sp[-2];
                --sp;
                break;
            case OP_MUL:
                sp[-2] = sp[-1] * sp[-2];
                --sp;
                break;
            case OP_SUB:
                sp[-2] = sp[-1] - sp[-2];
                --sp;
                break;
            case OP_DIV:
                sp[-2] = udivrem(sp[-1], sp[-2]).quot;
                --sp;
                break;
            case OP_SDIV:
                sp[-2] = sdivrem(sp[-1], sp[-2]).quot;
                --sp;
                break;
            case OP_MOD:
                sp[-2] = udivrem(sp[-1], sp[-2]).rem;
                --sp;
                break;
            case OP_SMOD:
                sp[-2] = sdivrem(sp[-1], sp[-2]).rem;
                --sp;
                break;
            case OP_ADDMOD:
                sp[-3] = addmod(sp[-1], sp[-2], sp[-3]);
                sp -= 2;
                break;
            case OP_MULMOD:
                sp[-3] = mulmod(sp[-1], sp[-2], sp[-3]);
                sp -= 2;
                break;
            case OP_EXP:
            {
                const uint256& e = sp[-2];
                CHARGE(static_cast<int64_t>(count_significant_bytes(e)) *
                       (m_fork >= Fork::SpuriousDragon ? 50 : 10));
                sp[-2] = exp(sp[-1], e);
                --sp;
                break;
            }
            case OP_SIGNEXTEND:
                sp[-2] = signextend(sp[-1], sp[-2]);
                --sp;
                break;
            case OP_LT:
                sp[-2] = uint256{sp[-1] < sp[-2] ? 1u : 0u};
                --sp;
                break;
            case OP_GT:
                sp[-2] = uint256{sp[-2] < sp[-1] ? 1u : 0u};
                --sp;
                break;
            case OP_SLT:
                sp[-2] = uint256{slt(sp[-1], sp[-2]) ? 1u : 0u};
                --sp;
                break;
            case OP_SGT:
                sp[-2] = uint256{slt(sp[-2], sp[-1]) ? 1u : 0u};
                --sp;
                break;
            case OP_EQ:
                sp[-2] = uint256{sp[-1] == sp[-2] ? 1u : 0u};
                --sp;
                break;
            case OP_ISZERO:
                TOP = uint256{TOP.is_zero() ? 1u : 0u};
                break;
            case OP_AND:
                sp[-2] = sp[-1] & sp[-2];
                --sp;
                break;
            case OP_OR:
                sp[-2] = sp[-1] | sp[-2];
                --sp;
                break;
            case OP_XOR:
                sp[-2] = sp[-1] ^ sp[-2];
                --sp;
                break;
            case OP_NOT:
                TOP = ~TOP;
                break;
            case OP_BYTE:
                sp[-2] = byte_at(sp[-1], sp[-2]);
                --sp;
                break;
            case OP_SHL:
                sp[-2] = shl(sp[-2], sp[-1]);
                --sp;
                break;
            case OP_SHR:
                sp[-2] = shr(sp[-2], sp[-1]);
                --sp;
                break;
            case OP_SAR:
                sp[-2] = sar(sp[-2], sp[-1]);
                --sp;
                break;
            case OP_CLZ:
                TOP = uint256{clz(TOP)};
                break;
            case OP_KECCAK256:
            {
                uint64_t o, s;
                if (!check_memory(mem, gas, sp[-1], sp[-2], o, s))
                    FAIL(Status::out_of_gas);
                CHARGE(num_words(s) * 6);
                const hash256 h = keccak256({mem.data() + o, s});
                sp[-2] = hash_to_word(h);
                --sp;
                break;
            }
            case OP_ADDRESS:
                *sp++ = addr_to_word(msg.recipient);
                break;
            case OP_BALANCE:
            {
                const address a = word_to_addr(TOP);
                if (berlin && m_state.access_account(a))
                    CHARGE(kColdAccountExtra);
                TOP = m_state.get(a).balance;
                SEGMENT_END();
            }
            case OP_ORIGIN:
                *sp++ = addr_to_word(tx.origin);
                break;
            case OP_CALLER:
                *sp++ = addr_to_word(msg.sender);
                break;
            case OP_CALLVALUE:
                *sp++ = msg.value;
                break;
            case OP_CALLDATALOAD:
            {
                uint8_t buf[32];
                copy_padded(buf, msg.input, TOP, 32);
                TOP = load_be(buf);
                break;
            }
            case OP_CALLDATASIZE:
                *sp++ = uint256{msg.input.size()};
                break;
            case OP_CALLDATACOPY:
            case OP_CODECOPY:
            case OP_RETURNDATACOPY:
            {
                const uint256 dst = sp[-1], src = sp[-2], size = sp[-3];
                sp -= 3;
                uint64_t o, s;
                if (!check_memory(mem, gas, dst, size, o, s))
                    FAIL(Status::out_of_gas);
                CHARGE(num_words(s) * 3);
                if (op == OP_RETURNDATACOPY)
                {
                    const bytes& rd = fr.return_data;
                    if (!src.fits_u64() || !size.fits_u64() || src.w[0] > rd.size() ||
                        size.w[0] > rd.size() - src.w[0])
                        FAIL(Status::invalid_memory_access);
                    if (s)
                        std::memcpy(mem.data() + o, rd.data() + src.w[0], s);
                }
                else if (s)
                {
                    const bytes_view from =
                        op == OP_CALLDATACOPY ? msg.input : bytes_view{code_begin, code.size};
                    copy_padded(mem.data() + o, from, src, s);
                }
                break;
            }
            case OP_CODESIZE:
                *sp++ = uint256{code.size};
                break;
            case OP_GASPRICE:
                *sp++ = tx.gas_price;
                break;
            case OP_EXTCODESIZE:
            {
                const address a = word_to_addr(TOP);
                if (berlin && m_state.access_account(a))
                    CHARGE(kColdAccountExtra);
                TOP = uint256{m_state.code(a).size()};
                SEGMENT_END();
            }
            case OP_EXTCODECOPY:
            {
                const address a = word_to_addr(sp[-1]);
                const uint256 dst = sp[-2], src = sp[-3], size = sp[-4];
                sp -= 4;
                uint64_t o, s;
                if (!check_memory(mem, gas, dst, size, o, s))
                    FAIL(Status::out_of_gas);
                CHARGE(num_words(s) * 3);
                if (berlin && m_state.access_account(a))
                    CHARGE(kColdAccountExtra);
                // execution-specs extcodecopy reads the code before looking at the size: a
                // zero-byte copy still reads the account and its code (witness, EIP-7928).
                const bytes_view ext = m_state.code(a);
                if (s)
                    copy_padded(mem.data() + o, ext, src, s);
                SEGMENT_END();
            }
            case OP_RETURNDATASIZE:
                *sp++ = uint256{fr.return_data.size()};
                break;
            case OP_EXTCODEHASH:
            {
                const address a = word_to_addr(TOP);
                if (berlin && m_state.access_account(a))
                    CHARGE(kColdAccountExtra);
                const state::Account& acc = m_state.get(a);
                if (!acc.exists || (m_fork >= Fork::SpuriousDragon && acc.is_empty()))
                    TOP = 0;
                else
                    TOP = hash_to_word(acc.code_hash);
                SEGMENT_END();
            }
            case OP_BLOCKHASH:
            {
                const uint256 n = TOP;
                const uint64_t cur = m_block.number;
                hash256 h;
                if (n.fits_u64() && n.w[0] < cur && cur - n.w[0] <= 256 && m_block.block_hash)
                    h = m_block.block_hash(m_block.block_hash_ctx, n.w[0]);
                TOP = hash_to_word(h);
                SEGMENT_END();
            }
            case OP_COINBASE:
                *sp++ = addr_to_word(m_block.coinbase);
                break;
            case OP_TIMESTAMP:
                *sp++ = uint256{m_block.timestamp};
                break;
            case OP_NUMBER:
                *sp++ = uint256{m_block.number};
                break;
            case OP_PREVRANDAO:
                *sp++ = m_block.difficulty;
                break;
            case OP_GASLIMIT:
                *sp++ = uint256{m_block.gas_limit};
                break;
            case OP_CHAINID:
                *sp++ = m_block.chain_id;
                break;
            case OP_SELFBALANCE:
                if (!self_account)
                    self_account = &m_state.get(msg.recipient);
                *sp++ = self_account->balance;
                SEGMENT_END();
            case OP_BASEFEE:
                *sp++ = m_block.base_fee;
                break;
            case OP_BLOBHASH:
            {
                const uint256 i = TOP;
                TOP = (i.fits_u64() && i.w[0] < tx.blob_hashes.size())
                          ? hash_to_word(tx.blob_hashes[i.w[0]])
                          : uint256{};
                break;
            }
            case OP_BLOBBASEFEE:
                *sp++ = m_block.blob_base_fee;
                break;
            case OP_SLOTNUM:
                *sp++ = uint256{m_block.slot_number};
                break;
            case OP_POP:
                --sp;
                break;
            case OP_MLOAD:
            {
                uint64_t o, s;
                if (!check_memory(mem, gas, TOP, 32, o, s))
                    FAIL(Status::out_of_gas);
                TOP = load_be(mem.data() + o);
                break;
            }
            case OP_MSTORE:
            {
                uint64_t o, s;
                if (!check_memory(mem, gas, sp[-1], 32, o, s))
                    FAIL(Status::out_of_gas);
                store_be(mem.data() + o, sp[-2]);
                sp -= 2;
                break;
            }
            case OP_MSTORE8:
            {
                uint64_t o, s;
                if (!check_memory(mem, gas, sp[-1], 1, o, s))
                    FAIL(Status::out_of_gas);
                mem[o] = static_cast<uint8_t>(sp[-2].w[0]);
                sp -= 2;
                break;
            }
            case OP_SLOAD:
            {
                if (berlin && m_state.access_storage(msg.recipient, TOP))
                    CHARGE(kColdSloadExtra);
                TOP = m_state.get_storage(msg.recipient, TOP);
                SEGMENT_END();
            }
            case OP_SSTORE:
            {
                if (msg.is_static)
                    FAIL(Status::static_mode_violation);
                if (m_fork >= Fork::Istanbul && gas <= 2300)
                    FAIL(Status::out_of_gas);
                const uint256 key = sp[-1], value = sp[-2];
                sp -= 2;
                int64_t c = 0;
                if (berlin && m_state.access_storage(msg.recipient, key))
                    c += 2100;
                const state::StorageSlot& slot = m_state.slot(msg.recipient, key);
                const uint256 current = slot.current, original = slot.original;
                bool new_slot = false;
                if (m_fork >= Fork::Istanbul)
                {
                    const int64_t sload = berlin ? 100 : 800;
                    const int64_t reset = berlin ? 2900 : 5000;
                    const int64_t clear = m_fork >= Fork::London ? 4800 : 15000;
                    // EIP-8037: a new slot is 2900 regular plus its state gas.
                    const int64_t set = m_state_gas ? 2900 : 20000;
                    const int64_t set_refund =
                        m_state_gas ? kStateGasStorageSet + 2900 - sload : 20000 - sload;
                    if (current == value)
                        c += sload;
                    else if (original == current)
                    {
                        if (original.is_zero())
                        {
                            c += set;
                            new_slot = m_state_gas;
                        }
                        else
                        {
                            c += reset;
                            if (value.is_zero())
                                refund += clear;
                        }
                    }
                    else
                    {
                        c += sload;
                        if (!original.is_zero())
                        {
                            if (current.is_zero())
                                refund -= clear;
                            if (value.is_zero())
                                refund += clear;
                        }
                        if (original == value)
                            refund += original.is_zero() ? set_refund : reset - sload;
                    }
                }
                else
                {
                    c += (current.is_zero() && !value.is_zero()) ? 20000 : 5000;
                    if (!current.is_zero() && value.is_zero())
                        refund += 15000;
                }
                CHARGE(c);
                if (new_slot)
                    PAY_STATE_GAS(kStateGasStorageSet);
                if (!(current == value))
                    m_state.set_storage(msg.recipient, key, value);
                SEGMENT_END();
            }
            case OP_JUMP:
            {
                const uint256 dst = POP();
                if (!dst.fits_u64() || !code.is_jumpdest(dst.w[0]))
                    FAIL(Status::bad_jump_destination);
                pc = code_begin + dst.w[0];
                goto next_segment;
            }
            case OP_JUMPI:
            {
                const uint256 dst = sp[-1], cond = sp[-2];
                sp -= 2;
                if (!cond.is_zero())
                {
                    if (!dst.fits_u64() || !code.is_jumpdest(dst.w[0]))
                        FAIL(Status::bad_jump_destination);
                    pc = code_begin + dst.w[0];
                    goto next_segment;
                }
                SEGMENT_END();
            }
            case OP_PC:
                *sp++ = uint256{static_cast<uint64_t>(pc - code_begin)};
                break;
            case OP_MSIZE:
                *sp++ = uint256{mem.size()};
                break;
            case OP_GAS:
                *sp++ = uint256{static_cast<uint64_t>(
                    gas + code.segments[static_cast<size_t>(pc - code_begin)].tail)};
                break;
            case OP_JUMPDEST:
                break;
            case OP_TLOAD:
                TOP = m_state.get_transient(msg.recipient, TOP);
                break;
            case OP_TSTORE:
                if (msg.is_static)
                    FAIL(Status::static_mode_violation);
                m_state.set_transient(msg.recipient, sp[-1], sp[-2]);
                sp -= 2;
                break;
            case OP_MCOPY:
            {
                const uint256 dst = sp[-1], src = sp[-2], size = sp[-3];
                sp -= 3;
                uint64_t o, s, o2, s2;
                if (!check_memory(mem, gas, src, size, o2, s2) ||
                    !check_memory(mem, gas, dst, size, o, s))
                    FAIL(Status::out_of_gas);
                CHARGE(num_words(s) * 3);
                if (s)
                    std::memmove(mem.data() + o, mem.data() + o2, s);
                break;
            }
            case OP_PUSH0:
                *sp++ = 0;
                break;
            // Two cases, not one with a choice of callee: merged, GCC spilled the loop's
            // registers (+24 % cycles on the selfbalance benchmark block).
            case OP_CREATE:
            case OP_CREATE2:
                CALL_OUT(op_create(op, msg, fr, sp_, gas_, refund));
            case OP_CALL:
            case OP_CALLCODE:
            case OP_DELEGATECALL:
            case OP_STATICCALL:
                CALL_OUT(op_call(op, msg, fr, sp_, gas_, refund));
            case OP_RETURN:
            case OP_REVERT:
            {
                uint64_t o, s;
                if (!check_memory(mem, gas, sp[-1], sp[-2], o, s))
                    FAIL(Status::out_of_gas);
                res.output.assign(mem.data() + o, mem.data() + o + s);
                if (op == OP_REVERT)
                    status = Status::revert;
                goto done;
            }
            case OP_SELFDESTRUCT:
            {
                if (msg.is_static)
                    FAIL(Status::static_mode_violation);
                const address beneficiary = word_to_addr(POP());
                int64_t c = 0;
                bool new_account = false;  // EIP-8037: charged as state gas
                if (berlin && m_state.access_account(beneficiary))
                    c += kColdAccountCost;
                const uint256 balance = m_state.get(msg.recipient).balance;
                if (m_fork >= Fork::SpuriousDragon)
                {
                    // `not is_account_alive(state, beneficiary) and balance != 0`: the spec
                    // reads the beneficiary first, before charging, whatever the balance.
                    const bool dead = m_state.is_dead(beneficiary);
                    if (dead && !balance.is_zero())
                    {
                        if (m_state_gas)
                            new_account = true;
                        else
                            c += 25000;
                    }
                }
                else if (m_fork >= Fork::TangerineWhistle && !m_state.exists(beneficiary))
                    c += 25000;
                CHARGE(c);
                if (new_account)
                    PAY_STATE_GAS(kStateGasNewAccount);
                if (m_fork < Fork::London && !m_state.get(msg.recipient).destructed)
                    refund += 24000;
                if (m_fork >= Fork::Cancun)
                {
                    m_state.sub_balance(msg.recipient, balance);
                    m_state.add_balance(beneficiary, balance);
                    // EIP-7708: a transfer to another account logs; a same-transaction
                    // contract sending to itself burns (and logs that).
                    if (m_transfer_logs && !balance.is_zero())
                    {
                        if (beneficiary != msg.recipient)
                            transfer_log(msg.recipient, beneficiary, balance);
                        else if (m_state.get(msg.recipient).created)
                            burn_log(msg.recipient, balance);
                    }
                    if (m_state.get(msg.recipient).created)
                    {
                        m_state.set_balance(msg.recipient, 0);
                        m_state.mark_destructed(msg.recipient);
                    }
                }
                else
                {
                    m_state.add_balance(beneficiary, balance);
                    m_state.set_balance(msg.recipient, 0);
                    m_state.mark_destructed(msg.recipient);
                }
                goto done;
            }
            case OP_PUSH1:
                *sp++ = uint256{pc[1]};
                pc += 2;
                continue;
            case OP_PUSH1 + 1 ... OP_PUSH32:
            {
                const size_t n = static_cast<size_t>(op - OP_PUSH1 + 1);
                *sp++ = load_be(pc + 1, n);
                pc += n + 1;
                continue;
            }
            case OP_DUP1 ... OP_DUP16:
            {
                const int n = op - OP_DUP1 + 1;
                *sp = sp[-n];
                ++sp;
                break;
            }
            case OP_DUPN:
            case OP_SWAPN:
            {
                // EIP-8024 decode_single: 91..127 are invalid (so no immediate is a JUMPDEST
                // or PUSH byte), else n = (x + 145) mod 256, 17..235. Past the end reads 0.
                const unsigned x = pc[1];
                if (x >= 91 && x <= 127)
                    FAIL(Status::invalid_instruction);
                const long n = static_cast<long>((x + 145) % 256);
                if (op == OP_DUPN)
                {
                    if (sp - stack_base < n)
                        FAIL(Status::stack_underflow);
                    *sp = sp[-n];
                    ++sp;
                }
                else
                {
                    if (sp - stack_base < n + 1)
                        FAIL(Status::stack_underflow);
                    std::swap(sp[-1], sp[-1 - n]);
                }
                pc += 2;
                continue;
            }
            case OP_EXCHANGE:
            {
                // EIP-8024 decode_pair: 82..127 invalid; k = x ^ 143, q, r = divmod(k, 16);
                // (n, m) = (q + 1, r + 1) if q < r else (r + 1, 29 - q).
                const unsigned x = pc[1];
                if (x >= 82 && x <= 127)
                    FAIL(Status::invalid_instruction);
                const unsigned k = x ^ 143u, q = k / 16, r = k % 16;
                const long n = q < r ? q + 1 : r + 1;
                const long m = q < r ? r + 1 : 29 - static_cast<long>(q);
                if (sp - stack_base < std::max(n, m) + 1)
                    FAIL(Status::stack_underflow);
                std::swap(sp[-1 - n], sp[-1 - m]);
                pc += 2;
                continue;
            }
            case OP_SWAP1 ... OP_SWAP16:
            {
                const int n = op - OP_SWAP1 + 1;
                std::swap(sp[-1], sp[-1 - n]);
                break;
            }
            case OP_LOG0 ... OP_LOG4:
            {
                if (msg.is_static)
                    FAIL(Status::static_mode_violation);
                const int n = op - OP_LOG0;
                uint64_t o, s;
                if (!check_memory(mem, gas, sp[-1], sp[-2], o, s))
                    FAIL(Status::out_of_gas);
                if (s > static_cast<uint64_t>(INT64_MAX / 8))
                    FAIL(Status::out_of_gas);
                CHARGE(static_cast<int64_t>(s) * 8);
                Log log;
                log.addr = msg.recipient;
                for (int i = 0; i < n; ++i)
                {
                    hash256 t;
                    store_be(t.bytes, sp[-3 - i]);
                    log.topics.push_back(t);
                }
                log.data.assign(mem.data() + o, mem.data() + o + s);
                sp -= n + 2;
                logs.push_back(std::move(log));
                break;
            }
            default:
                FAIL(Status::invalid_instruction);
        }
        ++pc;
    }

done:
#undef FAIL
#undef CHARGE
#undef CHECK_SEGMENT
#undef SEGMENT_END
#undef PAY_STATE_GAS
#undef CALL_OUT
#undef TOP
#undef POP
    res.status = status;
    res.gas_left = (status == Status::success || status == Status::revert) ? gas : 0;
    res.gas_refund = status == Status::success ? refund : 0;
    return res;
}
}  // namespace stele::evm
