#include "cli/usage.hpp"

#include <regex>
#include <utility>

namespace gids::cli {

std::string dutch_usage_error(const std::string& message) {
    // CLI11's messages, each with its Dutch form; $1, $2 ... are the parts in brackets.
    static const std::pair<std::regex, std::string> known[] = {
        {std::regex(R"(^(\S+): Value (.*) not in range (\S+) to (\S+)$)"),
         "$1: de waarde $2 moet tussen $3 en $4 liggen"},
        {std::regex(R"(^(\S+): (.*) not in \{(.*)\}$)"), "$1: $2 kan niet; kies uit $3"},
        {std::regex(R"(^(\S+): \d+ required \S+ missing$)"), "$1: hier hoort een waarde bij"},
        {std::regex(R"(^Could not convert: (\S+) = (.*)$)"), "$1: $2 is geen geldige waarde"},
        {std::regex(R"(^(\S+) is required$)"), "$1 ontbreekt"},
        {std::regex(R"(^A subcommand is required$)"),
         "geef een opdracht, bijvoorbeeld serve, migrate of demo"},
        {std::regex(R"(^The following arguments? (?:was|were) not expected: (.*)$)"),
         "dit kent gids niet: $1"},
    };
    for (const auto& [pattern, dutch] : known)
        if (std::regex_match(message, pattern))
            return std::regex_replace(message, pattern, dutch);
    return "ongeldige opdracht: " + message;
}

} // namespace gids::cli
