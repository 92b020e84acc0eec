import ArgumentParser

/// The `perennial` command line: every job of the engine, scriptable, with `--json` output.
@main
struct Perennial: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perennial",
        abstract: "Customer lifecycle management for online stores: who is new, growing, loyal, slipping away or gone.",
        discussion: """
        Start with `perennial demo`, which generates a sample store, imports it into perennial-demo.db and \
        prints its lifecycle summary. Then import your own order history:

          perennial import orders orders.csv.gz --format online-retail
          perennial analyze
          perennial customers --stage declining --json

        The database is a SQLite file: perennial.db in the working directory, or --db PATH, or the \
        PERENNIAL_DATABASE environment variable. The analytics rules are in docs/ANALYTICS.md.
        """,
        version: "0.1.0",
        subcommands: [Demo.self, Import.self, Analyze.self, Customers.self, CustomerCommand.self, Cohorts.self, Fit.self, Evaluate.self, Predict.self, Recommend.self, Generate.self, Serve.self, Keys.self, Report.self, Campaigns.self]
    )
}
