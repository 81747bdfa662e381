// A small bytecode builder for readable EVM tests: push(1) + push(2) + OP_ADD + ret_top().
#pragma once

#include <initializer_list>
#include <stateless/core/bytes.hpp>
#include <stateless/core/uint256.hpp>

namespace stele::test
{
enum Op : uint8_t
{
    OP_STOP = 0x00,
    OP_ADD = 0x01,
    OP_MUL = 0x02,
    OP_SUB = 0x03,
    OP_DIV = 0x04,
    OP_SDIV = 0x05,
    OP_EXP = 0x0a,
    OP_LT = 0x10,
    OP_GT = 0x11,
    OP_EQ = 0x14,
    OP_ISZERO = 0x15,
    OP_CLZ = 0x1e,
    OP_KECCAK256 = 0x20,
    OP_ADDRESS = 0x30,
    OP_BALANCE = 0x31,
    OP_CALLER = 0x33,
    OP_CALLVALUE = 0x34,
    OP_CALLDATALOAD = 0x35,
    OP_CALLDATASIZE = 0x36,
    OP_RETURNDATASIZE = 0x3d,
    OP_RETURNDATACOPY = 0x3e,
    OP_POP = 0x50,
    OP_MLOAD = 0x51,
    OP_MSTORE = 0x52,
    OP_SLOAD = 0x54,
    OP_SSTORE = 0x55,
    OP_JUMP = 0x56,
    OP_JUMPI = 0x57,
    OP_MSIZE = 0x59,
    OP_GAS = 0x5a,
    OP_JUMPDEST = 0x5b,
    OP_TLOAD = 0x5c,
    OP_TSTORE = 0x5d,
    OP_MCOPY = 0x5e,
    OP_PUSH0 = 0x5f,
    OP_PUSH1 = 0x60,
    OP_PUSH32 = 0x7f,
    OP_DUP1 = 0x80,
    OP_SWAP1 = 0x90,
    OP_LOG1 = 0xa1,
    OP_CREATE = 0xf0,
    OP_CALL = 0xf1,
    OP_RETURN = 0xf3,
    OP_DELEGATECALL = 0xf4,
    OP_CREATE2 = 0xf5,
    OP_STATICCALL = 0xfa,
    OP_REVERT = 0xfd,
    OP_INVALID = 0xfe,
    OP_SELFDESTRUCT = 0xff,
};

struct Bytecode
{
    bytes code;

    Bytecode() = default;
    Bytecode(Op op) : code{op} {}  // NOLINT: implicit for `push(1) + OP_ADD`
    explicit Bytecode(bytes b) : code{std::move(b)} {}

    friend Bytecode operator+(Bytecode a, const Bytecode& b)
    {
        a.code.insert(a.code.end(), b.code.begin(), b.code.end());
        return a;
    }
    friend Bytecode operator+(Bytecode a, Op op)
    {
        a.code.push_back(op);
        return a;
    }
    [[nodiscard]] size_t size() const
    {
        return code.size();
    }
};

// The shortest PUSH of v (PUSH0 for zero when allowed).
inline Bytecode push(const uint256& v, bool allow_push0 = false)
{
    if (v.is_zero() && allow_push0)
        return Bytecode{OP_PUSH0};
    uint8_t be[32];
    store_be(be, v);
    size_t i = 0;
    while (i < 31 && be[i] == 0)
        ++i;
    bytes b{static_cast<uint8_t>(OP_PUSH1 + (31 - i))};
    b.insert(b.end(), be + i, be + 32);
    return Bytecode{std::move(b)};
}

inline Bytecode push_address(const address& a)
{
    bytes b{static_cast<uint8_t>(OP_PUSH1 + 19)};
    b.insert(b.end(), a.begin(), a.end());
    return Bytecode{std::move(b)};
}

inline Bytecode mstore(uint64_t offset, const Bytecode& value)
{
    return value + push(offset) + OP_MSTORE;
}

// Stores the top of the stack at memory 0 and returns those 32 bytes.
inline Bytecode ret_top()
{
    return push(0) + OP_MSTORE + push(32) + push(0) + OP_RETURN;
}

inline Bytecode sstore(uint64_t key, const Bytecode& value)
{
    return value + push(key) + OP_SSTORE;
}

// CALL(gas, to, value, in 0/0, out 0/0) with a pushed gas amount.
inline Bytecode call(const address& to, uint64_t gas = 100000, uint64_t value = 0)
{
    return push(0) + push(0) + push(0) + push(0) + push(value) + push_address(to) + push(gas) +
           OP_CALL;
}

inline address make_addr(uint8_t last)
{
    address a;
    a.bytes[19] = last;
    return a;
}
}  // namespace stele::test
