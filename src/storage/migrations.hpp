#pragma once
// The schema, as numbered steps applied in order. One list for both engines: the few words
// that differ are written as {{placeholders}} and filled in per engine.

#include <string>
#include <vector>

namespace gids::storage {

struct Migration {
    int version;
    std::string name;
    std::vector<std::string> statements;
};

const std::vector<Migration>& migrations();

// Fills in {{pk}} (an auto-increment primary key) and {{blob}} for the engine.
std::string engine_sql(const std::string& statement, bool postgresql);

} // namespace gids::storage
