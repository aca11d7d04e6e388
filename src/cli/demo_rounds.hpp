#pragma once
// The demo's rounds: a finished round of the conversation tool and the open round after it.

#include "storage/database.hpp"
#include "web/instrument_library.hpp"

#include <string>

namespace gids::cli {

Status create_demo_rounds(storage::Database& db, long long municipality_id,
                          const web::LibraryEntry& tool, long long coordinator_id,
                          const std::string& secret);

} // namespace gids::cli
