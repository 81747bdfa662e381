// Bad input gives a typed result, never a crash or a hang: seeded random bytecode through the
// interpreter (every fork), and mutated / random RLP through the block and transaction decoders.
// Meant to run under the asan preset too.
#include <gtest/gtest.h>

#include <random>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/evm/evm.hpp>
#include <stateless/state/memory_state.hpp>

using namespace stele;

TEST(robustness, random_bytecode_terminates_on_every_fork)
{
    std::mt19937_64 rng{7};
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    evm::BlockContext block;
    block.number = 100;
    for (int round = 0; round < 3000; ++round)
    {
        state::InMemoryState db;
        address contract;
        contract.bytes[19] = 0xcc;
        bytes code(static_cast<size_t>(rng() % 64));
        for (auto& b : code)
        {
            // Bias towards small pushes and stack/memory ops so runs go beyond the first byte.
            const uint64_t r = rng() % 4;
            b = r == 0 ? static_cast<uint8_t>(0x60 + rng() % 4) : static_cast<uint8_t>(rng());
        }
        state::AccountInfo info;
        info.nonce = 1;
        info.balance = 1000;
        info.code_hash = keccak256(code);
        db.update_code(info.code_hash, code);
        db.update_account(contract, &info, false);
        const Fork fork = static_cast<Fork>(rng() % (static_cast<unsigned>(kLatestFork) + 1));
        state::State st{db};
        evm::Vm vm{st, block, fork, precompiles};
        evm::Message msg;
        msg.gas = 100000;
        msg.recipient = contract;
        msg.code_address = contract;
        const evm::Result r = vm.execute(msg);
        EXPECT_GE(r.gas_left, 0);
        EXPECT_LE(r.gas_left, msg.gas);
        if (r.status != evm::Status::success && r.status != evm::Status::revert)
        {
            EXPECT_EQ(r.gas_left, 0);
        }
        st.finalize_transaction(fork);
    }
}

TEST(robustness, mutated_and_random_rlp_decodes_to_a_typed_result)
{
    const auto tx = *from_hex(
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
        "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb70330"
        "4b3800ccf555c9f3dc64214b297fb1966a3b6d83");
    std::mt19937_64 rng{11};
    size_t accepted = 0;
    for (int i = 0; i < 20000; ++i)
    {
        bytes b = tx;
        const int flips = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < flips; ++k)
            b[rng() % b.size()] = static_cast<uint8_t>(rng());
        if (rng() % 4 == 0)
            b.resize(rng() % b.size());
        chain::Transaction t;
        accepted += chain::decode_transaction(b, t) == chain::Error::ok;
        chain::Block blk;
        (void)chain::decode_block(b, blk);
        bytes g(static_cast<size_t>(rng() % 200));
        for (auto& x : g)
            x = static_cast<uint8_t>(rng());
        (void)chain::decode_block(g, blk);
        chain::BlockHeader h;
        (void)chain::decode_header(g, h);
    }
    // Some mutations (in the value bytes) still decode; most must not.
    EXPECT_LT(accepted, 20000u);
}
