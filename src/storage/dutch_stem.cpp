#include "storage/dutch_stem.hpp"

#include "domain/example.hpp"
#include "storage/database.hpp"

#include <algorithm>
#include <cmath>
#include <libstemmer.h>
#include <memory>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <stdexcept>
#include <unordered_map>

namespace gids::storage {

namespace {

bool is_apostrophe(char32_t c) {
    return c == U'\'' || c == U'\u2019';
}

// Calls on_word(folded, begin, end) for every word of `text`, without allocating per word
// beyond the one buffer: the tokenizer runs on every snippet, so this is the hot loop.
// What a code point adds to a word: `ascii` for the common case (no allocation), else
// `folded`. Returns false for a separator.
bool fold_into(char32_t c, std::string& word) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        word += static_cast<char>(c);
        return true;
    }
    if (c >= 'A' && c <= 'Z') {
        word += static_cast<char>(c - 'A' + 'a');
        return true;
    }
    if (c < 0x80)
        return false;
    const std::string folded = fold_letter(c);
    word += folded;
    return !folded.empty();
}

template <typename OnWord> bool for_each_word(std::string_view text, OnWord&& on_word) {
    std::string word;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t pos = 0;
    std::string scratch;
    while (pos < text.size()) {
        const std::size_t at = pos;
        const auto byte = static_cast<unsigned char>(text[pos]);
        const char32_t c = byte < 0x80 ? text[pos++] : next_code_point(text, pos);
        const std::size_t before = word.size();
        if (fold_into(c, word)) {
            if (before == 0)
                begin = at;
            if (word.size() > max_token_bytes)
                word.resize(before); // cut long words at a character
            end = pos;
            continue;
        }
        if (before > 0 && is_apostrophe(c) && pos < text.size()) {
            std::size_t peek = pos;
            scratch.clear();
            if (fold_into(next_code_point(text, peek), scratch))
                continue; // "foto's": the apostrophe joins, it does not split
        }
        if (!word.empty()) {
            if (!on_word(word, begin, end))
                return false;
            word.clear();
        }
    }
    return word.empty() || on_word(word, begin, end);
}

struct StemmerDeleter {
    void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};

sb_stemmer* thread_stemmer() {
    // libstemmer keeps its work in the stemmer object, so threads must not share one.
    thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
        sb_stemmer_new("dutch", nullptr));
    return stemmer.get();
}

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool is_consonant(char c) {
    return c >= 'a' && c <= 'z' && !is_vowel(c);
}

// Snowball's Dutch stemmer removes "-s" only after a consonant and "-en" only once, and
// undoubles only kk, dd and tt. Dutch spelling changes a word in ways it does not undo, so
// that "gezinnen" and "gezin", "mensen" and "mens", "scholen" and "school" get different
// stems. These two steps even that out; index and queries pass through the same function,
// so the only cost is that a few more words share a stem.
//
// Before stemming: the plural -s after a vowel ("thema's" -> "themas" -> "thema",
// "organisaties" -> "organisatie", "gemeentes" -> "gemeente").
std::string plural_s_dropped(std::string_view word) {
    const std::size_t n = word.size();
    if (n >= 5 && word[n - 1] == 's' && is_vowel(word[n - 2]) && word[n - 2] != 'u')
        return std::string(word.substr(0, n - 1));
    return std::string(word);
}

// After stemming: a doubled final consonant is undoubled ("gezinn" -> "gezin"); when a
// suffix went, an -s left before it goes too ("mensen" -> "mens" -> "men", as "mens" itself
// stems) and a final z or v is spelled s or f ("huizen" -> "huis", "brieven" -> "brief");
// a doubled vowel before the final consonant is undoubled ("school" and "scholen" -> "schol").
std::string with_spelling_evened(std::string stem, bool suffix_removed) {
    std::size_t n = stem.size();
    if (n >= 4 && is_consonant(stem[n - 1]) && stem[n - 1] == stem[n - 2]) {
        stem.pop_back();
        --n;
    }
    if (suffix_removed && n >= 4 && stem[n - 1] == 's' && is_consonant(stem[n - 2]) &&
        stem[n - 2] != 'j') {
        stem.pop_back();
        --n;
    }
    if (suffix_removed && n >= 4 && (stem[n - 1] == 'z' || stem[n - 1] == 'v'))
        stem[n - 1] = stem[n - 1] == 'z' ? 's' : 'f';
    if (n >= 4 && is_consonant(stem[n - 1]) && is_vowel(stem[n - 2]) &&
        stem[n - 2] == stem[n - 3] && stem[n - 2] != 'i' && (n == 3 || !is_vowel(stem[n - 4])))
        stem.erase(n - 2, 1);
    return stem;
}

struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>{}(text);
    }
};

std::string stem_uncached(sb_stemmer* stemmer, std::string_view word) {
    const std::string input = plural_s_dropped(word);
    const sb_symbol* stem = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(input.data()), static_cast<int>(input.size()));
    if (stem == nullptr)
        return input;
    const auto length = static_cast<std::size_t>(sb_stemmer_length(stemmer));
    return with_spelling_evened(std::string(reinterpret_cast<const char*>(stem), length),
                                length < input.size());
}

// Snippets and highlights run the tokenizer over whole texts at every search; the same few
// thousand words recur, so each thread remembers their stems.
const std::string& cached_stem(std::string_view word) {
    thread_local std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> known;
    if (auto it = known.find(word); it != known.end())
        return it->second;
    sb_stemmer* stemmer = thread_stemmer();
    std::string stem = stemmer == nullptr || word.size() > max_token_bytes
                           ? std::string(word)
                           : stem_uncached(stemmer, word);
    if (known.size() >= 50000)
        known.clear();
    return known.emplace(word, std::move(stem)).first->second;
}

using sqlite_api::Fts5Tokenizer;
using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// The tokenizer has no settings, so every instance is this one object.
int tokenizer_instance = 0;

int create_tokenizer(void*, const char**, int, Fts5Tokenizer** out) {
    *out = reinterpret_cast<Fts5Tokenizer*>(&tokenizer_instance);
    return SQLITE_OK;
}

void delete_tokenizer(Fts5Tokenizer*) {}

int tokenize(Fts5Tokenizer*, void* context, int, const char* text, int length, TokenCallback emit) {
    if (text == nullptr || length <= 0)
        return SQLITE_OK;
    int rc = SQLITE_OK;
    try {
        for_each_word(std::string_view(text, static_cast<std::size_t>(length)),
                      [&](const std::string& word, std::size_t begin, std::size_t end) {
                          const std::string& stem = cached_stem(word);
                          rc = emit(context, 0, stem.data(), static_cast<int>(stem.size()),
                                    static_cast<int>(begin), static_cast<int>(end));
                          return rc == SQLITE_OK;
                      });
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    } catch (...) {
        return SQLITE_ERROR;
    }
    return rc;
}

// gids_rank(examples_fts, w0, w1, ...): BM25 without its document-length normalisation.
// FTS5's own bm25() reads the length of every matching row from the %_docsize table, one
// lookup per row, which costs a millisecond per few thousand matches; the examples are
// short and of similar length, so the normalisation changes little and is left out. The
// rest is BM25: per phrase its idf, per column the weight times a saturating term
// frequency. Lower is better, as with bm25(), so that ORDER BY sorts best first.
struct RankData {
    std::vector<double> idf;
};

int count_row(const sqlite_api::Fts5ExtensionApi*, sqlite_api::Fts5Context*, void* count) {
    ++*static_cast<long long*>(count);
    return SQLITE_OK;
}

void delete_rank_data(void* data) {
    std::unique_ptr<RankData>(static_cast<RankData*>(data)).reset();
}

const RankData* rank_data(const sqlite_api::Fts5ExtensionApi* api, sqlite_api::Fts5Context* fts) {
    if (auto* cached = static_cast<const RankData*>(api->xGetAuxdata(fts, 0)))
        return cached;
    auto data = std::make_unique<RankData>();
    sqlite_api::sqlite3_int64 rows = 0;
    if (api->xRowCount(fts, &rows) != SQLITE_OK)
        return nullptr;
    for (int phrase = 0, n = api->xPhraseCount(fts); phrase < n; ++phrase) {
        long long hits = 0;
        if (api->xQueryPhrase(fts, phrase, &hits, count_row) != SQLITE_OK)
            return nullptr;
        const double idf =
            std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
        data->idf.push_back(std::max(idf, 1e-6));
    }
    const RankData* out = data.get();
    if (api->xSetAuxdata(fts, data.release(), delete_rank_data) != SQLITE_OK)
        return nullptr; // FTS5 has already freed it
    return out;
}

void gids_rank(const sqlite_api::Fts5ExtensionApi* api, sqlite_api::Fts5Context* fts,
               sqlite_api::sqlite3_context* result, int argc, sqlite_api::sqlite3_value** argv) {
    constexpr double k1 = 1.2;
    const RankData* data = rank_data(api, fts);
    if (data == nullptr) {
        sqlite_api::sqlite3_result_error(result, "gids_rank failed", -1);
        return;
    }
    const int columns = api->xColumnCount(fts);
    const auto phrases = static_cast<int>(data->idf.size());
    thread_local std::vector<int> tf;
    tf.assign(static_cast<std::size_t>(columns * phrases), 0);
    // Walking each phrase's own positions is cheaper than xInst, which first merges them.
    for (int phrase = 0; phrase < phrases; ++phrase) {
        sqlite_api::Fts5PhraseIter iter;
        int column = 0, offset = 0;
        if (api->xPhraseFirst(fts, phrase, &iter, &column, &offset) != SQLITE_OK)
            continue;
        for (; column >= 0; api->xPhraseNext(fts, &iter, &column, &offset))
            if (column < columns)
                ++tf[static_cast<std::size_t>(phrase * columns + column)];
    }
    double score = 0;
    for (int phrase = 0; phrase < phrases; ++phrase)
        for (int column = 0; column < columns; ++column) {
            const double f = tf[static_cast<std::size_t>(phrase * columns + column)];
            const double weight =
                column < argc ? sqlite_api::sqlite3_value_double(argv[column]) : 1.0;
            score += data->idf[static_cast<std::size_t>(phrase)] * weight * f * (k1 + 1) / (f + k1);
        }
    sqlite_api::sqlite3_result_double(result, -score);
}

} // namespace

std::vector<Token> dutch_words(std::string_view text) {
    std::vector<Token> out;
    for_each_word(text, [&](const std::string& word, std::size_t begin, std::size_t end) {
        out.push_back({word, begin, end});
        return true;
    });
    return out;
}

std::string dutch_stem(std::string_view word) {
    return word.empty() ? std::string() : cached_stem(word);
}

std::vector<std::string> dutch_stems(std::string_view text) {
    std::vector<std::string> out;
    for_each_word(text, [&](const std::string& word, std::size_t, std::size_t) {
        out.push_back(dutch_stem(word));
        return true;
    });
    return out;
}

void register_dutch_tokenizer(soci::session& session) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    sqlite_api::sqlite3* db = backend->conn_;
    sqlite_api::fts5_api* api = nullptr;
    sqlite_api::sqlite3_stmt* statement = nullptr;
    // The documented way to reach FTS5's C API: it hands a pointer to itself to this query.
    if (sqlite_api::sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) ==
        SQLITE_OK) {
        sqlite_api::sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr",
                                         nullptr);
        sqlite_api::sqlite3_step(statement);
    }
    sqlite_api::sqlite3_finalize(statement);
    if (api == nullptr || api->iVersion < 2)
        throw std::runtime_error("deze SQLite heeft geen FTS5 (zoeken in tekst)");
    static sqlite_api::fts5_tokenizer tokenizer{create_tokenizer, delete_tokenizer, tokenize};
    if (api->xCreateTokenizer(api, "dutch", nullptr, &tokenizer, nullptr) != SQLITE_OK)
        throw std::runtime_error("de Nederlandse zoekwoordenlijst kan niet worden aangemeld");
    if (api->xCreateFunction(api, "gids_rank", nullptr, gids_rank, nullptr) != SQLITE_OK)
        throw std::runtime_error("de rangschikking van zoekresultaten kan niet worden aangemeld");
}

} // namespace gids::storage
