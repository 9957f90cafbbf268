using System.Diagnostics;
using System.Globalization;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// Where a run is: suite, step, count and elapsed time. On a terminal one status line is redrawn in place
/// (at most ten times a second); when the output is redirected (a file, a pipe, a test) it writes plain
/// lines instead: one when a step starts, then at most one every <see cref="PlainInterval"/>, and one when it ends.
/// </summary>
internal sealed class ProgressReporter
{
    /// <summary>How often a redirected run reports a step that is still going.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly long _runStarted = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private string _suite = string.Empty;
    private string? _step;
    private long _lastWrite;
    private int _lineLength;

    /// <param name="output">Where the run's text goes.</param>
    /// <param name="terminal">Whether that is an interactive terminal (redraw in place) or not (plain lines).</param>
    public ProgressReporter(TextWriter output, bool terminal)
    {
        _output = output;
        _terminal = terminal;
    }

    /// <summary>Whether <paramref name="output"/> is this process's console and the console is a terminal.</summary>
    public static bool IsTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    /// <summary>Starts a suite's part of the status.</summary>
    public void Suite(string name)
    {
        lock (_gate)
        {
            _suite = name;
            _step = null;
        }
    }

    /// <summary>Reports that <paramref name="done"/> of <paramref name="total"/> (0 when unknown) units of a step are done.</summary>
    public void Report(string step, int done, int total = 0)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var newStep = step != _step;
            var finished = total > 0 && done >= total;
            var interval = _terminal ? TerminalInterval : PlainInterval;
            if (!newStep && !finished && Stopwatch.GetElapsedTime(_lastWrite, now) < interval)
            {
                return;
            }

            _step = step;
            _lastWrite = now;
            var count = total > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{done}/{total}")
                : done.ToString(CultureInfo.InvariantCulture);
            var elapsed = Stopwatch.GetElapsedTime(_runStarted, now);
            var text = string.Create(CultureInfo.InvariantCulture, $"[{elapsed:mm\\:ss}] {_suite}: {step} {count}");
            if (_terminal)
            {
                // Redraw in place; pad over a longer previous line.
                _output.Write("\r" + text.PadRight(_lineLength));
                _lineLength = text.Length;
                _output.Flush();
            }
            else
            {
                _output.WriteLine(text);
            }
        }
    }

    /// <summary>Ends the status line (on a terminal) so that the next text starts on a fresh line.</summary>
    public void Done()
    {
        lock (_gate)
        {
            if (_terminal && _lineLength > 0)
            {
                _output.Write("\r" + new string(' ', _lineLength) + "\r");
                _output.Flush();
                _lineLength = 0;
            }

            _step = null;
        }
    }
}
