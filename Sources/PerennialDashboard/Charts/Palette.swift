import PerennialCore

/// Colours that colour-blind readers can tell apart (Okabe and Ito's palette) and a single-hue blue
/// ramp for heatmaps; no meaning is carried by colour alone (every state also has a shape and a word).
enum Palette {
    static let blue = "#0072B2", sky = "#56B4E9", green = "#009E73", orange = "#E69F00", vermillion = "#D55E00"
    static let purple = "#CC79A7", yellow = "#F0E442", grey = "#8C8C8C", ink = "#1F2328"

    /// The colour of a lifecycle stage.
    static func stage(_ stage: LifecycleStage) -> String {
        switch stage {
        case .potential: grey
        case .new: sky
        case .active: blue
        case .loyal: green
        case .declining: orange
        case .churned: vermillion
        }
    }

    /// Series colours in order.
    static let series = [blue, orange, green, vermillion, purple, sky]

    private static let ramp: [(Double, Double, Double)] = [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)]

    /// A blue from pale (0) to dark (1).
    static func sequential(_ t: Double) -> String {
        let x = min(1, max(0, t.isFinite ? t : 0)) * Double(ramp.count - 1)
        let i = min(ramp.count - 2, Int(x))
        let f = x - Double(i)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        let (a, b) = (ramp[i], ramp[i + 1])
        return "#" + [mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)].map { hex($0) }.joined()
    }

    /// Whether text on ``sequential(_:)`` at `t` should be white.
    static func needsLightText(_ t: Double) -> Bool { t > 0.55 }

    private static func hex(_ value: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[value / 16], digits[value % 16]])
    }
}
