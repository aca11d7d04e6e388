#include "storage/migrations.hpp"

namespace gids::storage {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> list = {
        {1,
         "accounts and tenants",
         {
             R"(CREATE TABLE municipalities (
                  id {{pk}},
                  name TEXT NOT NULL UNIQUE,
                  cbs_code TEXT NOT NULL DEFAULT '',
                  region TEXT NOT NULL DEFAULT '',
                  logo_type TEXT,
                  logo_data TEXT,
                  created_at BIGINT NOT NULL))",
             R"(CREATE TABLE users (
                  id {{pk}},
                  email TEXT NOT NULL UNIQUE,
                  name TEXT NOT NULL DEFAULT '',
                  role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator')),
                  municipality_id BIGINT REFERENCES municipalities(id),
                  password_hash TEXT NOT NULL,
                  disabled INTEGER NOT NULL DEFAULT 0,
                  created_at BIGINT NOT NULL))",
             R"(CREATE TABLE sessions (
                  id_hash TEXT PRIMARY KEY,
                  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  csrf TEXT NOT NULL,
                  created_at BIGINT NOT NULL,
                  last_seen_at BIGINT NOT NULL))",
             "CREATE INDEX sessions_user ON sessions(user_id)",
             R"(CREATE TABLE login_failures (
                  id {{pk}},
                  email TEXT NOT NULL,
                  address TEXT NOT NULL,
                  at BIGINT NOT NULL))",
             "CREATE INDEX login_failures_email ON login_failures(email, at)",
             "CREATE INDEX login_failures_address ON login_failures(address, at)",
             R"(CREATE TABLE audit_log (
                  id {{pk}},
                  at BIGINT NOT NULL,
                  user_id BIGINT REFERENCES users(id),
                  municipality_id BIGINT REFERENCES municipalities(id),
                  action TEXT NOT NULL,
                  detail TEXT NOT NULL DEFAULT ''))",
             "CREATE INDEX audit_log_municipality ON audit_log(municipality_id, at)",
             R"(CREATE TABLE api_tokens (
                  id {{pk}},
                  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  token_hash TEXT NOT NULL UNIQUE,
                  created_at BIGINT NOT NULL,
                  last_used_at BIGINT))",
         }},
    };
    return list;
}

std::string engine_sql(const std::string& statement, bool postgresql) {
    static const std::pair<std::string, std::pair<std::string, std::string>> words[] = {
        {"{{pk}}", {"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"}},
        {"{{blob}}", {"BLOB", "BYTEA"}},
    };
    std::string out = statement;
    for (const auto& [placeholder, choice] : words) {
        for (auto pos = out.find(placeholder); pos != std::string::npos;
             pos = out.find(placeholder, pos))
            out.replace(pos, placeholder.size(), postgresql ? choice.second : choice.first);
    }
    return out;
}

} // namespace gids::storage
