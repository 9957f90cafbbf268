using System.Text.Json;
using Functions.Common.Observability;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// One cold start of the AOT bootstrap with its startup timeline on: the process's own marks (one JSON line on
/// stderr) and the harness's (first <c>/next</c> arrived, event sent, response arrived), all in milliseconds since
/// the exec. The first invocation's marks are also kept relative to the moment its event left.
/// </summary>
internal sealed class TimelineRun
{
    private TimelineRun(Dictionary<string, double> sinceExec, double eventSentMs)
    {
        SinceExec = sinceExec;
        EventSentMs = eventSentMs;
    }

    /// <summary>Mark name → milliseconds since the exec; the first occurrence of each name during init, and of each after it.</summary>
    public IReadOnlyDictionary<string, double> SinceExec { get; }

    /// <summary>When the first event left the harness, in milliseconds since the exec.</summary>
    public double EventSentMs { get; }

    public static TimelineRun Read(RunningBootstrap bootstrap, LeanInvocation first)
    {
        var line = bootstrap.StderrLines.FirstOrDefault(l => l.StartsWith("{\"" + StartupTimeline.JsonProperty + "\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The bootstrap wrote no startup timeline although " + StartupTimeline.EnvironmentVariable + "=1.");
        using var document = JsonDocument.Parse(line);
        var timeline = document.RootElement.GetProperty(StartupTimeline.JsonProperty);
        var frequency = timeline.GetProperty("frequency").GetDouble();
        if (Math.Abs(frequency - System.Diagnostics.Stopwatch.Frequency) > 0.5)
        {
            throw new InvalidOperationException("The bootstrap's clock has another frequency than the harness's: their marks cannot be compared.");
        }

        double Since(long ticks) => Samples.ElapsedMs(bootstrap.StartTimestamp, ticks);
        var marks = new List<(string Name, double Ms)>();
        foreach (var mark in timeline.GetProperty("marks").EnumerateArray())
        {
            marks.Add((mark.GetProperty("name").GetString()!, Since(mark.GetProperty("ticks").GetInt64())));
        }

        marks.Add((TimelineSteps.FirstNext, Since(bootstrap.FirstNextTimestamp)));
        marks.Add((TimelineSteps.EventSent, Since(first.SentTimestamp)));
        marks.Add((TimelineSteps.ResponseArrived, Since(first.AnsweredTimestamp)));
        marks.Sort((a, b) => a.Ms.CompareTo(b.Ms));

        // A connection opened after init is the Runtime API's own (at the first /next), not Momento's.
        var initEnd = marks.First(m => m.Name == TimelineSteps.FirstNext).Ms;
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, ms) in marks)
        {
            var key = name == "connection open" && ms > initEnd ? "runtime API connection open" : name;
            byName.TryAdd(key, ms);
        }

        return new TimelineRun(byName, Since(first.SentTimestamp));
    }
}
