import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the client's address, which
/// limits failed sign-ins and key attempts per client.
public struct PerennialRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a proxy's address when the server runs behind one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension RequestContext {
    /// The client's IP address as text, `unknown` when the context does not carry one.
    var clientAddress: String {
        (self as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
    }
}
