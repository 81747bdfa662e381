#include "block.hpp"

#include <algorithm>

#include "../core/keccak.hpp"
#include "../core/profile.hpp"
#include "../crypto/sha256.hpp"
#include "../trie/trie.hpp"

namespace stele::chain
{
namespace
{
using evm::Vm;
using state::State;

constexpr uint64_t kGasPerBlob = uint64_t{1} << 17;
constexpr uint64_t kBlobBaseCost = uint64_t{1} << 13;                      // EIP-7918
constexpr uint64_t kMaxBlobsPerTx = 6;                                     // EIP-7594
constexpr uint64_t kTxGasCap = uint64_t{1} << 24;                          // EIP-7825
constexpr uint64_t kMaxRlpBlockSize = 10 * 1024 * 1024 - 2 * 1024 * 1024;  // EIP-7934
constexpr int64_t kSystemCallGas = 30'000'000;
// EIP-7928: a block's access list holds at most gas_limit / this many items (addresses + slots).
constexpr uint64_t kBalItemCost = 2000;

constexpr address make_address(std::initializer_list<uint8_t> tail_hex20)
{
    address a;
    size_t i = 0;
    for (uint8_t b : tail_hex20)
        a.bytes[i++] = b;
    return a;
}
constexpr address kSystemAddress = make_address({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe});
constexpr address kBeaconRoots = make_address({0x00, 0x0F, 0x3d, 0xf6, 0xD7, 0x32, 0x80, 0x7E, 0xf1,
    0x31, 0x9f, 0xB7, 0xB8, 0xbB, 0x85, 0x22, 0xd0, 0xBe, 0xac, 0x02});
constexpr address kHistoryStorage = make_address({0x00, 0x00, 0xF9, 0x08, 0x27, 0xF1, 0xC5, 0x3a,
    0x10, 0xcb, 0x7A, 0x02, 0x33, 0x5B, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35});
constexpr address kWithdrawalRequests = make_address({0x00, 0x00, 0x09, 0x61, 0xEf, 0x48, 0x0E,
    0xb5, 0x5e, 0x80, 0xD1, 0x9a, 0xd8, 0x35, 0x79, 0xA6, 0x4c, 0x00, 0x70, 0x02});
constexpr address kConsolidationRequests = make_address({0x00, 0x00, 0xBB, 0xdD, 0xc7, 0xCE, 0x48,
    0x86, 0x42, 0xfb, 0x57, 0x9F, 0x8B, 0x00, 0xf3, 0xa5, 0x90, 0x00, 0x72, 0x51});
constexpr uint8_t kDepositTopic[32] = {0x64, 0x9b, 0xbc, 0x62, 0xd0, 0xe3, 0x13, 0x42, 0xaf, 0xea,
    0x4e, 0x5c, 0xd8, 0x2d, 0x40, 0x49, 0xe7, 0xe1, 0xee, 0x91, 0x2f, 0xc0, 0x88, 0x9a, 0xa7, 0x90,
    0x80, 0x3b, 0xe3, 0x90, 0x38, 0xc5};

// secp256k1 group order n and n/2.
constexpr uint256 kSecpN{
    0xBFD25E8CD0364141ull, 0xBAAEDCE6AF48A03Bull, 0xFFFFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFFFFFull};
constexpr uint256 kSecpHalfN{
    0xDFE92F46681B20A0ull, 0x5D576E7357A4501Dull, 0xFFFFFFFFFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull};

bool signature_values_ok(const uint256& r, const uint256& s, bool homestead) noexcept
{
    if (r.is_zero() || s.is_zero() || !(r < kSecpN) || !(s < kSecpN))
        return false;
    return !homestead || s <= kSecpHalfN;
}

constexpr uint256 kGwei{1'000'000'000};

// a * b, or nullopt on 256-bit overflow.
std::optional<uint256> checked_mul(const uint256& a, const uint256& b) noexcept
{
    const uint512 p = umul(a, b);
    if ((p.w[4] | p.w[5] | p.w[6] | p.w[7]) != 0)
        return std::nullopt;
    return uint256{p.w[0], p.w[1], p.w[2], p.w[3]};
}

std::optional<uint256> checked_add(const uint256& a, const uint256& b) noexcept
{
    bool carry = false;
    const uint256 r = add_with_carry(a, b, carry);
    if (carry)
        return std::nullopt;
    return r;
}

uint256 fake_exponential(uint64_t factor, uint64_t numerator, uint64_t denominator) noexcept
{
    if (denominator == 0)
        return uint256{factor};
    uint256 output;
    uint256 acc = uint256{factor} * uint256{denominator};
    for (uint64_t i = 1; !acc.is_zero(); ++i)
    {
        output = output + acc;
        acc = (acc * uint256{numerator}) / (uint256{denominator} * uint256{i});
    }
    return output / uint256{denominator};
}

struct IntrinsicGas
{
    int64_t gas = 0;    // regular gas
    int64_t state = 0;  // EIP-8037 state gas
    int64_t floor = 0;
};

IntrinsicGas intrinsic_gas(const Transaction& tx, Fork fork) noexcept
{
    int64_t zeros = 0, nonzeros = 0;
    for (uint8_t b : tx.data)
        (b == 0 ? zeros : nonzeros) += 1;
    IntrinsicGas g;
    g.gas = 21000 + zeros * 4 + nonzeros * (fork >= Fork::Istanbul ? 16 : 68);
    // EIP-8037: the state a creation or an authorization adds is state gas; the regular parts
    // shrink to 9000 (create) and 7500 (authorization).
    const bool state_gas = has_eip(fork, Eip::state_creation_gas_8037);
    if (!tx.to)
    {
        if (state_gas)
        {
            g.gas += 9000;
            g.state += evm::kStateGasNewAccount;
        }
        else if (fork >= Fork::Homestead)
            g.gas += 32000;
        if (fork >= Fork::Shanghai)
            g.gas += 2 * static_cast<int64_t>((tx.data.size() + 31) / 32);
    }
    for (const auto& e : tx.access_list)
        g.gas += 2400 + 1900 * static_cast<int64_t>(e.keys.size());
    const auto auths = static_cast<int64_t>(tx.authorizations.size());
    if (state_gas)
    {
        g.gas += 7500 * auths;
        g.state += (evm::kStateGasNewAccount + evm::kStateGasAuthBase) * auths;
    }
    else
        g.gas += 25000 * auths;
    if (fork >= Fork::Prague)
        g.floor = 21000 + 10 * (zeros + 4 * nonzeros);
    return g;
}

Fork fork_of(const ChainConfig& c, const BlockHeader& h) noexcept
{
    return c.rules_at(h.number, h.timestamp).fork;
}

struct BlockHashCtx
{
    const BlockEnv* env;
    const BlockHeader* parent;
};
}  // namespace

ChainConfig::ChainConfig()
{
    // The mainnet deposit contract (EIP-6110), 0x00000000219ab540356cBB839Cbe05303d7705Fa.
    constexpr uint8_t dc[20] = {0x00, 0x00, 0x00, 0x00, 0x21, 0x9a, 0xb5, 0x40, 0x35, 0x6c, 0xBB,
        0x83, 0x9C, 0xbe, 0x05, 0x30, 0x3d, 0x77, 0x05, 0xFa};
    std::memcpy(deposit_contract.bytes, dc, 20);
}

const ForkActivation& ChainConfig::rules_at(uint64_t number, uint64_t timestamp) const noexcept
{
    const ForkActivation* best = &schedule.front();
    for (const auto& a : schedule)
        if ((a.by_timestamp ? timestamp : number) >= a.at)
            best = &a;
    return *best;
}

uint256 blob_base_fee(uint64_t excess_blob_gas, const BlobParams& p) noexcept
{
    return fake_exponential(1, excess_blob_gas, p.update_fraction);
}

uint64_t expected_excess_blob_gas(
    const BlockHeader& parent, const BlobParams& p, Fork fork) noexcept
{
    const uint64_t excess = parent.excess_blob_gas.value_or(0);
    const uint64_t used = parent.blob_gas_used.value_or(0);
    const uint64_t target = p.target * kGasPerBlob;
    if (excess + used < target)
        return 0;
    if (fork >= Fork::Osaka && parent.base_fee)
    {
        const uint256 reserve = uint256{kBlobBaseCost} * uint256{*parent.base_fee};
        if (reserve > uint256{kGasPerBlob} * blob_base_fee(excess, p))
            return excess + used * (p.max - p.target) / p.max;
    }
    return excess + used - target;
}

namespace
{
// The proof-of-work difficulty rule of each pre-merge fork (Yellow Paper eq. 41-46, EIP-2,
// EIP-100, and the bomb delays of EIP-649/1234/2384/3554).
uint256 expected_difficulty(Fork fork, const BlockHeader& parent, const BlockHeader& h)
{
    const uint256 pd = parent.difficulty;
    const uint256 step = pd / 2048;
    const uint64_t dt = h.timestamp - parent.timestamp;
    uint256 d;
    if (fork < Fork::Homestead)
        d = dt < 13 ? pd + step : pd - step;
    else
    {
        int64_t factor;
        if (fork < Fork::Byzantium)
            factor = 1 - static_cast<int64_t>(std::min<uint64_t>(dt / 10, 1000));
        else
            factor = (parent.ommers_hash != empty_list_hash() ? 2 : 1) -
                     static_cast<int64_t>(std::min<uint64_t>(dt / 9, 1000));
        factor = std::max<int64_t>(factor, -99);
        const uint256 delta = step * uint256{static_cast<uint64_t>(factor < 0 ? -factor : factor)};
        if (factor >= 0)
            d = pd + delta;
        else
            d = delta > pd ? uint256{} : pd - delta;
    }
    uint64_t delay = 0;
    if (fork >= Fork::London)
        delay = 9'700'000;
    else if (fork >= Fork::Berlin)
        delay = 9'000'000;
    else if (fork >= Fork::Constantinople)
        delay = 5'000'000;
    else if (fork >= Fork::Byzantium)
        delay = 3'000'000;
    const uint64_t fake = h.number > delay ? h.number - delay : 0;
    const int64_t periods = static_cast<int64_t>(fake / 100000) - 2;
    if (periods >= 0)
        d = d + shl(uint256{1}, static_cast<uint64_t>(periods));
    const uint256 min_difficulty{131072};
    return d < min_difficulty ? min_difficulty : d;
}
}  // namespace

// EIP-1559: the base fee a block must have after `parent` (the initial 1 gwei at the fork).
uint64_t expected_base_fee(const BlockHeader& parent, bool london_transition) noexcept
{
    uint64_t expected = 1'000'000'000;
    if (!london_transition)
    {
        const uint64_t target = parent.gas_limit / 2;
        const uint64_t pbf = parent.base_fee.value_or(0);
        if (parent.gas_used == target)
            expected = pbf;
        else if (parent.gas_used > target)
        {
            const uint256 d =
                uint256{pbf} * uint256{parent.gas_used - target} / uint256{target} / 8;
            expected = pbf + std::max<uint64_t>(d.w[0], 1);
        }
        else
        {
            const uint256 d =
                uint256{pbf} * uint256{target - parent.gas_used} / uint256{target} / 8;
            expected = pbf - d.w[0];
        }
    }
    return expected;
}

Error validate_header(
    const ChainConfig& config, const BlockHeader& parent, const BlockHeader& h, size_t encoded_size)
{
    const ForkActivation& rules = config.rules_at(h.number, h.timestamp);
    const Fork fork = rules.fork;
    const Fork parent_fork = fork_of(config, parent);
    // Field presence per fork.
    if (h.base_fee.has_value() != (fork >= Fork::London) ||
        h.withdrawals_root.has_value() != (fork >= Fork::Shanghai) ||
        h.blob_gas_used.has_value() != (fork >= Fork::Cancun) ||
        h.excess_blob_gas.has_value() != (fork >= Fork::Cancun) ||
        h.parent_beacon_block_root.has_value() != (fork >= Fork::Cancun) ||
        h.requests_hash.has_value() != (fork >= Fork::Prague) ||
        h.block_access_list_hash.has_value() != (fork >= Fork::Amsterdam) ||
        h.slot_number.has_value() != (fork >= Fork::Amsterdam))
        return Error::incorrect_block_format;
    if (fork >= Fork::Osaka && encoded_size > kMaxRlpBlockSize)
        return Error::rlp_block_limit_exceeded;
    if (h.parent_hash != parent.hash)
        return Error::unknown_parent;
    if (h.number != parent.number + 1)
        return Error::invalid_block_number;
    if (h.timestamp <= parent.timestamp)
        return Error::invalid_block_timestamp;
    if (h.extra_data.size() > 32)
        return Error::extra_data_too_big;
    if (h.gas_used > h.gas_limit)
        return Error::gas_used_overflow;
    uint64_t parent_gas_limit = parent.gas_limit;
    const bool london_transition = fork >= Fork::London && parent_fork < Fork::London;
    if (london_transition)
        parent_gas_limit *= 2;  // elasticity multiplier
    {
        const uint64_t bound = parent_gas_limit / 1024;
        const uint64_t diff = h.gas_limit > parent_gas_limit ? h.gas_limit - parent_gas_limit
                                                             : parent_gas_limit - h.gas_limit;
        if (diff >= bound || h.gas_limit < 5000)
            return Error::invalid_gaslimit;
    }
    if (fork >= Fork::London && *h.base_fee != expected_base_fee(parent, london_transition))
        return Error::invalid_basefee;
    if (fork < Fork::Paris)
    {
        if (h.difficulty != expected_difficulty(fork, parent, h))
            return Error::invalid_difficulty;
    }
    else
    {
        if (!h.difficulty.is_zero())
            return Error::invalid_difficulty;
        if (!h.nonce.is_zero())
            return Error::invalid_nonce;
        if (h.ommers_hash != empty_list_hash())
            return Error::invalid_uncles_hash;
    }
    if (fork >= Fork::Cancun)
    {
        if (*h.excess_blob_gas != expected_excess_blob_gas(parent, rules.blob, fork))
            return Error::incorrect_excess_blob_gas;
    }
    return Error::ok;
}

namespace
{
class BlockExecutor
{
public:
    BlockExecutor(state::StateDb& db, const BlockEnv& env, const BlockHeader& parent, Block& block,
        bool seal = false)
        : m_seal{seal},
          m_db{db},
          m_env{env},
          m_block{block},
          m_rules{env.config->rules_at(block.header.number, block.header.timestamp)},
          m_fork{m_rules.fork},
          m_state{db},
          m_vm{m_state, m_ctx, m_fork, *env.precompiles}
    {
        const BlockHeader& h = block.header;
        m_ctx.coinbase = h.coinbase;
        m_ctx.number = h.number;
        m_ctx.timestamp = h.timestamp;
        m_ctx.gas_limit = h.gas_limit;
        m_ctx.difficulty = m_fork >= Fork::Paris ? load_be(h.mix_hash.bytes) : h.difficulty;
        m_ctx.base_fee = uint256{h.base_fee.value_or(0)};
        m_ctx.chain_id = uint256{env.config->chain_id};
        if (m_fork >= Fork::Cancun)
            m_ctx.blob_base_fee = blob_base_fee(h.excess_blob_gas.value_or(0), m_rules.blob);
        m_ctx.block_hash = env.block_hash;
        m_ctx.block_hash_ctx = env.block_hash_ctx;
        m_ctx.slot_number = h.slot_number.value_or(0);
        m_bal_on = has_eip(m_fork, Eip::block_access_lists_7928);
        if (m_bal_on)
            m_state.set_access_list(&m_bal);
        (void)parent;
    }

    BlockOutcome run();

private:
    Error system_call(const address& target, bytes_view data, bool checked, bytes* output);
    Error check_transaction(Transaction& tx, const IntrinsicGas& ig);
    void execute_transaction(Transaction& tx, const IntrinsicGas& ig);
    void end_of_transaction();
    Error process_requests(std::vector<std::pair<uint8_t, bytes>>& requests);

    // Sealing (seal_block): the header's result fields are written from the execution rather
    // than checked against it.
    template <typename T>
    [[nodiscard]] bool settle(T& field, const T& computed)
    {
        if (m_seal)
            field = computed;
        return field == computed;
    }

    bool m_seal;
    state::StateDb& m_db;
    const BlockEnv& m_env;
    Block& m_block;
    const ForkActivation& m_rules;
    Fork m_fork;
    State m_state;
    evm::BlockContext m_ctx;
    // One VM per block: its call frames and code-analysis cache are reused by every
    // transaction and system call.
    Vm m_vm;
    BlockOutcome m_out;
    uint64_t m_blob_gas_used = 0;
    uint64_t m_receipt_gas = 0;  // cumulative gas the receipts report (after refunds)
    size_t m_tx_index = 0;       // the transaction being checked
    // EIP-7778 / EIP-8037: the block's regular and state gas; the header's gas_used is the
    // larger of the two.
    uint64_t m_block_regular = 0;
    uint64_t m_block_state = 0;
    bool m_bal_on = false;
    state::BlockAccessList m_bal;
};

Error BlockExecutor::system_call(
    const address& target, bytes_view data, bool checked, bytes* output)
{
    if (checked && m_state.code(target).empty())
        return Error::system_contract_empty;
    Vm& vm = m_vm;
    vm.logs.clear();
    vm.tx = {};
    vm.tx.origin = kSystemAddress;
    vm.tx.gas_price = m_ctx.base_fee;
    vm.state_gas_reservoir = 0;  // EIP-8037: system calls run on regular gas alone
    vm.state_gas_used = 0;
    evm::Message msg;
    msg.gas = kSystemCallGas;
    msg.recipient = target;
    msg.sender = kSystemAddress;
    msg.code_address = target;
    msg.input = data;
    evm::Result r = vm.execute(msg);
    if (vm.missing_precompile)
        m_out.missing_precompile = vm.missing_precompile;
    if (checked && r.status != evm::Status::success)
        return Error::system_contract_call_failed;
    if (output)
        *output = std::move(r.output);
    m_state.finalize_transaction(m_fork);
    return Error::ok;
}

Error BlockExecutor::check_transaction(Transaction& tx, const IntrinsicGas& ig)
{
    const Fork f = m_fork;
    // Type availability.
    if ((tx.type == 1 && f < Fork::Berlin))
        return Error::type_1_pre_fork;
    if (tx.type == 2 && f < Fork::London)
        return Error::type_2_pre_fork;
    if (tx.type == 3 && f < Fork::Cancun)
        return Error::type_3_pre_fork;
    if (tx.type == 4 && f < Fork::Prague)
        return Error::type_4_pre_fork;
    // Signature and chain id.
    uint8_t y = 0;
    if (tx.type == 0)
    {
        if (tx.v == uint256{27} || tx.v == uint256{28})
            y = static_cast<uint8_t>(tx.v.w[0] - 27);
        else
        {
            if (f < Fork::SpuriousDragon)
                return Error::invalid_signature;
            if (*tx.chain_id != m_env.config->chain_id)
                return Error::invalid_chain_id;
            y = static_cast<uint8_t>((tx.v.w[0] - 35) % 2);
        }
    }
    else
    {
        if (tx.chain_id != m_env.config->chain_id)
            return Error::invalid_chain_id;
        if (!(tx.v <= uint256{1}))
            return Error::invalid_signature;
        y = static_cast<uint8_t>(tx.v.w[0]);
    }
    if (!signature_values_ok(tx.r, tx.s, f >= Fork::Homestead))
        return Error::invalid_signature;
    if (m_tx_index < m_env.senders.size())
        tx.sender = m_env.senders[m_tx_index];
    else
    {
        const auto sender = m_env.recover(tx.signing_hash, y, tx.r, tx.s);
        if (!sender)
            return Error::invalid_signature;
        tx.sender = *sender;
    }

    // Static checks (EELS validate_transaction).
    const int64_t gas = static_cast<int64_t>(std::min<uint64_t>(tx.gas_limit, INT64_MAX));
    if (ig.gas + ig.state > gas)
        return Error::intrinsic_gas_too_low;
    if (ig.floor > gas)
        return Error::intrinsic_gas_below_floor;
    if (tx.nonce == UINT64_MAX && f >= Fork::Berlin)
        return Error::nonce_is_max;
    if (!tx.to && f >= Fork::Shanghai && tx.data.size() > evm::max_initcode_size(f))
        return Error::initcode_size_exceeded;
    const bool state_gas = has_eip(f, Eip::state_creation_gas_8037);
    if (state_gas)
    {
        // EIP-8037: gas beyond the EIP-7825 cap feeds the state-gas reservoir; only the
        // regular part (or the floor) must fit under the cap.
        if (std::max(ig.gas, ig.floor) > static_cast<int64_t>(kTxGasCap))
            return Error::gas_limit_exceeds_maximum;
    }
    else if (f >= Fork::Osaka && tx.gas_limit > kTxGasCap)
        return Error::gas_limit_exceeds_maximum;

    // Block-dependent checks (EELS check_transaction).
    const uint64_t block_gas = m_block.header.gas_limit;
    if (state_gas)
    {
        // Each dimension must still have room for the transaction.
        if (std::min(kTxGasCap, tx.gas_limit) > block_gas - m_block_regular ||
            tx.gas_limit > block_gas - m_block_state)
            return Error::gas_allowance_exceeded;
    }
    else if (tx.gas_limit > block_gas - m_out.gas_used)
        return Error::gas_allowance_exceeded;
    const uint64_t tx_blob_gas = kGasPerBlob * tx.blob_hashes.size();
    if (tx.type == 3 && tx_blob_gas > m_rules.blob.max * kGasPerBlob - m_blob_gas_used)
        return Error::type_3_max_blob_gas_exceeded;
    const state::ReadPurpose why{
        m_state, "transaction sender (check_transaction: get_account(state, sender))"};
    const state::Account& acc = m_state.get(tx.sender);
    uint256 max_fee_total;
    const uint256 base_fee = m_ctx.base_fee;
    if (tx.type >= 2)
    {
        if (tx.gas_price < tx.max_priority_fee)
            return Error::priority_greater_than_max_fee;
        if (tx.gas_price < base_fee)
            return Error::insufficient_max_fee;
    }
    else if (f >= Fork::London && tx.gas_price < base_fee)
        return Error::insufficient_max_fee;
    const auto mg = checked_mul(uint256{tx.gas_limit}, tx.gas_price);
    if (!mg)
        return Error::gaslimit_price_product_overflow;
    max_fee_total = *mg;
    if (tx.type == 3)
    {
        if (tx.blob_hashes.empty())
            return Error::type_3_zero_blobs;
        if (f >= Fork::Osaka && tx.blob_hashes.size() > kMaxBlobsPerTx)
            return Error::type_3_blob_count_exceeded;
        for (const auto& h : tx.blob_hashes)
            if (h.bytes[0] != 0x01)
                return Error::type_3_invalid_versioned_hash;
        if (tx.max_fee_per_blob_gas < m_ctx.blob_base_fee)
            return Error::insufficient_max_fee_per_blob_gas;
        const auto bf = checked_mul(uint256{tx_blob_gas}, tx.max_fee_per_blob_gas);
        const auto sum = bf ? checked_add(max_fee_total, *bf) : std::nullopt;
        if (!sum)
            return Error::insufficient_account_funds;
        max_fee_total = *sum;
    }
    if (tx.type == 4 && tx.authorizations.empty())
        return Error::type_4_empty_authorization_list;
    if (acc.nonce > tx.nonce)
        return Error::nonce_too_low;
    if (acc.nonce < tx.nonce)
        return Error::nonce_too_high;
    const auto total = checked_add(max_fee_total, tx.value);
    if (!total || acc.balance < *total)
        return Error::insufficient_account_funds;
    if (f >= Fork::London || true)
    {
        // EIP-3607: senders with deployed code are rejected (delegations are allowed).
        const bytes_view code = m_state.code(tx.sender);
        if (!code.empty() && !(f >= Fork::Prague && evm::is_delegation(code)))
            return Error::sender_not_eoa;
    }
    return Error::ok;
}

void BlockExecutor::execute_transaction(Transaction& tx, const IntrinsicGas& ig)
{
    const Fork f = m_fork;
    const uint256 base_fee = m_ctx.base_fee;
    const uint256 price = tx.type >= 2
                              ? base_fee + std::min(tx.max_priority_fee, tx.gas_price - base_fee)
                              : tx.gas_price;
    const uint64_t tx_blob_gas = kGasPerBlob * tx.blob_hashes.size();
    const uint256 blob_fee = uint256{tx_blob_gas} * m_ctx.blob_base_fee;

    m_state.set_nonce(tx.sender, tx.nonce + 1);
    m_state.sub_balance(tx.sender, uint256{tx.gas_limit} * price + blob_fee);

    Vm& vm = m_vm;
    vm.logs.clear();
    vm.tx = {};
    vm.tx.origin = tx.sender;
    vm.tx.gas_price = price;
    vm.tx.blob_hashes = tx.blob_hashes;

    // EIP-2929/2930 warm set.
    m_state.access_account(tx.sender);
    if (tx.to)
        m_state.access_account(*tx.to);
    m_env.precompiles->for_each_active(f, [&](const address& a) { m_state.access_account(a); });
    if (f >= Fork::Shanghai)
        m_state.access_account(m_ctx.coinbase);
    for (const auto& e : tx.access_list)
    {
        m_state.access_account(e.addr);
        for (const auto& k : e.keys)
            m_state.access_storage(e.addr, load_be(k.bytes));
    }

    int64_t refund = 0;
    // EIP-8037: the gas past the intrinsic cost, up to the EIP-7825 cap on regular gas, is the
    // frame's gas; the rest is the state-gas reservoir.
    const bool state_gas = has_eip(f, Eip::state_creation_gas_8037);
    const int64_t exec_gas = static_cast<int64_t>(tx.gas_limit) - ig.gas - ig.state;
    int64_t intrinsic_state = ig.state;
    int64_t gas = exec_gas;
    vm.state_gas_reservoir = 0;
    vm.state_gas_used = 0;
    if (state_gas)
    {
        gas = std::min(static_cast<int64_t>(kTxGasCap) - ig.gas, exec_gas);
        vm.state_gas_reservoir = exec_gas - gas;
    }
    // EIP-7702 authorizations.
    for (const Authorization& a : tx.authorizations)
    {
        if (!a.chain_id.is_zero() && !(a.chain_id == uint256{m_env.config->chain_id}))
            continue;
        if (a.nonce_overflow || a.nonce == UINT64_MAX)
            continue;
        if (!(a.y_parity <= uint256{1}) || !signature_values_ok(a.r, a.s, true))
            continue;
        const auto authority =
            m_env.recover(authorization_hash(a), static_cast<uint8_t>(a.y_parity.w[0]), a.r, a.s);
        if (!authority)
            continue;
        m_state.access_account(*authority);
        const state::ReadPurpose auth_why{
            m_state, "EIP-7702 authority (set_delegation: get_account(state, authority))"};
        const bytes_view code = m_state.code(*authority);
        if (!code.empty() && !evm::is_delegation(code))
            continue;
        const state::Account& acc = m_state.get(*authority);
        if (acc.nonce != a.nonce)
            continue;
        if (acc.exists)
        {
            // The account exists: its new-account part was not needed.
            if (state_gas)
            {
                vm.state_gas_reservoir += evm::kStateGasNewAccount;
                intrinsic_state -= evm::kStateGasNewAccount;
            }
            else
                refund += 25000 - 12500;
        }
        bytes new_code;
        if (!a.addr.is_zero())
        {
            new_code = {0xef, 0x01, 0x00};
            new_code.insert(new_code.end(), a.addr.begin(), a.addr.end());
        }
        m_state.create_account(*authority);
        m_state.set_code(*authority, std::move(new_code));
        m_state.set_nonce(*authority, a.nonce + 1);
    }

    evm::Message msg;
    msg.gas = gas;
    msg.sender = tx.sender;
    msg.value = tx.value;
    msg.input = tx.data;
    evm::Result r;
    if (!tx.to)
    {
        const address new_addr = evm::create_address(tx.sender, tx.nonce);
        m_state.access_account(new_addr);
        msg.kind = evm::CallKind::create;
        msg.recipient = new_addr;
        msg.code_address = new_addr;
        const state::ReadPurpose create_why{
            m_state, "creation target (process_create_message: account_has_code_or_nonce)"};
        const state::Account& t = m_state.get(new_addr);
        const bool collision = t.nonce != 0 || t.code_hash != state::kEmptyCodeHash ||
                               (t.exists && !t.storage_cleared && m_db.storage_nonempty(new_addr));
        if (collision)
            r = evm::Result{evm::Status::create_collision, 0, 0, {}, {}};
        else
            r = vm.execute_create(msg);
    }
    else
    {
        msg.recipient = *tx.to;
        msg.code_address = *tx.to;
        if (f >= Fork::Prague)
        {
            const state::ReadPurpose why{m_state,
                "transaction target code (prepare_message: get_account(state, tx.to).code)"};
            const bytes_view code = m_state.code(*tx.to);
            if (evm::is_delegation(code))
                m_state.access_account(evm::delegation_target(code));
        }
        r = vm.execute(msg);
    }
    if (vm.missing_precompile)
        m_out.missing_precompile = vm.missing_precompile;

    const int64_t used_before_refund =
        static_cast<int64_t>(tx.gas_limit) - r.gas_left - vm.state_gas_reservoir;
    const int64_t exec_refund = r.status == evm::Status::success ? r.gas_refund : 0;
    const int64_t cap = used_before_refund / (f >= Fork::London ? 5 : 2);
    int64_t used = used_before_refund - std::min(std::max<int64_t>(refund + exec_refund, 0), cap);
    used = std::max(used, ig.floor);
    // What the block counts: EIP-7778 takes the gas before refunds, EIP-8037 splits it into
    // state gas (intrinsic + execution) and the regular rest.
    if (has_eip(f, Eip::block_gas_without_refunds_7778))
    {
        const int64_t state_total = state_gas ? intrinsic_state + vm.state_gas_used : 0;
        m_block_regular +=
            static_cast<uint64_t>(std::max(used_before_refund - state_total, ig.floor));
        m_block_state += static_cast<uint64_t>(state_total);
    }
    else
        m_block_regular += static_cast<uint64_t>(used);
    const int64_t left = static_cast<int64_t>(tx.gas_limit) - used;

    m_state.add_balance(tx.sender, uint256{static_cast<uint64_t>(left)} * price);
    const uint256 priority = f >= Fork::London ? price - base_fee : price;
    {
        const state::ReadPurpose fee_why{m_state,
            "fee recipient (process_transaction: get_account(state, coinbase).balance + fee)"};
        m_state.add_balance(m_ctx.coinbase, uint256{static_cast<uint64_t>(used)} * priority);
    }

    // EIP-7708: Burn logs for destructed accounts that still hold ether, after the fees.
    if (r.status == evm::Status::success)
        vm.burn_logs_of_destructed();

    Receipt rc;
    rc.type = tx.type;
    rc.success = r.status == evm::Status::success;
    m_receipt_gas += static_cast<uint64_t>(used);
    m_out.gas_used = std::max(m_block_regular, m_block_state);
    m_blob_gas_used += tx_blob_gas;
    rc.cumulative_gas = m_receipt_gas;
    if (rc.success)
    {
        for (auto& l : vm.logs)
        {
            add_to_bloom(rc.logs_bloom, l.addr);
            for (const auto& t : l.topics)
                add_to_bloom(rc.logs_bloom, t);
            rc.logs.push_back(Log{l.addr, std::move(l.topics), std::move(l.data)});
        }
    }
    end_of_transaction();
    if (f < Fork::Byzantium)
    {
        m_state.commit(m_db);
        rc.post_state = m_db.state_root();
    }
    m_out.receipts.push_back(std::move(rc));
}

void BlockExecutor::end_of_transaction()
{
    m_state.finalize_transaction(m_fork);
}

Error BlockExecutor::process_requests(std::vector<std::pair<uint8_t, bytes>>& requests)
{
    // EIP-6110 deposits from the deposit contract's logs.
    bytes deposits;
    for (const Receipt& rc : m_out.receipts)
    {
        for (const Log& l : rc.logs)
        {
            if (l.addr != m_env.config->deposit_contract || l.topics.empty() ||
                std::memcmp(l.topics[0].bytes, kDepositTopic, 32) != 0)
                continue;
            const bytes& d = l.data;
            if (d.size() != 576)
                return Error::invalid_deposit_event_layout;
            const auto word = [&](size_t off) { return load_be(d.data() + off); };
            const uint64_t offsets[5] = {160, 256, 320, 384, 512};
            const uint64_t sizes[5] = {48, 32, 8, 96, 8};
            for (int i = 0; i < 5; ++i)
            {
                if (!(word(static_cast<size_t>(i) * 32) == uint256{offsets[i]}))
                    return Error::invalid_deposit_event_layout;
                if (!(word(offsets[i]) == uint256{sizes[i]}))
                    return Error::invalid_deposit_event_layout;
            }
            for (int i = 0; i < 5; ++i)
                deposits.insert(deposits.end(), d.begin() + static_cast<long>(offsets[i] + 32),
                    d.begin() + static_cast<long>(offsets[i] + 32 + sizes[i]));
        }
    }
    requests.emplace_back(0, std::move(deposits));
    bytes out;
    if (const Error e = system_call(kWithdrawalRequests, {}, true, &out); e != Error::ok)
        return e;
    requests.emplace_back(1, std::move(out));
    out.clear();
    if (const Error e = system_call(kConsolidationRequests, {}, true, &out); e != Error::ok)
        return e;
    requests.emplace_back(2, std::move(out));
    return Error::ok;
}

BlockOutcome BlockExecutor::run()
{
    BlockHeader& h = m_block.header;
    auto fail = [&](Error e, size_t i = 0)
    {
        m_out.error = e;
        m_out.tx_index = i;
        return std::move(m_out);
    };

    // Body roots.
    {
        std::vector<bytes_view> items;
        for (const auto& tx : m_block.transactions)
            items.push_back(tx.encoded);
        if (!settle(h.transactions_root, trie::ordered_trie_root(items)))
            return fail(Error::invalid_transactions_root);
    }
    if (m_fork >= Fork::Shanghai)
    {
        if (!m_block.withdrawals)
            return fail(Error::incorrect_block_format);
        std::vector<bytes_view> items;
        for (const auto& w : *m_block.withdrawals)
            items.push_back(w.encoded);
        if (!settle(*h.withdrawals_root, trie::ordered_trie_root(items)))
            return fail(Error::invalid_withdrawals_root);
    }
    else if (m_block.withdrawals)
        return fail(Error::incorrect_block_format);
    if (m_fork >= Fork::Paris && !m_block.ommers.empty())
        return fail(Error::uncles_post_merge);

    // System calls (EIP-7928 block access index 0).
    if (m_bal_on)
        m_state.set_access_index(0);
    if (m_fork >= Fork::Cancun)
    {
        if (const Error e =
                system_call(kBeaconRoots, h.parent_beacon_block_root->view(), false, nullptr);
            e != Error::ok)
            return fail(e);
    }
    if (m_fork >= Fork::Prague)
    {
        if (const Error e = system_call(kHistoryStorage, h.parent_hash.view(), false, nullptr);
            e != Error::ok)
            return fail(e);
    }

    for (size_t i = 0; i < m_block.transactions.size(); ++i)
    {
        Transaction& tx = m_block.transactions[i];
        if (m_bal_on)
            m_state.set_access_index(static_cast<uint32_t>(i + 1));
        m_tx_index = i;
        const IntrinsicGas ig = intrinsic_gas(tx, m_fork);
        if (const Error e = check_transaction(tx, ig); e != Error::ok)
            return fail(e, i);
        execute_transaction(tx, ig);
    }

    // Withdrawals and the post-execution system calls: access index n + 1.
    if (m_bal_on)
        m_state.set_access_index(static_cast<uint32_t>(m_block.transactions.size() + 1));
    if (m_fork >= Fork::Shanghai)
    {
        for (const auto& w : *m_block.withdrawals)
            m_state.add_balance(w.addr, uint256{w.amount_gwei} * kGwei);
        m_state.finalize_transaction(m_fork);
    }

    if (m_fork < Fork::Paris)
    {
        const uint64_t eth = 1'000'000'000'000'000'000ull;
        const uint256 reward = uint256{m_fork >= Fork::Constantinople ? 2 * eth
                                       : m_fork >= Fork::Byzantium    ? 3 * eth
                                                                      : 5 * eth};
        uint256 miner = reward;
        for (const auto& o : m_block.ommers)
        {
            miner = miner + reward / 32;
            if (o.number + 8 > h.number && o.number < h.number)
                m_state.add_balance(o.coinbase, reward * uint256{8 + o.number - h.number} / 8);
        }
        m_state.add_balance(h.coinbase, miner);
        m_state.finalize_transaction(m_fork);
    }

    if (m_fork >= Fork::Prague)
    {
        std::vector<std::pair<uint8_t, bytes>> requests;
        if (const Error e = process_requests(requests); e != Error::ok)
            return fail(e);
        crypto::Sha256 outer;
        for (const auto& [type, data] : requests)
        {
            if (data.empty())
                continue;
            bytes& r = m_out.requests.emplace_back(1, type);
            r.insert(r.end(), data.begin(), data.end());
            crypto::Sha256 inner;
            const uint8_t t = type;
            inner.update({&t, 1});
            inner.update(data);
            outer.update(inner.finish());
        }
        if (!settle(*h.requests_hash, outer.finish()))
            return fail(Error::invalid_requests);
    }

    if (!settle(h.gas_used, m_out.gas_used))
        return fail(Error::invalid_gas_used);
    if (m_fork >= Fork::Cancun)
    {
        if (m_blob_gas_used > m_rules.blob.max * kGasPerBlob)
            return fail(Error::blob_gas_used_above_limit);
        if (!settle(*h.blob_gas_used, m_blob_gas_used))
            return fail(Error::incorrect_blob_gas_used);
    }
    {
        bloom b;
        std::vector<bytes> enc;
        for (const Receipt& rc : m_out.receipts)
        {
            for (size_t i = 0; i < 256; ++i)
                b.bytes[i] |= rc.logs_bloom.bytes[i];
            enc.push_back(encode_receipt(rc));
        }
        std::vector<bytes_view> items(enc.begin(), enc.end());
        if (!settle(h.receipts_root, trie::ordered_trie_root(items)))
            return fail(Error::invalid_receipts_root);
        if (!settle(h.logs_bloom, b))
            return fail(Error::invalid_log_bloom);
    }
    if (m_bal_on)
    {
        // EIP-7928: the list the execution built must be the one the header commits to (and,
        // when the block came as a payload, the one it carried).
        m_state.set_access_list(nullptr);
        m_out.block_access_list = m_bal.encode();
        if (m_bal.item_count() > h.gas_limit / kBalItemCost)
            return fail(Error::bal_gas_limit_exceeded);
        if (m_block.block_access_list &&
            keccak256(*m_block.block_access_list) != *h.block_access_list_hash)
            return fail(Error::invalid_bal_hash);
        if (m_seal)
            m_block.block_access_list = m_out.block_access_list;
        if (!settle(*h.block_access_list_hash, keccak256(m_out.block_access_list)))
            return fail(Error::invalid_block_access_list);
    }
    const profile::Region region{"state_root"};
    m_state.commit(m_db);
    if (!settle(h.state_root, m_db.state_root()))
        return fail(Error::invalid_state_root);
    return std::move(m_out);
}
}  // namespace

BlockOutcome apply_block(
    state::StateDb& db, const BlockEnv& env, const BlockHeader& parent, Block& block)
{
    if (const Error e = validate_header(*env.config, parent, block.header, block.encoded_size);
        e != Error::ok)
    {
        BlockOutcome o;
        o.error = e;
        return o;
    }
    BlockExecutor ex{db, env, parent, block};
    return ex.run();
}

BlockOutcome seal_block(
    state::StateDb& db, const BlockEnv& env, const BlockHeader& parent, Block& block)
{
    BlockHeader& h = block.header;
    const ForkActivation& rules = env.config->rules_at(h.number, h.timestamp);
    const Fork fork = rules.fork;
    h.parent_hash = parent.hash;
    h.number = parent.number + 1;
    const auto field = [](auto& f, bool present, auto value)
    {
        if (!present)
            f.reset();
        else if (!f)
            f = value;
    };
    field(h.base_fee, fork >= Fork::London, uint64_t{0});
    field(h.withdrawals_root, fork >= Fork::Shanghai, hash256{});
    field(h.blob_gas_used, fork >= Fork::Cancun, uint64_t{0});
    field(h.excess_blob_gas, fork >= Fork::Cancun, uint64_t{0});
    field(h.parent_beacon_block_root, fork >= Fork::Cancun, hash256{});
    field(h.requests_hash, fork >= Fork::Prague, hash256{});
    field(h.block_access_list_hash, fork >= Fork::Amsterdam, hash256{});
    field(h.slot_number, fork >= Fork::Amsterdam, uint64_t{0});
    if (fork >= Fork::London)
        h.base_fee = expected_base_fee(parent, fork_of(*env.config, parent) < Fork::London);
    if (fork >= Fork::Cancun)
        h.excess_blob_gas = expected_excess_blob_gas(parent, rules.blob, fork);
    if (fork >= Fork::Shanghai && !block.withdrawals)
        block.withdrawals.emplace();
    if (fork >= Fork::Paris)
    {
        h.difficulty = 0;
        h.nonce = {};
        h.ommers_hash = empty_list_hash();
    }
    BlockExecutor ex{db, env, parent, block, true};
    BlockOutcome out = ex.run();
    h.hash = keccak256(encode_header(h));
    if (out.error == Error::ok)
        out.error = validate_header(*env.config, parent, h, 0);
    return out;
}
}  // namespace stele::chain
