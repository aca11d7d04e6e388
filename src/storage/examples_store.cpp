// Practice examples: built-in ones from content/examples, submissions and their moderation.
// Published examples are also in the search index (examples_search.cpp).
#include "storage/database.hpp"
#include "storage/example_rows.hpp"
#include "storage/rows.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <soci/soci.h>

namespace gids::storage {

namespace example_rows {

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

} // namespace

const std::string columns = columns_of("");

std::string joined(const std::vector<std::string>& lines, std::string_view separator) {
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

namespace {

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

} // namespace

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

} // namespace example_rows

namespace {

using example_rows::joined;
using example_rows::links_text;
using example_rows::principle_text;
using example_rows::split_lines;
using example_rows::to_example;
const std::string& example_columns = example_rows::columns;
using example_rows::index_example;
using example_rows::unindex_example;

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

// A new random revision: a number that only counts up could repeat in a fresh database.
void bump_revision(Lease& sql) {
    thread_local std::mt19937_64 random(std::random_device{}());
    const auto revision = static_cast<long long>(random() >> 1);
    sql.exec("UPDATE example_revision SET revision = :r WHERE id = 1", {revision});
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

std::optional<StoredExample> example_by_id(Lease& sql, long long id) {
    std::optional<StoredExample> out;
    sql.each("SELECT " + example_columns + " FROM examples WHERE id = :id", {id},
             [&](const soci::row& r) { out = to_example(r); });
    return out;
}

// A coordinator's submission that an administrator may move to `to`: not found for
// anything else, a conflict when it already has that status (`already` says so).
Result<StoredExample> submission_to_moderate(Lease& sql, long long id, ExampleStatus to,
                                             const char* already) {
    auto found = example_by_id(sql, id);
    if (!found || found->origin != ExampleOrigin::submission)
        return fail(Error::not_found());
    if (found->status == to)
        return fail(Error::conflict(already));
    return std::move(*found);
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
    // The index may lack examples published before it existed (PostgreSQL before version 7,
    // a database copied from SQLite); then it is rebuilt, and pages must show it.
    if (example_rows::sync_search_index(sql) || report.added + report.updated + report.removed > 0)
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
    return example_by_id(sql, id);
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
        if (auto e = example_by_id(sql, id))
            out.push_back(std::move(*e));
    return out;
}

Status Database::publish_example(long long id, long long now) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    auto found = submission_to_moderate(sql, id, ExampleStatus::published,
                                        "Dit voorbeeld is al gepubliceerd.");
    if (!found)
        return fail(found.error());
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
    auto found =
        submission_to_moderate(sql, id, ExampleStatus::rejected, "Dit voorbeeld is al afgewezen.");
    if (!found)
        return fail(found.error());
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
