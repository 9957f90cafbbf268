using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Publisher.Benchmarks.Suites;

namespace Publisher.Benchmarks.Internal;

/// <summary>The suites' charts (OxyPlot models) and their SVG export, which is pure managed code: no native library, works headless.</summary>
internal static class Charts
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(0x2b, 0x6c, 0xb0), OxyColor.FromRgb(0xd9, 0x6c, 0x1e), OxyColor.FromRgb(0x3a, 0x9a, 0x4a),
        OxyColor.FromRgb(0xb0, 0x3a, 0x5b), OxyColor.FromRgb(0x6b, 0x4f, 0xa8), OxyColor.FromRgb(0x7a, 0x7a, 0x7a),
    ];

    /// <summary>A white chart with its legend below the plot; <paramref name="leftMargin"/> fixes the room for long
    /// category labels (the SVG exporter's text measure is an estimate, and automatic margins can cut them).</summary>
    public static PlotModel NewModel(string title, double? leftMargin = null)
    {
        var model = new PlotModel
        {
            Title = title,
            TitleFontSize = 14,
            DefaultFontSize = 11,
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColors.Gray,
            Padding = new OxyThickness(10),
        };
        if (leftMargin is { } left)
        {
            model.PlotMargins = new OxyThickness(left, double.NaN, 20, double.NaN);
        }

        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside,
            LegendPosition = LegendPosition.BottomCenter,
            LegendOrientation = LegendOrientation.Vertical,
        });
        return model;
    }

    /// <summary>Every cold start of every build (dots) with its median (bar), on a log scale: AOT and JIT differ by an order of magnitude.</summary>
    public static Chart ColdStartDistribution(IReadOnlyList<(string Label, ColdStartSuite.Phases Phases)> builds)
    {
        // About 6.5 px per character at the default font size: room for the longest build label.
        var model = NewModel("Cold start per build (init + first invocation)", leftMargin: Math.Max(150, 20 + (6.5 * builds.Max(b => b.Label.Length))));
        var categories = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        model.Axes.Add(categories);
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "ms (log scale)", MajorGridlineStyle = LineStyle.Dot, MinorGridlineStyle = LineStyle.None });
        var initDots = new ScatterSeries { Title = "harness floor", MarkerType = MarkerType.Diamond, MarkerSize = 3, MarkerFill = Palette[5] };
        var dots = new ScatterSeries { Title = "one run", MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromAColor(170, Palette[0]) };
        var medians = new ScatterSeries { Title = "median", MarkerType = MarkerType.Custom, MarkerOutline = [new ScreenPoint(0, -9), new ScreenPoint(0, 9)], MarkerStroke = Palette[1], MarkerStrokeThickness = 3, MarkerSize = 1 };
        for (var i = 0; i < builds.Count; i++)
        {
            var (label, phases) = builds[i];
            var values = phases.Total.Count > 0 ? phases.Total : phases.Init;
            categories.Labels.Add(label);
            var target = phases.Total.Count > 0 ? dots : initDots;
            for (var k = 0; k < values.Values.Count; k++)
            {
                // A little vertical spread so equal values stay visible.
                target.Points.Add(new ScatterPoint(values.Values[k], i + (((k % 7) - 3) * 0.04)));
            }

            medians.Points.Add(new ScatterPoint(values.Median, i));
        }

        model.Series.Add(initDots);
        model.Series.Add(dots);
        model.Series.Add(medians);
        return new Chart("cold-start.svg", "Cold start per build", model, 900, 170 + (55 * builds.Count));
    }

    /// <summary>Latency percentiles of several paths, one line each.</summary>
    public static Chart Percentiles(string fileName, string title, IReadOnlyList<(string Label, Samples Samples)> paths)
    {
        var model = NewModel(title);
        double[] percentiles = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9];
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = "percentile", ItemsSource = percentiles.Select(p => "p" + p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList() });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "ms (log scale)", MajorGridlineStyle = LineStyle.Dot });
        for (var i = 0; i < paths.Count; i++)
        {
            var line = Line(paths[i].Label, i);
            for (var k = 0; k < percentiles.Length; k++)
            {
                line.Points.Add(new DataPoint(k, paths[i].Samples.Percentile(percentiles[k])));
            }

            model.Series.Add(line);
        }

        return new Chart(fileName, title, model);
    }

    /// <summary>Peak RSS after each checkpoint, one line per build.</summary>
    public static Chart Rss(IReadOnlyList<(string Label, long AfterInit, IReadOnlyList<(int Invocations, long PeakBytes)> Points)> builds)
    {
        var model = NewModel("Peak RSS over invocations");
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "invocations (log scale; 1 = after init)", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "peak RSS (MiB)", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        for (var i = 0; i < builds.Count; i++)
        {
            var (label, afterInit, points) = builds[i];
            var line = Line(label, i);
            line.Points.Add(new DataPoint(1, afterInit / 1048576.0));
            foreach (var (invocations, peak) in points)
            {
                line.Points.Add(new DataPoint(invocations, peak / 1048576.0));
            }

            model.Series.Add(line);
        }

        return new Chart("memory-rss.svg", "Peak RSS over invocations", model);
    }

    /// <summary>Resident memory and the GC's committed memory of the local runner and the function, reading by reading.</summary>
    public static Chart NearLimit(string functionLabel, IReadOnlyList<NearLimitMemorySuite.Step> local, IReadOnlyList<NearLimitMemorySuite.Step> function)
    {
        const string Title = "Memory near the limits: local runner and function at 128 MB";
        var model = NewModel(Title);
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = "after", ItemsSource = local.Select(s => s.Name).ToList(), Angle = -30 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "MiB", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        var lines = new (string Title, IReadOnlyList<NearLimitMemorySuite.Step> Steps, Func<NearLimitMemorySuite.Step, long?> Value, LineStyle Style)[]
        {
            ("local runner RSS", local, s => s.Rss, LineStyle.Solid),
            ("local runner GC committed", local, s => s.Gc?.CommittedBytes, LineStyle.Dash),
            (functionLabel + " bootstrap RSS", function, s => s.Rss, LineStyle.Solid),
            (functionLabel + " bootstrap GC committed", function, s => s.Gc?.CommittedBytes, LineStyle.Dash),
        };
        for (var i = 0; i < lines.Length; i++)
        {
            var (title, steps, value, style) = lines[i];
            var line = Line(title, i / 2);
            line.LineStyle = style;
            for (var k = 0; k < steps.Count; k++)
            {
                if (value(steps[k]) is { } bytes)
                {
                    line.Points.Add(new DataPoint(k, bytes / 1048576.0));
                }
            }

            model.Series.Add(line);
        }

        return new Chart("memory-near-limit.svg", Title, model, 800, 460);
    }

    /// <summary>Delivered and published messages per second of each fan-out scenario.</summary>
    public static Chart Fanout(IReadOnlyList<(string Scenario, double Published, double Delivered)> scenarios)
    {
        var model = NewModel("Fan-out throughput of the local Topics server", leftMargin: 150);
        var categories = new CategoryAxis { Position = AxisPosition.Left, StartPosition = 1, EndPosition = 0 };
        categories.Labels.AddRange(scenarios.Select(s => s.Scenario));
        model.Axes.Add(categories);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "messages/s", Minimum = 0, MajorGridlineStyle = LineStyle.Dot, StringFormat = "#,0" });
        var delivered = new BarSeries { Title = "delivered/s", FillColor = Palette[0] };
        var published = new BarSeries { Title = "published/s", FillColor = Palette[1] };
        foreach (var (_, p, d) in scenarios)
        {
            delivered.Items.Add(new BarItem(d));
            published.Items.Add(new BarItem(p));
        }

        model.Series.Add(delivered);
        model.Series.Add(published);
        return new Chart("fanout-throughput.svg", "Fan-out throughput", model, 800, 150 + (50 * scenarios.Count));
    }

    /// <summary>Throughput (left axis) and p50/p99 latency (right axis) of one environment at each concurrency, one set of lines per network path.</summary>
    public static Chart Concurrency(IReadOnlyList<(string Path, int Concurrency, double PerSecond, double CeilingPerSecond, double P50Ms, double P99Ms)> levels)
    {
        var model = NewModel("One execution environment, many invocations at once");

        // Room around the legend's text: the SVG's fonts render wider than the exporter's estimate, which would cut it.
        model.Legends[0].LegendPadding = 24;
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Base = 2, Title = "concurrency (AWS_LAMBDA_MAX_CONCURRENCY = callers, log scale)", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Key = "rate", Title = "invocations/s", Minimum = 0, MaximumPadding = 0.1, MajorGridlineStyle = LineStyle.Dot, StringFormat = "#,0", AxisTitleDistance = 12 });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Right, Key = "ms", Title = "latency ms (log scale)" });
        var index = 0;
        foreach (var path in levels.GroupBy(l => l.Path))
        {
            var multiplePaths = levels.Select(l => l.Path).Distinct().Count() > 1;
            var suffix = multiplePaths ? $" ({path.Key})" : string.Empty;
            var throughput = Line("invocations/s" + suffix, index++);
            throughput.YAxisKey = "rate";
            throughput.StrokeThickness = 3;
            var ceiling = Line("CPU ceiling" + suffix, index++);
            ceiling.YAxisKey = "rate";
            ceiling.LineStyle = LineStyle.Dot;
            var p50 = Line("p50 latency" + suffix, index++);
            p50.YAxisKey = "ms";
            var p99 = Line("p99 latency" + suffix, index++);
            p99.YAxisKey = "ms";
            p99.LineStyle = LineStyle.Dash;
            foreach (var level in path)
            {
                throughput.Points.Add(new DataPoint(level.Concurrency, level.PerSecond));
                ceiling.Points.Add(new DataPoint(level.Concurrency, level.CeilingPerSecond));
                p50.Points.Add(new DataPoint(level.Concurrency, level.P50Ms));
                p99.Points.Add(new DataPoint(level.Concurrency, level.P99Ms));
            }

            model.Series.Add(throughput);
            model.Series.Add(ceiling);
            model.Series.Add(p50);
            model.Series.Add(p99);
        }

        return new Chart("concurrency.svg", "Throughput and latency per concurrency", model, 820, 460);
    }

    /// <summary>The <paramref name="index"/>th line of a chart, in its palette colour with round markers.</summary>
    private static LineSeries Line(string title, int index) => new()
    {
        Title = title,
        Color = Palette[index % Palette.Length],
        MarkerType = MarkerType.Circle,
        MarkerSize = 3,
        MarkerFill = Palette[index % Palette.Length],
    };

    public static void WriteSvg(Chart chart, string path)
    {
        using var file = File.Create(path);
        new SvgExporter { Width = chart.Width, Height = chart.Height }.Export(chart.Model, file);
    }
}
