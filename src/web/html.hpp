#pragma once
// Escaping for the few places that write HTML or SVG outside the templates (charts, QR
// codes, highlighted search results). Everything else goes through Mustache.

#include <string>
#include <string_view>

namespace gids::web {

inline std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace gids::web
