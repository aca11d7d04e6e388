#include "storage/copy_source.hpp"

#include <algorithm>
#include <sqlite3.h>

namespace gids::storage {

namespace {

struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;

Error sqlite_error(sqlite3* db, const std::filesystem::path& path) {
    return Error::internal("Het SQLite-bestand " + path.string() +
                           " kan niet worden gelezen: " + sqlite3_errmsg(db) + ".");
}

std::string text_of(sqlite3_stmt* statement, int column) {
    const auto* text = sqlite3_column_text(statement, column);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))
                : std::string();
}

copying::Cell cell_of(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
    case SQLITE_NULL:
        return {};
    case SQLITE_INTEGER:
        return static_cast<long long>(sqlite3_column_int64(statement, column));
    case SQLITE_FLOAT:
        return sqlite3_column_double(statement, column);
    case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, column));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
        return bytes ? std::string(bytes, size) : std::string();
    }
    default:
        return text_of(statement, column);
    }
}

// Runs a query with text values bound to ?1, ?2, ...; calls on_row for each row.
template <typename F>
Status each(sqlite3* db, const std::filesystem::path& path, const std::string& query,
            const std::vector<std::string>& values, F&& on_row) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        return fail(sqlite_error(db, path));
    Statement statement(raw);
    for (std::size_t i = 0; i < values.size(); ++i)
        sqlite3_bind_text(raw, static_cast<int>(i + 1), values[i].c_str(), -1, SQLITE_TRANSIENT);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
        if (auto ok = on_row(raw); !ok)
            return ok;
    if (rc != SQLITE_DONE)
        return fail(sqlite_error(db, path));
    return {};
}

} // namespace

void SourceFile::Close::operator()(sqlite3* db) const {
    sqlite3_close(db);
}

SourceFile::SourceFile(std::unique_ptr<sqlite3, Close> db, std::filesystem::path path)
    : m_db(std::move(db)), m_path(std::move(path)) {}

Result<SourceFile> SourceFile::open(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(Error::not_found("Het SQLite-bestand " + path.string() + " bestaat niet."));
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, Close> db(raw);
    if (rc != SQLITE_OK)
        return fail(sqlite_error(raw, path));
    sqlite3_busy_timeout(raw, 10000);
    if (sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(sqlite_error(raw, path));
    return SourceFile(std::move(db), path);
}

Status SourceFile::check_version(int latest) {
    int version = 0;
    auto read = each(m_db.get(), m_path, "SELECT MAX(version) FROM schema_migrations", {},
                     [&](sqlite3_stmt* st) -> Status {
                         version = sqlite3_column_int(st, 0);
                         return {};
                     });
    const std::string file = m_path.string();
    if (!read || version == 0)
        return fail(Error::invalid("Het bestand " + file + " is geen database van GIDS."));
    if (version < latest)
        return fail(
            Error::invalid("Het SQLite-bestand heeft databaseversie " + std::to_string(version) +
                           ", deze GIDS versie " + std::to_string(latest) +
                           ". Werk het bestand eerst bij met: gids migrate --db sqlite:" + file));
    if (version > latest)
        return fail(
            Error::invalid("Het SQLite-bestand heeft databaseversie " + std::to_string(version) +
                           ", nieuwer dan deze GIDS (versie " + std::to_string(latest) +
                           "). Kopieer het met de nieuwere GIDS die het heeft bijgewerkt."));
    return {};
}

Result<std::vector<SourceTable>> SourceFile::tables() {
    std::vector<std::pair<std::string, std::string>> all; // name, CREATE statement
    auto listed = each(m_db.get(), m_path,
                       "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", {},
                       [&](sqlite3_stmt* st) -> Status {
                           all.emplace_back(text_of(st, 0), text_of(st, 1));
                           return {};
                       });
    if (!listed)
        return fail(listed.error());
    std::vector<std::string> virtual_tables;
    for (const auto& [name, sql] : all) {
        std::string start = sql.substr(0, 20);
        std::transform(start.begin(), start.end(), start.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (start == "CREATE VIRTUAL TABLE")
            virtual_tables.push_back(name);
    }
    std::vector<SourceTable> tables;
    for (const auto& [name, sql] : all) {
        if (copying::stays_behind(name, virtual_tables))
            continue;
        SourceTable table{name, {}, {}, {}};
        std::vector<std::pair<int, std::string>> key;
        auto columns =
            each(m_db.get(), m_path, "SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid",
                 {name}, [&](sqlite3_stmt* st) -> Status {
                     table.columns.push_back(text_of(st, 0));
                     if (const int pk = sqlite3_column_int(st, 1); pk > 0)
                         key.emplace_back(pk, table.columns.back());
                     return {};
                 });
        if (!columns)
            return fail(columns.error());
        std::sort(key.begin(), key.end());
        for (const auto& [position, column] : key)
            table.key.push_back(column);
        if (table.key.empty())
            table.key = table.columns;
        auto references =
            each(m_db.get(), m_path, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
                 {name}, [&](sqlite3_stmt* st) -> Status {
                     table.references.push_back(text_of(st, 0));
                     return {};
                 });
        if (!references)
            return fail(references.error());
        tables.push_back(std::move(table));
    }
    return tables;
}

Status
SourceFile::each_row(const SourceTable& table,
                     const std::function<Status(const std::vector<copying::Cell>&)>& on_row) {
    std::string query = "SELECT ";
    query.append(copying::quoted_list(table.columns) + " FROM " + copying::quoted(table.name) +
                 " ORDER BY " + copying::quoted_list(table.key));
    std::vector<copying::Cell> row(table.columns.size());
    return each(m_db.get(), m_path, query, {}, [&](sqlite3_stmt* st) -> Status {
        for (std::size_t i = 0; i < row.size(); ++i)
            row[i] = cell_of(st, static_cast<int>(i));
        return on_row(row);
    });
}

} // namespace gids::storage
