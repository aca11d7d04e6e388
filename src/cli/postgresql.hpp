#pragma once
// The `gids` commands that differ for PostgreSQL: `gids backup` through pg_dump, and
// `gids migrate --from sqlite:PATH`, which moves an installation from SQLite to PostgreSQL.
// Both print their own messages and return the exit code.

#include <string>

namespace gids::cli {

bool is_postgresql_url(const std::string& url);

// Writes a pg_dump archive (custom format, for pg_restore) of the database at `url`.
int backup_postgresql(const std::string& url, const std::string& file);

// Copies the SQLite database `from` ("sqlite:PATH") into the empty PostgreSQL database `url`.
int copy_into_postgresql(const std::string& from, const std::string& url);

} // namespace gids::cli
