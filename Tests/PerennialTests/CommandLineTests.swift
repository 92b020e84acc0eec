import Foundation
import PerennialTestSupport
import Testing

/// Runs the built `perennial` binary as a user would, and reads what it prints.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary next to the test bundle (swift build puts both in the same folder).
    static var binary: URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("perennial")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let built = SharedDatasets.packageRoot.appendingPathComponent(".build/debug/perennial")
        return FileManager.default.isExecutableFile(atPath: built.path) ? built : nil
    }

    static func run(_ arguments: [String], in directory: URL) throws -> Run {
        let binary = try #require(Self.binary, "build the perennial product first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PERENNIAL_DATABASE")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `--db URL` for PostgreSQL (a new database), nothing for the default SQLite file.
    static func databaseArguments(_ backend: StoreBackend, in directory: TemporaryDirectory) throws -> [String] {
        guard backend == .postgres else { return [] }
        return ["--db", try backend.newLocation(in: directory)]
    }

    @Test("import, analyze --json, customers --json and customer work end to end", arguments: StoreBackend.testable)
    func endToEnd(backend: StoreBackend) throws {
        let directory = try TemporaryDirectory()
        let db = try Self.databaseArguments(backend, in: directory)
        let fixture = Fixtures.path("hand_store.csv")
        let imported = try Self.run(["import", "orders", fixture, "--format", "generic", "--json"] + db, in: directory.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let importJSON = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as! [String: Any]
        #expect((importJSON["stored"] as! [String: Any])["linesInserted"] as? Int == 32)
        #expect(FileManager.default.fileExists(atPath: directory.path("perennial.db")) == (backend == .sqlite))

        let analyzed = try Self.run(["analyze", "--json", "--as-of", "2024-07-01"] + db, in: directory.url)
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(analyzed.stdout.utf8)) as! [String: Any]
        #expect(report["as_of"] as? String == "2024-07-01T00:00:00Z")
        let kpis = report["kpis"] as! [String: Any]
        #expect(kpis["customers"] as? Int == 10)
        #expect(kpis["revenue"] as? Double == 1080)
        #expect(kpis["arpu"] as? Double == 104)
        #expect((report["stages"] as! [[String: Any]]).count == 6)
        #expect((report["rfm_segments"] as! [[String: Any]]).count == 11)
        #expect(((report["cohorts"] as! [String: Any])["rows"] as! [Any]).count == 8)

        let customers = try Self.run(["customers", "--json", "--as-of", "2024-07-01"] + db, in: directory.url)
        let list = try JSONSerialization.jsonObject(with: Data(customers.stdout.utf8)) as! [[String: Any]]
        #expect(list.count == 10)
        let first = try #require(list.first { $0["customer_id"] as? String == "1005" })
        #expect(first["stage"] as? String == "declining")
        #expect(first["rfm_segment"] as? String == "hibernating")
        #expect(first["r"] as? Int == 2 && first["f"] as? Int == 3 && first["m"] as? Int == 1)
        for key in ["first_order", "last_order", "orders", "revenue", "recency_days"] { #expect(first[key] != nil) }

        let one = try Self.run(["customer", "1009", "--as-of", "2024-07-01"] + db, in: directory.url)
        #expect(one.status == 0)
        #expect(one.stdout.contains("about_to_sleep") || one.stdout.contains("About to sleep"))
        #expect(one.stdout.contains("R019"))
    }

    @Test("recommend: train, a customer's list, evaluate on a split and the audit, as a user runs them", arguments: StoreBackend.testable)
    func recommend(backend: StoreBackend) throws {
        let directory = try TemporaryDirectory()
        let db = try Self.databaseArguments(backend, in: directory)
        #expect(try Self.run(["import", "orders", Fixtures.path("hand_store.csv"), "--format", "generic"] + db, in: directory.url).status == 0)
        let trained = try Self.run(["recommend", "train", "--json"] + db, in: directory.url)
        #expect(trained.status == 0, "\(trained.stderr)")
        let model = try #require((try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])?["model"] as? [String: Any])
        #expect(model["customers"] as? Int == 10 && model["items"] as? Int == 11, "BIS-01 was only bought by a guest")

        let list = try Self.run(["recommend", "1005", "--k", "2", "--json"] + db, in: directory.url)
        #expect(list.status == 0 && !list.stderr.contains("no stored model"), "\(list.stderr)")
        let items = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.first?["sku"] as? String == "TEA-01" && items.first?["every_days"] as? Int == 7)
        let text = try Self.run(["recommend", "1005"] + db, in: directory.url)
        #expect(text.stdout.contains("you buy this about every 7 days"))
        let unknown = try Self.run(["recommend", "nobody"] + db, in: directory.url)
        #expect(unknown.status != 0 && unknown.stderr.contains("no customer 'nobody'"))

        // Customers with orders both before and from 2024-06-01: 1002, 1008 and 1010.
        let evaluated = try Self.run(["recommend", "evaluate", "--split-date", "2024-06-01", "--json"] + db, in: directory.url)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        #expect(result["evaluated_customers"] as? Int == 3)
        for task in ["discover", "next_basket"] {
            let metrics = try #require(result[task] as? [String: Any])
            for key in ["precision_at_10", "recall_at_10", "ndcg_at_10", "hit_rate_at_10", "coverage"] { #expect(metrics[key] is Double, "\(task).\(key)") }
        }
        let badSplit = try Self.run(["recommend", "evaluate", "--split-date", "June"] + db, in: directory.url)
        #expect(badSplit.status != 0 && badSplit.stderr.contains("--split-date 'June'"))

        let audit = try Self.run(["recommend", "audit", "--json"] + db, in: directory.url)
        #expect(audit.status == 0, "\(audit.stderr)")
        let overall = try #require(((try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["audit"] as? [String: Any])?["overall"] as? [String: Any])
        #expect(overall["lists"] as? Int == 10 && (overall["category_concentration"] as? Double ?? 0) <= 1)
    }

    @Test("import events: valid lines kept, bad lines quarantined with their numbers, re-import changes nothing, profiles follow",
          arguments: StoreBackend.testable)
    func importEvents(backend: StoreBackend) throws {
        let directory = try TemporaryDirectory()
        let db = try Self.databaseArguments(backend, in: directory)
        _ = try Self.run(["import", "orders", Fixtures.path("hand_store.csv"), "--format", "generic"] + db, in: directory.url)
        let events = Fixtures.path("hand_events.jsonl")
        let quarantine = directory.path("rejected.csv")
        let first = try Self.run(["import", "events", events, "--quarantine", quarantine, "--json"] + db, in: directory.url)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any]
        // 10 lines, one blank; h-4 (NPS 15), h-6 (refund of an unknown order) and h-7 (truncated) are refused.
        #expect(summary["lines"] as? Int == 10)
        #expect(summary["accepted"] as? Int == 6 && summary["rejected"] as? Int == 3 && summary["duplicates"] as? Int == 0)
        let problems = (summary["first_problems"] as! [[String: Any]]).map { "\($0["line"] as! Int) \($0["field"] as! String)" }
        #expect(problems == ["5 score", "8 $", "7 order_id"])
        let rejected = try String(contentsOfFile: quarantine, encoding: .utf8)
        #expect(rejected.split(separator: "\n").count == 4)

        let again = try Self.run(["import", "events", events, "--quarantine", quarantine, "--json"] + db, in: directory.url)
        let second = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        #expect(second["accepted"] as? Int == 0 && second["duplicates"] as? Int == 6)

        // 1004 gained W-1 (£40) and W-2 (£40): 3 orders, £160, as in ServerEventTests.
        let profile = try Self.run(["customer", "1004", "--as-of", "2024-07-01", "--json"] + db, in: directory.url)
        let object = (try JSONSerialization.jsonObject(with: Data(profile.stdout.utf8)) as! [String: Any])["profile"] as! [String: Any]
        #expect(object["orders"] as? Int == 3 && object["revenue"] as? Double == 160)
    }

    @Test("the quick start: perennial demo builds perennial-demo.db and prints the summary and the models")
    func demo() throws {
        let directory = try TemporaryDirectory()
        let run = try Self.run(["demo", "--customers", "800"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.path("perennial-demo.db")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("perennial.db")))
        for text in ["Lifecycle summary as of", "KPIs", "Lifecycle stages", "RFM segments", "Cohort retention", "Models: BG/NBD", "Next:"] {
            #expect(run.stdout.contains(text), "missing '\(text)'")
        }
    }

    @Test("errors say what to do and exit non-zero")
    func errors() throws {
        let directory = try TemporaryDirectory()
        let noDatabase = try Self.run(["analyze"], in: directory.url)
        #expect(noDatabase.status != 0)
        #expect(noDatabase.stderr.contains("no database at 'perennial.db'"))
        let badFormat = try Self.run(["analyze", Fixtures.path("hand_store.csv"), "--format", "xlsx"], in: directory.url)
        #expect(badFormat.status != 0)
        #expect(badFormat.stderr.contains("known formats: online-retail, cdnow, generic"))
        let imported = try Self.run(["import", "orders", Fixtures.path("hand_store.csv")], in: directory.url)
        #expect(imported.status == 0)
        // The summary prints each figure on its own line: label, then the number.
        let figures = Dictionary(imported.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            let words = line.split(separator: " ")
            guard let value = words.last, words.count > 1 else { return nil }
            return (words.dropLast().joined(separator: " "), String(value))
        }, uniquingKeysWith: { first, _ in first })
        #expect(figures["rows read"] == "32")
        #expect(figures["rows rejected"] == "0")
        #expect(figures["lines stored (new)"] == "32")
        #expect(figures["guest rows (no customer id)"] == "2")
        let missing = try Self.run(["customer", "nobody"], in: directory.url)
        #expect(missing.status != 0 && missing.stderr.contains("no customer 'nobody'"))
        let help = try Self.run(["import", "orders", "--help"], in: directory.url)
        #expect(help.stdout.contains("--map") && help.stdout.contains("quarantine"))
    }

    @Test("the CLI path: import the CDNOW log, fit BG/NBD on the 39-week calibration period, get the published estimates")
    func fitThroughTheCommandLine() throws {
        let directory = try TemporaryDirectory()
        let imported = try Self.run(["import", "orders", Fixtures.path("CDNOW_sample.txt"), "--format", "cdnow"], in: directory.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let fit = try Self.run(["fit", "--model", "bgnbd", "--calibration-end", "1997-09-30", "--time-unit", "week", "--json"], in: directory.url)
        #expect(fit.status == 0, "\(fit.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(fit.stdout.utf8)) as! [String: Any]
        #expect(json["model"] as? String == "bgnbd")
        let parameters = json["parameters"] as! [String: Double]
        #expect(abs(parameters["r"]! - 0.2426) < 0.00005 && abs(parameters["alpha"]! - 4.4136) < 0.00005)
        #expect(abs(parameters["a"]! - 0.7929) < 0.00005 && abs(parameters["b"]! - 2.4259) < 0.00005)
        #expect(abs((json["log_likelihood"] as! Double) - -9582.43) < 0.005)
        #expect(json["iterations"] as? Int ?? 0 > 0)
        #expect((json["standard_errors"] as? [String: Double])?.count == 4)
        let spend = (json["spend_model"] as! [String: Any])["parameters"] as! [String: Double]
        #expect(abs(spend["p"]! - 6.25) < 0.005 && abs(spend["q"]! - 3.74) < 0.005 && abs(spend["gamma"]! - 15.44) < 0.005)

        // The saved fit scores every customer.
        let predicted = try Self.run(["predict", "--horizon", "39w", "--json"], in: directory.url)
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(predicted.stdout.utf8)) as! [[String: Any]]
        #expect(rows.count == 2_357)
        #expect(rows.allSatisfy { row in
            let alive = row["p_alive"] as! Double, purchases = row["expected_purchases"] as! Double
            return alive >= 0 && alive <= 1 && purchases >= 0 && (row["clv"] as! Double).isFinite
        })
        let evaluated = try Self.run(["evaluate", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--json"], in: directory.url)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let evaluation = try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as! [String: Any]
        let reports = evaluation["models"] as! [[String: Any]]
        #expect(reports.map { $0["model"] as! String } == ["bgnbd", "mbgnbd", "pnbd"])
        #expect(reports.allSatisfy { $0["actual_total"] as? Double == 1_882 })
        // Pareto/NBD has the lowest holdout MAE on CDNOW (0.7545 against 0.7855 and 0.7648, as lifetimes finds).
        #expect(evaluation["best"] as? String == "pnbd")

        let customers = try Self.run(["customers", "--json", "--limit", "3"], in: directory.url)
        let objects = try JSONSerialization.jsonObject(with: Data(customers.stdout.utf8)) as! [[String: Any]]
        for key in ["p_alive", "churn_risk", "expected_purchases_90d", "expected_spend", "clv_12m"] {
            #expect(objects.allSatisfy { $0[key] is Double }, "\(key)")
        }
    }

    @Test("analyze reads a file directly, and cohorts --period week works on it")
    func fileMode() throws {
        let directory = try TemporaryDirectory()
        let run = try Self.run(["cohorts", Fixtures.path("CDNOW_sample.txt"), "--format", "cdnow", "--period", "week", "--json"], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let matrix = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(matrix["period"] as? String == "week")
        let rows = matrix["rows"] as! [[String: Any]]
        // Every CDNOW customer first bought in the first quarter of 1997: 12 or 13 ISO weeks of cohorts.
        #expect(rows.map { $0["size"] as! Int }.reduce(0, +) == 2_357)
        #expect(rows.count >= 12 && rows.count <= 14)
        #expect(!FileManager.default.fileExists(atPath: directory.path("perennial.db")))
    }
}
