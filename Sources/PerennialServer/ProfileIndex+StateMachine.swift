extension ProfileIndex {
    /// How refreshes and live updates of the index take turns, as a value: each thing that happens (a
    /// refresh asked for, its table load starting, its snapshot ready, customers changed by events, a
    /// batch of their orders read) returns what the index must do next. No I/O and no clock, so every
    /// interleaving is tested without a database (the shape of hummingbird's connection state
    /// machines).
    ///
    /// The rules:
    /// - **Refreshes serialise and coalesce.** One runs at a time. Asked for while one runs, a refresh
    ///   is queued; every request queued behind the running one is served by a single next refresh
    ///   (refitting if any of them asked to), driven by the first of them, since the running one may
    ///   have loaded its table before they asked.
    /// - **Reads are ordered.** Every read of the store (a refresh's table, a batch of customers'
    ///   orders) takes a ticket before it starts; a read sees at least every commit that an earlier
    ///   ticket's read saw.
    /// - **An older snapshot never replaces a newer one**: a refresh's snapshot is installed only when
    ///   its ticket is newer than the installed one's, and a batch of orders read before the installed
    ///   snapshot's table is not applied to it: those customers are read again.
    /// - **Updates during a refresh reach the new snapshot**: customers updated while a refresh runs are
    ///   queued again when its snapshot is installed (their events may be newer than its table).
    /// - **Nothing is dropped before the first snapshot**: updates wait until there is one.
    struct StateMachine: Sendable {
        /// The order in which reads of the store start.
        typealias Ticket = Int

        /// A batch of customers whose profiles are to be recomputed, and the ticket of its read.
        struct Batch: Sendable, Equatable {
            /// Customer id → whether their orders changed (a new customer always needs its orders).
            var customers: [String: Bool]
            var ticket: Ticket
        }

        /// What ends a refresh: the callers to answer with its result, and the caller (with the refit
        /// flag) that drives the next refresh, when one is queued.
        struct Completion: Sendable, Equatable {
            var answered: [Int]
            var nextDriver: Int?
            var nextRefit = false
            var startDrain = false
        }

        private var lastTicket: Ticket = 0
        /// The ticket of the installed snapshot's table load; `nil` before the first.
        private(set) var installedTicket: Ticket?
        /// Whether a refresh runs, and who waits for it.
        private(set) var refreshing = false
        private var runningWaiters: [Int] = []
        private var queuedWaiters: [Int] = []
        private var queuedRefit = false
        /// Customers waiting to be recomputed.
        private(set) var pending: [String: Bool] = [:]
        /// Customers recomputed while a refresh runs: queued again once its snapshot is installed.
        private(set) var touched: Set<String> = []
        /// Whether a drain is under way.
        private(set) var draining = false

        /// A caller asks for a refresh. `true`: it drives one now; `false`: it waits, and is answered or
        /// made the next driver by a later ``refreshEnded()``.
        mutating func requestRefresh(refit: Bool, caller: Int) -> Bool {
            guard refreshing else {
                refreshing = true
                runningWaiters = [caller]
                return true
            }
            queuedWaiters.append(caller)
            queuedRefit = queuedRefit || refit
            return false
        }

        /// The running refresh starts reading the store's table: its ticket.
        mutating func refreshLoading() -> Ticket {
            lastTicket += 1
            return lastTicket
        }

        /// The refresh whose table read had `ticket` has its snapshot ready: `true` when it is to be
        /// installed (newer than the installed one). Installing queues again the customers updated
        /// meanwhile.
        mutating func install(ticket: Ticket) -> Bool {
            if let installedTicket, ticket <= installedTicket { return false }
            installedTicket = ticket
            for id in touched where pending[id] == nil { pending[id] = true }
            touched = []
            return true
        }

        /// The running refresh ended (installed, superseded or failed).
        mutating func refreshEnded() -> Completion {
            var completion = Completion(answered: runningWaiters)
            runningWaiters = []
            touched = []
            if let driver = queuedWaiters.first {
                runningWaiters = queuedWaiters
                queuedWaiters = []
                completion.nextDriver = driver
                completion.nextRefit = queuedRefit
                queuedRefit = false
            } else {
                refreshing = false
            }
            completion.startDrain = startDrainIfNeeded()
            return completion
        }

        /// Customers changed by committed events (`true` where their orders changed). `true`: start a
        /// drain.
        mutating func enqueue(_ customers: [String: Bool]) -> Bool {
            for (id, ordersChanged) in customers { pending[id] = (pending[id] ?? false) || ordersChanged }
            return startDrainIfNeeded()
        }

        private mutating func startDrainIfNeeded() -> Bool {
            guard !draining, !pending.isEmpty, installedTicket != nil else { return false }
            draining = true
            return true
        }

        /// The next batch to read, with its ticket; `nil` ends the drain (nothing pending, or no snapshot
        /// yet: the first refresh starts the drain again).
        mutating func nextBatch() -> Batch? {
            guard !pending.isEmpty, installedTicket != nil else {
                draining = false
                return nil
            }
            lastTicket += 1
            defer { pending = [:] }
            return Batch(customers: pending, ticket: lastTicket)
        }

        /// A batch's orders were read: the customers to recompute on the installed snapshot now. When the
        /// read started before the installed snapshot's table, its customers are queued again instead.
        mutating func batchRead(_ batch: Batch) -> [String] {
            guard let installedTicket, batch.ticket > installedTicket else {
                for id in batch.customers.keys where pending[id] == nil { pending[id] = true }
                return []
            }
            if refreshing { touched.formUnion(batch.customers.keys) }
            return Array(batch.customers.keys)
        }

        /// A batch's read failed: its customers wait for the next refresh (which reloads everything).
        mutating func batchFailed(_ batch: Batch) {
            if refreshing { touched.formUnion(batch.customers.keys) }
        }
    }
}
