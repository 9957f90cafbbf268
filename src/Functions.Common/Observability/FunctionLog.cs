using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Functions.Common.Observability;

/// <summary>Writes one JSON object per line to stdout, which Lambda ships to CloudWatch Logs.</summary>
/// <remarks>Callers never pass API keys or published values: only names, sizes, codes and timings.</remarks>
public sealed class FunctionLog
{
    /// <summary>Lambda's application log level filter (set from the function's logging config).</summary>
    public const string LogLevelVariable = "AWS_LAMBDA_LOG_LEVEL";

    private static readonly string[] Levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly int _minimumLevel;
    private readonly Lock _gate = new();

    /// <summary>Creates a log over a writer.</summary>
    /// <param name="output">Where lines go.</param>
    /// <param name="time">The clock lines are stamped with; null means <see cref="TimeProvider.System"/>.</param>
    /// <param name="minimumLevel">The lowest level <see cref="Info"/>, <see cref="Warn"/> and <see cref="Error"/> write
    /// (one of Lambda's: TRACE, DEBUG, INFO, WARN, ERROR, FATAL); null or unknown means all.</param>
    public FunctionLog(TextWriter output, TimeProvider? time = null, string? minimumLevel = null)
    {
        _output = output;
        _time = time ?? TimeProvider.System;
        _minimumLevel = minimumLevel is null ? 0 : Math.Max(0, Array.IndexOf(Levels, minimumLevel.Trim().ToUpperInvariant()));
    }

    /// <summary>
    /// The log of a deployed function: lines go straight to the process's stdout, not through <see cref="Console"/>,
    /// which the Lambda runtime replaces with a writer that wraps each line in its own record (with
    /// <c>AWS_LAMBDA_LOG_FORMAT=JSON</c> the line becomes a <c>message</c> string, and an embedded-metric-format record
    /// is then no longer a metric). Filtered by <c>AWS_LAMBDA_LOG_LEVEL</c> as the runtime filters its own records.
    /// </summary>
    public static FunctionLog ForLambda(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
        return new FunctionLog(stdout, minimumLevel: environment(LogLevelVariable));
    }

    /// <summary>Writes one line whatever the minimum level (invocation records carry metrics): timestamp, level,
    /// message, then the caller's fields.</summary>
    public void Write(string level, string message, Action<Utf8JsonWriter>? fields = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", _time.GetUtcNow());
            writer.WriteString("level", level);
            writer.WriteString("message", message);
            fields?.Invoke(writer);
            writer.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    /// <summary>An informational line, unless the minimum level is higher.</summary>
    public void Info(string message, Action<Utf8JsonWriter>? fields = null) => WriteAtLeast(2, message, fields);

    /// <summary>A warning line, unless the minimum level is higher.</summary>
    public void Warn(string message, Action<Utf8JsonWriter>? fields = null) => WriteAtLeast(3, message, fields);

    /// <summary>An error line, unless the minimum level is higher.</summary>
    public void Error(string message, Action<Utf8JsonWriter>? fields = null) => WriteAtLeast(4, message, fields);

    private void WriteAtLeast(int level, string message, Action<Utf8JsonWriter>? fields)
    {
        if (level >= _minimumLevel)
        {
            Write(Levels[level], message, fields);
        }
    }
}
