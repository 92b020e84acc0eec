import Foundation
import Hummingbird
import HummingbirdTesting
@testable import PerennialDashboard
import PerennialServer
@testable import PerennialStorage
import PerennialTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Requests an attacker or a broken client would send: each gets a 4xx in the API's JSON shape with
/// the field named, the valid rest is kept, and the server goes on serving.
@Suite struct HostileInputTests {
    static func error(_ body: ByteBuffer) throws -> [String: Any] {
        try #require(try ServerTests.object(body)["error"] as? [String: Any])
    }

    @Test("a NUL character or an overflowing amount refuses that event alone, naming the field; the rest of the batch is stored",
          arguments: StoreBackend.testable)
    func eventsInBatch(backend: StoreBackend) async throws {
        let server = try await ServerEventTests.handServer(on: backend)
        try await ServerTests.app(server).test(.live) { client in
            let body = """
                [{"event_id": "h-1", "type": "page_view", "customer_id": "1001", "timestamp": "2024-07-01T10:00:00Z", "url": "/a"},
                 {"event_id": "h-2", "type": "page_view", "customer_id": "1001\\u0000", "timestamp": "2024-07-01T10:00:00Z"},
                 {"event_id": "h-3", "type": "review", "customer_id": "1002", "timestamp": "2024-07-01T10:00:00Z", "rating": 5, "text": "ok\\u0000"},
                 {"event_id": "h-4", "type": "order", "customer_id": "1002", "timestamp": "2024-07-01T10:00:00Z", "order_id": "H4",
                  "currency": "GBP", "lines": [{"sku": "s", "quantity": 9000000000, "unit_price": 9999999999.999}]},
                 {"event_id": "h-5", "type": "page_view", "customer_id": "1003", "timestamp": "2024-07-01T10:00:00Z"}]
                """
            let (status, json) = try await ServerEventTests.post(client, body, key: server.keys[.ingest])
            #expect(status == .ok)
            #expect(json["accepted"] as? Int == 2)
            #expect(json["rejected"] as? Int == 3)
            let rejected = try #require(json["results"] as? [[String: Any]]).filter { $0["status"] as? String == "rejected" }
            #expect(rejected.map { $0["field"] as? String } == ["customer_id", "text", "lines[0].quantity"])
            #expect((rejected.first?["reason"] as? String)?.contains("NUL") == true)
            // The server is alive and the accepted events are stored.
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
        }
        #expect(try await (server.store as! any TestStore).eventCount() == 2)
    }

    @Test("query values and paths: NUL, a value that is not a number, a target too long — 4xx in JSON naming the parameter")
    func queryValues() async throws {
        let server = try await ServerEventTests.handServer()
        let admin = ServerEventTests.headers(server.keys[.admin])
        try await ServerTests.app(server).test(.live) { client in
            let cases: [(uri: String, status: HTTPResponse.Status, field: String?)] = [
                ("/v1/decisions?customer=12347%00", .badRequest, "customer"),
                ("/v1/customers/12347%00", .badRequest, "path"),
                ("/v1/decisions?limit=abc", .badRequest, "limit"),
                ("/v1/decisions?limit=0", .badRequest, "limit"),
                ("/v1/outbox?limit=1e3", .badRequest, "limit"),
                ("/v1/customers?limit=-5", .badRequest, "limit"),
                ("/v1/customers/" + String(repeating: "x", count: 10_000), .uriTooLong, nil),
            ]
            for item in cases {
                try await client.execute(uri: item.uri, method: .get, headers: admin) { response in
                    #expect(response.status == item.status, "\(item.uri.prefix(60))")
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                    let error = try Self.error(response.body)
                    #expect(error["field"] as? String == item.field, "\(item.uri.prefix(60))")
                }
            }
        }
    }

    @Test("a customer id a spreadsheet would run as a formula is exported as text")
    func csvFormulas() {
        #expect(CustomerFilter.field("=HYPERLINK(\"http://evil.example\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")
        #expect(CustomerFilter.field("+1") == "'+1")
        #expect(CustomerFilter.field("-2") == "'-2")
        #expect(CustomerFilter.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CustomerFilter.field("12347") == "12347")
        #expect(CustomerFilter.field("a,b") == "\"a,b\"")
    }

    /// Sends `head` and part of a body on a raw connection, then stalls; returns what the server
    /// answers and how long it took.
    static func stall(port: Int, head: String, partialBody: String) throws -> (response: String, seconds: Double) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        let start = Date()
        let text = head + partialBody
        _ = text.withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: 40, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return (String(decoding: buffer.prefix(max(0, count)), as: UTF8.self), Date().timeIntervalSince(start))
    }

    @Test("a request whose body stalls gets 408 when the body deadline passes, and the connection is closed")
    func stalledBody() async throws {
        let server = try await ServerEventTests.handServer()
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.bodySeconds = 1
        let key = try #require(server.keys[.ingest])
        let app = await PerennialApplication.make(index: server.index, configuration: configuration)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            let (response, seconds) = try await offPool { try Self.stall(port: port, head: head, partialBody: "[{\"event_id\": ") }
            #expect(response.hasPrefix("HTTP/1.1 408"), "\(response.prefix(80))")
            #expect(response.contains("request_timeout"))
            #expect(seconds < 30)
        }
    }
}
