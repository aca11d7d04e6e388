#pragma once
// Request and response as handlers see them: no Beast types, so handlers compile fast
// and can be tested without a socket.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gids::web {

struct UploadedFile {
    std::string filename;
    std::string content_type;
    std::string data;
};

// Decoded form or query fields; a name may occur more than once (checkboxes).
class Fields {
  public:
    void add(std::string name, std::string value) {
        m_values.emplace_back(std::move(name), std::move(value));
    }
    // The first value of a field, or "" when absent.
    std::string get(std::string_view name) const;
    bool has(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& items() const { return m_values; }
    bool empty() const { return m_values.empty(); }

  private:
    std::vector<std::pair<std::string, std::string>> m_values;
};

struct Request {
    std::string method;
    std::string target; // as sent, path plus query
    std::string path;   // decoded path
    Fields query;
    std::map<std::string, std::string> headers; // lowercase names
    std::string body;
    std::string remote_address;
    std::map<std::string, std::string> params; // from the route pattern, e.g. {id}

    std::string header(std::string_view name) const;
    std::string cookie(std::string_view name) const;
    std::string param(std::string_view name) const;
};

// The receiving end of a long-lived response (Server-Sent Events): text sent here goes to
// one client, in order. `send` may be called from any thread; a client that falls too far
// behind is dropped (it reconnects and catches up). `open` turns false when it is gone.
class StreamSink {
  public:
    virtual ~StreamSink() = default;
    virtual void send(std::string text) = 0;
    virtual bool open() const = 0;
};

struct EventStream {
    std::string prelude; // written right after the headers, e.g. events to catch up on
    std::function<void(std::shared_ptr<StreamSink>)> attach; // called once the headers are out
};

struct Response {
    unsigned status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::shared_ptr<EventStream> stream; // set for a long-lived event stream

    Response& set_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    static Response redirect(std::string location, unsigned status = 303);
    static Response text(unsigned status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
};

std::string cookie_header(std::string_view name, std::string_view value, bool secure,
                          long max_age_seconds = -1, bool http_only = true);

// A path on this site that is safe to redirect to: starts with one '/', no control
// characters, no backslash (browsers read "/\\x" and "/\t/x" as another host).
bool is_safe_local_path(std::string_view path);
std::string percent_encode_path(std::string_view path);

// Parses `a=1&b=2` with percent-decoding and `+` as space. Returns false on malformed input.
bool parse_urlencoded(std::string_view text, Fields& out);

// Parses a multipart/form-data body. Returns false on malformed input.
bool parse_multipart(std::string_view body, std::string_view content_type, Fields& fields,
                     std::map<std::string, UploadedFile>& files);

} // namespace gids::web
