import Hummingbird

/// The OpenAPI 3.1 document of the API, kept in `Sources/PerennialServer/Resources/openapi.json` and
/// compiled into the binary; `GET /openapi.json` serves it and a test checks it against the routes
/// and against real responses.
public enum OpenAPIDocument {
    /// The document's bytes.
    public static var bytes: [UInt8] { PackageResources.openapi_json }

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
