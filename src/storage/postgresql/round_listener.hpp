#pragma once
// On PostgreSQL several instances of GIDS share one database, and a screen that follows a
// meeting may be connected to another instance than the participant who answers. Storing a
// meeting event therefore notifies channel gids_round_events with the round's number; the
// notification is delivered when the storing transaction commits, and not at all when it
// rolls back. Each instance runs one RoundListener: a thread with a connection of its own
// (not one of the pool) that listens on the channel and says which rounds have news. When
// its connection is lost it connects again, and then says that any round may have news,
// because notifications sent meanwhile are lost.

#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace gids::storage {

inline constexpr std::string_view round_events_channel = "gids_round_events";

struct RoundListenerHandlers {
    // Rounds with new events, each once, in no particular order.
    std::function<void(const std::vector<long long>& rounds)> changed;
    // Listening (again): notifications may have been missed, any round may have news.
    std::function<void()> resync;
    // Something worth a log line: a lost connection, a failed attempt to connect.
    std::function<void(const std::string& message)> problem;
};

class RoundListener {
  public:
    // `connect`: a libpq connection string or postgresql:// URL. Starts listening at once.
    // The handlers run on the listener's thread, one at a time. When `changed` or `resync`
    // throws, the listener reports it and calls `resync` again a second later.
    RoundListener(std::string connect, RoundListenerHandlers handlers);
    // Stops the thread, without waiting for a poll timeout, and closes the connection.
    ~RoundListener();
    RoundListener(const RoundListener&) = delete;
    RoundListener& operator=(const RoundListener&) = delete;

  private:
    std::string m_connect;
    RoundListenerHandlers m_handlers;
    int m_wake = -1; // an eventfd that interrupts the wait when the listener stops
    std::jthread m_thread;

    void run(std::stop_token stop);
    // Waits until the socket is readable (true), or `ms` passed or stop was asked (false).
    bool wait(int socket, int ms, const std::stop_token& stop);
    bool call(const std::function<void()>& handler);
    void report(const std::string& message);
};

} // namespace gids::storage
