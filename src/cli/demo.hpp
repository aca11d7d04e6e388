#pragma once
// The demo municipality that `make run` and `gids demo` create, so a newcomer sees GIDS at work.

#include "storage/database.hpp"

#include <string>

namespace gids::cli {

struct DemoLogin {
    std::string email;
    std::string password;
};

inline const DemoLogin demo_coordinator{"coordinator@demo.gids.nl", "demo-coordinator-2026"};
inline const DemoLogin demo_admin{"beheer@demo.gids.nl", "demo-beheerder-2026"};
inline constexpr const char* demo_municipality = "Gemeente Demodorp";

// Creates what is missing; running it twice changes nothing. Returns false on failure.
Status create_demo(storage::Database& db);

} // namespace gids::cli
