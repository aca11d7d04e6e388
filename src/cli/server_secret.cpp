#include "cli/server_secret.hpp"

#include "cli/demo.hpp"
#include "storage/crypto.hpp"

#include <filesystem>
#include <spdlog/spdlog.h>

namespace gids::cli {

Result<std::string> server_secret(storage::Database& db, const std::string& db_url,
                                  std::string file, bool replace) {
    if (file.empty())
        file = default_secret_file(db_url);
    std::error_code ec;
    const bool existed = std::filesystem::exists(file, ec);
    auto secret = crypto::load_or_create_secret(file);
    if (!secret)
        return fail(
            Error::internal("De geheime sleutel kan niet worden gelezen of gemaakt: " + file));
    // An HMAC of a fixed text: it tells secrets apart and reveals nothing of them.
    const std::string fingerprint = crypto::derive_token(*secret, "gids-secret-fingerprint");
    using Check = storage::Database::SecretCheck;
    switch (db.check_secret_fingerprint(fingerprint, replace)) {
    case Check::same:
        return *secret;
    case Check::stored:
        if (replace)
            spdlog::warn("Nieuwe geheime sleutel in gebruik ({}): uitnodigingslinks van "
                         "vóór nu werken niet meer.",
                         file);
        return *secret;
    case Check::different:
        break;
    }
    std::string message = "De geheime sleutel in " + file + " hoort niet bij deze database";
    if (existed) {
        message.append(".");
    } else {
        message.append(" (het bestand was er nog niet en is weer weggehaald).");
        std::filesystem::remove(file, ec);
    }
    message.append(
        " De uitnodigingslinks van deze database zijn met een andere sleutel gemaakt; met "
        "deze zouden ze niet werken. Geef elke server van deze database hetzelfde bestand "
        "met --secret-file. Is de oude sleutel echt kwijt? Start dan één keer met "
        "--new-secret: de links die al zijn verstuurd werken daarna niet meer, en u maakt "
        "nieuwe links aan.");
    return fail(Error::conflict(message));
}

} // namespace gids::cli
