import PerennialCore

/// A batch of events as `POST /v1/events` receives it: `{"events": [ … ]}` (or a bare array), each
/// element decoded on its own so one bad event never costs the others.
public struct EventBatch: Sendable {
    /// The most events one batch may carry.
    public static let maxEvents = 1_000

    /// One element of the batch: the event, or why it was refused.
    public enum Item: Sendable {
        case event(CustomerEvent)
        case rejected(eventID: String?, EventRejection)
    }

    /// The elements in the order they were sent.
    public var items: [Item]

    /// Why a whole batch was refused.
    public enum Problem: Error, Sendable, Equatable {
        /// The body is not JSON.
        case syntax(JSONSyntaxError)
        /// The body is JSON of the wrong shape.
        case shape(field: String, reason: String)
        /// More than ``EventBatch/maxEvents`` events.
        case tooMany(Int)
    }

    /// Parses and decodes a request body.
    public static func decode(_ body: some Collection<UInt8>, decoder: EventDecoder) throws(Problem) -> EventBatch {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw .syntax(error)
        }
        let elements: [JSONValue]
        switch value {
        case .array(let array):
            elements = array
        case .object(let members):
            guard let events = members["events"] else {
                throw .shape(field: "events", reason: "the body must be {\"events\": [ … ]} with up to \(maxEvents) events")
            }
            guard case .array(let array) = events else {
                throw .shape(field: "events", reason: "events must be an array, not \(events.typeName)")
            }
            elements = array
        default:
            throw .shape(field: "$", reason: "the body must be {\"events\": [ … ]}, not \(value.typeName)")
        }
        guard elements.count <= maxEvents else { throw .tooMany(elements.count) }
        return EventBatch(items: elements.map { decoder.item($0) })
    }
}

extension EventDecoder {
    /// One element decoded, or refused with its reason.
    public func item(_ element: JSONValue) -> EventBatch.Item {
        do throws(EventRejection) {
            return .event(try decode(element))
        } catch {
            return .rejected(eventID: EventDecoder.eventID(element), error)
        }
    }
}
