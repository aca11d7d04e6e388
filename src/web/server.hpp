#pragma once
// The HTTP server: Boost.Beast on Asio. I/O threads only read and write; handlers run on a
// worker pool and post their response back, so a slow handler never blocks a socket.

#include "web/http.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace gids::web {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    int io_threads = 1;
    int workers = 4;
    std::size_t body_limit = 8 * 1024 * 1024;
    std::chrono::seconds read_timeout{15};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds shutdown_grace{20};
};

class Server {
  public:
    using Handler = std::function<Response(Request&)>;
    using ErrorPage = std::function<Response(unsigned status, const Request* request)>;

    Server(ServerOptions options, Handler handler, ErrorPage error_page);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket; throws std::runtime_error with a Dutch message on failure.
    void bind();
    unsigned short port() const;
    // Serves until SIGTERM or SIGINT, then lets in-flight requests finish.
    void run();

    struct Impl; // public so that the connection code in server.cpp can name it

  private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace gids::web
