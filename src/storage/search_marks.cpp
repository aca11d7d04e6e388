// The marks in search results, made the same way on both engines (see dutch_stem.hpp).
#include "storage/dutch_stem.hpp"

#include <algorithm>

namespace gids::storage {

namespace {

void append_plain(std::string& out, std::string_view text) {
    for (char c : text)
        if (c != '\x01' && c != '\x02')
            out += c;
}

std::vector<bool> matches(const std::vector<Token>& tokens, const std::vector<std::string>& stems) {
    std::vector<bool> out(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i)
        out[i] = std::ranges::find(stems, dutch_stem(tokens[i].text)) != stems.end();
    return out;
}

// The words first..last-1 of `text` with their matches marked, and what lies between them.
std::string marked_range(std::string_view text, const std::vector<Token>& tokens,
                         const std::vector<bool>& hit, std::size_t first, std::size_t last,
                         std::size_t from, std::size_t to) {
    std::string out;
    std::size_t at = from;
    for (std::size_t i = first; i < last; ++i) {
        if (!hit[i])
            continue;
        append_plain(out, text.substr(at, tokens[i].begin - at));
        out += '\x01';
        append_plain(out, text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
        out += '\x02';
        at = tokens[i].end;
    }
    append_plain(out, text.substr(at, to - at));
    return out;
}

} // namespace

std::string marked_text(std::string_view text, const std::vector<std::string>& stems) {
    const auto tokens = dutch_words(text);
    return marked_range(text, tokens, matches(tokens, stems), 0, tokens.size(), 0, text.size());
}

std::string marked_snippet(std::string_view text, const std::vector<std::string>& stems,
                           std::size_t words) {
    const auto tokens = dutch_words(text);
    if (tokens.size() <= words || words == 0)
        return marked_text(text, stems);
    const auto hit = matches(tokens, stems);
    // The window with the most matches, the first of equals; then moved so that its first
    // match has a few words before it, as a reader needs them.
    std::size_t best = 0, best_count = 0, count = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        count += hit[i] ? 1 : 0;
        if (i >= words)
            count -= hit[i - words] ? 1 : 0;
        if (i + 1 >= words && count > best_count) {
            best_count = count;
            best = i + 1 - words;
        }
    }
    std::size_t start = best;
    if (best_count > 0) {
        std::size_t first = best;
        while (!hit[first])
            ++first;
        start = first > 3 ? first - 3 : 0;
    }
    start = std::min(start, tokens.size() - words);
    const std::size_t last = start + words;
    std::string out = start > 0 ? "…" : "";
    out += marked_range(text, tokens, hit, start, last, start > 0 ? tokens[start].begin : 0,
                        last < tokens.size() ? tokens[last - 1].end : text.size());
    if (last < tokens.size())
        out += "…";
    return out;
}

} // namespace gids::storage
