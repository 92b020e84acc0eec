import ArgumentParser
import Foundation
import Logging
import PerennialDashboard
import PerennialServer

/// `perennial serve`'s settings from three places, first found wins: a flag, an environment variable
/// (`PERENNIAL_…`), the JSON config file (`--config FILE` or `$PERENNIAL_CONFIG`), then the default.
/// README, "Configuration", lists every key.
struct ServeSettings: Equatable {
    var database = "perennial.db"
    var host = "127.0.0.1"
    var port = 8080
    var refreshEvery = "10m"
    var refit = true
    var maxBodyBytes = 5 * 1024 * 1024
    var logLevel = "info"
    var thresholds = KPIThreshold.defaults
    var webhooks: [WebhookTarget] = []
    var messageWebhook: WebhookTarget?
    var campaignEvery = "5m"
    var idleTimeout = "30s"
    var bodyTimeout = "30s"

    /// Every key: config-file name, environment variable, what it sets.
    static let keys: [(file: String, environment: String, meaning: String)] = [
        ("database", "PERENNIAL_DATABASE", "the SQLite file or postgres:// URL"),
        ("host", "PERENNIAL_HOST", "the address to listen on"),
        ("port", "PERENNIAL_PORT", "the port to listen on"),
        ("refresh_every", "PERENNIAL_REFRESH_EVERY", "span between whole-store refreshes (30s, 10m, 1h; 0 = off)"),
        ("refit", "PERENNIAL_REFIT", "whether refreshes refit the model (true/false)"),
        ("max_body_bytes", "PERENNIAL_MAX_BODY_BYTES", "largest request body in bytes"),
        ("log_level", "PERENNIAL_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical"),
        ("thresholds", "PERENNIAL_THRESHOLDS", "the dashboard's KPI thresholds, a JSON array of {kpi, direction, amber, red}"),
        ("webhooks", "PERENNIAL_WEBHOOKS", "where alerts are posted when a KPI changes state, a JSON array of {url, secret}"),
        ("campaign_every", "PERENNIAL_CAMPAIGN_EVERY", "span between runs of the stored campaigns (30s, 5m; 0 = campaigns do not run)"),
        ("message_webhook", "PERENNIAL_MESSAGE_WEBHOOK", "the store's sender that campaign messages are delivered to, a JSON object {url, secret}"),
        ("idle_timeout", "PERENNIAL_IDLE_TIMEOUT", "how long a connection may idle, or take to send its headers, before it is closed (30s)"),
        ("body_timeout", "PERENNIAL_BODY_TIMEOUT", "how long a request's body may take to arrive before the request gets 408 (30s)"),
    ]

    /// Resolves the settings.
    /// - Parameters:
    ///   - flags: values given on the command line, by config-file key.
    ///   - environment: the process environment.
    ///   - configPath: the config file, when one is named.
    static func resolve(flags: [String: String], environment: [String: String], configPath: String?) throws -> ServeSettings {
        var file: [String: String] = [:]
        if let configPath {
            guard let data = FileManager.default.contents(atPath: configPath) else {
                throw ValidationError("cannot read the config file '\(configPath)'; check the path (--config or PERENNIAL_CONFIG).")
            }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw ValidationError("the config file '\(configPath)' is not a JSON object such as {\"port\": 8080}.")
            }
            let known = Set(keys.map(\.file))
            for (key, value) in object {
                guard known.contains(key) else {
                    throw ValidationError("unknown key '\(key)' in \(configPath); the keys are \(keys.map(\.file).joined(separator: ", ")).")
                }
                if value is [Any] || value is [String: Any] {
                    file[key] = String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
                } else {
                    file[key] = (value as? String) ?? (value as? Bool).map { $0 ? "true" : "false" } ?? "\(value)"
                }
            }
        }
        var settings = ServeSettings()
        for key in keys {
            guard let text = flags[key.file] ?? environment[key.environment] ?? file[key.file] else { continue }
            let source = flags[key.file] != nil ? "--\(key.file.replacingOccurrences(of: "_", with: "-"))"
                : environment[key.environment] != nil ? key.environment : "\(key.file) in \(configPath ?? "")"
            try settings.set(key.file, text, source: source)
        }
        return settings
    }

    private mutating func set(_ key: String, _ text: String, source: String) throws {
        func bad(_ expected: String) -> ValidationError { ValidationError("\(source) = '\(text)': expected \(expected).") }
        switch key {
        case "database": database = text
        case "host": host = text
        case "port":
            guard let value = Int(text), (0...65_535).contains(value) else { throw bad("a port from 0 to 65535") }
            port = value
        case "refresh_every":
            guard Serve.seconds(text) != nil else { throw bad("a span like 30s, 10m or 1h (0 turns refreshes off)") }
            refreshEvery = text
        case "refit":
            guard text == "true" || text == "false" else { throw bad("true or false") }
            refit = text == "true"
        case "max_body_bytes":
            guard let value = Int(text), value >= 1024 else { throw bad("a number of bytes, at least 1024") }
            maxBodyBytes = value
        case "thresholds":
            guard let rules = try? JSONDecoder().decode([KPIThreshold].self, from: Data(text.utf8)) else {
                throw bad(#"a JSON array such as [{"kpi": "churn_rate", "direction": "above", "amber": 0.05, "red": 0.08}]"#)
            }
            if let problem = KPIThreshold.problems(rules).first { throw ValidationError("\(source): \(problem).") }
            thresholds = rules
        case "campaign_every":
            guard Serve.seconds(text) != nil else { throw bad("a span like 30s, 5m or 1h (0 turns campaigns off)") }
            campaignEvery = text
        case "message_webhook":
            guard let target = try? JSONDecoder().decode(WebhookTarget.self, from: Data(text.utf8)) else {
                throw bad(#"a JSON object such as {"url": "https://shop.example.com/hooks/messages", "secret": "a long random string"}"#)
            }
            try Self.check([target], source: source, key: "message_webhook")
            messageWebhook = target
        case "webhooks":
            guard let targets = try? JSONDecoder().decode([WebhookTarget].self, from: Data(text.utf8)) else {
                throw bad(#"a JSON array such as [{"url": "https://ops.example.com/hooks/perennial", "secret": "a long random string"}]"#)
            }
            try Self.check(targets, source: source, key: "webhooks")
            webhooks = targets
        case "idle_timeout", "body_timeout":
            guard let seconds = Serve.seconds(text), seconds >= 1 else { throw bad("a span of at least a second, like 30s or 2m") }
            if key == "idle_timeout" { idleTimeout = text } else { bodyTimeout = text }
        case "log_level":
            guard Logger.Level(rawValue: text) != nil else { throw bad("trace, debug, info, notice, warning, error or critical") }
            logLevel = text
        default:
            throw ValidationError("\(source): unknown setting '\(key)'; the settings are \(Self.keys.map(\.file).joined(separator: ", ")).")
        }
    }

    /// Checks webhook targets: an http(s) URL and a secret of at least 16 characters.
    private static func check(_ targets: [WebhookTarget], source: String, key: String) throws {
        for (i, target) in targets.enumerated() {
            let name = targets.count == 1 && key == "message_webhook" ? key : "\(key)[\(i)]"
            guard let url = URL(string: target.url), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("\(source): \(name).url '\(target.url)' is not an http:// or https:// URL.")
            }
            guard target.secret.count >= 16 else {
                throw ValidationError("\(source): \(name).secret is shorter than 16 characters; the receiver checks signatures with it, so make it long and random.")
            }
        }
    }

    /// The server configuration these settings give.
    var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.refreshSeconds = Serve.seconds(refreshEvery) ?? 600
        configuration.refitOnRefresh = refit
        configuration.maxBodyBytes = maxBodyBytes
        configuration.thresholds = thresholds
        configuration.webhooks = webhooks
        configuration.messageWebhook = messageWebhook
        configuration.campaignSeconds = Serve.seconds(campaignEvery) ?? 300
        configuration.idleSeconds = Serve.seconds(idleTimeout) ?? 30
        configuration.bodySeconds = Serve.seconds(bodyTimeout) ?? 30
        return configuration
    }
}
