#pragma once
// Reading SOCI rows the same way on both engines: SQLite reports INTEGER columns as int or
// long long depending on the declared type, PostgreSQL as long long; these helpers accept
// either, and NULL as the default value.

#include <optional>
#include <soci/soci.h>
#include <string>

namespace gids::storage {

inline long long as_int(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null)
        return 0;
    switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
        return r.get<int>(i);
    case soci::dt_long_long:
        return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
        return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
        return static_cast<long long>(r.get<double>(i));
    case soci::dt_string:
        return std::stoll(r.get<std::string>(i));
    default:
        return 0;
    }
}

inline std::optional<long long> as_opt_int(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null)
        return std::nullopt;
    return as_int(r, i);
}

inline std::string as_text(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null)
        return {};
    if (r.get_properties(i).get_data_type() == soci::dt_string)
        return r.get<std::string>(i);
    return std::to_string(as_int(r, i));
}

inline double as_double(const soci::row& r, std::size_t i) {
    if (r.get_indicator(i) == soci::i_null)
        return 0;
    if (r.get_properties(i).get_data_type() == soci::dt_double)
        return r.get<double>(i);
    return static_cast<double>(as_int(r, i));
}

// A value for `soci::use` that may be NULL.
struct NullableInt {
    long long value = 0;
    soci::indicator ind = soci::i_null;
    explicit NullableInt(std::optional<long long> v)
        : value(v.value_or(0)), ind(v ? soci::i_ok : soci::i_null) {}
};

} // namespace gids::storage
