using System.Text.Json.Nodes;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using Publisher.Benchmarks.Suites;

namespace Publisher.Benchmarks.Internal;

/// <summary>The startup timeline of the AOT bootstrap: which marks, in which order, what each step means; its table and chart.</summary>
internal static class TimelineSteps
{
    public const string FirstNext = "first /next arrived";
    public const string EventSent = "event sent";
    public const string ResponseArrived = "response arrived";

    /// <summary>The init phase, from the exec: mark → what the step that ends there did.</summary>
    public static readonly (string Mark, string Step)[] Init =
    [
        ("main", "exec → Main (loader, runtime start)"),
        ("settings read", "settings read (environment)"),
        ("key read", "key read (local: none; else the secret)"),
        ("client built", "Topics client built (its HTTP/2 handler)"),
        ("ping sent", "Ping started"),
        ("connection open", "connection open (TCP; TLS on Momento): init waits for this"),
        ("init done", "function built, init done"),
        (FirstNext, "first /next arrived at the Runtime API"),
        ("ping answered", "Ping answered (init does not wait for it)"),
    ];

    /// <summary>The first invocation, from the moment its event left the Runtime API.</summary>
    public static readonly (string Mark, string Step)[] FirstInvocation =
    [
        ("handler called", "event read by the runtime, handler called"),
        ("publish sent", "event parsed and validated, publish sent"),
        ("publish answered", "publish answered"),
        ("handler returned", "response built, invocation logged"),
        (ResponseArrived, "response posted, arrived at the Runtime API"),
    ];
}

/// <summary>Turns timeline runs into the suite's table, ratios and chart.</summary>
internal static class Timeline
{
    public static void AddTo(SuiteResult result, IReadOnlyList<TimelineRun> runs, ColdStartSuite.Phases plain, ColdStartSuite.Phases timed)
    {
        var table = new TextTable("step (AOT, medians of " + Format.Int(runs.Count) + " runs)", "ends at ms", "step ms", "share of cold start");
        var initRows = Rows(runs, TimelineSteps.Init, r => 0);
        var invocationRows = Rows(runs, TimelineSteps.FirstInvocation, r => r.EventSentMs);
        var total = (initRows.LastOrDefault()?.EndsAt ?? 0) + (invocationRows.LastOrDefault()?.EndsAt ?? 0);
        foreach (var row in initRows)
        {
            table.AddRow("init: " + row.Step, Format.Ms(row.EndsAt), Format.Ms(row.Duration), Percent(row.Duration, total));
        }

        foreach (var row in invocationRows)
        {
            table.AddRow("first invocation: " + row.Step, Format.Ms(row.EndsAt), Format.Ms(row.Duration), Percent(row.Duration, total));
        }

        result.Tables.Add(table);
        result.Notes.Add(
            "Timeline: `init:` rows are times since the exec, `first invocation:` rows since its event left the Runtime API; step = the median of " +
            "that step's own duration in each run (so steps need not add up to the end times exactly). Marks come from the bootstrap itself " +
            "(`PUBLISHER_STARTUP_TIMELINE=1`: a monotonic timestamp per step, HttpClient's own activities for the Ping, the publish and the " +
            "connection) and from the Runtime API (first /next, response). Its runs are separate processes, interleaved with the others: " +
            $"with the timeline on, cold start median {Format.Ms(timed.Total.Median)} ms against {Format.Ms(plain.Total.Median)} ms off.");
        result.AddRatio("AOT cold start median, timeline on / off", timed.Total.Median, plain.Total.Median, "what recording the timeline costs (1.00x: nothing)");
        var json = new JsonArray();
        foreach (var row in initRows.Select(r => ("init", r)).Concat(invocationRows.Select(r => ("first invocation", r))))
        {
            json.Add(new JsonObject { ["phase"] = row.Item1, ["mark"] = row.r.Mark, ["step"] = row.r.Step, ["endsAtMs"] = row.r.EndsAt, ["stepMs"] = row.r.Duration });
        }

        result.Metrics["timeline"] = json;
        result.Charts.Add(Chart(initRows, invocationRows));
    }

    private static List<Row> Rows(IReadOnlyList<TimelineRun> runs, (string Mark, string Step)[] steps, Func<TimelineRun, double> origin)
    {
        var rows = new List<Row>();
        string? previous = null;
        foreach (var (mark, step) in steps)
        {
            var ends = new Samples();
            var durations = new Samples();
            foreach (var run in runs)
            {
                if (!run.SinceExec.TryGetValue(mark, out var at))
                {
                    continue;
                }

                ends.Add(at - origin(run));
                var start = previous is not null && run.SinceExec.TryGetValue(previous, out var before) ? before - origin(run) : 0;
                durations.Add(at - origin(run) - start);
            }

            if (ends.Count == 0)
            {
                continue;
            }

            rows.Add(new Row(mark, step, ends.Median, durations.Median));
            previous = mark;
        }

        return rows;
    }

    private static Chart Chart(List<Row> init, List<Row> invocation)
    {
        var model = Charts.NewModel("Startup timeline of the AOT bootstrap (medians)", leftMargin: 330);
        var categories = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0, GapWidth = 0.3 };
        var series = new IntervalBarSeries { FillColor = OxyColor.FromRgb(0x2b, 0x6c, 0xb0), StrokeThickness = 0, LabelFormatString = null };
        var invocationSeries = new IntervalBarSeries { FillColor = OxyColor.FromRgb(0xd9, 0x6c, 0x1e), StrokeThickness = 0, LabelFormatString = null };
        var index = 0;
        var initEnd = init.LastOrDefault()?.EndsAt ?? 0;
        foreach (var row in init)
        {
            categories.Labels.Add(row.Step);
            series.Items.Add(new IntervalBarItem(row.EndsAt - row.Duration, row.EndsAt) { CategoryIndex = index++ });
        }

        // The invocation is drawn after init ends, as a caller waiting on a cold start sees it.
        foreach (var row in invocation)
        {
            categories.Labels.Add("1st: " + row.Step);
            invocationSeries.Items.Add(new IntervalBarItem(initEnd + row.EndsAt - row.Duration, initEnd + row.EndsAt) { CategoryIndex = index++ });
        }

        // Colour tells init (blue) from the first invocation (orange); the labels say it too, so no legend.
        model.IsLegendVisible = false;
        model.Axes.Add(categories);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "ms since exec", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        model.Series.Add(series);
        model.Series.Add(invocationSeries);
        return new Chart("cold-start-timeline.svg", "Startup timeline (AOT)", model, 1000, 150 + (26 * index));
    }

    private static string Percent(double part, double total) => total > 0 ? (100 * part / total).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " %" : "—";

    private sealed record Row(string Mark, string Step, double EndsAt, double Duration);
}
