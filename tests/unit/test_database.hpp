#pragma once
// The database a storage test runs on: a SQLite file in the test's directory, or, when
// GIDS_PG_HOST names the socket directory of a PostgreSQL server (make test starts a
// throwaway cluster, tests/pg/cluster.sh), a fresh PostgreSQL database. tests/run_all.sh runs
// the storage tests both ways, so that they hold for both engines.

#include <cstdlib>
#include <filesystem>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <string>
#include <unistd.h>

namespace gids::test_db {

inline bool on_postgresql() {
    return std::getenv("GIDS_PG_HOST") != nullptr;
}

inline std::string fresh_database_url(const std::filesystem::path& dir) {
    if (!on_postgresql())
        return "sqlite:" + (dir / "gids.db").string();
    const std::string host = std::getenv("GIDS_PG_HOST");
    const char* port_env = std::getenv("GIDS_PG_PORT");
    const std::string port = port_env != nullptr ? port_env : "5432";
    static int counter = 0;
    const std::string name =
        "gids_unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    soci::session admin(soci::postgresql,
                        "dbname=postgres user=gids host=" + host + " port=" + port);
    admin << "CREATE DATABASE " + name;
    std::string encoded;
    for (char c : host)
        encoded += c == '/' ? std::string("%2F") : std::string(1, c);
    return "postgresql://gids@/" + name + "?host=" + encoded + "&port=" + port;
}

} // namespace gids::test_db
