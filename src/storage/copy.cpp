// `gids migrate --from sqlite:PATH`: copies a SQLite database into PostgreSQL (copy.hpp).
//
// The copy talks to SQLite (copy_source.cpp) and libpq (copy_target.cpp) directly rather than
// through SOCI: it must see each SQLite value as it is stored (a number, text or bytes,
// whatever the column was declared as) and hand bytes to a BYTEA column as bytes. Table and
// column names come from the databases' own catalogues and are quoted; every value is bound.
#include "storage/copy.hpp"

#include "storage/copy_source.hpp"
#include "storage/copy_target.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

namespace gids::storage {

namespace {

using copying::Cell;
using copying::quoted;
using copying::TableDigest;

// The PostgreSQL columns of a source table, in the source's order; refuses a column that
// PostgreSQL does not have.
Result<std::vector<TargetColumn>> matching_columns(const SourceTable& table,
                                                   const TargetTables& tables) {
    const auto found = tables.find(table.name);
    if (found == tables.end())
        return fail(
            Error::internal("Tabel " + table.name + " ontbreekt in de PostgreSQL-database."));
    std::vector<TargetColumn> columns;
    for (const auto& name : table.columns) {
        const auto it = std::find_if(found->second.begin(), found->second.end(),
                                     [&](const TargetColumn& c) { return c.name == name; });
        if (it == found->second.end())
            return fail(Error::internal("Kolom " + name + " van tabel " + table.name +
                                        " ontbreekt in de PostgreSQL-database."));
        columns.push_back(*it);
    }
    return columns;
}

// Copies one table's rows in key order; returns the digest of the rows as read from SQLite.
Result<TableDigest> copy_rows(SourceFile& source, PGconn* conn, const SourceTable& table,
                              const std::vector<TargetColumn>& columns) {
    std::string placeholders;
    for (std::size_t i = 1; i <= columns.size(); ++i) {
        if (i > 1)
            placeholders.append(", ");
        placeholders.append("$").append(std::to_string(i));
    }
    std::string insert = "INSERT INTO ";
    insert.append(quoted(table.name) + " (" + copying::quoted_list(table.columns) + ") VALUES (" +
                  placeholders + ")");
    const int count = static_cast<int>(columns.size());
    PgResult prepared(PQprepare(conn, "", insert.c_str(), count, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK)
        return fail(Error::internal("PostgreSQL meldt: " + pg_message(conn, prepared.get())));

    TableDigest digest;
    std::vector<std::string> texts(columns.size());
    std::vector<const char*> values(columns.size());
    std::vector<int> lengths(columns.size());
    std::vector<int> formats(columns.size());
    auto each = source.each_row(table, [&](const std::vector<Cell>& row) -> Status {
        digest.add_row(row);
        for (std::size_t i = 0; i < row.size(); ++i) {
            const Cell& cell = row[i];
            formats[i] = 0;
            lengths[i] = 0;
            if (std::holds_alternative<std::monostate>(cell)) {
                values[i] = nullptr;
                continue;
            }
            if (const auto* n = std::get_if<long long>(&cell)) {
                texts[i] = std::to_string(*n);
            } else if (const auto* d = std::get_if<double>(&cell)) {
                char buffer[32];
                const auto end = std::to_chars(buffer, buffer + sizeof buffer, *d).ptr;
                texts[i].assign(buffer, end);
            } else {
                texts[i] = std::get<std::string>(cell);
                // Bytes go to BYTEA as they are. Text goes as text: PostgreSQL checks that it
                // is UTF-8, and text it cannot hold (a zero byte) fails the check afterwards.
                if (columns[i].type == "bytea") {
                    formats[i] = 1;
                    lengths[i] = static_cast<int>(texts[i].size());
                }
            }
            values[i] = texts[i].c_str();
        }
        PgResult result(
            PQexecPrepared(conn, "", count, values.data(), lengths.data(), formats.data(), 0));
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
            return fail(Error::internal("PostgreSQL meldt: " + pg_message(conn, result.get())));
        return {};
    });
    if (!each)
        return fail(each.error());
    return digest;
}

// Everything between BEGIN and COMMIT.
Result<std::vector<CopiedTable>> copy_all(SourceFile& source, PGconn* conn) {
    auto tables = source.tables();
    if (!tables)
        return fail(tables.error());
    std::vector<copying::TableLinks> links;
    for (const auto& t : *tables)
        links.push_back({t.name, t.references});
    auto order = copying::order_by_foreign_keys(links);
    if (!order)
        return fail(order.error());
    auto target = target_tables(conn);
    if (!target)
        return fail(target.error());
    if (auto empty = check_empty(conn, *target); !empty)
        return fail(empty.error());

    std::vector<std::pair<const SourceTable*, std::vector<TargetColumn>>> plan;
    for (const auto& name : *order) {
        const auto& table = *std::find_if(tables->begin(), tables->end(),
                                          [&](const SourceTable& t) { return t.name == name; });
        auto columns = matching_columns(table, *target);
        if (!columns)
            return fail(columns.error());
        plan.emplace_back(&table, std::move(*columns));
    }
    // Rows migrations added are replaced by the source's; children first.
    const auto filled = copying::tables_filled_by_migrations();
    for (auto it = plan.rbegin(); it != plan.rend(); ++it)
        if (filled.contains(it->first->name))
            if (auto deleted = pg_exec(conn, "DELETE FROM " + quoted(it->first->name)); !deleted)
                return fail(deleted.error());

    std::vector<TableDigest> digests;
    for (const auto& [table, columns] : plan) {
        auto digest = copy_rows(source, conn, *table, columns);
        if (!digest)
            return fail(Error::internal("Kopiëren van tabel " + table->name + " mislukt. " +
                                        digest.error().message));
        digests.push_back(std::move(*digest));
    }
    std::vector<CopiedTable> copied;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const auto& [table, columns] = plan[i];
        if (auto reset = reset_sequences(conn, table->name, columns); !reset)
            return fail(reset.error());
        auto found = target_digest(conn, *table, columns);
        if (!found)
            return fail(found.error());
        if (auto same = copying::same_rows(table->name, digests[i], *found); !same)
            return fail(same.error());
        copied.push_back({table->name, digests[i].rows()});
    }
    return copied;
}

} // namespace

Status check_copy_source(const std::filesystem::path& source) {
    auto file = SourceFile::open(source);
    if (!file)
        return fail(file.error());
    return file->check_version(migrations().back().version);
}

Result<std::vector<CopiedTable>> copy_sqlite_to_postgresql(const std::filesystem::path& source,
                                                           Database& target) {
    if (target.engine() != Engine::postgresql)
        return fail(Error::invalid("Kopiëren kan alleen naar een PostgreSQL-database."));
    const int latest = target.latest_schema_version();
    if (const int version = target.schema_version(); version != latest)
        return fail(Error::invalid("De PostgreSQL-database heeft databaseversie " +
                                   std::to_string(version) + ", deze GIDS versie " +
                                   std::to_string(latest) + "."));
    auto file = SourceFile::open(source);
    if (!file)
        return fail(file.error());
    if (auto version = file->check_version(latest); !version)
        return fail(version.error());
    try {
        Lease lease(target);
        PGconn* conn = static_cast<soci::postgresql_session_backend*>(lease->get_backend())->conn_;
        // SQLite holds UTF-8; PostgreSQL converts it when the database is in another encoding.
        if (PQsetClientEncoding(conn, "UTF8") != 0)
            return fail(Error::internal("PostgreSQL meldt: " + pg_message(conn, nullptr)));
        Transaction tx(*lease, Engine::postgresql);
        auto copied = copy_all(*file, conn);
        if (!copied) {
            auto error = copied.error();
            error.message.append(" Er is niets gekopieerd.");
            return fail(error);
        }
        tx.commit();
        return copied;
    } catch (const std::exception& e) {
        return fail(Error::internal(std::string("Kopiëren naar PostgreSQL mislukt: ") + e.what() +
                                    " Er is niets gekopieerd."));
    }
}

} // namespace gids::storage
