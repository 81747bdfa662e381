// Threads with a stack large enough for block execution: a transaction may nest 1,024 calls,
// and sanitizer builds make each interpreter frame several times larger than the 8 MiB default
// stack allows (std::thread cannot set a stack size).
#pragma once

#include <cstddef>
#include <functional>

namespace stele::witness
{
// The stack given to every thread that executes blocks (address space; pages are touched only
// as far as the execution goes).
inline constexpr size_t kExecutionStack = size_t{512} << 20;

// Runs `fn` on a new thread with a `stack_bytes` stack and waits for it; runs it on the calling
// thread if no such thread can be created.
void run_with_stack(const std::function<void()>& fn, size_t stack_bytes = kExecutionStack);

// Starts a detached-until-joined thread with a `stack_bytes` stack; false if it cannot.
struct StackThread
{
    unsigned long handle = 0;  // pthread_t
    bool start(std::function<void()> fn, size_t stack_bytes = kExecutionStack);
    void join();
};
}  // namespace stele::witness
