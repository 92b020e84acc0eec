import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PerennialCore
@testable import PerennialDashboard
import PerennialModels
import PerennialServer
import PerennialTestSupport
import Testing

/// The dashboard's pure parts on the hand store (Fixtures/hand_store.md): string tables, formatting,
/// thresholds, the month-end history and every page's HTML with its figures.
@Suite struct DashboardTests {
    /// The hand store's dashboard input as of 2024-07-01, without a model.
    static func handInput() async throws -> DashboardInput {
        let server = try await ServerEventTests.handServer()
        return try #require(await server.index.dashboardInput())
    }

    /// The XML parser's complaint about a page, `nil` when it is well-formed.
    static func wellFormedProblem(_ html: String) -> String? {
        let parser = XMLParser(data: Data(html.utf8))
        return parser.parse() ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    /// The text of a page without tags (what a reader sees), entities decoded, spaces collapsed.
    static func text(_ html: String) -> String {
        var out = "", inTag = false
        for ch in html {
            if ch == "<" { inTag = true; out.append(" ") } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        out = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        return out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }

    /// Every `href`, `src` and `action` target of a page.
    static func targets(_ html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"(?:href|src|action)="([^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    // MARK: Strings

    @Test("the string tables have the same keys and placeholders in English and Simplified Chinese, and hold every key the code names")
    func stringTables() throws {
        let english = StringTables.table(.en), chinese = StringTables.table(.zhHans)
        #expect(english.count > 150)
        let onlyEnglish = Set(english.keys).subtracting(chinese.keys), onlyChinese = Set(chinese.keys).subtracting(english.keys)
        #expect(onlyEnglish.isEmpty, "missing in zh-Hans: \(onlyEnglish.sorted())")
        #expect(onlyChinese.isEmpty, "missing in en: \(onlyChinese.sorted())")
        func placeholders(_ s: String) -> Set<String> {
            Set((0..<10).map { "{\($0)}" }.filter { s.contains($0) })
        }
        for (key, text) in english {
            #expect(placeholders(text) == placeholders(chinese[key] ?? ""), "placeholders of \(key)")
        }
        // Every literal key in the sources, and every key built from a case name.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var named: Set<String> = []
        for folder in ["PerennialDashboard", "PerennialServer"] {
            let enumerator = FileManager.default.enumerator(at: sources.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let file = enumerator?.nextObject() as? URL {
                guard file.pathExtension == "swift" else { continue }
                let text = try String(contentsOf: file, encoding: .utf8)
                let pattern = try NSRegularExpression(pattern: #"(?:l\[|\(language\)\[|l\.format\(|\)\.format\()"([a-z_0-9]+\.[a-z_0-9.]+)""#)
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    named.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        #expect(named.count > 100)
        named.formUnion(KPITile.ids.map { "kpi.\($0)" })
        named.formUnion(LifecycleStage.allCases.map { "stage.\($0.rawValue)" })
        named.formUnion(RFMSegment.allCases.map { "segment.\($0.rawValue)" })
        named.formUnion(AlertState.allCases.map { "state.\($0.rawValue)" })
        named.formUnion(DashboardPage.allCases.flatMap { ["nav.\($0.rawValue)", "page.\($0.rawValue)"] })
        let missing = named.subtracting(english.keys)
        #expect(missing.isEmpty, "keys used but not in the tables: \(missing.sorted())")
    }

    @Test("Accept-Language picks the best supported language by quality; Traditional Chinese falls through to English")
    func languages() {
        #expect(Language.preferred(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .zhHans)
        #expect(Language.preferred(acceptLanguage: "en-GB,en;q=0.9,zh;q=0.5") == .en)
        #expect(Language.preferred(acceptLanguage: "fr-FR, zh-Hans;q=0.3") == .zhHans)
        #expect(Language.preferred(acceptLanguage: "zh-TW,en;q=0.5") == .en)
        #expect(Language.preferred(acceptLanguage: "de, fr") == .en)
        #expect(Language.preferred(acceptLanguage: "en;q=0.2, zh;q=0.8") == .zhHans)
        #expect(Language.preferred(acceptLanguage: nil) == .en)
        #expect(Language(tag: "zh-Hans") == .zhHans && Language(tag: "ZH-cn") == .zhHans && Language(tag: "ja") == nil)
    }

    @Test("money carries the data's currency symbol, months read per language")
    func formatting() {
        let en = Localizer(.en), zh = Localizer(.zhHans)
        #expect(en.money(Int64(108_000), Currency("GBP")) == "£1,080.00")
        #expect(zh.money(Int64(-2_000), Currency("CNY")) == "-¥20.00")
        #expect(en.money(Int64(1_234), Currency("JPY")) == "¥1,234")
        #expect(en.money(major: 2_022.125, Currency("USD")) == "$2,022.13")
        #expect(en.money(Int64(500), Currency("SEK")) == "SEK 5.00")
        #expect(en.month("2024-06") == "Jun 2024" && zh.month("2026-11") == "2026年11月")
        #expect(zh.date(CivilDate(year: 2024, month: 6, day: 25)) == "2024年6月25日")
        #expect(en.format("page.customer", "1001") == "Customer 1001" && zh.format("page.customer", "1001") == "客户 1001")
    }

    @Test("thresholds: past means strictly beyond, red before amber, in the rule's direction; bad rules are named")
    func thresholds() {
        let churn = KPIThreshold(kpi: "churn_rate", direction: .above, amber: 0.05, red: 0.08)
        #expect(churn.state(of: 0.05) == .green && churn.state(of: 0.0501) == .amber && churn.state(of: 0.08) == .amber && churn.state(of: 0.2) == .red)
        let repeatRate = KPIThreshold(kpi: "repeat_rate_30d", direction: .below, amber: 0.2, red: nil)
        #expect(repeatRate.state(of: 0.125) == .amber && repeatRate.state(of: 0.3) == .green)
        let problems = KPIThreshold.problems([KPIThreshold(kpi: "churn", direction: .above, amber: 0.1, red: 0.05),
                                              KPIThreshold(kpi: "aov_this_month", direction: .below, amber: nil, red: nil)])
        #expect(problems.count == 3)
        #expect(problems[0].hasPrefix("thresholds[0].kpi: unknown KPI \"churn\""))
        #expect(problems[1].hasPrefix("thresholds[0].red"))
        #expect(problems[2] == "thresholds[1]: set amber, red or both")
    }

    @Test("alert crossings: a changed state crosses, the first reading of a key announces only amber and red, scoped keys are separate")
    func crossings() {
        let app = KPIThreshold(kpi: "churn_rate", direction: .above, amber: 0.1, red: 0.3, channel: "app")
        let readings = [
            AlertReading(key: "churn_rate", kpi: "churn_rate", state: .red, value: 0.2, rule: nil),
            AlertReading(key: "repeat_rate_30d", kpi: "repeat_rate_30d", state: .green, value: 0.3, rule: nil),
            AlertReading(key: app.key, kpi: "churn_rate", state: .amber, value: 0.15, rule: app),
            AlertReading(key: "customers", kpi: "customers", state: .none, value: 10, rule: nil),
        ]
        #expect(app.key == "churn_rate@channel=app")
        let first = AlertCrossing.crossings(readings, stored: [:])
        #expect(first.map(\.key) == ["churn_rate", "churn_rate@channel=app"] && first.allSatisfy { $0.from == nil })
        let stored = AlertCrossing.states(readings)
        #expect(stored == ["churn_rate": .red, "repeat_rate_30d": .green, "churn_rate@channel=app": .amber])
        #expect(AlertCrossing.crossings(readings, stored: stored).isEmpty)
        var later = readings
        later[1].state = .amber
        later[2].state = .green
        let changed = AlertCrossing.crossings(later, stored: stored)
        #expect(changed.map(\.key) == ["repeat_rate_30d", "churn_rate@channel=app"])
        #expect(changed.map(\.from) == [.green, .amber] && changed.map(\.to) == [.amber, .green])
    }

    // MARK: History and tiles

    @Test("month-end history of the hand store: June 2024's figures and its stage migrations as worked out by hand")
    func history() async throws {
        let input = try await Self.handInput()
        let history = input.history
        #expect(history.months == (0..<12).map { CivilDate.monthLabel(CivilDate(year: 2023, month: 7, day: 1).monthNumber + $0) })
        #expect(history.months.last == "2024-06")
        #expect(history.kpis.last == input.report.kpis)
        let june = try #require(history.monthly.last)
        #expect(june.newCustomers == 2 && june.orders == 9 && june.revenueMinor == 46_000)
        // At the start of June: 1002, 1003, 1007, 1009 active; 1004 new; 1005 declining; 1008 and 1010
        // churned (1010's only order, 2024-03-01, is 92 days back). At its end, hand_store.md §4.
        let migration = try #require(history.migrations.last)
        #expect(migration.month == "2024-06")
        #expect(migration.count(from: .active, to: .active) == 3)
        #expect(migration.count(from: .active, to: .churned) == 1)
        #expect(migration.count(from: .new, to: .new) == 1)
        #expect(migration.count(from: .declining, to: .declining) == 1)
        #expect(migration.count(from: .churned, to: .churned) == 1)
        #expect(migration.count(from: .churned, to: .active) == 1)
        #expect(migration.count(from: nil, to: .loyal) == 1 && migration.count(from: nil, to: .new) == 1)
        #expect(migration.counts.flatMap { $0 }.reduce(0, +) == 10)
        // The stage counts at the last point are §4's.
        #expect(history.stageCounts.last == [0, 2, 4, 1, 1, 2])
        // The month before: 1001 and 1006 were not customers yet; a store of 8.
        #expect(history.kpis[history.kpis.count - 2].customers == 8)
    }

    @Test("KPI tiles: values from hand_store.md §5 and §6, churn red and 30-day repeat amber under the default thresholds")
    func tiles() async throws {
        let input = try await Self.handInput()
        let tiles = Dictionary(uniqueKeysWithValues: KPITile.tiles(input.history, currency: input.report.currency, thresholds: KPIThreshold.defaults).map { ($0.id, $0) })
        #expect(tiles["customers"]?.value == 10 && tiles["customers"]?.state == AlertState.none)
        #expect(tiles["active_customers"]?.value == 8)
        #expect(tiles["new_customers_this_month"]?.value == 2)
        #expect(tiles["revenue_this_month"]?.value == 460)
        #expect(abs((tiles["aov_this_month"]?.value ?? 0) - 460.0 / 9) < 1e-9)
        #expect(tiles["repurchase_rate"]?.value == 0.8)
        #expect(tiles["repeat_rate_30d"]?.value == 0.125 && tiles["repeat_rate_30d"]?.state == .amber)
        #expect(tiles["churn_rate"]?.value == 0.2 && tiles["churn_rate"]?.state == .red)
        #expect(tiles["average_clv"]?.value == nil)
        #expect(tiles.values.allSatisfy { $0.series.count == 12 })
    }

    // MARK: Pages

    @Test("every page is well-formed and shows the hand store's figures, in English and in Simplified Chinese")
    func pages() async throws {
        let input = try await Self.handInput()
        for language in Language.allCases {
            let dashboard = Dashboard(input: input, language: language)
            for page in DashboardPage.allCases where page != .customer {
                let html = dashboard.page(page)
                #expect(Self.wellFormedProblem(html) == nil, "\(page) in \(language): \(Self.wellFormedProblem(html) ?? "")")
                #expect(html.contains("<html lang=\"\(language.tag)\">"))
                #expect(!html.contains("<script"))
                #expect(Self.targets(html).allSatisfy { $0.hasPrefix("/") || $0.hasPrefix("?") || $0.hasPrefix("#") || $0.hasPrefix("data:") },
                        "\(page) links or loads only from its own server: \(Self.targets(html))")
            }
        }
        let en = Dashboard(input: input, language: .en)
        let overview = Self.text(en.page(.overview))
        for figure in ["£460.00", "£51.11", "80.0%", "12.5%", "20.0%", "Act now", "Watch", "Churn rate is 20.0%, past its threshold."] {
            #expect(overview.contains(figure), "overview shows \(figure)")
        }
        let lifecycle = Self.text(en.page(.lifecycle))
        for figure in ["2 (20.0%)", "4 (40.0%)", "1 (10.0%)", "£490.00", "From Active to Churned: 1 customers", "Moves between stages during Jun 2024"] {
            #expect(lifecycle.contains(figure), "lifecycle shows \(figure)")
        }
        let rfm = Self.text(en.page(.rfm))
        #expect(rfm.contains("R5 F3: 1 customers, average revenue £200"))
        #expect(rfm.contains("R1 F1: 1 customers, average revenue £30"))
        let champions = Self.text(en.page(.segments, query: ["segment": "champions"]))
        #expect(champions.contains("Champions: 2 customers"))
        let first = try #require(champions.range(of: "1001")), second = try #require(champions.range(of: "1002"))
        #expect(first.lowerBound < second.lowerBound, "highest revenue first")
        let chinese = Self.text(Dashboard(input: input, language: .zhHans).page(.overview))
        for figure in ["流失率", "告警", "2024年6月", "£460.00", "新客30天复购率"] { #expect(chinese.contains(figure), "zh-Hans overview shows \(figure)") }
    }

    @Test("the customer page shows the scores and a timeline with orders and the stage changes")
    func customerPage() async throws {
        let input = try await Self.handInput()
        let position = try #require(input.report.profiles.firstIndex { $0.customerID == "1003" })
        let orders: [LiveProfile.OrderRow] = [(utc(2023, 8, 15, 12), .purchase, 4_000), (utc(2023, 11, 10, 12), .purchase, 5_000), (utc(2024, 4, 1, 12), .purchase, 3_000)]
        let entry = TimelineEntry(at: utc(2024, 4, 1, 12), kind: .order, title: "Order S012", detail: "£30.00, 1 lines")
        let html = Dashboard(input: input, language: .en).customer(at: position, orders: orders, entries: [entry], tags: ["vip"],
                                                                    boundaries: RFMBoundaries(profiles: input.report.profiles))
        #expect(Self.wellFormedProblem(html) == nil)
        let text = Self.text(html)
        for figure in ["Customer 1003", "Churned", "At risk", "R1 F3 M4", "£120.00", "91 days", "Order S012", "vip", "Active → Churned", "New → Active"] {
            #expect(text.contains(figure), "customer page shows \(figure)")
        }
        // 1003 turns churned at as-of, 2024-07-01 (91 days after 2024-04-01); it was active on 2024-06-01.
        #expect(text.contains("2024-07-01 00:00 Stage Active → Churned"))
    }

    @Test("the high-value-at-risk list equals a full sort by CLV × churn risk, without sorting")
    func valueAtRisk() {
        var random = SystemRandomNumberGenerator()
        let predictions: [CustomerPrediction?] = (0..<5_000).map { i in
            i % 7 == 0 ? nil : CustomerPrediction(alive: Double.random(in: 0...1, using: &random), purchases: 1, spend: 10,
                                                   clv: i % 11 == 0 ? nil : Double(Int.random(in: 0...500, using: &random)))
        }
        let naive = predictions.indices.filter { (predictions[$0]?.clv ?? 0) > 0 }
            .sorted { a, b in
                let x = predictions[a]!.clv! * predictions[a]!.churnRisk, y = predictions[b]!.clv! * predictions[b]!.churnRisk
                return x != y ? x > y : a < b
            }
        #expect(PredictionsPage.topValueAtRisk(predictions, count: 20) == Array(naive.prefix(20)))
        #expect(PredictionsPage.topValueAtRisk(Array(predictions.prefix(3)), count: 20).count <= 3)
    }

    @Test("a segment exports as CSV, highest revenue first")
    func csv() async throws {
        let input = try await Self.handInput()
        #expect(CustomerFilter(segment: .champions).csv(input) == "customer_id,stage,rfm_segment,orders,revenue\r\n1001,loyal,champions,3,200.00\r\n1002,active,champions,4,150.00\r\n")
        #expect(CustomerFilter(query: ["r": "1", "f": "1"]).csv(input) == "customer_id,stage,rfm_segment,orders,revenue\r\n1008,churned,lost,1,30.00\r\n")
        #expect(CustomerFilter(query: ["stage": "nonsense", "r": "9"]).isEmpty)
    }

    @Test("the one-file report holds every view, links only inside itself and loads nothing")
    func report() async throws {
        let input = try await Self.handInput()
        let html = Dashboard(input: input, language: .zhHans, links: .report).report()
        #expect(Self.wellFormedProblem(html) == nil)
        for page in ["overview", "lifecycle", "rfm", "cohorts", "predictions", "segments", "campaigns"] { #expect(html.contains("<section id=\"\(page)\">")) }
        for target in Self.targets(html) { #expect(target.hasPrefix("#") || target.hasPrefix("data:"), "link \(target)") }
        #expect(!html.contains("<script") && !html.contains("<img"))
    }

    /// A campaigns panel worked by hand: win-back measured (400 treated, 100 held out), welcome too
    /// small and unbalanced, loyalty paused.
    static func campaignPanel() -> CampaignPanel {
        var winBack = CampaignPanel.Row(id: "win-back", name: "Win-back", active: true, holdout: 0.2)
        (winBack.entered, winBack.heldOut, winBack.reached, winBack.messages) = (500, 100, 380, 380)
        winBack.suppressed = ["consent": 15, "frequency_cap": 4, "priority": 1]
        (winBack.treated, winBack.control) = (400, 100)
        winBack.conversion = CampaignPanel.Comparison(treated: 0.15, control: 0.10, difference: 0.05, low: -0.02, high: 0.12, pValue: 0.1904)
        winBack.revenuePerCustomer = CampaignPanel.Comparison(treated: 12.5, control: 9.0, difference: 3.5, low: -1, high: 8, pValue: 0.13)
        winBack.incrementalRevenue = 1_400
        (winBack.couponsIssued, winBack.couponsRedeemed, winBack.couponCost, winBack.roi) = (380, 40, 400, 2.5)
        winBack.steps = [CampaignPanel.StepRow(step: 1, action: "coupon sms win-back", treated: 300, control: 80,
                                               conversion: CampaignPanel.Comparison(treated: 0.2, control: 0.1, difference: 0.1, low: 0.02, high: 0.18, pValue: 0.04))]
        var welcome = CampaignPanel.Row(id: "welcome-series", name: "welcome-series", active: true, holdout: 0.1)
        (welcome.entered, welcome.heldOut, welcome.reached, welcome.messages, welcome.treated, welcome.control) = (30, 12, 18, 30, 18, 12)
        welcome.conversion = CampaignPanel.Comparison(treated: 0.5, control: 0.25, difference: 0.25, low: 0.05, high: 0.45, pValue: 0.02)
        (welcome.tooSmall, welcome.sampleRatioMismatch) = (true, true)
        let loyalty = CampaignPanel.Row(id: "loyalty-upgrade", name: "Loyalty upgrade", active: false, holdout: 0.1)
        return CampaignPanel(from: utc(2024, 4, 2), to: utc(2024, 7, 1), rows: [winBack, welcome, loyalty], outbox: ["delivered": 410, "dead": 2])
    }

    @Test("the campaigns page: reach and suppressions, uplift intervals around zero, money, warnings and the outbox, in both languages")
    func campaignsPage() async throws {
        let input = try await Self.handInput()
        let html = Dashboard(input: input, language: .en).page(.campaigns, campaigns: Self.campaignPanel())
        #expect(Self.wellFormedProblem(html) == nil)
        let text = Self.text(html)
        for figure in ["Win-back (win-back)", "Paused", "20.0%", "500", "380", "15", "15.0%", "10.0%", "5.0 pp (-2.0 to 12.0)", "0.190",
                       "£12.50", "£9.00", "£1,400.00", "£400.00", "250.0%", "welcome-series: too few customers to conclude (18 treated, 12 held out",
                       "welcome-series: 12 of 30 customers held out against a 10.0% setting", "Dead (every attempt failed)", "410",
                       "Step 2: coupon sms win-back", "20.0% / 10.0%", "10.0 pp (2.0 to 18.0)"] {
            #expect(text.contains(figure), "campaigns page shows \(figure)")
        }
        // The interval chart: win-back's interval crosses zero (grey), welcome's is above it (green).
        #expect(html.contains("stroke=\"\(Palette.grey)\"") && html.contains("stroke=\"\(Palette.green)\""))
        #expect(!text.contains("loyalty-upgrade: too few"), "a paused campaign has no warnings")
        let chinese = Self.text(Dashboard(input: input, language: .zhHans).page(.campaigns, campaigns: Self.campaignPanel()))
        for figure in ["营销活动", "已暂停", "5.0 个百分点（-2.0 至 12.0）", "增量收入", "死信"] { #expect(chinese.contains(figure), "zh-Hans shows \(figure)") }
        let empty = Self.text(Dashboard(input: input, language: .en).page(.campaigns))
        #expect(empty.contains("No campaigns are stored yet"))
    }
}
