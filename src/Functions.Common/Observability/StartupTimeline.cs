using System.Diagnostics;
using System.Text.Json;

namespace Functions.Common.Observability;

/// <summary>
/// Monotonic marks of the init phase and the first invocation, for the benchmark's startup timeline. On only
/// when <c>PUBLISHER_STARTUP_TIMELINE=1</c> (otherwise there is no instance, and callers skip it with <c>?.</c>);
/// written once, as one JSON line on stderr, after the first invocation.
/// </summary>
/// <remarks>Marks are <see cref="Stopwatch"/> ticks: on Linux the monotonic clock, which the benchmark reads too,
/// so they line up with its own (process start, first <c>/next</c>, response received).</remarks>
public sealed class StartupTimeline : IDisposable
{
    /// <summary>For the benchmark: <c>1</c> writes one JSON line of monotonic marks of the init phase and the first invocation to stderr; off, there is no timeline object at all.</summary>
    public const string EnvironmentVariable = "PUBLISHER_STARTUP_TIMELINE";

    /// <summary>The JSON property that starts the line, so a reader can find it among other stderr output.</summary>
    public const string JsonProperty = "startupTimeline";

    private const int MaxMarks = 32;

    // HTTP requests whose start and end are marks: the connection check and the first publish.
    private static readonly (string Path, string Sent, string Answered)[] Calls =
    [
        ("/cache_client.Ping/Ping", "ping sent", "ping answered"),
        ("/cache_client.pubsub.Pubsub/Publish", "publish sent", "publish answered"),
    ];

    private readonly string[] _names = new string[MaxMarks];
    private readonly long[] _timestamps = new long[MaxMarks];
    private readonly ActivityListener _listener;
    private int _count;
    private int _written;

    private StartupTimeline()
    {
        // HttpClient's own activities say when a request left and when its answer came, and when a connection was
        // set up, without a hook in the client or the function; they exist only while someone listens.
        _listener = new ActivityListener
        {
            // The Momento connection's own mark comes from the client (TopicClient.Connected): connection activities
            // would also show the secrets extension's.
            ShouldListenTo = source => source.Name is "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity => OnActivity(activity, stopped: false),
            ActivityStopped = activity => OnActivity(activity, stopped: true),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A timeline when the environment asks for one, with a first mark <c>main</c> at
    /// <paramref name="mainTimestamp"/>; null (no cost) otherwise.</summary>
    /// <param name="environment">The environment lookup.</param>
    /// <param name="mainTimestamp">The <see cref="Stopwatch"/> timestamp taken as the first statement of Main,
    /// before this listener was set up.</param>
    public static StartupTimeline? FromEnvironment(Func<string, string?> environment, long mainTimestamp)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EnvironmentVariable) != "1")
        {
            return null;
        }

        var timeline = new StartupTimeline();
        timeline.Mark("main", mainTimestamp);
        return timeline;
    }

    /// <summary>Records that a step ended now; marks past the first 32 are dropped.</summary>
    public void Mark(string name) => Mark(name, Stopwatch.GetTimestamp());

    /// <summary>Records that a step ended at <paramref name="timestamp"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Mark(string name, long timestamp)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < MaxMarks)
        {
            _timestamps[index] = timestamp;
            Volatile.Write(ref _names[index], name);
        }
    }

    /// <summary>Writes the marks once (later calls do nothing) and stops listening:
    /// <c>{"startupTimeline":{"frequency":...,"marks":[{"name":...,"ticks":...}]}}</c>.</summary>
    public void Write()
    {
        if (Interlocked.Exchange(ref _written, 1) != 0)
        {
            return;
        }

        _listener.Dispose();
        using var stderr = Console.OpenStandardError();
        using (var writer = new Utf8JsonWriter(stderr))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(JsonProperty);
            writer.WriteNumber("frequency", Stopwatch.Frequency);
            writer.WriteStartArray("marks");
            for (var i = 0; i < Math.Min(Volatile.Read(ref _count), MaxMarks); i++)
            {
                if (Volatile.Read(ref _names[i]) is { } name)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", name);
                    writer.WriteNumber("ticks", _timestamps[i]);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        stderr.Write("\n"u8);
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnActivity(Activity activity, bool stopped)
    {
        if (activity.Source.Name != "System.Net.Http")
        {
            return;
        }

        // The request's tags are set when it ends: both of its marks are written then, the start from its duration.
        if (!stopped)
        {
            return;
        }

        var end = Stopwatch.GetTimestamp();
        var path = (activity.GetTagItem("url.full") as string) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : null;
        foreach (var (callPath, sent, answered) in Calls)
        {
            if (path == callPath)
            {
                Mark(sent, end - (long)(activity.Duration.TotalSeconds * Stopwatch.Frequency));
                Mark(answered, end);
            }
        }
    }
}
