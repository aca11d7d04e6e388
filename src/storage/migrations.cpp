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
        {2,
         "instrument library",
         {
             R"(CREATE TABLE instruments (
                  id {{pk}},
                  key TEXT NOT NULL,
                  version INTEGER NOT NULL,
                  title TEXT NOT NULL,
                  source_text TEXT NOT NULL,
                  origin TEXT NOT NULL CHECK (origin IN ('builtin', 'upload')),
                  uploaded_by BIGINT REFERENCES users(id),
                  created_at BIGINT NOT NULL,
                  UNIQUE (key, version)))",
         }},
        {3,
         "rounds, participants, answers and actions",
         {
             R"(CREATE TABLE assessments (
                  id {{pk}},
                  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
                  instrument_key TEXT NOT NULL,
                  instrument_version INTEGER NOT NULL,
                  title TEXT NOT NULL,
                  mode TEXT NOT NULL CHECK (mode IN ('separate', 'meeting')),
                  closes_on TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                  previous_id BIGINT REFERENCES assessments(id),
                  created_by BIGINT REFERENCES users(id),
                  created_at BIGINT NOT NULL,
                  closed_at BIGINT))",
             "CREATE INDEX assessments_municipality ON assessments(municipality_id, created_at)",
             R"(CREATE TABLE participants (
                  id {{pk}},
                  assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                  position INTEGER NOT NULL,
                  label TEXT NOT NULL,
                  name TEXT NOT NULL DEFAULT '',
                  token_generation INTEGER NOT NULL DEFAULT 1,
                  token_hash TEXT UNIQUE,
                  started_at BIGINT,
                  submitted_at BIGINT,
                  updated_at BIGINT))",
             "CREATE INDEX participants_assessment ON participants(assessment_id, position)",
             R"(CREATE TABLE answers (
                  participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
                  item_id TEXT NOT NULL,
                  value TEXT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  PRIMARY KEY (participant_id, item_id)))",
             R"(CREATE TABLE agreed_scores (
                  assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                  item_id TEXT NOT NULL,
                  score INTEGER,
                  note TEXT NOT NULL DEFAULT '',
                  updated_at BIGINT NOT NULL,
                  PRIMARY KEY (assessment_id, item_id)))",
             R"(CREATE TABLE actions (
                  id {{pk}},
                  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
                  assessment_id BIGINT REFERENCES assessments(id),
                  theme TEXT NOT NULL DEFAULT '',
                  description TEXT NOT NULL,
                  owner TEXT NOT NULL DEFAULT '',
                  department TEXT NOT NULL DEFAULT '',
                  due TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL CHECK (status IN ('open', 'bezig', 'gedaan', 'vervallen')),
                  carried_from BIGINT REFERENCES actions(id),
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL))",
             "CREATE INDEX actions_municipality ON actions(municipality_id, status, due)",
             "CREATE INDEX actions_assessment ON actions(assessment_id)",
             R"(CREATE TABLE action_history (
                  id {{pk}},
                  action_id BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
                  at BIGINT NOT NULL,
                  user_id BIGINT REFERENCES users(id),
                  change TEXT NOT NULL))",
             "CREATE INDEX action_history_action ON action_history(action_id, at)",
         }},
        {4,
         "round revision",
         {
             // Raised by every change that shows in a round's results, so that a rendered
             // results page can be reused until something changes, on every instance.
             "ALTER TABLE assessments ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
         }},
        {5,
         "practice examples and their Dutch full-text search",
         {
             R"(CREATE TABLE examples (
                  id {{pk}},
                  slug TEXT NOT NULL UNIQUE,
                  origin TEXT NOT NULL CHECK (origin IN ('bron', 'inzending', 'gegenereerd')),
                  status TEXT NOT NULL CHECK (status IN ('ingediend', 'gepubliceerd', 'afgewezen')),
                  title TEXT NOT NULL,
                  summary TEXT NOT NULL,
                  municipality TEXT NOT NULL DEFAULT '',
                  organisations TEXT NOT NULL DEFAULT '',
                  source_document TEXT NOT NULL DEFAULT '',
                  source_file TEXT NOT NULL DEFAULT '',
                  source_section TEXT NOT NULL DEFAULT '',
                  themes TEXT NOT NULL DEFAULT '',
                  tracks TEXT NOT NULL DEFAULT '',
                  principles TEXT NOT NULL DEFAULT '',
                  target_groups TEXT NOT NULL DEFAULT '',
                  life_phases TEXT NOT NULL DEFAULT '',
                  links TEXT NOT NULL DEFAULT '',
                  fingerprint TEXT NOT NULL DEFAULT '',
                  reject_reason TEXT NOT NULL DEFAULT '',
                  submitted_by BIGINT REFERENCES users(id),
                  municipality_id BIGINT REFERENCES municipalities(id),
                  created_at BIGINT NOT NULL,
                  updated_at BIGINT NOT NULL,
                  published_at BIGINT))",
             "CREATE INDEX examples_status_title ON examples(status, title)",
             "CREATE INDEX examples_status_municipality ON examples(status, municipality)",
             "CREATE INDEX examples_submitted ON examples(municipality_id, created_at)",
             // Filters and filter lists of published examples; `position` is the place of
             // the value in the example's own list (0: its main theme).
             R"(CREATE TABLE example_tags (
                  example_id BIGINT NOT NULL REFERENCES examples(id) ON DELETE CASCADE,
                  kind TEXT NOT NULL,
                  value TEXT NOT NULL,
                  position INTEGER NOT NULL DEFAULT 0,
                  PRIMARY KEY (kind, value, example_id)))",
             "CREATE INDEX example_tags_example ON example_tags(example_id)",
             "CREATE INDEX example_tags_position ON example_tags(kind, value, position, "
             "example_id)",
             // Changed by every write that shows in search or its filters; pages keep the
             // filter lists until it changes.
             "CREATE TABLE example_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
             "INSERT INTO example_revision (id, revision) VALUES (1, 0)",
             // The published examples, searchable with the Dutch stemmer (dutch_stem.cpp).
             "{{sqlite}}CREATE VIRTUAL TABLE examples_fts USING fts5(title, summary, "
             "municipality, organisations, tokenize = 'dutch')",
         }},
        {6,
         "live meetings",
         {
             "ALTER TABLE assessments ADD COLUMN live_current TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE assessments ADD COLUMN live_revealed INTEGER NOT NULL DEFAULT 0",
             R"(CREATE TABLE round_events (
                  id {{pk}},
                  assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
                  kind TEXT NOT NULL,
                  payload TEXT NOT NULL,
                  at BIGINT NOT NULL))",
             "CREATE INDEX round_events_assessment ON round_events(assessment_id, id)",
             "CREATE INDEX actions_carried_from ON actions(carried_from)",
         }},
        {7,
         "example search on PostgreSQL",
         {
             // What examples_fts is on SQLite: the published examples, searchable in Dutch
             // (examples_search.cpp). Examples published before are indexed at the next start.
             R"({{postgresql}}CREATE TABLE example_search (
                  example_id BIGINT PRIMARY KEY REFERENCES examples(id) ON DELETE CASCADE,
                  document TSVECTOR NOT NULL,
                  stems TSVECTOR NOT NULL))",
             "{{postgresql}}CREATE INDEX example_search_document ON example_search "
             "USING GIN (document)",
             "{{postgresql}}CREATE INDEX example_search_stems ON example_search USING GIN (stems)",
         }},
        {8,
         "server settings",
         {
             // What every instance on this database must agree on; for now the fingerprint
             // of the server secret that invitation links are made with (server_secret.cpp).
             "CREATE TABLE server_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
         }},
    };
    return list;
}

std::string engine_sql(const std::string& statement, bool postgresql) {
    // Full-text search is made differently per engine: each skips the other's statements.
    if (statement.starts_with("{{sqlite}}"))
        return postgresql ? "SELECT 1" : statement.substr(10);
    if (statement.starts_with("{{postgresql}}"))
        return postgresql ? statement.substr(14) : "SELECT 1";
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
