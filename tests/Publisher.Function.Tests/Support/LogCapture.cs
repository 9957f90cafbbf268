using System.Text;
using System.Text.Json;

namespace Publisher.Function.Tests.Support;

/// <summary>Collects the lines a <see cref="Functions.Common.Observability.FunctionLog"/> writes.</summary>
internal sealed class LogCapture : TextWriter
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public IReadOnlyList<string> Lines => Since(0);

    /// <summary>Forgets the lines so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _lines.Clear();
            _partial.Clear();
        }
    }

    public IReadOnlyList<string> Since(int mark)
    {
        lock (_gate)
        {
            return _lines.Skip(mark).ToList();
        }
    }

    /// <summary>The JSON lines whose <c>message</c> is <paramref name="message"/>.</summary>
    public IReadOnlyList<JsonElement> Messages(string message) => Lines
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.GetProperty("message").GetString() == message)
        .ToList();

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Add(_partial.ToString());
                _partial.Clear();
            }
            else if (value != '\r')
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _lines.Add(_partial.Append(value).ToString());
            _partial.Clear();
        }
    }
}
