#include "storage/database.hpp"

#include "storage/migrations.hpp"
#include "storage/rows.hpp"

#include <chrono>
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace gids::storage {

long long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Lease::Lease(Database& db) : m_db(db) {
    m_position = db.m_pool->lease();
    m_session = &db.m_pool->at(m_position);
    m_db.m_in_use.fetch_add(1);
    // A PostgreSQL connection that broke (a restarted or failed-over server) is opened anew
    // before use, so that one failed request is all it costs. Its prepared statements
    // belonged to the old connection.
    if (db.m_engine == Engine::postgresql && !m_session->is_connected()) {
        m_db.m_statements[m_position].clear();
        try {
            m_session->reconnect();
            *m_session << "SET client_min_messages TO WARNING";
        } catch (const std::exception&) {
            // Still unreachable: the query itself fails and says so.
        }
    }
}

Lease::~Lease() {
    m_db.m_in_use.fetch_sub(1);
    m_db.m_pool->give_back(m_position);
}

CachedStatement& Lease::statement(const std::string& query, const std::vector<Param>& params,
                                  bool returns_rows) {
    return m_db.m_statements[m_position].get(*m_session, query, params, returns_rows);
}

void Lease::forget(const std::string& query) {
    m_db.m_statements[m_position].forget(query);
}

bool Lease::on_postgresql() const {
    return m_db.m_engine == Engine::postgresql;
}

void Lease::exec(const std::string& query, const std::vector<Param>& params) {
    auto& st = statement(query, params, false);
    try {
        st.execute(params);
    } catch (...) {
        forget(query);
        throw;
    }
}

Transaction::Transaction(soci::session& sql, Engine engine) : m_sql(sql) {
    m_sql << (engine == Engine::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (m_done)
        return;
    try {
        m_sql << "ROLLBACK";
    } catch (...) {
        // The connection is gone; the database rolls back by itself.
    }
}

void Transaction::commit() {
    m_sql << "COMMIT";
    m_done = true;
}

namespace {

// Keys of PostgreSQL advisory locks ("gids" and a number), held by the session that takes them.
constexpr long long migrate_lock_key = 0x67696473'01LL;
constexpr long long setup_lock_key = 0x67696473'02LL;

} // namespace

SetupLock::SetupLock(std::unique_ptr<soci::session> session) : m_session(std::move(session)) {}

// Closing the connection releases the lock.
SetupLock::~SetupLock() = default;

Database::Database(Engine engine, std::string url, std::string connect, std::size_t pool_size)
    : m_engine(engine), m_url(std::move(url)), m_connect(std::move(connect)),
      m_pool_size(pool_size), m_pool(std::make_unique<soci::connection_pool>(pool_size)),
      m_statements(pool_size) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::string& url, std::size_t pool_size) {
    if (pool_size == 0)
        pool_size = 1;
    Engine engine;
    std::string connect;
    if (url.starts_with("sqlite:")) {
        engine = Engine::sqlite;
        const std::string path = url.substr(7);
        if (path.empty())
            return fail(
                Error::invalid("Geef een pad op na sqlite:, bijvoorbeeld sqlite:var/gids.db"));
        std::error_code ec;
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty())
            std::filesystem::create_directories(parent, ec);
        connect = "db=\"" + path + "\" timeout=10";
    } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
        engine = Engine::postgresql;
        connect = url;
    } else {
        return fail(Error::invalid("Onbekende database: gebruik sqlite:PAD of postgresql://..."));
    }
    std::unique_ptr<Database> db(new Database(engine, url, connect, pool_size));
    try {
        for (std::size_t i = 0; i < pool_size; ++i) {
            soci::session& s = db->m_pool->at(i);
            if (engine == Engine::sqlite) {
                s.open(soci::sqlite3, connect);
                s << "PRAGMA journal_mode=WAL";
                s << "PRAGMA synchronous=NORMAL";
                s << "PRAGMA foreign_keys=ON";
                s << "PRAGMA busy_timeout=10000";
                register_dutch_tokenizer(s);
            } else {
                s.open(soci::postgresql, connect);
                s << "SET client_min_messages TO WARNING";
            }
        }
    } catch (const std::exception& e) {
        return fail(
            Error::internal(std::string("De database kan niet worden geopend: ") + e.what()));
    }
    return db;
}

int Database::latest_schema_version() const {
    return migrations().back().version;
}

int Database::schema_version() {
    Lease sql(*this);
    int version = 0;
    soci::indicator ind = soci::i_null;
    try {
        *sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    } catch (const soci::soci_error&) {
        return 0;
    }
    return ind == soci::i_ok ? version : 0;
}

SetupLock Database::setup_lock() {
    if (m_engine != Engine::postgresql)
        return SetupLock(nullptr);
    auto session = std::make_unique<soci::session>(soci::postgresql, m_connect);
    *session << "SELECT pg_advisory_lock(:k)", soci::use(setup_lock_key);
    return SetupLock(std::move(session));
}

Status Database::migrate() {
    try {
        Lease sql(*this);
        // Instances that start together on a new database would otherwise both create the
        // same tables. The lock belongs to this pooled connection: it is given back below.
        const bool postgresql = m_engine == Engine::postgresql;
        if (postgresql)
            *sql << "SELECT pg_advisory_lock(:k)", soci::use(migrate_lock_key);
        struct Unlock {
            soci::session& sql;
            bool active;
            ~Unlock() {
                try {
                    if (active)
                        sql << "SELECT pg_advisory_unlock(:k)", soci::use(migrate_lock_key);
                } catch (...) {
                    // The connection is gone, and the lock with it.
                }
            }
        } unlock{*sql, postgresql};
        *sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
        for (const auto& m : migrations()) {
            Transaction tx(*sql, m_engine);
            int count = 0;
            *sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v",
                soci::use(m.version), soci::into(count);
            if (count > 0)
                continue;
            for (const auto& statement : m.statements)
                *sql << engine_sql(statement, m_engine == Engine::postgresql);
            const long long now = now_seconds();
            *sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
                soci::use(m.version), soci::use(m.name), soci::use(now);
            tx.commit();
        }
    } catch (const std::exception& e) {
        return fail(Error::internal(std::string("Bijwerken van de database mislukt: ") + e.what()));
    }
    return {};
}

Database::SecretCheck Database::check_secret_fingerprint(const std::string& fingerprint,
                                                         bool replace) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    const auto read = [&] {
        std::optional<std::string> value;
        sql.each("SELECT value FROM server_settings WHERE name = 'secret_fingerprint'", {},
                 [&](const soci::row& r) { value = as_text(r, 0); });
        return value;
    };
    const auto before = read();
    // Without `replace`, a fingerprint stored meanwhile by another instance wins: read again.
    sql.exec(replace ? "INSERT INTO server_settings (name, value) VALUES ('secret_fingerprint', "
                       ":f) ON CONFLICT (name) DO UPDATE SET value = excluded.value"
                     : "INSERT INTO server_settings (name, value) VALUES ('secret_fingerprint', "
                       ":f) ON CONFLICT (name) DO NOTHING",
             {fingerprint});
    const auto after = read();
    tx.commit();
    if (after != fingerprint)
        return SecretCheck::different;
    return before == fingerprint ? SecretCheck::same : SecretCheck::stored;
}

bool Database::ping() {
    try {
        Lease sql(*this);
        long long one = 0;
        // SQLite answers "SELECT 1" without reading the file; this reads it.
        sql.each("SELECT COUNT(*) FROM schema_migrations", {},
                 [&](const soci::row& r) { one = as_int(r, 0) > 0 ? 1 : 0; });
        return one == 1;
    } catch (const std::exception&) {
        return false;
    }
}

Status Database::backup_to(const std::filesystem::path& target) {
    if (m_engine != Engine::sqlite)
        return fail(Error::invalid("Deze back-up werkt alleen voor SQLite."));
    Lease sql(*this);
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql->get_backend());
    sqlite_api::sqlite3* dest = nullptr;
    if (sqlite_api::sqlite3_open(target.c_str(), &dest) != SQLITE_OK) {
        sqlite_api::sqlite3_close(dest);
        return fail(Error::internal("Kan het back-upbestand niet openen: " + target.string()));
    }
    sqlite_api::sqlite3_backup* backup =
        sqlite_api::sqlite3_backup_init(dest, "main", backend->conn_, "main");
    int rc = SQLITE_ERROR;
    if (backup) {
        do {
            rc = sqlite_api::sqlite3_backup_step(backup, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite_api::sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite_api::sqlite3_backup_finish(backup);
    }
    const std::string message = sqlite_api::sqlite3_errmsg(dest);
    sqlite_api::sqlite3_close(dest);
    if (rc != SQLITE_DONE)
        return fail(Error::internal("Back-up mislukt: " + message));
    return {};
}

} // namespace gids::storage
