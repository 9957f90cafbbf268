using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Functions.Common.Observability;

/// <summary>Writes one JSON object per line to stdout, which Lambda ships to CloudWatch Logs.</summary>
/// <remarks>Callers never pass API keys or published values: only names, sizes, codes and timings.</remarks>
public sealed class FunctionLog
{
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Creates a log over a writer (Console.Out in Lambda).</summary>
    public FunctionLog(TextWriter output, TimeProvider? time = null)
    {
        _output = output;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The clock this log stamps lines with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Writes one line: timestamp, level, message, then the caller's fields.</summary>
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

    /// <summary>An informational line.</summary>
    public void Info(string message, Action<Utf8JsonWriter>? fields = null) => Write("INFO", message, fields);

    /// <summary>A warning line.</summary>
    public void Warn(string message, Action<Utf8JsonWriter>? fields = null) => Write("WARN", message, fields);

    /// <summary>An error line.</summary>
    public void Error(string message, Action<Utf8JsonWriter>? fields = null) => Write("ERROR", message, fields);
}
