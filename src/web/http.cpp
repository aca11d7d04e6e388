#include "web/http.hpp"

#include <algorithm>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <cctype>

namespace gids::web {

std::string Fields::get(std::string_view name) const {
    for (const auto& [k, v] : m_values)
        if (k == name)
            return v;
    return {};
}

bool Fields::has(std::string_view name) const {
    return std::any_of(m_values.begin(), m_values.end(),
                       [&](const auto& kv) { return kv.first == name; });
}

std::vector<std::string> Fields::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_values)
        if (k == name)
            out.push_back(v);
    return out;
}

std::string Request::header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::param(std::string_view name) const {
    auto it = params.find(std::string(name));
    return it == params.end() ? std::string() : it->second;
}

std::string Request::cookie(std::string_view name) const {
    const std::string all = header("cookie");
    std::string_view rest = all;
    while (!rest.empty()) {
        auto semi = rest.find(';');
        std::string_view part = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name)
            return std::string(part.substr(eq + 1));
    }
    return {};
}

bool is_safe_local_path(std::string_view path) {
    if (path.empty() || path.front() != '/' || path.starts_with("//") || path.size() > 2000)
        return false;
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f || c == '\\')
            return false;
    return true;
}

std::string percent_encode_path(std::string_view path) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Response Response::redirect(std::string location, unsigned status) {
    Response r;
    r.status = status;
    r.set_header("Location", std::move(location));
    r.body = "";
    return r;
}

Response Response::text(unsigned status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

std::string cookie_header(std::string_view name, std::string_view value, bool secure,
                          long max_age_seconds, bool http_only) {
    std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; SameSite=Lax";
    if (http_only)
        c += "; HttpOnly";
    if (secure)
        c += "; Secure";
    if (max_age_seconds >= 0)
        c += "; Max-Age=" + std::to_string(max_age_seconds);
    return c;
}

bool parse_urlencoded(std::string_view text, Fields& out) {
    // Boost.URL 1.81 measures its input with strlen (boostorg/url#757): give it a string
    // that ends where the text ends.
    const std::string copy(text);
    if (copy.find('\0') != std::string::npos)
        return false;
    auto parsed = boost::urls::parse_query(copy);
    if (!parsed)
        return false;
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    for (auto param : *parsed)
        out.add(param.key.decode(opts), param.has_value ? param.value.decode(opts) : std::string());
    return true;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The value of `key=` in a header such as `form-data; name="x"; filename="y"`.
std::string header_param(std::string_view header, std::string_view key) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto semi = header.find(';', pos);
        std::string_view part =
            trim(header.substr(pos, semi == std::string_view::npos ? header.npos : semi - pos));
        pos = semi == std::string_view::npos ? header.size() : semi + 1;
        auto eq = part.find('=');
        if (eq == std::string_view::npos || trim(part.substr(0, eq)) != key)
            continue;
        std::string_view v = trim(part.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
            v = v.substr(1, v.size() - 2);
        return std::string(v);
    }
    return {};
}

} // namespace

bool parse_multipart(std::string_view body, std::string_view content_type, Fields& fields,
                     std::map<std::string, UploadedFile>& files) {
    const std::string boundary = header_param(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 200)
        return false;
    const std::string delimiter = "--" + boundary;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos)
        return false;
    pos += delimiter.size();
    for (int parts = 0; parts < 1000; ++parts) {
        if (body.substr(pos, 2) == "--")
            return true; // closing delimiter
        if (body.substr(pos, 2) != "\r\n")
            return false;
        pos += 2;
        const std::size_t header_end = body.find("\r\n\r\n", pos);
        if (header_end == std::string_view::npos)
            return false;
        std::string_view head = body.substr(pos, header_end - pos);
        std::string disposition;
        std::string part_type;
        while (!head.empty()) {
            auto eol = head.find("\r\n");
            std::string_view line = head.substr(0, eol);
            head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
            auto colon = line.find(':');
            if (colon == std::string_view::npos)
                return false;
            std::string name(trim(line.substr(0, colon)));
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
            if (name == "content-disposition")
                disposition = trim(line.substr(colon + 1));
            else if (name == "content-type")
                part_type = trim(line.substr(colon + 1));
        }
        const std::size_t data_start = header_end + 4;
        const std::size_t data_end = body.find("\r\n" + delimiter, data_start);
        if (data_end == std::string_view::npos)
            return false;
        std::string_view data = body.substr(data_start, data_end - data_start);
        const std::string name = header_param(disposition, "name");
        if (name.empty())
            return false;
        if (disposition.find("filename=") != std::string::npos) {
            files[name] =
                UploadedFile{header_param(disposition, "filename"), part_type, std::string(data)};
        } else {
            fields.add(name, std::string(data));
        }
        pos = data_end + 2 + delimiter.size();
    }
    return false;
}

} // namespace gids::web
