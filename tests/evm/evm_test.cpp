// EVM unit tests, written with the bytecode builder: arithmetic, gas rules per fork, memory,
// calls, creates, reverts and the journal.
#include <gtest/gtest.h>

#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/evm/evm.hpp>
#include <stateless/state/memory_state.hpp>

#include "bytecode.hpp"

using namespace stele;
using namespace stele::test;

namespace
{
const address kSender = make_addr(0xaa);
const address kContract = make_addr(0xcc);

struct Harness
{
    state::InMemoryState db;
    evm::BlockContext block;
    evm::PrecompileTable precompiles = evm::default_precompiles();

    void deploy(const address& a, const Bytecode& code, uint64_t balance = 0)
    {
        state::AccountInfo info;
        info.nonce = 1;
        info.balance = balance;
        info.code_hash = keccak256(code.code);
        db.update_code(info.code_hash, code.code);
        db.update_account(a, &info, false);
    }
    void fund(const address& a, uint64_t balance)
    {
        state::AccountInfo info;
        info.balance = balance;
        db.update_account(a, &info, false);
    }

    // Executes `to` with calldata; the state is committed into db.
    evm::Result run(Fork fork, const address& to, int64_t gas = 1'000'000, bytes_view input = {},
        uint64_t value = 0)
    {
        state::State st{db};
        evm::Vm vm{st, block, fork, precompiles};
        st.access_account(kSender);
        st.access_account(to);
        evm::Message msg;
        msg.gas = gas;
        msg.sender = kSender;
        msg.recipient = to;
        msg.code_address = to;
        msg.input = input;
        msg.value = value;
        evm::Result r = vm.execute(msg);
        logs = std::move(vm.logs);
        missing = vm.missing_precompile;
        st.finalize_transaction(fork);
        st.commit(db);
        return r;
    }
    std::vector<evm::Log> logs;
    unsigned missing = 0;

    uint256 storage(const address& a, uint64_t key)
    {
        return db.storage(a, key);
    }
};

uint256 output_word(const evm::Result& r)
{
    return r.output.size() == 32 ? load_be(r.output.data()) : uint256{~0ull, 0, 0, 0};
}
}  // namespace

TEST(evm, arithmetic_and_return)
{
    Harness h;
    h.deploy(kContract, push(7) + push(5) + OP_SUB + push(3) + OP_MUL + ret_top());  // (5-7)*3
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{0} - 6);
}

TEST(evm, gas_of_simple_code)
{
    Harness h;
    h.deploy(kContract, push(1) + push(2) + OP_ADD + OP_POP);
    const auto r = h.run(Fork::Cancun, kContract, 100);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(r.gas_left, 100 - 3 - 3 - 3 - 2);
}

TEST(evm, out_of_gas_consumes_everything)
{
    Harness h;
    h.deploy(kContract, push(1) + push(2) + OP_ADD + OP_POP);
    const auto r = h.run(Fork::Cancun, kContract, 10);
    EXPECT_EQ(r.status, evm::Status::out_of_gas);
    EXPECT_EQ(r.gas_left, 0);
}

TEST(evm, memory_expansion_cost)
{
    Harness h;
    // MSTORE at 0x3e0 touches 32 words: 3*32 + 32*32/512 = 98, plus PUSH/PUSH/MSTORE 3+3+3.
    h.deploy(kContract, mstore(0x3e0, push(1)));
    const auto r = h.run(Fork::Cancun, kContract, 1000);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(r.gas_left, 1000 - 9 - 98);
}

TEST(evm, push0_and_clz_are_fork_gated)
{
    Harness h;
    h.deploy(kContract, Bytecode{OP_PUSH0} + OP_CLZ + ret_top());
    EXPECT_EQ(h.run(Fork::Shanghai, kContract).status, evm::Status::invalid_instruction);
    const auto r = h.run(Fork::Osaka, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{256});
    EXPECT_EQ(h.run(Fork::Paris, kContract).status, evm::Status::invalid_instruction);
}

TEST(evm, jump_into_push_data_is_invalid)
{
    Harness h;
    // PUSH1 0x5b (a JUMPDEST byte inside push data at offset 1), then JUMP to 1.
    h.deploy(kContract, push(0x5b) + push(1) + OP_JUMP);
    EXPECT_EQ(h.run(Fork::Cancun, kContract).status, evm::Status::bad_jump_destination);
    Harness h2;
    h2.deploy(kContract, push(4) + OP_JUMP + OP_INVALID + OP_JUMPDEST + push(42) + ret_top());
    const auto r = h2.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{42});
}

// Gas and stack are checked once per segment (evm::Segment); these pin the cases where the
// check sits somewhere other than the instruction it covers.
TEST(evm, segment_entry_at_a_jumpdest_needs_only_its_suffix)
{
    Harness h;
    // 0: PUSH1 5, PUSH1 9, JUMP | 5: PUSH1 1, PUSH1 2, 9: JUMPDEST, PUSH1 1, ADD, return.
    // Entered by the jump with one item: the suffix needs 1 (ADD at depth +1), not the 2 that
    // the fall-through path pushed before the JUMPDEST.
    const Bytecode code = push(5) + push(9) + OP_JUMP + push(1) + push(2) + OP_JUMPDEST + push(1) +
                          OP_ADD + ret_top();
    ASSERT_EQ(code.code[9], OP_JUMPDEST);
    h.deploy(kContract, code);
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{6});
}

TEST(evm, gas_opcode_inside_a_segment_sees_the_exact_gas_left)
{
    Harness h;
    // PUSH1 (3) GAS (2) -> 995 of 1000, though the segment charged the PUSH1/ADD after it.
    h.deploy(kContract, push(1) + Bytecode{OP_GAS} + OP_ADD + push(1) + OP_ADD + ret_top());
    const auto r = h.run(Fork::Cancun, kContract, 1000);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{997});
}

TEST(evm, failed_segment_check_reports_the_first_failing_instruction)
{
    Harness h;
    // Underflow at ADD comes before the out-of-gas of the PUSHes after it.
    h.deploy(kContract, push(1) + OP_ADD + push(1) + push(1) + push(1));
    EXPECT_EQ(h.run(Fork::Cancun, kContract, 8).status, evm::Status::stack_underflow);
    // Out of gas at the third PUSH comes before the underflow of the POPs after it.
    Harness h2;
    h2.deploy(kContract, push(1) + push(1) + push(1) + OP_POP + OP_POP + OP_POP + OP_POP);
    EXPECT_EQ(h2.run(Fork::Cancun, kContract, 8).status, evm::Status::out_of_gas);
    // An opcode the fork does not define, after a valid prefix.
    Harness h3;
    h3.deploy(kContract, push(1) + Bytecode{OP_PUSH0});
    EXPECT_EQ(h3.run(Fork::Paris, kContract).status, evm::Status::invalid_instruction);
}

TEST(evm, sstore_eip2200_and_eip3529)
{
    // Fresh slot 0 -> 1 costs 20000 + cold 2100 (Berlin+); 1 -> 0 in the same tx refunds.
    Harness h;
    h.deploy(kContract, sstore(0, push(1)) + sstore(0, push(0)));
    const auto r = h.run(Fork::Cancun, kContract, 100000);
    ASSERT_EQ(r.status, evm::Status::success);
    // set: 2100 + 20000; reset to original 0: 100 (warm), refund 20000 - 100.
    EXPECT_EQ(r.gas_left, 100000 - 4 * 3 - 22100 - 100);  // four PUSH1
    EXPECT_EQ(r.gas_refund, 19900);
    EXPECT_TRUE(h.storage(kContract, 0).is_zero());
}

TEST(evm, sstore_requires_more_than_stipend)
{
    Harness h;
    h.deploy(kContract, sstore(0, push(1)));
    EXPECT_EQ(h.run(Fork::Cancun, kContract, 2306).status, evm::Status::out_of_gas);
}

TEST(evm, revert_undoes_storage_and_returns_data)
{
    Harness h;
    const address callee = make_addr(0xdd);
    h.deploy(callee,
        sstore(1, push(5)) + push(0xbeef) + push(0) + OP_MSTORE + push(32) + push(0) + OP_REVERT);
    // Caller: CALL callee, then return RETURNDATASIZE * 1000 + success flag.
    h.deploy(
        kContract, call(callee) + push(1000) + OP_RETURNDATASIZE + OP_MUL + OP_ADD + ret_top());
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{32000});  // success flag 0, 32 bytes of return data
    EXPECT_TRUE(h.storage(callee, 1).is_zero());
}

TEST(evm, static_call_forbids_state_changes)
{
    Harness h;
    const address callee = make_addr(0xdd);
    h.deploy(callee, sstore(1, push(5)));
    h.deploy(kContract, push(0) + push(0) + push(0) + push(0) + push_address(callee) +
                            push(100000) + OP_STATICCALL + ret_top());
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{0});
}

TEST(evm, call_with_value_transfers_and_gives_stipend)
{
    Harness h;
    const address callee = make_addr(0xdd);
    h.deploy(callee, OP_GAS + ret_top());
    h.deploy(kContract,
        call(callee, 0, 7) + OP_POP + push(32) + push(0) + push(0) + OP_RETURNDATACOPY + push(32) +
            push(0) + OP_RETURN,
        100);
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{2300 - 2});  // the stipend, minus GAS itself
    EXPECT_EQ(h.db.account(callee)->balance, uint256{7});
    EXPECT_EQ(h.db.account(kContract)->balance, uint256{93});
}

TEST(evm, create_address_and_code_deposit)
{
    Harness h;
    // Init code returning the single byte 0x2a as runtime code.
    const Bytecode init = mstore(0, push(0x2a)) + push(1) + push(31) + OP_RETURN;
    uint256 word;
    bytes padded(32, 0);
    std::memcpy(padded.data() + 32 - init.size(), init.code.data(), init.size());
    h.deploy(kContract, mstore(0, Bytecode{[&]
                                      {
                                          bytes b{OP_PUSH32};
                                          b.insert(b.end(), padded.begin(), padded.end());
                                          return b;
                                      }()}) +
                            push(init.size()) + push(32 - init.size()) + push(0) + OP_CREATE +
                            ret_top());
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    const address expected = evm::create_address(kContract, 1);
    uint8_t be[32];
    store_be(be, output_word(r));
    EXPECT_EQ(0, std::memcmp(be + 12, expected.bytes, 20));
    const auto acc = h.db.account(expected);
    ASSERT_TRUE(acc.has_value());
    EXPECT_EQ(acc->nonce, 1u);
    const uint8_t code[1] = {0x2a};
    EXPECT_EQ(acc->code_hash, keccak256({code, 1}));
    EXPECT_EQ(h.db.account(kContract)->nonce, 2u);
}

TEST(evm, create_address_vectors)
{
    // From the Yellow Paper / well-known deployments: sender
    // 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0.
    const auto sender = *fixed_from_hex<20>("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    EXPECT_EQ(to_hex(evm::create_address(sender, 0)), "cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
    EXPECT_EQ(to_hex(evm::create_address(sender, 1)), "343c43a37d37dff08ae8c4a11544c718abb4fcf8");
    // EIP-1014 example 1: address 0, salt 0, init code 0x00.
    const uint8_t zero[1] = {0};
    EXPECT_EQ(to_hex(evm::create2_address(address{}, hash256{}, {zero, 1})),
        "4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38");
}

TEST(evm, transient_storage_is_per_transaction)
{
    Harness h;
    h.deploy(kContract,
        push(0) + OP_TLOAD + push(1) + OP_ADD + OP_DUP1 + push(0) + OP_TSTORE + ret_top());
    EXPECT_EQ(output_word(h.run(Fork::Cancun, kContract)), uint256{1});
    EXPECT_EQ(output_word(h.run(Fork::Cancun, kContract)), uint256{1});  // reset between txs
}

TEST(evm, logs_are_dropped_on_revert)
{
    Harness h;
    const address callee = make_addr(0xdd);
    h.deploy(callee, push(7) + push(0) + push(0) + OP_LOG1 + push(0) + push(0) + OP_REVERT);
    h.deploy(kContract, call(callee) + OP_POP + push(8) + push(0) + push(0) + OP_LOG1);
    ASSERT_EQ(h.run(Fork::Cancun, kContract).status, evm::Status::success);
    ASSERT_EQ(h.logs.size(), 1u);
    EXPECT_EQ(h.logs[0].addr, kContract);
    EXPECT_EQ(h.logs[0].topics[0].bytes[31], 8);
}

TEST(evm, identity_precompile_and_cold_access)
{
    Harness h;
    // BALANCE of a cold account costs 2600 from Berlin, 700 in Istanbul.
    h.deploy(kContract, push_address(make_addr(0x77)) + OP_BALANCE + OP_POP);
    EXPECT_EQ(h.run(Fork::Berlin, kContract, 10000).gas_left, 10000 - 3 - 2600 - 2);
    EXPECT_EQ(h.run(Fork::Istanbul, kContract, 10000).gas_left, 10000 - 3 - 700 - 2);
}

TEST(evm, missing_precompile_is_reported)
{
    Harness h;
    h.deploy(kContract, call(make_addr(0x08)) + ret_top());
    evm::PrecompileTable empty;
    h.precompiles = empty;
    const auto r = h.run(Fork::Cancun, kContract);
    ASSERT_EQ(r.status, evm::Status::success);
    EXPECT_EQ(output_word(r), uint256{0});  // the call fails
    EXPECT_EQ(h.missing, 8u);               // and is reported, so runners can count it
}

// Issue 12: modexp with empty base and modulus and an exponent length of 0x80…00 costs the
// minimum in every fork of EIP-2565 (Berlin … Prague: 200 gas, empty output), nothing under
// EIP-198 (Byzantium … Istanbul), and is unpayable under EIP-7883 (Osaka: complexity 16).
TEST(evm, modexp_empty_operands_with_huge_exponent_length)
{
    Harness h;
    bytes in(96, 0);
    in[32] = 0x80;  // exponent length 2^255
    const address modexp = make_addr(0x05);
    for (const Fork f :
        {Fork::Berlin, Fork::London, Fork::Paris, Fork::Shanghai, Fork::Cancun, Fork::Prague})
    {
        const evm::Result r = h.run(f, modexp, 1000, in);
        EXPECT_EQ(r.status, evm::Status::success) << static_cast<int>(f);
        EXPECT_EQ(r.gas_left, 1000 - 200) << static_cast<int>(f);
        EXPECT_TRUE(r.output.empty());
    }
    for (const Fork f : {Fork::Byzantium, Fork::Istanbul})
        EXPECT_EQ(h.run(f, modexp, 1000, in).gas_left, 1000) << static_cast<int>(f);
    EXPECT_NE(h.run(Fork::Osaka, modexp, 1'000'000, in).status, evm::Status::success);
}
