#include "file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stele::cli
{
namespace
{
const char* kind_of(mode_t m) noexcept
{
    if (S_ISDIR(m))
        return "is a directory";
    if (S_ISFIFO(m))
        return "is not a regular file (a FIFO)";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "is not a regular file (a device)";
    if (S_ISSOCK(m))
        return "is not a regular file (a socket)";
    return "is not a regular file";
}
}  // namespace

std::string read_regular_file(
    const std::string& path, uint64_t max_bytes, std::vector<uint8_t>& out, bool follow_symlinks)
{
    out.clear();
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; fstat on the open
    // descriptor then judges the file actually opened (no race with a rename).
    const int fd = ::open(
        path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_symlinks ? 0 : O_NOFOLLOW));
    if (fd < 0)
        return !follow_symlinks && errno == ELOOP ? "is a symbolic link" : std::strerror(errno);
    struct stat st
    {
    };
    std::string err;
    if (::fstat(fd, &st) != 0)
        err = std::strerror(errno);
    else if (!S_ISREG(st.st_mode))
        err = kind_of(st.st_mode);
    else if (static_cast<uint64_t>(st.st_size) > max_bytes)
        err = "is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
              std::to_string(max_bytes);
    else
    {
        out.resize(static_cast<size_t>(st.st_size));
        size_t got = 0;
        while (got < out.size())
        {
            const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
            {
                err = std::strerror(errno);
                break;
            }
            if (n == 0)
                break;  // the file shrank while we read: what is there
            got += static_cast<size_t>(n);
        }
        out.resize(got);
    }
    ::close(fd);
    if (!err.empty())
        out.clear();
    return err;
}
}  // namespace stele::cli
