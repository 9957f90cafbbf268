using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using Publisher.Contracts;

namespace Publisher.DeploymentCheck.Internal;

/// <summary>The cost per million publishes of each door as traffic grows (OxyPlot's SVG export: managed code, headless), as the benchmarks draw theirs.</summary>
internal static class CostChart
{
    private static readonly OxyColor[] Palette = [OxyColor.FromRgb(0x2b, 0x6c, 0xb0), OxyColor.FromRgb(0xd9, 0x6c, 0x1e), OxyColor.FromRgb(0x3a, 0x9a, 0x4a)];

    /// <summary>Traffic points of the chart: 1 to 100,000 publishes a second, ten to a decade.</summary>
    public static IEnumerable<double> Rates() => Enumerable.Range(0, 51).Select(i => Math.Pow(10, i / 10.0));

    /// <summary>The chart for <paramref name="workload"/>'s memory, architecture and duration (its traffic is the x axis).</summary>
    public static PlotModel Model(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var model = new PlotModel
        {
            Title = $"Cost per million publishes by front door ({workload.MemoryMb} MB {(workload.Architecture == Architecture.Arm64 ? "arm64" : "x86_64")}, {workload.BilledMs} ms billed, {Prices.Region}, prices of {Prices.CheckedOn:yyyy-MM-dd})",
            TitleFontSize = 13,
            DefaultFontSize = 11,
            // The SVG exporter measures text with Helvetica's metrics; Arial (or a metric twin) renders to them.
            DefaultFont = "Arial",
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColors.Gray,
            Padding = new OxyThickness(10),
        };
        // Inside, top right, where the REST line has fallen away.
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Inside,
            LegendPosition = LegendPosition.TopRight,
            LegendBackground = OxyColors.White,
            LegendBorder = OxyColors.Gray,
            // Room for the renderer's wider text than the exporter's estimate.
            LegendPadding = 16,
        });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "publishes a second, steady over a month (log scale)", Minimum = 1, Maximum = 100_000, MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "USD per million publishes", Minimum = 0, MajorGridlineStyle = LineStyle.Dot });
        var index = 0;
        var highest = 0.0;
        foreach (var (name, door) in FrontDoors.All)
        {
            var line = new LineSeries { Title = name, Color = Palette[index++ % Palette.Length], StrokeThickness = 2 };
            foreach (var rate in Rates())
            {
                var perMillion = (double)CostModel.Monthly(door, workload with { RequestsPerSecond = rate }).PerMillion;
                line.Points.Add(new DataPoint(rate, perMillion));
                highest = Math.Max(highest, perMillion);
            }

            model.Series.Add(line);
        }

        model.Axes[1].Maximum = Math.Ceiling(highest + 0.25);

        // Where a default deployment is first refused (CostModel.Limits): beyond it the traffic needs a raised limit.
        model.Annotations.Add(new LineAnnotation
        {
            Type = LineAnnotationType.Vertical,
            X = ServiceLimits.MomentoPublishesPerSecond,
            Color = OxyColors.Gray,
            LineStyle = LineStyle.Dash,
            Text = "Momento's default: 10 publishes/s per cache",
            TextOrientation = AnnotationTextOrientation.Vertical,
        });
        return model;
    }

    /// <summary>Writes the chart as SVG to <paramref name="path"/> (its folder is created).</summary>
    public static void Write(string path, Workload workload)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        new SvgExporter { Width = 900, Height = 420 }.Export(Model(workload), file);
    }
}
