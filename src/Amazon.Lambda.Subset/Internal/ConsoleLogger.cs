using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Amazon.Lambda.Subset.Internal;

/// <summary>
/// What the official runtime does to Console: stdout and stderr are replaced by writers that format every
/// <c>WriteLine</c> as one log record (default level Information on stdout, Error on stderr), filtered by
/// <c>AWS_LAMBDA_LOG_LEVEL</c> and formatted by <c>AWS_LAMBDA_LOG_FORMAT</c>: text
/// (<c>timestamp\trequestId\tlevel\tmessage</c>) or JSON (<c>{"timestamp","level","requestId","traceId","message"}</c>).
/// <c>Write</c> without a newline passes through unformatted. (Lambda's telemetry file descriptor is not mirrored.)
/// </summary>
internal sealed class ConsoleLogger
{
    private const string DateFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    private readonly Lock _gate = new();
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly LogLevel _minimum;
    private readonly bool _json;
    private readonly AsyncLocal<Invocation> _flowing;
    private volatile Invocation _current;

    public ConsoleLogger()
    {
        _stdout = Console.Out;
        _stderr = Console.Error;
        _minimum = ParseLevel(Variable(EnvironmentNames.HandlerLogLevel, EnvironmentNames.LogLevel));
        _json = string.Equals(Variable(EnvironmentNames.HandlerLogFormat, EnvironmentNames.LogFormat), "json", StringComparison.OrdinalIgnoreCase);

        // Concurrent invocations each stamp their own records: the invocation then flows with the handler's async
        // calls. One at a time, a plain field is cheaper (as in the official runtime).
        _flowing = MultiConcurrency.IsOn ? new AsyncLocal<Invocation>() : null;
        Console.SetOut(new Wrapper(this, _stdout, LogLevel.Information));
        Console.SetError(new Wrapper(this, _stderr, LogLevel.Error));
    }

    /// <summary>The log levels of the official runtime, in order.</summary>
    public enum LogLevel
    {
        Trace,
        Debug,
        Information,
        Warning,
        Error,
        Critical,
    }

    /// <summary>Stamps later records (of this async flow, under multi-concurrency) with the invocation's request id and trace id.</summary>
    public void SetInvocation(string awsRequestId, string traceId)
    {
        var invocation = new Invocation(awsRequestId, traceId);
        if (_flowing is not null)
        {
            _flowing.Value = invocation;
        }
        else
        {
            _current = invocation;
        }
    }

    /// <summary>A record at the default level of stdout.</summary>
    public void WriteLine(string message) => Format(_stdout, LogLevel.Information, message, null);

    /// <summary>An unhandled exception, at Error level, as the runtime logs it.</summary>
    public void WriteException(Exception exception) => Format(_stdout, LogLevel.Error, null, exception);

    private void Format(TextWriter target, LogLevel level, string message, Exception exception)
    {
        if (level < _minimum)
        {
            return;
        }

        var now = DateTime.UtcNow.ToString(DateFormat, CultureInfo.InvariantCulture);
        var invocation = _flowing is not null ? _flowing.Value : _current;
        var line = _json ? Json(now, level, invocation, message, exception) : Text(now, level, invocation, message, exception);
        lock (_gate)
        {
            target.WriteLine(line);
            target.Flush();
        }
    }

    private static string Text(string now, LogLevel level, Invocation invocation, string message, Exception exception)
    {
        var text = new StringBuilder(now).Append('\t').Append(invocation?.AwsRequestId).Append('\t').Append(Label(level)).Append('\t');
        text.Append(message);
        if (exception is not null)
        {
            text.Append(string.IsNullOrEmpty(message) ? string.Empty : "\n").Append(exception);
        }

        return text.ToString();
    }

    private static string Json(string now, LogLevel level, Invocation invocation, string message, Exception exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", now);
            writer.WriteString("level", level.ToString());
            if (!string.IsNullOrEmpty(invocation?.AwsRequestId))
            {
                writer.WriteString("requestId", invocation.AwsRequestId);
            }

            if (!string.IsNullOrEmpty(invocation?.TraceId))
            {
                writer.WriteString("traceId", invocation.TraceId);
            }

            writer.WriteString("message", message ?? string.Empty);
            if (exception is not null)
            {
                writer.WriteString("errorType", exception.GetType().FullName);
                writer.WriteString("errorMessage", exception.Message);
                writer.WriteStartArray("stackTrace");
                foreach (var frame in exception.ToString().Split('\n'))
                {
                    writer.WriteStringValue(frame.Trim());
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static LogLevel ParseLevel(string value) => value?.ToUpperInvariant() switch
    {
        null or "" => LogLevel.Information,
        "FATAL" => LogLevel.Critical,
        "WARN" => LogLevel.Warning,
        _ => Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) ? level : LogLevel.Information,
    };

    private static string Variable(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? Environment.GetEnvironmentVariable(fallback) : value;
    }

    private sealed record Invocation(string AwsRequestId, string TraceId);

    /// <summary>The Console writer: each line becomes a record; partial writes pass through.</summary>
    private sealed class Wrapper(ConsoleLogger owner, TextWriter inner, LogLevel level) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override IFormatProvider FormatProvider => inner.FormatProvider;

        public override void Write(char value) => inner.Write(value);

        public override void Write(string value) => inner.Write(value);

        public override void Write(char[] buffer, int index, int count) => inner.Write(buffer, index, count);

        public override void WriteLine() => owner.Format(inner, level, string.Empty, null);

        public override void WriteLine(string value) => owner.Format(inner, level, value, null);

        public override void WriteLine(char[] buffer, int index, int count) => WriteLine(new string(buffer, index, count));

        public override void WriteLine(ReadOnlySpan<char> buffer) => WriteLine(new string(buffer));

        public override void WriteLine(object value) => WriteLine(value?.ToString() ?? string.Empty);

        public override Task WriteLineAsync(string value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            WriteLine(buffer.Span);
            return Task.CompletedTask;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync() => inner.FlushAsync();
    }
}
