#include "storage/copy_target.hpp"

#include <algorithm>
#include <charconv>

namespace gids::storage {

using copying::Cell;
using copying::quoted;
using copying::TableDigest;

namespace {

// Type numbers of PostgreSQL's built-in types; they are fixed in its catalogue.
constexpr Oid bytea_type = 17;
constexpr Oid bigint_type = 20;
constexpr Oid smallint_type = 21;
constexpr Oid integer_type = 23;
constexpr Oid real_type = 700;
constexpr Oid double_type = 701;

bool is_text_type(const std::string& type) {
    return type == "text" || type == "character varying" || type == "character";
}

Cell pg_cell(const PGresult* result, int row, int column) {
    if (PQgetisnull(result, row, column))
        return {};
    const char* text = PQgetvalue(result, row, column);
    const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
    switch (PQftype(result, column)) {
    case bigint_type:
    case integer_type:
    case smallint_type: {
        long long n = 0;
        std::from_chars(text, text + length, n);
        return n;
    }
    case real_type:
    case double_type: {
        double d = 0;
        std::from_chars(text, text + length, d);
        return d;
    }
    case bytea_type: {
        std::size_t size = 0;
        unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
        std::string out(reinterpret_cast<const char*>(bytes), size);
        PQfreemem(bytes);
        return out;
    }
    default:
        return std::string(text, length);
    }
}

} // namespace

std::string pg_message(PGconn* conn, const PGresult* result) {
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    std::string line;
    for (const char c : message) {
        const bool space = c == '\n' || c == ' ' || c == '\t';
        if (space && (line.empty() || line.back() == ' '))
            continue;
        line.push_back(space ? ' ' : c);
    }
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    return line;
}

Result<PgResult> pg_exec(PGconn* conn, const std::string& query,
                         const std::vector<std::optional<std::string>>& values) {
    std::vector<const char*> pointers;
    for (const auto& v : values)
        pointers.push_back(v ? v->c_str() : nullptr);
    PgResult result(PQexecParams(conn, query.c_str(), static_cast<int>(values.size()), nullptr,
                                 pointers.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return fail(Error::internal("PostgreSQL meldt: " + pg_message(conn, result.get())));
    return result;
}

Result<TargetTables> target_tables(PGconn* conn) {
    auto result = pg_exec(
        conn, "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
              "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
              "AND t.table_name = c.table_name WHERE t.table_type = 'BASE TABLE' "
              "AND c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position");
    if (!result)
        return fail(result.error());
    TargetTables tables;
    for (int i = 0; i < PQntuples(result->get()); ++i)
        tables[PQgetvalue(result->get(), i, 0)].push_back(
            {PQgetvalue(result->get(), i, 1), PQgetvalue(result->get(), i, 2)});
    return tables;
}

// A new database holds only the migration bookkeeping and the rows migrations add; anything
// else means GIDS already runs on it, and a copy would mix two installations.
Status check_empty(PGconn* conn, const TargetTables& tables) {
    const auto filled_by_migrations = copying::tables_filled_by_migrations();
    std::string in_use;
    for (const auto& [name, columns] : tables) {
        if (name == "schema_migrations" || filled_by_migrations.contains(name))
            continue;
        auto result = pg_exec(conn, "SELECT EXISTS (SELECT 1 FROM " + quoted(name) + ")");
        if (!result)
            return fail(result.error());
        if (PQgetvalue(result->get(), 0, 0) == std::string("t")) {
            if (!in_use.empty())
                in_use.append(", ");
            in_use.append(name);
        }
    }
    if (!in_use.empty())
        return fail(
            Error::conflict("De PostgreSQL-database is niet leeg: er staan al gegevens in " +
                            in_use + ". Kopieer alleen naar een nieuwe, lege database."));
    return {};
}

Status reset_sequences(PGconn* conn, const std::string& table,
                       const std::vector<TargetColumn>& columns) {
    for (const auto& column : columns) {
        auto sequence =
            pg_exec(conn, "SELECT pg_get_serial_sequence($1, $2)", {quoted(table), column.name});
        if (!sequence)
            return fail(sequence.error());
        if (PQgetisnull(sequence->get(), 0, 0))
            continue;
        const std::string max = "MAX(" + quoted(column.name) + ")";
        auto set = pg_exec(conn,
                           "SELECT setval($1::regclass, COALESCE(" + max + ", 1), " + max +
                               " IS NOT NULL) FROM " + quoted(table),
                           {std::string(PQgetvalue(sequence->get(), 0, 0))});
        if (!set)
            return fail(set.error());
    }
    return {};
}

// Text keys are ordered by their bytes (COLLATE "C"), as SQLite compares them, and NULL
// first, as in SQLite.
Result<TableDigest> target_digest(PGconn* conn, const SourceTable& table,
                                  const std::vector<TargetColumn>& columns) {
    std::string order;
    for (const auto& key : table.key) {
        const auto it = std::find_if(columns.begin(), columns.end(),
                                     [&](const TargetColumn& c) { return c.name == key; });
        if (!order.empty())
            order.append(", ");
        order.append(quoted(key));
        if (it != columns.end() && is_text_type(it->type))
            order.append(" COLLATE \"C\"");
        order.append(" NULLS FIRST");
    }
    std::string query = "SELECT ";
    query.append(copying::quoted_list(table.columns) + " FROM " + quoted(table.name) +
                 " ORDER BY " + order);
    if (!PQsendQueryParams(conn, query.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
        return fail(Error::internal("PostgreSQL meldt: " + pg_message(conn, nullptr)));
    // Row by row, so that a large table need not fit in memory; should that mode be refused,
    // the rows come in one result, which the loop reads just as well.
    PQsetSingleRowMode(conn);
    TableDigest digest;
    std::optional<Error> error;
    std::vector<Cell> row(columns.size());
    // Every result is read, also after an error, so that the connection is free again.
    while (PgResult result{PQgetResult(conn)}) {
        const auto status = PQresultStatus(result.get());
        if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
            for (int r = 0; r < PQntuples(result.get()); ++r) {
                for (std::size_t i = 0; i < row.size(); ++i)
                    row[i] = pg_cell(result.get(), r, static_cast<int>(i));
                digest.add_row(row);
            }
        } else if (!error) {
            error = Error::internal("PostgreSQL meldt: " + pg_message(conn, result.get()));
        }
    }
    if (error)
        return fail(*error);
    return digest;
}

} // namespace gids::storage
