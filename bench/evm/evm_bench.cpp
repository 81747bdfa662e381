// Interpreter micro benchmarks: tight loops of cheap opcodes (dispatch cost), MUL/DIV (uint256
// cost) and KECCAK256, reported as gas_rate (gas per second).
#include <benchmark/benchmark.h>

#include <evm/bytecode.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/evm/evm.hpp>
#include <stateless/state/memory_state.hpp>

using namespace stele;
using namespace stele::test;

namespace
{
// counter = 0; do { body; counter += 1 } while (counter < n)   -- body leaves the stack as it was
Bytecode loop(const Bytecode& body, uint64_t n)
{
    const Bytecode head = Bytecode{OP_PUSH0} + OP_JUMPDEST;  // JUMPDEST at offset 1
    return head + body + push(1) + OP_ADD + OP_DUP1 + push(n) + OP_GT + push(1) + OP_JUMPI;
}

void run_code(benchmark::State& bs, const Bytecode& code)
{
    state::InMemoryState db;
    const address contract = make_addr(0xcc);
    state::AccountInfo info;
    info.nonce = 1;
    info.code_hash = keccak256(code.code);
    db.update_code(info.code_hash, code.code);
    db.update_account(contract, &info, false);
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    evm::BlockContext block;
    int64_t total_gas = 0;
    for (auto _ : bs)
    {
        state::State st{db};
        evm::Vm vm{st, block, Fork::Osaka, precompiles};
        evm::Message msg;
        msg.gas = 30'000'000;
        msg.recipient = contract;
        msg.code_address = contract;
        const evm::Result r = vm.execute(msg);
        if (r.status != evm::Status::success)
            bs.SkipWithError("execution failed");
        total_gas += msg.gas - r.gas_left;
    }
    bs.counters["gas_rate"] =
        benchmark::Counter(static_cast<double>(total_gas), benchmark::Counter::kIsRate);
}

void loop_empty(benchmark::State& s)
{
    run_code(s, loop({}, 100000));
}
BENCHMARK(loop_empty);

void loop_mul_div(benchmark::State& s)
{
    // x = (x * K) / 3 with full-width operands.
    const uint256 k{0x123456789abcdef1ull, 0xfedcba9876543210ull, 0x0f0f0f0f0f0f0f0full, 0x7777ull};
    const Bytecode body = push(k) + push(k) + OP_MUL + push(3) + OP_SWAP1 + OP_DIV + OP_POP;
    run_code(s, loop(body, 50000));
}
BENCHMARK(loop_mul_div);

void loop_keccak(benchmark::State& s)
{
    const Bytecode body = push(64) + push(0) + OP_KECCAK256 + push(0) + OP_MSTORE;
    run_code(s, loop(body, 20000));
}
BENCHMARK(loop_keccak);

void loop_sstore_sload(benchmark::State& s)
{
    const Bytecode body = Bytecode{OP_DUP1} + OP_DUP1 + OP_SSTORE + OP_DUP1 + OP_SLOAD + OP_POP;
    run_code(s, loop(body, 1000));
}
BENCHMARK(loop_sstore_sload);
}  // namespace
