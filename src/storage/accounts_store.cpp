// Municipalities, users, sessions, login throttling, audit log and API tokens.
#include "storage/crypto.hpp"
#include "storage/database.hpp"
#include "storage/rows.hpp"

#include <soci/soci.h>

namespace gids::storage {

namespace {

const std::string municipality_columns =
    "id, name, cbs_code, region, CASE WHEN logo_data IS NULL THEN 0 ELSE 1 END, created_at";

Municipality to_municipality(const soci::row& r, std::size_t at = 0) {
    return {as_int(r, at),      as_text(r, at + 1),     as_text(r, at + 2),
            as_text(r, at + 3), as_int(r, at + 4) != 0, as_int(r, at + 5)};
}

const std::string user_columns = "id, email, name, role, municipality_id, disabled, created_at";

User to_user(const soci::row& r, std::size_t at = 0) {
    User u;
    u.id = as_int(r, at);
    u.email = as_text(r, at + 1);
    u.name = as_text(r, at + 2);
    u.role = parse_role(as_text(r, at + 3)).value_or(Role::coordinator);
    u.municipality_id = as_opt_int(r, at + 4);
    u.disabled = as_int(r, at + 5) != 0;
    u.created_at = as_int(r, at + 6);
    return u;
}

bool is_unique_violation(const std::exception& e) {
    const std::string what = e.what();
    return what.find("UNIQUE") != std::string::npos || what.find("unique") != std::string::npos ||
           what.find("duplicate key") != std::string::npos;
}

template <typename T, typename Map>
std::vector<T> list_of(Lease& sql, const std::string& query, const std::vector<Param>& params,
                       Map map) {
    std::vector<T> out;
    sql.each(query, params, [&](const soci::row& r) { out.push_back(map(r)); });
    return out;
}

template <typename T, typename Map>
std::optional<T> one_of(Lease& sql, const std::string& query, const std::vector<Param>& params,
                        Map map) {
    std::optional<T> out;
    sql.each(query, params, [&](const soci::row& r) {
        if (!out)
            out = map(r);
    });
    return out;
}

long long count_of(Lease& sql, const std::string& query, const std::vector<Param>& params) {
    long long n = 0;
    sql.each(query, params, [&](const soci::row& r) { n = as_int(r, 0); });
    return n;
}

auto municipality_row = [](const soci::row& r) { return to_municipality(r); };
auto user_row = [](const soci::row& r) { return to_user(r); };

} // namespace

Result<long long> Database::create_municipality(const MunicipalityInput& in, long long now) {
    Lease sql(*this);
    try {
        return count_of(sql,
                        "INSERT INTO municipalities (name, cbs_code, region, created_at) "
                        "VALUES (:n, :c, :r, :t) RETURNING id",
                        {in.name, in.cbs_code, in.region, now});
    } catch (const std::exception& e) {
        if (is_unique_violation(e))
            return fail(Error::invalid("Er is al een gemeente met deze naam.",
                                       {{"name", "Er is al een gemeente met deze naam."}}));
        throw;
    }
}

Status Database::update_municipality(long long id, const MunicipalityInput& in) {
    Lease sql(*this);
    try {
        sql.exec("UPDATE municipalities SET name = :n, cbs_code = :c, region = :r WHERE id = :id",
                 {in.name, in.cbs_code, in.region, id});
    } catch (const std::exception& e) {
        if (is_unique_violation(e))
            return fail(Error::invalid("Er is al een gemeente met deze naam.",
                                       {{"name", "Er is al een gemeente met deze naam."}}));
        throw;
    }
    return {};
}

std::vector<Municipality> Database::list_municipalities() {
    Lease sql(*this);
    return list_of<Municipality>(
        sql, "SELECT " + municipality_columns + " FROM municipalities ORDER BY name", {},
        municipality_row);
}

std::optional<Municipality> Database::find_municipality(long long id) {
    Lease sql(*this);
    return one_of<Municipality>(
        sql, "SELECT " + municipality_columns + " FROM municipalities WHERE id = :id", {id},
        municipality_row);
}

std::optional<Municipality> Database::find_municipality_by_name(const std::string& name) {
    Lease sql(*this);
    return one_of<Municipality>(
        sql, "SELECT " + municipality_columns + " FROM municipalities WHERE name = :n", {name},
        municipality_row);
}

Status Database::set_logo(long long municipality_id, const Logo& logo) {
    Lease sql(*this);
    sql.exec("UPDATE municipalities SET logo_type = :t, logo_data = :d WHERE id = :id",
             {logo.content_type, crypto::to_base64(logo.data), municipality_id});
    return {};
}

std::optional<Logo> Database::logo(long long municipality_id) {
    Lease sql(*this);
    auto stored = one_of<Logo>(
        sql,
        "SELECT logo_type, logo_data FROM municipalities WHERE id = :id AND logo_data IS NOT NULL",
        {municipality_id}, [](const soci::row& r) {
            return Logo{as_text(r, 0), as_text(r, 1)};
        });
    if (!stored)
        return std::nullopt;
    auto decoded = crypto::from_base64(stored->data);
    if (!decoded)
        return std::nullopt;
    stored->data = std::move(*decoded);
    return stored;
}

Result<long long> Database::create_user(const NewUser& user, const std::string& hash,
                                        long long now) {
    Lease sql(*this);
    try {
        return count_of(sql,
                        "INSERT INTO users (email, name, role, municipality_id, password_hash, "
                        "created_at) VALUES (:e, :n, :r, :m, :p, :t) RETURNING id",
                        {user.email, user.name, std::string(role_name(user.role)),
                         user.municipality_id, hash, now});
    } catch (const std::exception& e) {
        if (is_unique_violation(e))
            return fail(Error::invalid("Er is al een account met dit e-mailadres.",
                                       {{"email", "Er is al een account met dit e-mailadres."}}));
        throw;
    }
}

std::optional<User> Database::find_user(long long id) {
    Lease sql(*this);
    return one_of<User>(sql, "SELECT " + user_columns + " FROM users WHERE id = :id", {id},
                        user_row);
}

std::optional<User> Database::find_user_by_email(const std::string& email) {
    Lease sql(*this);
    return one_of<User>(sql, "SELECT " + user_columns + " FROM users WHERE email = :e", {email},
                        user_row);
}

std::string Database::password_hash(long long user_id) {
    Lease sql(*this);
    return one_of<std::string>(sql, "SELECT password_hash FROM users WHERE id = :id", {user_id},
                               [](const soci::row& r) { return as_text(r, 0); })
        .value_or("");
}

std::vector<User> Database::list_users() {
    Lease sql(*this);
    return list_of<User>(sql, "SELECT " + user_columns + " FROM users ORDER BY email", {},
                         user_row);
}

std::vector<User> Database::users_of_municipality(long long municipality_id) {
    Lease sql(*this);
    return list_of<User>(sql,
                         "SELECT " + user_columns +
                             " FROM users WHERE municipality_id = :m ORDER BY name, email",
                         {municipality_id}, user_row);
}

Status Database::set_user_disabled(long long user_id, bool disabled) {
    Lease sql(*this);
    Transaction tx(*sql, m_engine);
    sql.exec("UPDATE users SET disabled = :d WHERE id = :id", {disabled ? 1LL : 0LL, user_id});
    if (disabled)
        sql.exec("DELETE FROM sessions WHERE user_id = :id", {user_id});
    tx.commit();
    return {};
}

Status Database::set_password_hash(long long user_id, const std::string& hash) {
    Lease sql(*this);
    sql.exec("UPDATE users SET password_hash = :h WHERE id = :id", {hash, user_id});
    return {};
}

void Database::create_session(const std::string& id_hash, long long user_id,
                              const std::string& csrf, long long now) {
    Lease sql(*this);
    sql.exec("INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at) "
             "VALUES (:h, :u, :c, :t, :t2)",
             {id_hash, user_id, csrf, now, now});
}

std::optional<SessionRecord> Database::find_session(const std::string& id_hash) {
    Lease sql(*this);
    return one_of<SessionRecord>(
        sql, "SELECT user_id, csrf, created_at, last_seen_at FROM sessions WHERE id_hash = :h",
        {id_hash}, [](const soci::row& r) {
            return SessionRecord{as_int(r, 0), as_text(r, 1), as_int(r, 2), as_int(r, 3)};
        });
}

std::optional<Database::SessionUser> Database::find_session_user(const std::string& id_hash) {
    Lease sql(*this);
    return one_of<SessionUser>(
        sql,
        "SELECT s.user_id, s.csrf, s.created_at, s.last_seen_at, "
        "u.id, u.email, u.name, u.role, u.municipality_id, u.disabled, u.created_at, "
        "m.id, m.name, m.cbs_code, m.region, CASE WHEN m.logo_data IS NULL THEN 0 ELSE 1 END, "
        "m.created_at FROM sessions s JOIN users u ON u.id = s.user_id "
        "LEFT JOIN municipalities m ON m.id = u.municipality_id WHERE s.id_hash = :h",
        {id_hash}, [](const soci::row& r) {
            SessionUser su;
            su.session = {as_int(r, 0), as_text(r, 1), as_int(r, 2), as_int(r, 3)};
            su.user = to_user(r, 4);
            if (r.get_indicator(11) != soci::i_null)
                su.municipality = to_municipality(r, 11);
            return su;
        });
}

void Database::touch_session(const std::string& id_hash, long long now) {
    Lease sql(*this);
    sql.exec("UPDATE sessions SET last_seen_at = :t WHERE id_hash = :h", {now, id_hash});
}

void Database::delete_session(const std::string& id_hash) {
    Lease sql(*this);
    sql.exec("DELETE FROM sessions WHERE id_hash = :h", {id_hash});
}

void Database::delete_user_sessions(long long user_id) {
    Lease sql(*this);
    sql.exec("DELETE FROM sessions WHERE user_id = :u", {user_id});
}

void Database::delete_expired_sessions(long long idle_before, long long created_before) {
    Lease sql(*this);
    sql.exec("DELETE FROM sessions WHERE last_seen_at < :i OR created_at < :c",
             {idle_before, created_before});
}

void Database::record_login_failure(const std::string& email, const std::string& address,
                                    long long now) {
    Lease sql(*this);
    sql.exec("INSERT INTO login_failures (email, address, at) VALUES (:e, :a, :t)",
             {email, address, now});
}

int Database::count_login_failures_for_email(const std::string& email, long long since) {
    Lease sql(*this);
    return static_cast<int>(count_of(
        sql, "SELECT COUNT(*) FROM login_failures WHERE email = :e AND at >= :s", {email, since}));
}

int Database::count_login_failures_for_address(const std::string& address, long long since) {
    Lease sql(*this);
    return static_cast<int>(
        count_of(sql, "SELECT COUNT(*) FROM login_failures WHERE address = :a AND at >= :s",
                 {address, since}));
}

void Database::clear_login_failures(const std::string& email) {
    Lease sql(*this);
    sql.exec("DELETE FROM login_failures WHERE email = :e", {email});
}

void Database::audit(std::optional<long long> user_id, std::optional<long long> municipality_id,
                     const std::string& action, const std::string& detail, long long now) {
    Lease sql(*this);
    sql.exec("INSERT INTO audit_log (at, user_id, municipality_id, action, detail) "
             "VALUES (:t, :u, :m, :a, :d)",
             {now, user_id, municipality_id, action, detail});
}

std::vector<AuditEntry> Database::list_audit(int limit, int offset,
                                             std::optional<long long> municipality_id) {
    Lease sql(*this);
    auto map = [](const soci::row& r) {
        return AuditEntry{as_int(r, 0),     as_int(r, 1),  as_opt_int(r, 2), as_text(r, 3),
                          as_opt_int(r, 4), as_text(r, 5), as_text(r, 6),    as_text(r, 7)};
    };
    // Two statements rather than one with "(:m IS NULL OR ...)", which would keep SQLite
    // from using the index on municipality_id.
    const std::string select =
        "SELECT a.id, a.at, a.user_id, COALESCE(u.email, ''), a.municipality_id, "
        "COALESCE(m.name, ''), a.action, a.detail FROM audit_log a "
        "LEFT JOIN users u ON u.id = a.user_id "
        "LEFT JOIN municipalities m ON m.id = a.municipality_id ";
    if (municipality_id)
        return list_of<AuditEntry>(
            sql, select + "WHERE a.municipality_id = :m ORDER BY a.id DESC LIMIT :l OFFSET :o",
            {*municipality_id, static_cast<long long>(limit), static_cast<long long>(offset)}, map);
    return list_of<AuditEntry>(sql, select + "ORDER BY a.id DESC LIMIT :l OFFSET :o",
                               {static_cast<long long>(limit), static_cast<long long>(offset)},
                               map);
}

int Database::count_audit(std::optional<long long> municipality_id) {
    Lease sql(*this);
    return static_cast<int>(count_of(sql,
                                     "SELECT COUNT(*) FROM audit_log WHERE (CAST(:m1 AS BIGINT) IS "
                                     "NULL OR municipality_id = :m2)",
                                     {municipality_id, municipality_id}));
}

void Database::create_api_token(long long user_id, const std::string& token_hash, long long now) {
    Lease sql(*this);
    sql.exec("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (:u, :h, :t)",
             {user_id, token_hash, now});
}

std::optional<User> Database::find_user_by_api_token(const std::string& token_hash) {
    Lease sql(*this);
    return one_of<User>(sql,
                        "SELECT u.id, u.email, u.name, u.role, u.municipality_id, u.disabled, "
                        "u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id "
                        "WHERE t.token_hash = :h",
                        {token_hash}, user_row);
}

} // namespace gids::storage
