#pragma once
// Passwords (argon2id) and secrets (random, stored only as a hash), through libsodium.

#include <optional>
#include <string>
#include <string_view>

namespace gids::crypto {

// Initialises libsodium; call once before anything else here. Returns false when it fails.
bool init();

// argon2id with OWASP's parameters (19 MiB, 2 passes): strong, and cheap enough on memory
// that a burst of logins does not balloon the server.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

// 128 bits or more of randomness, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 16);

// SHA-256 of a secret, hex: how sessions, invitation and API tokens are stored.
std::string hash_secret(std::string_view secret);

// Constant-time comparison of two equal-length strings.
bool equal_secrets(std::string_view a, std::string_view b);

} // namespace gids::crypto

namespace gids::crypto {
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);
} // namespace gids::crypto

namespace gids::crypto {
// A token derived from a server secret: HMAC-SHA-256 of `message`, its first 16 bytes
// (128 bits) in URL-safe base64. The database holds only hash_secret(token), yet the
// server can show a coordinator the same link again.
std::string derive_token(std::string_view key, std::string_view message);

// Reads a 32-byte secret from `path`, or creates one (mode 0600) when it does not exist.
std::optional<std::string> load_or_create_secret(const std::string& path);
} // namespace gids::crypto

namespace gids::crypto {
// The invitation token of a participant: the same for the web server and `gids demo`.
inline std::string invitation_token(std::string_view key, long long participant_id,
                                    int generation) {
    return derive_token(key, "deelnemer:" + std::to_string(participant_id) + ":" +
                                 std::to_string(generation));
}
} // namespace gids::crypto
