using System.Text;

namespace Publisher.Local.WebConsole;

/// <summary>
/// The functions' log writer in the local service: every line goes to the configured writer unchanged, and each
/// invocation record is also handed to whoever listens (the console, which frames it for its open pages). Listening
/// never blocks the function: the listener only queues.
/// </summary>
internal sealed class InvocationFeed(TextWriter inner) : TextWriter
{
    private volatile Action<string>? _listener;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <summary>Sets who receives the invocation records, as logged (one listener: the console).</summary>
    public void Listen(Action<string> listener) => _listener = listener;

    /// <inheritdoc />
    public override void Write(char value) => inner.Write(value);

    /// <inheritdoc />
    public override void Write(string? value) => inner.Write(value);

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => inner.Write(buffer, index, count);

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        // FunctionLog writes each record as one WriteLine.
        inner.WriteLine(value);
        if (_listener is { } listener && value is not null && value.Contains("\"message\":\"invocation\"", StringComparison.Ordinal))
        {
            listener(value);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync() => inner.FlushAsync();
}
