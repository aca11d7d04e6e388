#pragma once
// Dutch words as the search index sees them: split on everything that is not a letter or a
// digit, lower case with accents folded away (ë -> e, ĳ -> ij), then reduced to their stem by
// the Snowball Dutch stemmer ("schulden" -> "schuld", "gezinnen" -> "gezin"). The SQLite FTS5
// tokenizer "dutch" does exactly this, for indexing and for queries alike; it is registered
// on every pooled SQLite connection by register_dutch_tokenizer (see database.hpp).

#include <string>
#include <string_view>
#include <vector>

namespace gids::storage {

// Longer words are cut to this many bytes; no Dutch word comes near it.
inline constexpr std::size_t max_token_bytes = 64;

struct Token {
    std::string text;  // folded, before stemming
    std::size_t begin; // byte offsets of the word in the input
    std::size_t end;
};

// The folded words of `text`, in order. An apostrophe between two letters joins them and is
// dropped ("foto's" -> "fotos"); a hyphen separates ("Súdwest-Fryslân" -> "sudwest",
// "fryslan").
std::vector<Token> dutch_words(std::string_view text);

// The Snowball stem of one folded word. Thread-safe: each thread has its own stemmer.
std::string dutch_stem(std::string_view folded_word);

// The stems of every word of `text`; what the index stores.
std::vector<std::string> dutch_stems(std::string_view text);

} // namespace gids::storage

namespace gids::storage {

// For search results: every word of `text` whose stem is one of `stems` between "\x01" and
// "\x02" (the page turns them into <mark>). Control characters \x01 and \x02 in the text
// itself are dropped, so only these marks remain.
std::string marked_text(std::string_view text, const std::vector<std::string>& stems);

// At most `words` words of `text` where the most of `stems` occur, marked as marked_text
// does, with "…" where the text was cut.
std::string marked_snippet(std::string_view text, const std::vector<std::string>& stems,
                           std::size_t words);

} // namespace gids::storage
