// Practice examples: built-in ones from content/examples, submissions and their moderation,
// and the Dutch full-text search over the published ones (SQLite FTS5, table examples_fts,
// tokenizer "dutch" from dutch_stem.cpp). Only published examples are in the index, so a
// search without filters never touches the examples table until it shows the hits.
#include "storage/database.hpp"
#include "storage/dutch_stem.hpp"
#include "storage/rows.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <soci/soci.h>

namespace gids::storage {

namespace {

constexpr std::string_view column_names[] = {"id",
                                             "slug",
                                             "origin",
                                             "status",
                                             "title",
                                             "summary",
                                             "municipality",
                                             "organisations",
                                             "source_document",
                                             "source_file",
                                             "source_section",
                                             "themes",
                                             "tracks",
                                             "principles",
                                             "target_groups",
                                             "life_phases",
                                             "links",
                                             "reject_reason",
                                             "submitted_by",
                                             "municipality_id",
                                             "created_at",
                                             "updated_at",
                                             "published_at"};

// The columns to_example reads, each prefixed (for a join).
std::string columns_of(std::string_view prefix) {
    std::string out;
    for (const auto name : column_names)
        out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(name);
    return out;
}

const std::string example_columns = columns_of("");

std::string joined(const std::vector<std::string>& lines, std::string_view separator = "\n") {
    std::string out;
    for (const auto& line : lines)
        out += (out.empty() ? "" : std::string(separator)) + line;
    return out;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        out.push_back(text.substr(pos, end == std::string::npos ? text.npos : end - pos));
        pos = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

std::string principle_text(const std::vector<int>& principles) {
    std::vector<std::string> out;
    for (int p : principles)
        out.push_back(std::to_string(p));
    return joined(out);
}

std::string links_text(const std::vector<ExampleLink>& links) {
    std::vector<std::string> out;
    for (const auto& l : links)
        out.push_back(l.name + "\t" + l.url);
    return joined(out);
}

StoredExample to_example(const soci::row& r) {
    StoredExample s;
    s.id = as_int(r, 0);
    Example& e = s.example;
    e.slug = as_text(r, 1);
    s.origin = parse_example_origin(as_text(r, 2)).value_or(ExampleOrigin::source);
    s.status = parse_example_status(as_text(r, 3)).value_or(ExampleStatus::submitted);
    e.title = as_text(r, 4);
    e.body = as_text(r, 5);
    e.municipality = as_text(r, 6);
    e.organisations = split_lines(as_text(r, 7));
    e.source = {as_text(r, 8), as_text(r, 9), as_text(r, 10)};
    e.themes = split_lines(as_text(r, 11));
    e.tracks = split_lines(as_text(r, 12));
    for (const auto& p : split_lines(as_text(r, 13)))
        if (!p.empty() && p.size() < 3)
            e.principles.push_back(std::stoi(p));
    e.target_groups = split_lines(as_text(r, 14));
    e.life_phases = split_lines(as_text(r, 15));
    for (const auto& line : split_lines(as_text(r, 16))) {
        const auto tab = line.find('\t');
        e.links.push_back(
            {line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1)});
    }
    s.reject_reason = as_text(r, 17);
    s.submitted_by = as_opt_int(r, 18);
    s.municipality_id = as_opt_int(r, 19);
    s.created_at = as_int(r, 20);
    s.updated_at = as_int(r, 21);
    s.published_at = as_opt_int(r, 22);
    return s;
}

// A fingerprint of everything a file says, to tell a changed built-in from an unchanged one.
std::string fingerprint(const Example& e) {
    const std::string text =
        joined({e.title, e.municipality, joined(e.organisations), e.source.document, e.source.file,
                e.source.section, joined(e.themes), joined(e.tracks), principle_text(e.principles),
                joined(e.target_groups), joined(e.life_phases), links_text(e.links), e.body},
               "\x1f");
    std::uint64_t hash = 14695981039346656037ull; // FNV-1a: stable between builds
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

// The tags filters and facets use, one row per value; like the search index they exist for
// published examples only, so that neither needs to look at the examples table.
void write_tags(Lease& sql, long long id, const Example& e) {
    sql.exec("DELETE FROM example_tags WHERE example_id = :id", {id});
    const auto add = [&](const std::string& kind, const std::string& value, std::size_t position) {
        sql.exec("INSERT INTO example_tags (example_id, kind, value, position) "
                 "VALUES (:id, :k, :v, :p) ON CONFLICT DO NOTHING",
                 {id, kind, value, static_cast<long long>(position)});
    };
    add("gemeente", e.municipality, 0);
    for (std::size_t i = 0; i < e.themes.size(); ++i)
        add("thema", e.themes[i], i);
    for (std::size_t i = 0; i < e.tracks.size(); ++i)
        add("spoor", e.tracks[i], i);
    for (std::size_t i = 0; i < e.principles.size(); ++i)
        add("principe", std::to_string(e.principles[i]), i);
    for (std::size_t i = 0; i < e.target_groups.size(); ++i)
        add("doelgroep", e.target_groups[i], i);
}

void delete_tags(Lease& sql, long long id) {
    sql.exec("DELETE FROM example_tags WHERE example_id = :id", {id});
}

// The full-text index exists on SQLite only (FTS5); on PostgreSQL examples are stored and
// filtered but not yet searchable by their words.
bool has_search_index(Lease& sql) {
    return sql->get_backend_name() == "sqlite3";
}

void index_example(Lease& sql, long long id, const Example& e) {
    if (!has_search_index(sql))
        return;
    sql.exec("DELETE FROM examples_fts WHERE rowid = :id", {id});
    sql.exec(
        "INSERT INTO examples_fts (rowid, title, summary, municipality, organisations) "
        "VALUES (:id, :t, :s, :m, :o)",
        {id, e.title, markdown_plain_text(e.body), e.municipality, joined(e.organisations, ", ")});
}

// A new random revision: a number that only counts up could repeat in a fresh database.
void bump_revision(Lease& sql) {
    thread_local std::mt19937_64 random(std::random_device{}());
    const auto revision = static_cast<long long>(random() >> 1);
    sql.exec("UPDATE example_revision SET revision = :r WHERE id = 1", {revision});
}

void unindex_example(Lease& sql, long long id) {
    if (has_search_index(sql))
        sql.exec("DELETE FROM examples_fts WHERE rowid = :id", {id});
}

long long insert_example(Lease& sql, const Example& e, ExampleOrigin origin, ExampleStatus status,
                         std::optional<long long> submitted_by,
                         std::optional<long long> municipality_id, long long now) {
    long long id = 0;
    sql.each("INSERT INTO examples (slug, origin, status, title, summary, municipality, "
             "organisations, source_document, source_file, source_section, themes, tracks, "
             "principles, target_groups, life_phases, links, fingerprint, submitted_by, "
             "municipality_id, created_at, updated_at, published_at) VALUES (:slug, :origin, "
             ":status, :title, :summary, :municipality, :organisations, :document, :file, "
             ":section, :themes, :tracks, :principles, :groups, :phases, :links, :fingerprint, "
             ":by, :mid, :created, :updated, :published) RETURNING id",
             {e.slug,
              std::string(example_origin_name(origin)),
              std::string(example_status_name(status)),
              e.title,
              e.body,
              e.municipality,
              joined(e.organisations),
              e.source.document,
              e.source.file,
              e.source.section,
              joined(e.themes),
              joined(e.tracks),
              principle_text(e.principles),
              joined(e.target_groups),
              joined(e.life_phases),
              links_text(e.links),
              fingerprint(e),
              submitted_by,
              municipality_id,
              now,
              now,
              status == ExampleStatus::published ? std::optional<long long>(now)
                                                 : std::optional<long long>()},
             [&](const soci::row& r) { id = as_int(r, 0); });
    if (status == ExampleStatus::published) {
        write_tags(sql, id, e);
        index_example(sql, id, e);
    }
    return id;
}

void update_source_example(Lease& sql, long long id, const Example& e, long long now) {
    sql.exec("UPDATE examples SET title = :title, summary = :summary, municipality = :m, "
             "organisations = :o, source_document = :d, source_file = :f, source_section = :s, "
             "themes = :th, tracks = :tr, principles = :p, target_groups = :g, "
             "life_phases = :l, links = :links, fingerprint = :fp, updated_at = :now "
             "WHERE id = :id",
             {e.title, e.body, e.municipality, joined(e.organisations), e.source.document,
              e.source.file, e.source.section, joined(e.themes), joined(e.tracks),
              principle_text(e.principles), joined(e.target_groups), joined(e.life_phases),
              links_text(e.links), fingerprint(e), now, id});
    write_tags(sql, id, e);
    index_example(sql, id, e);
}

void delete_example(Lease& sql, long long id) {
    unindex_example(sql, id);
    delete_tags(sql, id);
    sql.exec("DELETE FROM examples WHERE id = :id", {id});
}

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
template <typename T> class RevisionCache {
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
        if (m_entries.size() >= 256 && !m_entries.contains(key))
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

ExampleResults search_uncached(Lease& sql, std::vector<std::string> words, bool any_word,
                               const std::vector<Param>& filters, long long limit,
                               long long offset) {
    ExampleResults out;
    out.words = std::move(words);
    if (out.words.empty()) {
        // Browsing: published examples by title, straight from the examples table.
        const std::string where = " FROM examples WHERE status = 'gepubliceerd'" + filter_sql("id");
        sql.each("SELECT " + example_columns + where + " ORDER BY title, id LIMIT :l OFFSET :o",
                 with(filters, {limit, offset}), [&](const soci::row& r) {
                     out.hits.push_back({to_example(r), {}, {}, {}, {}});
                 });
        out.total = offset + static_cast<long long>(out.hits.size());
        if (static_cast<long long>(out.hits.size()) == limit)
            sql.each("SELECT COUNT(*)" + where, filters,
                     [&](const soci::row& r) { out.total = as_int(r, 0); });
        return out;
    }
    const std::string match = fts_query(out.words, any_word);
    std::vector<Param> params{match};
    params.insert(params.end(), filters.begin(), filters.end());
    const std::string where =
        " FROM examples_fts WHERE examples_fts MATCH :q" + filter_sql("examples_fts.rowid");
    // First the ranked ids, then per hit its row with the words marked: highlight() and
    // snippet() cost a pass over the text, so only the hits shown pay for it. Ranked by
    // BM25 (gids_rank, see dutch_stem.cpp): the title weighs most, then the municipality,
    // the organisations and the summary.
    std::vector<long long> ids;
    sql.each("SELECT rowid" + where +
                 " ORDER BY gids_rank(examples_fts, 10.0, 1.0, 4.0, 2.0), rowid LIMIT :l OFFSET :o",
             with(params, {limit, offset}),
             [&](const soci::row& r) { ids.push_back(as_int(r, 0)); });
    out.total = offset + static_cast<long long>(ids.size());
    if (static_cast<long long>(ids.size()) == limit)
        sql.each("SELECT COUNT(*)" + where, params,
                 [&](const soci::row& r) { out.total = as_int(r, 0); });
    // A hit carries what a result list shows, not the whole example: no summary (the snippet
    // stands in for it), no lists but the themes.
    static const std::string marked =
        "SELECT e.id, e.slug, e.origin, e.status, e.title, e.municipality, e.themes, "
        "e.published_at, highlight(examples_fts, 0, char(1), char(2)), "
        "snippet(examples_fts, 1, char(1), char(2), '…', 32), "
        "highlight(examples_fts, 2, char(1), char(2)), "
        "highlight(examples_fts, 3, char(1), char(2)) "
        "FROM examples_fts JOIN examples e ON e.id = examples_fts.rowid "
        "WHERE examples_fts MATCH :q AND examples_fts.rowid = :id";
    for (long long id : ids)
        sql.each(marked, {match, id}, [&](const soci::row& r) {
            ExampleHit hit;
            hit.stored.id = as_int(r, 0);
            hit.stored.example.slug = as_text(r, 1);
            hit.stored.origin = parse_example_origin(as_text(r, 2)).value_or(ExampleOrigin::source);
            hit.stored.status =
                parse_example_status(as_text(r, 3)).value_or(ExampleStatus::published);
            hit.stored.example.title = as_text(r, 4);
            hit.stored.example.municipality = as_text(r, 5);
            hit.stored.example.themes = split_lines(as_text(r, 6));
            hit.stored.published_at = as_opt_int(r, 7);
            hit.title_marked = as_text(r, 8);
            hit.snippet_marked = as_text(r, 9);
            hit.municipality_marked = as_text(r, 10);
            hit.organisations_marked = as_text(r, 11);
            out.hits.push_back(std::move(hit));
        });
    return out;
}

} // namespace

Result<ContentReport> Database::replace_source_examples(const std::vector<Example>& examples,
                                                        long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    struct Existing {
        long long id;
        std::string origin;
        std::string fingerprint;
    };
    std::map<std::string, Existing> existing;
    sql.each("SELECT slug, id, origin, fingerprint FROM examples", {}, [&](const soci::row& r) {
        existing[as_text(r, 0)] = {as_int(r, 1), as_text(r, 2), as_text(r, 3)};
    });
    ContentReport report;
    std::set<std::string> seen;
    for (const auto& e : examples) {
        seen.insert(e.slug);
        auto it = existing.find(e.slug);
        if (it == existing.end()) {
            insert_example(sql, e, ExampleOrigin::source, ExampleStatus::published, std::nullopt,
                           std::nullopt, now);
            ++report.added;
        } else if (it->second.origin != example_origin_name(ExampleOrigin::source)) {
            return fail(Error::conflict("Het adres /inspiratie/" + e.slug +
                                        " is al in gebruik door een ander voorbeeld; geef het "
                                        "bestand een andere naam."));
        } else if (it->second.fingerprint != fingerprint(e)) {
            update_source_example(sql, it->second.id, e, now);
            ++report.updated;
        } else {
            ++report.unchanged;
        }
    }
    for (const auto& [slug, row] : existing)
        if (row.origin == example_origin_name(ExampleOrigin::source) && !seen.contains(slug)) {
            delete_example(sql, row.id);
            ++report.removed;
        }
    if (report.added + report.updated + report.removed > 0)
        bump_revision(sql);
    tx.commit();
    return report;
}

long long Database::add_generated_examples(const std::vector<Example>& examples, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    std::vector<long long> old;
    sql.each("SELECT id FROM examples WHERE origin = 'gegenereerd'", {},
             [&](const soci::row& r) { old.push_back(as_int(r, 0)); });
    for (long long id : old)
        delete_example(sql, id);
    for (const auto& e : examples)
        insert_example(sql, e, ExampleOrigin::generated, ExampleStatus::published, std::nullopt,
                       std::nullopt, now);
    bump_revision(sql);
    tx.commit();
    return static_cast<long long>(examples.size());
}

Result<StoredExample> Database::submit_example(Example example, long long municipality_id,
                                               long long user_id, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    const std::string base = slugify(example.title + " " + example.municipality);
    example.slug = base;
    for (int n = 2;; ++n) {
        long long taken = 0;
        sql.each("SELECT COUNT(*) FROM examples WHERE slug = :s", {example.slug},
                 [&](const soci::row& r) { taken = as_int(r, 0); });
        if (taken == 0 && !is_reserved_slug(example.slug))
            break;
        if (n > 1000)
            return fail(Error::conflict("Er zijn al te veel voorbeelden met deze titel."));
        example.slug = base + "-" + std::to_string(n);
    }
    const long long id = insert_example(sql, example, ExampleOrigin::submission,
                                        ExampleStatus::submitted, user_id, municipality_id, now);
    tx.commit();
    StoredExample s;
    s.id = id;
    s.example = std::move(example);
    s.origin = ExampleOrigin::submission;
    s.status = ExampleStatus::submitted;
    s.submitted_by = user_id;
    s.municipality_id = municipality_id;
    s.created_at = s.updated_at = now;
    return s;
}

std::optional<StoredExample> Database::find_example(const std::string& slug) {
    Lease sql(*this);
    std::optional<StoredExample> out;
    sql.each("SELECT " + example_columns + " FROM examples WHERE slug = :s", {slug},
             [&](const soci::row& r) { out = to_example(r); });
    return out;
}

std::optional<StoredExample> Database::find_example_by_id(long long id) {
    Lease sql(*this);
    std::optional<StoredExample> out;
    sql.each("SELECT " + example_columns + " FROM examples WHERE id = :id", {id},
             [&](const soci::row& r) { out = to_example(r); });
    return out;
}

std::vector<StoredExample> Database::examples_for_moderation() {
    Lease sql(*this);
    std::vector<StoredExample> out;
    sql.each(
        "SELECT " + example_columns +
            " FROM examples WHERE origin = 'inzending' "
            "ORDER BY CASE status WHEN 'ingediend' THEN 0 ELSE 1 END, updated_at DESC, id DESC "
            "LIMIT 200",
        {}, [&](const soci::row& r) { out.push_back(to_example(r)); });
    return out;
}

std::vector<StoredExample> Database::examples_of_municipality(long long municipality_id) {
    Lease sql(*this);
    std::vector<StoredExample> out;
    sql.each("SELECT " + example_columns +
                 " FROM examples WHERE origin = 'inzending' AND municipality_id = :m "
                 "ORDER BY created_at DESC, id DESC",
             {municipality_id}, [&](const soci::row& r) { out.push_back(to_example(r)); });
    return out;
}

std::vector<StoredExample> Database::published_examples_tagged(const std::string& kind,
                                                               const std::string& value,
                                                               long long limit) {
    Lease sql(*this);
    // Those that have the value first in their list (a main theme) first, then by age: the
    // built-in examples, loaded first, before later ones. The tags hold published examples
    // only, so this reads the index and then just the rows shown.
    std::vector<long long> ids;
    sql.each("SELECT example_id FROM example_tags WHERE kind = :k AND value = :v "
             "ORDER BY position, example_id LIMIT :l",
             {kind, value, limit}, [&](const soci::row& r) { ids.push_back(as_int(r, 0)); });
    std::vector<StoredExample> out;
    for (long long id : ids)
        sql.each("SELECT " + example_columns + " FROM examples WHERE id = :id", {id},
                 [&](const soci::row& r) { out.push_back(to_example(r)); });
    return out;
}

Status Database::publish_example(long long id, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    std::optional<StoredExample> found;
    sql.each("SELECT " + example_columns + " FROM examples WHERE id = :id", {id},
             [&](const soci::row& r) { found = to_example(r); });
    if (!found || found->origin != ExampleOrigin::submission)
        return fail(Error::not_found());
    if (found->status == ExampleStatus::published)
        return fail(Error::conflict("Dit voorbeeld is al gepubliceerd."));
    sql.exec("UPDATE examples SET status = 'gepubliceerd', reject_reason = '', published_at = :p, "
             "updated_at = :u WHERE id = :id",
             {now, now, id});
    write_tags(sql, id, found->example);
    index_example(sql, id, found->example);
    bump_revision(sql);
    tx.commit();
    return {};
}

Status Database::reject_example(long long id, const std::string& reason, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    std::optional<StoredExample> found;
    sql.each("SELECT " + example_columns + " FROM examples WHERE id = :id", {id},
             [&](const soci::row& r) { found = to_example(r); });
    if (!found || found->origin != ExampleOrigin::submission)
        return fail(Error::not_found());
    if (found->status == ExampleStatus::rejected)
        return fail(Error::conflict("Dit voorbeeld is al afgewezen."));
    sql.exec("UPDATE examples SET status = 'afgewezen', reject_reason = :r, published_at = NULL, "
             "updated_at = :u WHERE id = :id",
             {reason, now, id});
    delete_tags(sql, id);
    unindex_example(sql, id);
    bump_revision(sql);
    tx.commit();
    return {};
}

} // namespace gids::storage

namespace gids::storage {

ExampleResults Database::search_examples(const ExampleQuery& query) {
    Lease sql(*this);
    ExampleResults out;
    out.words = has_search_index(sql) ? search_words(query.text) : std::vector<std::string>{};
    const long long limit = std::clamp(query.limit, 1LL, 100LL);
    const long long offset = std::clamp(query.offset, 0LL, 1000000LL);
    const auto filters = filter_params(query.filters);
    // The same question (say, the popular "schulden") is answered once per revision.
    static RevisionCache<ExampleResults> cache;
    const long long revision = revision_of(sql);
    std::string key = m_url;
    for (const auto& part :
         {fts_query(out.words, query.any_word), query.filters.theme, query.filters.track,
          query.filters.principle, query.filters.municipality, query.filters.target_group,
          std::to_string(limit), std::to_string(offset)})
        key.append("\x1f").append(part);
    if (auto cached = cache.get(key, revision))
        return std::move(*cached);
    out = search_uncached(sql, std::move(out.words), query.any_word, filters, limit, offset);
    cache.put(key, revision, out);
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
