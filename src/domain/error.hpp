#pragma once
// The error type for expected failures: validation, not found, conflict, forbidden.
// It carries a message in plain Dutch for the person, and per-field messages for forms.

#include <expected>
#include <map>
#include <string>
#include <utility>

namespace gids {

enum class ErrorKind { invalid, not_found, conflict, forbidden, unauthorized, too_many, internal };

struct Error {
    ErrorKind kind = ErrorKind::invalid;
    std::string message;                       // one sentence, plain Dutch
    std::map<std::string, std::string> fields; // field name -> message next to that field

    static Error invalid(std::string msg, std::map<std::string, std::string> fields = {}) {
        return {ErrorKind::invalid, std::move(msg), std::move(fields)};
    }
    static Error not_found(std::string msg = "Deze pagina bestaat niet.") {
        return {ErrorKind::not_found, std::move(msg), {}};
    }
    static Error conflict(std::string msg) { return {ErrorKind::conflict, std::move(msg), {}}; }
    static Error forbidden(std::string msg = "U mag dit niet doen.") {
        return {ErrorKind::forbidden, std::move(msg), {}};
    }
    static Error internal(std::string msg) { return {ErrorKind::internal, std::move(msg), {}}; }
};

template <typename T> using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(Error e) {
    return std::unexpected<Error>(std::move(e));
}

} // namespace gids
