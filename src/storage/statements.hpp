#pragma once
// Prepared statements kept per pooled connection. Preparing a statement costs more than
// running it (on SQLite, a three-table join takes longer to parse than to answer), so
// every query of GIDS is prepared once per connection and then re-run with new values.

#include <map>
#include <memory>
#include <optional>
#include <soci/soci.h>
#include <string>
#include <variant>
#include <vector>

namespace gids::storage {

// A bound value: a whole number, a text, or either of them NULL (std::nullopt). A query keeps
// the types of its first use: pass the same alternative at the same position every time.
using Param =
    std::variant<long long, std::string, std::optional<long long>, std::optional<std::string>>;

class CachedStatement {
  public:
    CachedStatement(soci::session& sql, const std::string& query, const std::vector<Param>& params,
                    bool returns_rows);
    // Binds new values (same types as at creation) and runs the statement.
    void execute(const std::vector<Param>& params);
    bool fetch() { return m_statement->fetch(); }
    const soci::row& row() const { return m_row; }

  private:
    std::vector<long long> m_ints;
    std::vector<std::string> m_texts;
    std::vector<soci::indicator> m_indicators;
    soci::row m_row;
    std::unique_ptr<soci::statement> m_statement;
    bool m_returns_rows;

    void assign(const std::vector<Param>& params);
};

class StatementCache {
  public:
    CachedStatement& get(soci::session& sql, const std::string& query,
                         const std::vector<Param>& params, bool returns_rows);
    void forget(const std::string& query) { m_statements.erase(query); }
    void clear() { m_statements.clear(); }

  private:
    std::map<std::string, std::unique_ptr<CachedStatement>> m_statements;
};

} // namespace gids::storage
