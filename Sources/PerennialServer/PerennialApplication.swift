import Foundation
import Hummingbird
import PerennialReports

/// The HTTP application of `perennial serve`: health, readiness and the read API over a
/// ``ProfileIndex``.
public enum PerennialApplication {
    /// The router with every route and the error middleware.
    public static func router(index: ProfileIndex) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(APIErrorMiddleware())
        router.get("/healthz") { _, _ in json(#"{"status":"ok"}"#) }
        router.get("/readyz") { _, _ in
            guard await index.isLoaded else {
                throw APIError(.serviceUnavailable, code: "not_ready", message: "the profiles are still loading, or the database has no orders yet")
            }
            return json(#"{"customers":\#(await index.customerCount),"status":"ready"}"#)
        }
        router.get("/v1/customers/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let profile = await index.customer(id) else {
                throw APIError(.notFound, code: "not_found", message: "no customer with this id; list customers with GET /v1/customers", field: "id")
            }
            return json(try ReportJSON.encode(profile))
        }
        router.get("/v1/kpis") { _, _ in
            guard let analysis = await index.kpis() else {
                throw APIError(.serviceUnavailable, code: "not_ready", message: "no analysis yet: import orders first")
            }
            struct KPIs: Encodable { var as_of: String; var currency: String; var kpis: ReportJSON.KPIBlock }
            return json(try ReportJSON.encode(KPIs(as_of: analysis.as_of, currency: analysis.currency, kpis: analysis.kpis)))
        }
        return router
    }

    /// The application listening on `host:port`, profiles loaded before it starts serving.
    public static func make(index: ProfileIndex, host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(index: index), configuration: .init(address: .hostname(host, port: port), serverName: "perennial"))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
