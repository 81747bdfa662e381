#include "threads.hpp"

#include <pthread.h>

#include <memory>

namespace stele::witness
{
namespace
{
void* entry(void* p)
{
    const std::unique_ptr<std::function<void()>> fn{static_cast<std::function<void()>*>(p)};
    (*fn)();
    return nullptr;
}
}  // namespace

bool StackThread::start(std::function<void()> fn, size_t stack_bytes)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack_bytes);
    auto* heap = new std::function<void()>(std::move(fn));
    pthread_t th;
    const bool ok = pthread_create(&th, &attr, entry, heap) == 0;
    pthread_attr_destroy(&attr);
    if (!ok)
    {
        delete heap;
        return false;
    }
    handle = static_cast<unsigned long>(th);
    return true;
}

void StackThread::join()
{
    if (handle != 0)
        pthread_join(static_cast<pthread_t>(handle), nullptr);
    handle = 0;
}

void run_with_stack(const std::function<void()>& fn, size_t stack_bytes)
{
    StackThread t;
    if (!t.start(fn, stack_bytes))
    {
        fn();
        return;
    }
    t.join();
}
}  // namespace stele::witness
