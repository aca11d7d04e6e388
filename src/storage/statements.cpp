#include "storage/statements.hpp"

namespace gids::storage {

CachedStatement::CachedStatement(soci::session& sql, const std::string& query,
                                 const std::vector<Param>& params, bool returns_rows)
    : m_ints(params.size()), m_texts(params.size()), m_indicators(params.size(), soci::i_ok),
      m_statement(std::make_unique<soci::statement>(sql)), m_returns_rows(returns_rows) {
    // The vectors never grow after this point: SOCI keeps references to their elements.
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (std::holds_alternative<std::string>(params[i]) ||
            std::holds_alternative<std::optional<std::string>>(params[i]))
            m_statement->exchange(soci::use(m_texts[i], m_indicators[i]));
        else
            m_statement->exchange(soci::use(m_ints[i], m_indicators[i]));
    }
    m_statement->alloc();
    m_statement->prepare(query);
    m_statement->define_and_bind();
    if (m_returns_rows)
        m_statement->exchange_for_rowset(soci::into(m_row));
}

void CachedStatement::assign(const std::vector<Param>& params) {
    for (std::size_t i = 0; i < params.size() && i < m_ints.size(); ++i) {
        m_indicators[i] = soci::i_ok;
        if (const auto* n = std::get_if<long long>(&params[i])) {
            m_ints[i] = *n;
        } else if (const auto* s = std::get_if<std::string>(&params[i])) {
            m_texts[i] = *s;
        } else if (const auto* t = std::get_if<std::optional<std::string>>(&params[i])) {
            m_texts[i] = t->value_or("");
            m_indicators[i] = *t ? soci::i_ok : soci::i_null;
        } else {
            const auto& opt = std::get<std::optional<long long>>(params[i]);
            m_ints[i] = opt.value_or(0);
            m_indicators[i] = opt ? soci::i_ok : soci::i_null;
        }
    }
}

void CachedStatement::execute(const std::vector<Param>& params) {
    assign(params);
    m_statement->execute(!m_returns_rows);
}

CachedStatement& StatementCache::get(soci::session& sql, const std::string& query,
                                     const std::vector<Param>& params, bool returns_rows) {
    auto it = m_statements.find(query);
    if (it == m_statements.end())
        it =
            m_statements
                .emplace(query, std::make_unique<CachedStatement>(sql, query, params, returns_rows))
                .first;
    return *it->second;
}

} // namespace gids::storage
