#pragma once
// The demo municipality that `make run` and `gids demo` create, so a newcomer sees GIDS at work.

#include "storage/database.hpp"
#include "web/instrument_library.hpp"

#include <string>

namespace gids::cli {

struct DemoLogin {
    std::string email;
    std::string password;
};

inline const DemoLogin demo_coordinator{"coordinator@demo.gids.nl", "demo-coordinator-2026"};
inline const DemoLogin demo_admin{"beheer@demo.gids.nl", "demo-beheerder-2026"};
inline constexpr const char* demo_municipality = "Gemeente Demodorp";

// Creates what is missing; running it twice changes nothing: the demo municipality, its
// accounts, a finished round of the conversation tool with four participants whose answers
// differ in telling ways, a second open round, and a handful of actions.
Status create_demo(storage::Database& db, const web::InstrumentLibrary& library,
                   const std::string& secret);

// Where the server secret lives by default: beside the SQLite file, else var/.
std::string default_secret_file(const std::string& db_url);

} // namespace gids::cli
