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
