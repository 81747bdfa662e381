#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

extern char** environ;

namespace stele::test
{
namespace
{
// Temporary files rather than pipes: large inputs and outputs need no pumping thread.
struct TempFile
{
    std::string path;
    int fd = -1;
    TempFile()
    {
        char tmpl[] = "/tmp/stele-test-XXXXXX";
        fd = mkstemp(tmpl);
        path = tmpl;
    }
    ~TempFile()
    {
        if (fd >= 0)
            close(fd);
        unlink(path.c_str());
    }
    std::string read_all() const
    {
        std::string s;
        char buf[65536];
        lseek(fd, 0, SEEK_SET);
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            s.append(buf, static_cast<size_t>(n));
        return s;
    }
};
}  // namespace

ProcessResult run_process(
    const std::vector<std::string>& argv, const std::string& input, std::chrono::seconds timeout)
{
    ProcessResult result;
    TempFile in, out, err;
    for (size_t off = 0; off < input.size();)
    {
        const ssize_t w = write(in.fd, input.data() + off, input.size() - off);
        if (w <= 0)
            return result;
        off += static_cast<size_t>(w);
    }
    lseek(in.fd, 0, SEEK_SET);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err.fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
    {
        result.err = "spawn failed: " + argv[0];
        return result;
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    for (;;)
    {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (std::chrono::steady_clock::now() > deadline)
        {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            result.timed_out = true;
            break;
        }
        poll(nullptr, 0, 5);
    }
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = 128 + WTERMSIG(status);
    result.out = out.read_all();
    result.err = err.read_all();
    return result;
}
}  // namespace stele::test
