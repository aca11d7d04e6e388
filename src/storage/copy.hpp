#pragma once
// Moving an installation from SQLite to PostgreSQL (`gids migrate --from sqlite:PATH`): every
// table of the SQLite file is copied into an empty PostgreSQL database of the same schema
// version, in one transaction, and checked row by row before it is committed.

#include "domain/error.hpp"

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace gids::storage {

class Database;

struct CopiedTable {
    std::string name;
    long long rows = 0; // copied and found back unchanged
};

// Whether `source` is a GIDS database in SQLite at the latest schema version, with a Dutch
// message that says what to do when it is not.
Status check_copy_source(const std::filesystem::path& source);

// Copies the GIDS database in the SQLite file `source` into `target`, a PostgreSQL database
// already migrated to the latest version. Refuses a source at another schema version and a
// target that holds rows of its own; on any failure nothing is copied.
Result<std::vector<CopiedTable>> copy_sqlite_to_postgresql(const std::filesystem::path& source,
                                                           Database& target);

// The parts that need no database, kept apart for the tests.
namespace copying {

// One value as stored: NULL, a whole number, a floating-point number, or text or bytes.
// Text and bytes are one kind: SQLite may keep either in any column, and what must arrive
// in PostgreSQL is the same bytes.
using Cell = std::variant<std::monostate, long long, double, std::string>;

// A checksum over the rows of one table, fed in key order, with their number: equal
// digests mean equal rows in the same order.
class TableDigest {
  public:
    TableDigest();
    ~TableDigest();
    TableDigest(TableDigest&&) noexcept;
    TableDigest& operator=(TableDigest&&) noexcept;
    void add_row(const std::vector<Cell>& row);
    long long rows() const { return m_rows; }
    std::string hex() const; // the BLAKE2b-256 of everything added so far

  private:
    struct State; // libsodium's hash state, kept out of this header
    std::unique_ptr<State> m_state;
    long long m_rows = 0;
};

// Compares the digests of one table on both sides; the Dutch message names the table.
Status same_rows(const std::string& table, const TableDigest& source, const TableDigest& target);

struct TableLinks {
    std::string name;
    std::vector<std::string> references; // tables its foreign keys point to
};

// The tables in an order in which each comes after the tables it refers to (a table that
// refers to itself is fine: its rows are copied in key order). Refuses a cycle.
Result<std::vector<std::string>> order_by_foreign_keys(const std::vector<TableLinks>& tables);

// Whether a SQLite table is not copied: SQLite's own tables (sqlite_sequence, sqlite_stat1),
// virtual tables such as the full-text index and their shadow tables (examples_fts_data),
// and the migration bookkeeping, which the target keeps itself.
bool stays_behind(const std::string& name, const std::vector<std::string>& virtual_tables);

// The tables that migrations fill themselves (example_revision): a new database holds rows
// there, which the copy replaces with those of the source.
std::set<std::string> tables_filled_by_migrations();

// "name" with inner quotes doubled: a table or column name read from the database's own
// catalogue, as both engines want it in a statement. Names cannot be bound like values.
std::string quoted(const std::string& name);
// Quoted names separated by commas: "a", "b".
std::string quoted_list(const std::vector<std::string>& names);

} // namespace copying

} // namespace gids::storage
