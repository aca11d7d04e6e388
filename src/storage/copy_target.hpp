#pragma once
// The PostgreSQL side of `gids migrate --from` (copy.hpp), through libpq on the connection of
// a pooled session: the tables and columns the target has, whether it is empty, its sequences,
// and its rows read back for the check.

#include "storage/copy.hpp"
#include "storage/copy_source.hpp"

#include <libpq-fe.h>
#include <map>
#include <memory>
#include <optional>

namespace gids::storage {

struct PgResultClear {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultClear>;

// PostgreSQL's message on one line (it spreads ERROR, DETAIL and HINT over several).
std::string pg_message(PGconn* conn, const PGresult* result);

// Runs one statement with text values (std::nullopt: NULL); fails with PostgreSQL's message.
Result<PgResult> pg_exec(PGconn* conn, const std::string& query,
                         const std::vector<std::optional<std::string>>& values = {});

struct TargetColumn {
    std::string name;
    std::string type; // as information_schema names it: bigint, text, bytea, ...
};
using TargetTables = std::map<std::string, std::vector<TargetColumn>>;

// The tables of the current schema with their columns.
Result<TargetTables> target_tables(PGconn* conn);

// Refuses a database with rows anywhere but in the migration bookkeeping and the tables
// migrations fill themselves.
Status check_empty(PGconn* conn, const TargetTables& tables);

// Gives every sequence of the table (a BIGSERIAL id) the highest id copied, so that the next
// row PostgreSQL numbers itself does not collide with a copied one.
Status reset_sequences(PGconn* conn, const std::string& table,
                       const std::vector<TargetColumn>& columns);

// The digest of the table's rows in PostgreSQL, read in the order SQLite gave them.
Result<copying::TableDigest> target_digest(PGconn* conn, const SourceTable& table,
                                           const std::vector<TargetColumn>& columns);

} // namespace gids::storage
