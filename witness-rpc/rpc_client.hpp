// A JSON-RPC 2.0 client for someone else's node (http:// or https://): retries with exponential
// backoff on transport failures, timeouts, HTTP 429 and 5xx; bounded concurrency for batches of
// independent calls; an optional on-disk cache of answers to immutable queries (every call whose
// parameters name no block tag such as "latest"), so that a second run does no network work.
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stele::witness
{
struct RpcClientOptions
{
    int timeout_seconds = 60;
    int retries = 5;        // after the first attempt
    int backoff_ms = 200;   // doubled per retry, at most 5 s
    int concurrency = 8;    // parallel requests of call_all
    int batch = 32;         // calls per JSON-RPC batch body in call_all (1: no batches)
    std::string cache_dir;  // empty: no cache
    size_t max_response = size_t{1} << 30;
};

struct RpcCallError
{
    enum Kind
    {
        none,
        transport,  // no answer after every retry (connection, timeout, HTTP status)
        rpc,        // the node answered with a JSON-RPC error (code, message)
        invalid,    // the answer is not a JSON-RPC response
    } kind = none;
    int code = 0;  // JSON-RPC error code (rpc) or HTTP status (transport, when there was one)
    std::string message;
};

struct RpcStats
{
    std::atomic<uint64_t> requests{0}, retries{0}, bytes{0}, cache_hits{0};
};

class RpcClient
{
public:
    // `url`: http[s]://host[:port][/path].
    [[nodiscard]] static std::unique_ptr<RpcClient> open(
        const std::string& url, RpcClientOptions options, std::string& error);
    ~RpcClient();
    RpcClient(const RpcClient&) = delete;
    RpcClient& operator=(const RpcClient&) = delete;

    // One call; thread-safe.
    [[nodiscard]] bool call(const std::string& method, const nlohmann::json& params,
        nlohmann::json& result, RpcCallError& error);

    struct Call
    {
        std::string method;
        nlohmann::json params;
        nlohmann::json result;
        RpcCallError error;
        bool ok = false;
    };
    // Runs the calls as JSON-RPC batches of options.batch, options.concurrency requests at a
    // time; answers from the cache first. A node that refuses batches (answers a batch with
    // anything but an array) gets single calls from then on.
    void call_all(std::vector<Call>& calls);

    [[nodiscard]] const RpcStats& stats() const noexcept
    {
        return m_stats;
    }

private:
    RpcClient() = default;
    bool post(const std::string& body, std::string& response, RpcCallError& error);
    bool cached(const std::string& method, const nlohmann::json& params, nlohmann::json& result);
    void store(
        const std::string& method, const nlohmann::json& params, const nlohmann::json& result);
    // One batch body for calls[first, first + n); false if the node does not answer batches.
    bool batch(std::vector<Call>& calls, size_t first, size_t n);

    std::string m_base, m_path;
    RpcClientOptions m_options;
    RpcStats m_stats;
    std::atomic<uint64_t> m_id{1};
    std::atomic<bool> m_no_batches{false};
};
}  // namespace stele::witness
