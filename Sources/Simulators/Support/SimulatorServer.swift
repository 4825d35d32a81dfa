import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves a ``SimulatorAPI`` over HTTP on loopback, with request counting and
/// fault injection.
///
/// Two ways to run it:
/// - ``run()`` serves until the calling task is cancelled; it fits a service group
///   (as in `hmco-dev`) or a task group. ``waitUntilRunning()`` returns the port.
/// - ``start()`` / ``stop()`` for tests: `start` returns once the port is bound,
///   `stop` cancels the server and waits for it. After `stop`, `start` binds the
///   same port again, so a client configured with the old URL sees the system
///   "come back". ``withRunning(_:)`` scopes a run to a closure.
///
/// Caveats: one run at a time; ``stop()`` only stops a run begun with ``start()``,
/// and a started server stays alive until it is stopped.
public final class SimulatorServer: Sendable {
    /// Faults applied to every request before it is handled.
    public let faults: FaultInjector
    /// Counts of requests received, per operation.
    public let requests: RequestCounter
    /// The address the server binds, `127.0.0.1` unless configured otherwise.
    public let host: String

    private struct State: Sendable {
        var requestedPort: Int
        var boundPort: Int?
        var lastBoundPort: Int?
        var running = false
        var waiters: [Int: CheckedContinuation<Int, any Error>] = [:]
        var nextWaiterID = 0
        var ownedRun: Task<Void, Never>?
        /// The service group of the current run, to shut it down gracefully.
        var group: ServiceGroup?
    }

    private let api: any SimulatorAPI
    private let logger: Logger
    private let state: Mutex<State>
    /// Set while stopping: requests held by a fault (hang, latency, delayed response) answer at once.
    private let stopping = StopSignal()

    /// - Parameters:
    ///   - api: what to serve.
    ///   - host: the address to bind.
    ///   - port: the port to bind; 0 picks a free one (see ``port``).
    ///   - faults: the fault rules to apply; pass one in to share it.
    ///   - requests: where to count requests.
    ///   - logger: the server's logger; silent by default.
    public init(
        api: any SimulatorAPI, host: String = "127.0.0.1", port: Int = 0, faults: FaultInjector = FaultInjector(),
        requests: RequestCounter = RequestCounter(),
        logger: Logger = Logger(label: "hmco.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.api = api
        self.host = host
        self.faults = faults
        self.requests = requests
        self.logger = logger
        self.state = Mutex(State(requestedPort: port))
    }

    deinit {
        state.withLock { $0.ownedRun?.cancel() }
    }

    /// The bound port while the server runs.
    public var port: Int? { state.withLock { $0.boundPort } }

    /// `http://host:port` plus the API's base path, while the server runs.
    public var baseURL: URL? {
        port.flatMap { URL(string: "http://\(host):\($0)\(api.basePath)") }
    }

    /// Serves until the calling task is cancelled.
    ///
    /// - Throws: ``SimulatorServerError`` when already running; the server's error
    ///   when the port cannot be bound.
    public func run() async throws {
        let port = try claim()
        try await serve(port: port)
    }

    /// Returns the bound port once the server runs; waits for a run that is starting
    /// or about to start.
    ///
    /// - Throws: the server's error if the run fails before binding; `CancellationError`.
    public func waitUntilRunning() async throws -> Int {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let ready: Result<Int, any Error>? = state.withLock { state in
                    if let port = state.boundPort { return .success(port) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Starts serving in the background and returns the base URL once the port is bound.
    @discardableResult
    public func start() async throws -> URL {
        let port = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            let claimed: Result<Int, any Error> = state.withLock { state in
                guard !state.running else { return .failure(SimulatorServerError.alreadyRunning) }
                state.running = true
                state.nextWaiterID += 1
                state.waiters[state.nextWaiterID] = continuation
                return .success(Self.portToBind(state))
            }
            guard case .success(let port) = claimed else {
                continuation.resume(with: claimed)
                return
            }
            let run = Task {
                // A failure to bind reaches the caller through the waiter registered above.
                do { try await self.serve(port: port) } catch {}
            }
            state.withLock { $0.ownedRun = run }
        }
        guard let url = URL(string: "http://\(host):\(port)\(api.basePath)") else {
            throw SimulatorServerError.invalidAddress
        }
        return url
    }

    /// Stops a run begun with ``start()`` and waits until the port is closed.
    ///
    /// The stop is graceful: requests a fault holds answer at once, requests in
    /// flight finish, then the port closes (a run that does not end within a few
    /// seconds is cancelled). Tearing connections down mid-request instead can
    /// trap in NIO's async channel writer.
    public func stop() async {
        let (run, group) = state.withLock { state -> (Task<Void, Never>?, ServiceGroup?) in
            defer { state.ownedRun = nil }
            return (state.ownedRun, state.group)
        }
        guard let run else { return }
        stopping.set(true)
        await group?.triggerGracefulShutdown()
        let finished = Task {
            await run.value
            return true
        }
        let deadline = Task {
            try? await Task.sleep(for: .seconds(10))
            run.cancel()
        }
        _ = await finished.value
        deadline.cancel()
        stopping.set(false)
    }

    /// Runs the server for the duration of `body`.
    public func withRunning<Value: Sendable>(
        _ body: (SimulatorServer) async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            _ = try await waitUntilRunning()
            return try await body(self)
        }
    }

    // MARK: Running

    private func claim() throws -> Int {
        try state.withLock { state in
            guard !state.running else { throw SimulatorServerError.alreadyRunning }
            state.running = true
            return Self.portToBind(state)
        }
    }

    /// A restart binds the port of the previous run, so clients find the server again.
    private static func portToBind(_ state: State) -> Int {
        state.requestedPort != 0 ? state.requestedPort : (state.lastBoundPort ?? 0)
    }

    private func serve(port: Int) async throws {
        let responder = SimulatorResponder(api: api, faults: faults, requests: requests, stopping: stopping)
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [weak self] channel in self?.bound(channel.localAddress?.port ?? port) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        state.withLock { $0.group = group }
        defer { state.withLock { $0.group = nil } }
        do {
            try await group.run()
            finished(SimulatorServerError.stopped)
        } catch {
            finished(error)
            throw error
        }
    }

    private func bound(_ port: Int) {
        let waiters = state.withLock { state in
            state.boundPort = port
            state.lastBoundPort = port
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func finished(_ error: any Error) {
        let waiters = state.withLock { state in
            state.running = false
            state.boundPort = nil
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}

/// Why a ``SimulatorServer`` could not do what was asked.
public struct SimulatorServerError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case alreadyRunning
        case stopped
        case invalidAddress
    }

    private let code: Code

    /// The server is already running.
    public static let alreadyRunning = SimulatorServerError(code: .alreadyRunning)
    /// The server stopped before it was running.
    public static let stopped = SimulatorServerError(code: .stopped)
    /// The host and port do not form a URL.
    public static let invalidAddress = SimulatorServerError(code: .invalidAddress)

    public var description: String {
        switch code {
        case .alreadyRunning: "the simulator server is already running"
        case .stopped: "the simulator server stopped"
        case .invalidAddress: "the simulator server's host and port do not form a URL"
        }
    }
}

/// Reads, routes, counts and fault-checks each request, then hands it to the API.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let api: any SimulatorAPI
    let faults: FaultInjector
    let requests: RequestCounter
    let stopping: StopSignal

    /// Largest request body read.
    static let maxBodySize = 16 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let buffer = try await request.body.collect(upTo: Self.maxBodySize)
        guard let path = relativePath(request.uri.path) else {
            requests.record(operation: nil, method: method, path: request.uri.path)
            return Self.convert(api.errorResponse(status: 404, message: "path not found"))
        }
        let resolution = api.routes.resolve(method: method, path: path)
        let operation: String? =
            if case .matched(let match) = resolution { match.operation } else { nil }
        requests.record(operation: operation, method: method, path: path)

        let decision = faults.decide(operation: operation)
        if decision.latency > .zero { await hold(decision.latency) }
        switch decision.action {
        case .fail(let failure):
            return Self.convert(injected(failure))
        case .hang(let duration):
            await hold(duration)
            return Self.convert(api.errorResponse(status: 504, message: api.defaultMessage(forStatus: 504)))
        case .delayResponse, nil:
            break
        }

        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let simulated = SimulatorRequest(
            method: method, path: path, query: QueryItems(request.uri.query), headers: headers,
            body: Array(buffer.readableBytesView))
        let response: SimulatorResponse
        switch resolution {
        case .matched(let match): response = await api.handle(simulated, route: match)
        case .methodNotAllowed: response = api.errorResponse(status: 405, message: "method not allowed")
        case .notFound: response = api.errorResponse(status: 404, message: "path not found")
        }
        if case .delayResponse(let duration) = decision.action { await hold(duration) }
        return Self.convert(response)
    }

    /// Holds a request for `duration`, or until the server stops or the request's task is cancelled.
    private func hold(_ duration: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: duration)
        while !stopping.isSet, !Task.isCancelled, clock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(50), clock.now.duration(to: deadline)))
        }
    }

    private func relativePath(_ path: String) -> String? {
        let base = api.basePath
        if base.isEmpty || base == "/" { return path }
        if path == base { return "/" }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count))
    }

    private func injected(_ failure: InjectedFailure) -> SimulatorResponse {
        var response = api.errorResponse(
            status: failure.status, message: failure.message ?? api.defaultMessage(forStatus: failure.status))
        if let seconds = failure.retryAfterSeconds { response.headers.append(("Retry-After", String(seconds))) }
        return response
    }

    static func convert(_ response: SimulatorResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPFields.Element.Name(name) {
                fields.append(HTTPFields.Element(name: fieldName, value: value))
            }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// A flag set while a server stops, read by its request handlers.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set(_ value: Bool) { flag.store(value, ordering: .releasing) }
}
