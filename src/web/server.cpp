#include "web/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <deque>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gids::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
    ServerOptions options;
    Handler handler;
    ErrorPage error_page;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    asio::thread_pool workers;
    std::atomic<int> in_flight{0};
    std::atomic<bool> stopping{false};

    Impl(ServerOptions o, Handler h, ErrorPage e)
        : options(std::move(o)), handler(std::move(h)), error_page(std::move(e)),
          ioc(options.io_threads), workers(static_cast<std::size_t>(options.workers)) {}

    void accept();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection>, public StreamSink {
  public:
    Connection(tcp::socket socket, Server::Impl& server)
        : m_stream(std::move(socket)), m_server(server) {}

    void start() { read(); }

    // StreamSink: events for a client that keeps a stream open.
    void send(std::string text) override {
        asio::post(m_stream.get_executor(),
                   [self = shared_from_this(), text = std::move(text)]() mutable {
                       if (!self->m_stream_open)
                           return;
                       // A client this far behind is not reading: drop it, it will reconnect and
                       // catch up.
                       if (self->m_outbox.size() >= 512) {
                           self->end_stream();
                           return;
                       }
                       self->m_outbox.push_back(std::move(text));
                       if (self->m_outbox.size() == 1)
                           self->write_next();
                   });
    }
    bool open() const override { return m_stream_open.load(); }

  private:
    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    Server::Impl& m_server;
    std::string m_remote;
    bool m_first = true;
    std::atomic<bool> m_stream_open{false};
    std::deque<std::string> m_outbox;

    void start_stream(Response response, unsigned version) {
        auto head = std::make_shared<bhttp::response<bhttp::empty_body>>();
        head->version(version);
        head->result(response.status);
        head->set(bhttp::field::server, "GIDS");
        head->set(bhttp::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers)
            head->insert(name, value);
        // The body runs until the connection closes: no length, no keep-alive.
        head->keep_alive(false);
        auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
        m_stream.expires_never();
        m_stream_open = true;
        auto source = response.stream;
        bhttp::async_write_header(m_stream, *serializer,
                                  [self = shared_from_this(), head, serializer,
                                   source](beast::error_code ec, std::size_t) {
                                      self->m_server.in_flight.fetch_sub(1);
                                      if (ec) {
                                          self->end_stream();
                                          return;
                                      }
                                      if (!source->prelude.empty())
                                          self->send(source->prelude);
                                      if (source->attach)
                                          source->attach(self);
                                      self->watch_for_close();
                                  });
    }

    void write_next() {
        asio::async_write(m_stream.socket(), asio::buffer(m_outbox.front()),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              // The stream may have ended while this write was under way.
                              if (!self->m_outbox.empty())
                                  self->m_outbox.pop_front();
                              if (ec || !self->m_stream_open) {
                                  self->end_stream();
                                  return;
                              }
                              if (!self->m_outbox.empty())
                                  self->write_next();
                          });
    }

    // A stream's client sends nothing more; a read that ends means it went away.
    void watch_for_close() {
        auto buffer = std::make_shared<std::array<char, 256>>();
        m_stream.socket().async_read_some(
            asio::buffer(*buffer),
            [self = shared_from_this(), buffer](beast::error_code ec, std::size_t) {
                if (ec)
                    self->end_stream();
                else
                    self->watch_for_close();
            });
    }

    // Ends a stream. The outbox is left alone: a write in progress still refers to its front
    // element, and that write's completion takes it off.
    void end_stream() {
        if (!m_stream_open.exchange(false))
            return;
        close();
    }

    void read() {
        m_parser.emplace();
        m_parser->body_limit(m_server.options.body_limit);
        m_parser->header_limit(32 * 1024);
        m_stream.expires_after(m_first ? m_server.options.read_timeout
                                       : m_server.options.idle_timeout);
        m_first = false;
        bhttp::async_read(
            m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == beast::error::timeout || ec == asio::error::connection_reset ||
            ec == asio::error::eof) {
            close();
            return;
        }
        if (ec == bhttp::error::body_limit) {
            send_error(413);
            return;
        }
        if (ec == bhttp::error::header_limit) {
            send_error(431);
            return;
        }
        if (ec) {
            send_error(400);
            return;
        }
        // Reads of the next request wait for this response: keep the timer off meanwhile.
        m_stream.expires_never();
        auto request = std::make_shared<Request>();
        if (!convert(m_parser->get(), *request)) {
            send_error(400);
            return;
        }
        const bool keep_alive = m_parser->get().keep_alive();
        const unsigned version = m_parser->get().version();
        m_server.in_flight.fetch_add(1);
        asio::post(m_server.workers, [self = shared_from_this(), request, keep_alive, version] {
            Response response;
            try {
                response = self->m_server.handler(*request);
            } catch (const std::exception& e) {
                spdlog::error("handler failed: {}", e.what());
                response = self->m_server.error_page(500, request.get());
            }
            asio::post(self->m_stream.get_executor(),
                       [self, response = std::move(response), keep_alive, version]() mutable {
                           if (response.stream)
                               self->start_stream(std::move(response), version);
                           else
                               self->write(std::move(response), keep_alive, version);
                       });
        });
    }

    bool convert(const bhttp::request<bhttp::string_body>& in, Request& out) {
        out.method = std::string(in.method_string());
        out.target = std::string(in.target());
        auto parsed = boost::urls::parse_origin_form(in.target());
        if (!parsed)
            return false;
        out.path = std::string(parsed->path());
        if (parsed->has_query() && !parse_urlencoded(parsed->encoded_query(), out.query))
            return false;
        for (const auto& field : in) {
            std::string name(field.name_string());
            for (auto& ch : name)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
            if (!inserted)
                it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
        }
        out.body = in.body();
        beast::error_code ec;
        auto endpoint = m_stream.socket().remote_endpoint(ec);
        out.remote_address = ec ? std::string() : endpoint.address().to_string();
        return true;
    }

    void send_error(unsigned status) {
        m_server.in_flight.fetch_add(1);
        write(m_server.error_page(status, nullptr), false, 11);
    }

    void write(Response response, bool keep_alive, unsigned version) {
        auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
        res->version(version);
        res->result(response.status);
        res->set(bhttp::field::server, "GIDS");
        res->set(bhttp::field::content_type, response.content_type);
        for (auto& [name, value] : response.headers)
            res->insert(name, value);
        res->body() = std::move(response.body);
        res->keep_alive(keep_alive && !m_server.stopping.load());
        res->prepare_payload();
        m_stream.expires_after(m_server.options.read_timeout);
        bhttp::async_write(m_stream, *res,
                           [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                               self->m_server.in_flight.fetch_sub(1);
                               if (ec || !res->keep_alive()) {
                                   self->close();
                                   return;
                               }
                               self->read();
                           });
    }

    void close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.socket().close(ec);
    }
};

} // namespace

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (!acceptor.is_open())
                return;
            spdlog::warn("accept failed: {}", ec.message());
        } else {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Connection>(std::move(socket), *this)->start();
        }
        accept();
    });
}

Server::Server(ServerOptions options, Handler handler, ErrorPage error_page)
    : m_impl(
          std::make_unique<Impl>(std::move(options), std::move(handler), std::move(error_page))) {}

Server::~Server() {
    m_impl->workers.join();
}

void Server::bind() {
    beast::error_code ec;
    auto address = asio::ip::make_address(m_impl->options.host, ec);
    if (ec)
        throw std::runtime_error("Ongeldig adres: " + m_impl->options.host);
    tcp::endpoint endpoint{address, m_impl->options.port};
    auto& acc = m_impl->acceptor;
    acc.open(endpoint.protocol(), ec);
    if (!ec)
        acc.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acc.bind(endpoint, ec);
    if (!ec)
        acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("Kan niet luisteren op " + m_impl->options.host + ":" +
                                 std::to_string(m_impl->options.port) + ": " + ec.message());
}

unsigned short Server::port() const {
    return m_impl->acceptor.local_endpoint().port();
}

void Server::run() {
    auto& impl = *m_impl;
    impl.accept();
    asio::signal_set signals(impl.ioc, SIGTERM, SIGINT);
    asio::steady_timer drain(impl.ioc);
    std::chrono::steady_clock::time_point deadline;
    int quiet_checks = 0;
    // Requests already sent but not yet read still arrive after the acceptor closes: stop
    // only after the server has been idle for a quarter of a second.
    std::function<void()> wait_for_drain = [&] {
        quiet_checks = impl.in_flight.load() == 0 ? quiet_checks + 1 : 0;
        if (quiet_checks >= 12 || std::chrono::steady_clock::now() > deadline) {
            impl.ioc.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(20));
        drain.async_wait([&](beast::error_code) { wait_for_drain(); });
    };
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec)
            return;
        spdlog::info("stopping: finishing {} requests in progress", impl.in_flight.load());
        impl.stopping = true;
        deadline = std::chrono::steady_clock::now() + impl.options.shutdown_grace;
        beast::error_code ignored;
        impl.acceptor.close(ignored);
        wait_for_drain();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < impl.options.io_threads; ++i)
        threads.emplace_back([&] { impl.ioc.run(); });
    impl.ioc.run();
    for (auto& t : threads)
        t.join();
    impl.workers.join();
}

} // namespace gids::web
