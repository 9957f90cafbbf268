using System.Text;

namespace Publisher.Local.WebConsole;

/// <summary>
/// The functions' log writer in the local service: every line goes to the configured writer unchanged, and each
/// invocation record is also handed, as an SSE event, to whoever listens (the console's pages). Listening never
/// blocks the function: the listener only queues.
/// </summary>
internal sealed class InvocationFeed(TextWriter inner) : TextWriter
{
    private volatile Action<byte[]>? _listener;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <summary>Sets who receives the invocation events (one listener: the console).</summary>
    public void Listen(Action<byte[]> listener) => _listener = listener;

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
        if (_listener is { } listener && value is not null && value.Contains("\"message\":\"invocation\"", StringComparison.Ordinal)
            && ConsoleEvents.Invocation(value) is { } invocation)
        {
            listener(invocation);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync() => inner.FlushAsync();
}
