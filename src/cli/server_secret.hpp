#pragma once
// The server secret: the key invitation links and meeting codes are made with. Every
// instance on one database must use the same one; the database keeps its fingerprint, so
// that a server with another secret (another instance's file, a lost and recreated file, a
// restored backup without its key) refuses to start instead of handing out links that do
// not work elsewhere.

#include "domain/error.hpp"
#include "storage/database.hpp"

#include <string>

namespace gids::cli {

// Reads the secret from `file` (created when it does not exist; empty: the default place)
// and checks it against the database. `replace` makes this secret the database's own: the
// links already sent stop working.
Result<std::string> server_secret(storage::Database& db, const std::string& db_url,
                                  std::string file, bool replace);

} // namespace gids::cli
