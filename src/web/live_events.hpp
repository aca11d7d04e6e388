#pragma once
// Carries the events of live meetings from the database to the screens connected to this
// instance, each event once and in the order of its number, also to a screen that comes
// back with the last number it saw (Last-Event-ID).
//
// On SQLite this process is the only one that stores events: storing and handing out
// happen under one lock. On PostgreSQL every instance stores events; they all reach the
// screens one way, also those stored here: the listener (storage/postgresql/
// round_listener.hpp) says which rounds have news, and the events after the last one handed
// out are read from the database. The events of a round commit in the order of their
// numbers (storage/meeting_store.cpp), so reading "after the last one" misses nothing.

#include "storage/database.hpp"
#include "web/event_hub.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace gids::web {

class LiveEvents {
  public:
    // Starts listening on PostgreSQL.
    explicit LiveEvents(storage::Database& db);
    ~LiveEvents();
    LiveEvents(const LiveEvents&) = delete;
    LiveEvents& operator=(const LiveEvents&) = delete;

    // Stores an event with `store` and sees that it reaches every screen of its round.
    MeetingEvent publish_stored(const std::function<MeetingEvent()>& store);
    // Adds a screen: sends it the events after `after_id`, then every new one, with nothing
    // lost or doubled in between.
    void follow(long long round_id, long long after_id, std::shared_ptr<StreamSink> sink);
    // Stops listening; nothing is handed out afterwards. Called before the server's
    // connections go away.
    void stop();

    EventHub& hub() { return m_hub; }

  private:
    storage::Database& m_db;
    EventHub m_hub;
    // Held while a stream catches up and subscribes, and while events are handed out: a
    // stream then never sees a newer event before an older one.
    std::mutex m_mutex;
    bool m_stopped = false;
    bool m_notified = false; // events reach the hub through the listener (PostgreSQL)
    // PostgreSQL only: per followed round, the number of the last event handed to the hub.
    std::map<long long, long long> m_handed_out;
    std::unique_ptr<storage::RoundListener> m_listener; // null on SQLite

    void hand_out(const std::vector<long long>& rounds);
    void hand_out_all();
};

} // namespace gids::web
