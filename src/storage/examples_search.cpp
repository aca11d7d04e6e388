// Dutch full-text search over the published practice examples, on both engines.
// - SQLite: the FTS5 table examples_fts with the tokenizer "dutch" (dutch_stem.cpp), ranked
//   by gids_rank (BM25 without its document-length normalisation).
// - PostgreSQL: the table example_search, two weighted tsvectors per example, each in a GIN
//   index: `document`, PostgreSQL's "dutch" configuration over the folded words, and `stems`,
//   the stems as GIDS evens them out (dutch_stem.cpp: "gezinnen" and "gezin" share one) in
//   the "simple" configuration. A word is found when either matches; ranked by ts_rank over
//   the stems with the weights SQLite uses (scaled, as ts_rank takes weights up to 1).
// Both take the same words (search_words), the same filters and the marks made here
// (marked_text, marked_snippet), so a search reads the same on either engine. Only published
// examples are in the index, so a search never touches the examples table until it shows
// the hits.
#include "domain/example.hpp"
#include "storage/database.hpp"
#include "storage/dutch_stem.hpp"
#include "storage/example_rows.hpp"
#include "storage/rows.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <soci/soci.h>

namespace gids::storage {

namespace {

using example_rows::joined;
using example_rows::split_lines;

std::string folded_words(std::string_view text) {
    std::vector<std::string> words;
    for (const auto& token : dutch_words(text))
        words.push_back(token.text);
    return joined(words, " ");
}

} // namespace

namespace example_rows {

void index_example(Lease& sql, long long id, const Example& e) {
    const std::string summary = markdown_plain_text(e.body);
    const std::string organisations = joined(e.organisations, ", ");
    if (sql.on_postgresql()) {
        // Per column its weight: A the title, B the municipality, C the organisations, D the
        // summary; the folded words in the "dutch" configuration, the GIDS stems as they are.
        const auto vector = [](std::string_view config, char name) {
            std::string out;
            for (const char weight : {'A', 'B', 'C', 'D'})
                out.append(out.empty() ? "" : " || ")
                    .append("setweight(to_tsvector('")
                    .append(config)
                    .append("', CAST(:")
                    .append(1, name)
                    .append(1, weight)
                    .append(" AS TEXT)), '")
                    .append(1, weight)
                    .append("')");
            return out;
        };
        static const std::string insert =
            "INSERT INTO example_search (example_id, document, stems) VALUES (:id, " +
            vector("dutch", 'f') + ", " + vector("simple", 's') +
            ") ON CONFLICT (example_id) DO UPDATE SET document = excluded.document, "
            "stems = excluded.stems";
        std::vector<Param> params{id};
        const std::string* texts[] = {&e.title, &e.municipality, &organisations, &summary};
        for (const std::string* text : texts)
            params.emplace_back(folded_words(*text));
        for (const std::string* text : texts)
            params.emplace_back(joined(dutch_stems(*text), " "));
        sql.exec(insert, params);
        return;
    }
    sql.exec("DELETE FROM examples_fts WHERE rowid = :id", {id});
    sql.exec("INSERT INTO examples_fts (rowid, title, summary, municipality, organisations) "
             "VALUES (:id, :t, :s, :m, :o)",
             {id, e.title, summary, e.municipality, organisations});
}

void unindex_example(Lease& sql, long long id) {
    sql.exec(sql.on_postgresql() ? "DELETE FROM example_search WHERE example_id = :id"
                                 : "DELETE FROM examples_fts WHERE rowid = :id",
             {id});
}

bool sync_search_index(Lease& sql) {
    const bool pg = sql.on_postgresql();
    long long published = 0;
    long long indexed = 0;
    sql.each("SELECT COUNT(*) FROM examples WHERE status = 'gepubliceerd'", {},
             [&](const soci::row& r) { published = as_int(r, 0); });
    sql.each(pg ? "SELECT COUNT(*) FROM example_search" : "SELECT COUNT(*) FROM examples_fts", {},
             [&](const soci::row& r) { indexed = as_int(r, 0); });
    if (published == indexed)
        return false;
    std::vector<StoredExample> examples;
    sql.each("SELECT " + columns + " FROM examples WHERE status = 'gepubliceerd'", {},
             [&](const soci::row& r) { examples.push_back(to_example(r)); });
    sql.exec(pg ? "DELETE FROM example_search" : "DELETE FROM examples_fts", {});
    for (const auto& s : examples)
        index_example(sql, s.id, s.example);
    return true;
}

} // namespace example_rows

namespace {

bool is_stop_word(std::string_view word) {
    // Words too common to narrow a search; dropping them keeps "aanpak van schulden" from
    // demanding that an example says "van".
    static const std::set<std::string_view> words{
        "de", "het", "een", "en", "van", "in",   "op",  "voor", "met", "te",  "aan",  "of",   "bij",
        "is", "dat", "die", "om", "als", "door", "tot", "naar", "er",  "ook", "zijn", "wordt"};
    return words.contains(word);
}

// The words of a search, folded; stop words only count when nothing else was typed.
std::vector<std::string> search_words(std::string_view text) {
    std::vector<std::string> words, kept;
    // Whatever was typed, only its first 2,000 bytes and twelve words count.
    for (const auto& token : dutch_words(text.substr(0, 2000)))
        if (std::ranges::find(words, token.text) == words.end())
            words.push_back(token.text);
    for (const auto& w : words)
        if (!is_stop_word(w) && kept.size() < max_search_words)
            kept.push_back(w);
    if (kept.empty())
        for (const auto& w : words)
            if (kept.size() < max_search_words)
                kept.push_back(w);
    return kept;
}

std::string fts_query(const std::vector<std::string>& words, bool any_word) {
    std::string out;
    // Each word as an FTS5 string: the words hold only letters and digits, so no quote or
    // operator of the user can reach FTS5's query syntax.
    for (const auto& w : words)
        out += (out.empty() ? "" : any_word ? " OR " : " ") + ("\"" + w + "\"");
    return out;
}

// The filters as SQL on a column holding the example id; every filter is always bound, an
// empty value switching it off, so one prepared statement serves every combination.
std::string filter_sql(std::string_view id) {
    const std::string in = std::string(" AND (:{0} = '' OR ") + std::string(id) +
                           " IN (SELECT example_id FROM example_tags WHERE kind = '{1}' AND "
                           "value = :{0}2))";
    std::string out;
    for (const auto& [param, kind] :
         {std::pair{"th", "thema"}, std::pair{"sp", "spoor"}, std::pair{"pr", "principe"},
          std::pair{"dg", "doelgroep"}, std::pair{"gm", "gemeente"}}) {
        std::string part = in;
        for (auto at = part.find("{0}"); at != std::string::npos; at = part.find("{0}"))
            part.replace(at, 3, param);
        part.replace(part.find("{1}"), 3, kind);
        out += part;
    }
    return out;
}

std::vector<Param> filter_params(const ExampleFilters& f) {
    return {f.theme,     f.theme,        f.track,        f.track,        f.principle,
            f.principle, f.target_group, f.target_group, f.municipality, f.municipality};
}

std::vector<Param> with(std::vector<Param> params, std::initializer_list<Param> more) {
    params.insert(params.end(), more);
    return params;
}

// Sorts facet values as people read them: "Súdwest-Fryslân" among the S.
void sort_facets(std::vector<ExampleFacet>& facets) {
    std::ranges::sort(facets, [](const ExampleFacet& a, const ExampleFacet& b) {
        return std::pair(slugify(a.value), a.value) < std::pair(slugify(b.value), b.value);
    });
}

// Answers kept while the published examples do not change: per key (database and question)
// for one revision of example_revision, which every write that shows in search changes, in
// the database, so that a `gids content reload` or another instance counts too. Bounded:
// when full, it starts over.
template <typename T, std::size_t capacity = 256> class RevisionCache {
  public:
    std::optional<T> get(const std::string& key, long long revision) {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end() || it->second.first != revision)
            return std::nullopt;
        return it->second.second;
    }
    void put(const std::string& key, long long revision, const T& value) {
        std::lock_guard lock(m_mutex);
        if (m_entries.size() >= capacity && !m_entries.contains(key))
            m_entries.clear();
        m_entries.insert_or_assign(key, std::pair(revision, value));
    }

  private:
    std::mutex m_mutex;
    std::map<std::string, std::pair<long long, T>> m_entries;
};

long long revision_of(Lease& sql) {
    long long revision = 0;
    sql.each("SELECT revision FROM example_revision WHERE id = 1", {},
             [&](const soci::row& r) { revision = as_int(r, 0); });
    return revision;
}

// The PostgreSQL conditions for the words, all of them or any: per word its "dutch" form in
// the document or its GIDS stem among the stems. Each word is bound, never spliced in.
std::string pg_match(std::size_t words, bool any_word) {
    std::string out;
    for (std::size_t i = 0; i < words; ++i) {
        const std::string n = std::to_string(i);
        out.append(out.empty() ? ""
                   : any_word  ? " OR "
                               : " AND ")
            .append("(s.document @@ plainto_tsquery('dutch', CAST(:d" + n + " AS TEXT)) OR ")
            .append("s.stems @@ plainto_tsquery('simple', CAST(:s" + n + " AS TEXT)))");
    }
    return "(" + out + ")";
}

// The query ts_rank weighs: the GIDS stems only, so that each word counts once and
// "huisartsen" ranks as "huisarts" does, as on SQLite.
std::string pg_ranking(std::size_t words, bool any_word) {
    std::string out;
    for (std::size_t i = 0; i < words; ++i)
        out.append(out.empty() ? ""
                   : any_word  ? " || "
                               : " && ")
            .append("plainto_tsquery('simple', CAST(:r" + std::to_string(i) + " AS TEXT))");
    return out;
}

// The ids of the hits from `offset` on, at most `limit`, best first, and how many there are
// in all.
std::vector<long long> ranked_ids(Lease& sql, const std::vector<std::string>& words, bool any_word,
                                  const std::vector<Param>& filters, long long limit,
                                  long long offset, long long& total) {
    std::string select, count;
    std::vector<Param> params;
    if (sql.on_postgresql()) {
        std::vector<std::string> stems;
        for (const auto& w : words)
            stems.push_back(dutch_stem(w));
        params.insert(params.end(), stems.begin(), stems.end());
        for (std::size_t i = 0; i < words.size(); ++i) {
            params.emplace_back(words[i]);
            params.emplace_back(stems[i]);
        }
        const std::string from =
            "WITH q AS (SELECT " + pg_ranking(words.size(), any_word) + " AS ranking) ";
        const std::string where = " FROM example_search s, q WHERE " +
                                  pg_match(words.size(), any_word) + filter_sql("s.example_id");
        select = from + "SELECT s.example_id" + where +
                 " ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', s.stems, q.ranking) DESC, "
                 "s.example_id LIMIT :l OFFSET :o";
        count = from + "SELECT COUNT(*)" + where;
    } else {
        params.emplace_back(fts_query(words, any_word));
        const std::string where =
            " FROM examples_fts WHERE examples_fts MATCH :q" + filter_sql("examples_fts.rowid");
        // The title weighs most, then the municipality, the organisations and the summary.
        select = "SELECT rowid" + where +
                 " ORDER BY gids_rank(examples_fts, 10.0, 1.0, 4.0, 2.0), rowid LIMIT :l OFFSET :o";
        count = "SELECT COUNT(*)" + where;
    }
    params.insert(params.end(), filters.begin(), filters.end());
    std::vector<long long> ids;
    sql.each(select, with(params, {limit, offset}),
             [&](const soci::row& r) { ids.push_back(as_int(r, 0)); });
    total = offset + static_cast<long long>(ids.size());
    if (static_cast<long long>(ids.size()) == limit)
        sql.each(count, params, [&](const soci::row& r) { total = as_int(r, 0); });
    return ids;
}

// Browsing: published examples by title, straight from the examples table.
ExampleResults browse(Lease& sql, const std::vector<Param>& filters, long long limit,
                      long long offset) {
    ExampleResults out;
    const std::string where = " FROM examples WHERE status = 'gepubliceerd'" + filter_sql("id");
    sql.each("SELECT " + example_rows::columns + where + " ORDER BY title, id LIMIT :l OFFSET :o",
             with(filters, {limit, offset}), [&](const soci::row& r) {
                 out.hits.push_back({example_rows::to_example(r), {}, {}, {}, {}});
             });
    out.total = offset + static_cast<long long>(out.hits.size());
    if (static_cast<long long>(out.hits.size()) == limit)
        sql.each("SELECT COUNT(*)" + where, filters,
                 [&](const soci::row& r) { out.total = as_int(r, 0); });
    return out;
}

// Every hit of a question in order, kept per revision: paging through a popular search
// then costs no ranking at all. Beyond the first max_ranked ids a page is ranked anew.
struct Ranking {
    std::vector<long long> ids;
    long long total = 0;
};
constexpr long long max_ranked = 5000;

// The hits with these ids, in this order, with the words marked; one query for the page. A
// hit carries what a result list shows, not the whole example: no summary (the snippet
// stands in for it), no lists but the themes.
std::vector<ExampleHit> marked_hits(Lease& sql, const std::vector<long long>& ids,
                                    const std::vector<std::string>& words) {
    if (ids.empty())
        return {};
    std::vector<std::string> stems;
    for (const auto& w : words)
        stems.push_back(dutch_stem(w));
    std::string in;
    std::vector<Param> params;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        in.append(i == 0 ? ":i" : ", :i").append(std::to_string(i));
        params.emplace_back(ids[i]);
    }
    std::map<long long, ExampleHit> found;
    sql.each("SELECT id, slug, origin, status, title, municipality, themes, published_at, "
             "summary, organisations FROM examples WHERE id IN (" +
                 in + ")",
             params, [&](const soci::row& r) {
                 ExampleHit hit;
                 StoredExample& s = hit.stored;
                 s.id = as_int(r, 0);
                 s.example.slug = as_text(r, 1);
                 s.origin = parse_example_origin(as_text(r, 2)).value_or(ExampleOrigin::source);
                 s.status = parse_example_status(as_text(r, 3)).value_or(ExampleStatus::published);
                 s.example.title = as_text(r, 4);
                 s.example.municipality = as_text(r, 5);
                 s.example.themes = split_lines(as_text(r, 6));
                 s.published_at = as_opt_int(r, 7);
                 hit.title_marked = marked_text(s.example.title, stems);
                 hit.snippet_marked = marked_snippet(markdown_plain_text(as_text(r, 8)), stems, 32);
                 hit.municipality_marked = marked_text(s.example.municipality, stems);
                 hit.organisations_marked =
                     marked_text(joined(split_lines(as_text(r, 9)), ", "), stems);
                 found.emplace(s.id, std::move(hit));
             });
    std::vector<ExampleHit> out;
    for (long long id : ids)
        if (auto it = found.find(id); it != found.end())
            out.push_back(std::move(it->second));
    return out;
}

} // namespace

ExampleResults Database::search_examples(const ExampleQuery& query) {
    Lease sql(*this);
    auto words = search_words(query.text);
    const long long limit = std::clamp(query.limit, 1LL, 100LL);
    const long long offset = std::clamp(query.offset, 0LL, 1000000LL);
    const auto filters = filter_params(query.filters);
    // The same question (say, the popular "schulden") is answered once per revision: each
    // page of it, and the ranking all its pages come from.
    static RevisionCache<ExampleResults> pages;
    static RevisionCache<Ranking, 32> rankings;
    const long long revision = revision_of(sql);
    std::string question = m_url;
    for (const auto& part :
         {fts_query(words, query.any_word), query.filters.theme, query.filters.track,
          query.filters.principle, query.filters.municipality, query.filters.target_group})
        question.append("\x1f").append(part);
    std::string key = question;
    key.append("\x1f").append(std::to_string(limit)).append("\x1f").append(std::to_string(offset));
    if (auto cached = pages.get(key, revision))
        return std::move(*cached);
    ExampleResults out;
    if (words.empty()) {
        out = browse(sql, filters, limit, offset);
    } else {
        auto ranking = rankings.get(question, revision);
        if (!ranking) {
            ranking = Ranking{};
            ranking->ids =
                ranked_ids(sql, words, query.any_word, filters, max_ranked, 0, ranking->total);
            rankings.put(question, revision, *ranking);
        }
        std::vector<long long> ids;
        long long total = ranking->total;
        if (offset + limit <= static_cast<long long>(ranking->ids.size()) ||
            ranking->total <= max_ranked) {
            const auto begin = std::min(ranking->ids.size(), static_cast<std::size_t>(offset));
            const auto end =
                std::min(ranking->ids.size(), static_cast<std::size_t>(offset + limit));
            ids.assign(ranking->ids.begin() + static_cast<std::ptrdiff_t>(begin),
                       ranking->ids.begin() + static_cast<std::ptrdiff_t>(end));
        } else {
            ids = ranked_ids(sql, words, query.any_word, filters, limit, offset, total);
        }
        out.hits = marked_hits(sql, ids, words);
        out.total = total;
        out.words = std::move(words);
    }
    pages.put(key, revision, out);
    return out;
}

long long Database::example_revision() {
    Lease sql(*this);
    return revision_of(sql);
}

ExampleFacets Database::example_facets() {
    // Counting the values costs milliseconds over thousands of examples; they change only
    // with the revision.
    static RevisionCache<ExampleFacets> cache;
    Lease sql(*this);
    const long long revision = revision_of(sql);
    if (auto cached = cache.get(m_url, revision))
        return std::move(*cached);
    ExampleFacets out;
    sql.each("SELECT kind, value, COUNT(*) FROM example_tags WHERE kind IN ('gemeente', "
             "'doelgroep') GROUP BY kind, value",
             {}, [&](const soci::row& r) {
                 (as_text(r, 0) == "gemeente" ? out.municipalities : out.target_groups)
                     .push_back({as_text(r, 1), as_int(r, 2)});
             });
    sort_facets(out.municipalities);
    sort_facets(out.target_groups);
    cache.put(m_url, revision, out);
    return out;
}

} // namespace gids::storage
