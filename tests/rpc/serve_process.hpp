// `stele witness serve --http.port 0` on a chain store as a child process for the rpc tests; the
// port is read from its "listening on" line. The process is stopped (SIGTERM) on destruction.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../common/paths.hpp"

extern char** environ;

namespace stele::test
{
class ServeProcess
{
public:
    explicit ServeProcess(const std::string& datadir, const std::vector<std::string>& extra = {})
    {
        m_log =
            scratch_dir("serve_log_" + std::to_string(getpid()) + "_" + std::to_string(++s_count)) +
            "/out.txt";
        std::vector<std::string> args = {
            stele_cli(), "witness", "serve", "--datadir", datadir, "--http.port", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        if (posix_spawn(&m_pid, args[0].c_str(), &fa, nullptr, argv.data(), environ) != 0)
            m_pid = -1;
        posix_spawn_file_actions_destroy(&fa);
        for (int i = 0; i < 250 && m_pid > 0 && port == 0; ++i)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds{20});
            std::ifstream in{m_log};
            std::string line;
            if (std::getline(in, line) && line.rfind("listening on http://127.0.0.1:", 0) == 0)
                port = std::stoi(line.substr(line.rfind(':') + 1));
        }
    }
    ~ServeProcess()
    {
        if (m_pid > 0)
        {
            kill(m_pid, SIGTERM);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // Whether the process still runs (it must survive every request).
    [[nodiscard]] bool alive() const
    {
        int status = 0;
        return m_pid > 0 && waitpid(m_pid, &status, WNOHANG) == 0;
    }
    [[nodiscard]] std::string url() const
    {
        return "http://127.0.0.1:" + std::to_string(port);
    }
    int port = 0;

private:
    static inline int s_count = 0;
    pid_t m_pid = -1;
    std::string m_log;
};
}  // namespace stele::test
