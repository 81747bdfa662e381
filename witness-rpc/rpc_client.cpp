#include "rpc_client.hpp"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <thread>

namespace stele::witness
{
namespace
{
using json = nlohmann::json;

bool mutable_params(const json& p)
{
    if (p.is_string())
    {
        const auto& s = p.get_ref<const std::string&>();
        return s == "latest" || s == "pending" || s == "safe" || s == "finalized";
    }
    if (p.is_array() || p.is_object())
        for (const auto& v : p)
            if (mutable_params(v))
                return true;
    return false;
}

std::string cache_key(const std::string& method, const json& params)
{
    const std::string text = method + params.dump();
    const hash256 h = keccak256({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    return to_hex(h.view());
}
}  // namespace

std::unique_ptr<RpcClient> RpcClient::open(
    const std::string& url, RpcClientOptions options, std::string& error)
{
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos ||
        (url.compare(0, scheme, "http") != 0 && url.compare(0, scheme, "https") != 0))
    {
        error = "--rpc " + url + ": want http://host[:port][/path] or https://…";
        return nullptr;
    }
    const size_t path = url.find('/', scheme + 3);
    std::unique_ptr<RpcClient> c{new RpcClient};
    c->m_base = url.substr(0, path);
    c->m_path = path == std::string::npos ? "/" : url.substr(path);
    c->m_options = options;
    if (!options.cache_dir.empty())
    {
        std::error_code ec;
        std::filesystem::create_directories(options.cache_dir, ec);
        if (ec)
        {
            error = options.cache_dir + ": " + ec.message();
            return nullptr;
        }
    }
    return c;
}

RpcClient::~RpcClient() = default;

bool RpcClient::post(const std::string& body, std::string& response, RpcCallError& error)
{
    int delay = m_options.backoff_ms;
    for (int attempt = 0; attempt <= m_options.retries; ++attempt)
    {
        if (attempt > 0)
        {
            ++m_stats.retries;
            std::this_thread::sleep_for(std::chrono::milliseconds{delay});
            delay = std::min(delay * 2, 5000);
        }
        httplib::Client http{m_base};
        http.set_connection_timeout(m_options.timeout_seconds, 0);
        http.set_read_timeout(m_options.timeout_seconds, 0);
        http.set_write_timeout(m_options.timeout_seconds, 0);
        ++m_stats.requests;
        const auto r = http.Post(m_path, body, "application/json");
        if (!r)
        {
            error = {RpcCallError::transport, 0,
                std::string{"no answer from "} + m_base + ": " + httplib::to_string(r.error())};
            continue;
        }
        m_stats.bytes += r->body.size();
        if (r->status == 429 || r->status >= 500)
        {
            error = {RpcCallError::transport, r->status,
                "HTTP " + std::to_string(r->status) + " from " + m_base};
            continue;
        }
        if (r->status != 200)
        {
            error = {RpcCallError::transport, r->status,
                "HTTP " + std::to_string(r->status) + " from " + m_base};
            return false;
        }
        if (r->body.size() > m_options.max_response)
        {
            error = {RpcCallError::invalid, 0, "response larger than the limit"};
            return false;
        }
        response = r->body;
        return true;
    }
    error.message += " (after " + std::to_string(m_options.retries) + " retries)";
    return false;
}

bool RpcClient::call(
    const std::string& method, const json& params, json& result, RpcCallError& error)
{
    error = {};
    const bool cacheable = !m_options.cache_dir.empty() && !mutable_params(params);
    const std::string path =
        cacheable ? m_options.cache_dir + "/" + cache_key(method, params) + ".json" : "";
    if (cacheable)
    {
        std::ifstream in{path};
        if (in)
        {
            const json cached = json::parse(in, nullptr, false);
            if (!cached.is_discarded())
            {
                ++m_stats.cache_hits;
                result = cached;
                return true;
            }
        }
    }
    const json req = {{"jsonrpc", "2.0"}, {"id", m_id++}, {"method", method}, {"params", params}};
    std::string text;
    // An answer that is not JSON-RPC (truncated, wrong JSON) counts as a transport failure and is
    // retried too: a proxy or an overloaded node produces those.
    for (int attempt = 0; attempt <= m_options.retries; ++attempt)
    {
        if (!post(req.dump(), text, error))
            return false;
        const json resp = json::parse(text, nullptr, false);
        if (resp.is_discarded() || !resp.is_object() ||
            (!resp.contains("result") && !resp.contains("error")))
        {
            error = {RpcCallError::invalid, 0,
                method + ": the answer is not a JSON-RPC response: " + text.substr(0, 120)};
            ++m_stats.retries;
            continue;
        }
        if (const auto e = resp.find("error"); e != resp.end() && !e->is_null())
        {
            error = {RpcCallError::rpc, e->value("code", 0),
                method + ": " + e->value("message", std::string{"error"})};
            return false;
        }
        result = resp["result"];
        if (cacheable && !result.is_null())
        {
            const std::string tmp = path + ".tmp";
            {
                std::ofstream out{tmp, std::ios::trunc};
                out << result.dump();
            }
            std::error_code ec;
            std::filesystem::rename(tmp, path, ec);  // atomic: a killed run leaves no half file
        }
        return true;
    }
    return false;
}

void RpcClient::call_all(std::vector<Call>& calls)
{
    std::atomic<size_t> next{0};
    const auto worker = [&]
    {
        for (size_t i = next++; i < calls.size(); i = next++)
            calls[i].ok = call(calls[i].method, calls[i].params, calls[i].result, calls[i].error);
    };
    std::vector<std::thread> pool;
    const size_t n =
        std::min<size_t>(static_cast<size_t>(std::max(1, m_options.concurrency)), calls.size());
    for (size_t i = 1; i < n; ++i)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
}
}  // namespace stele::witness
