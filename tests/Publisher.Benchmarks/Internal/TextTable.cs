using System.Text;

namespace Publisher.Benchmarks.Internal;

/// <summary>A table rendered as aligned Markdown, readable both in a terminal and in results.md.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public IReadOnlyList<string> Headers => _headers;

    /// <summary>Whether columns after the first are numbers, aligned right (default); false aligns every column left.</summary>
    public bool NumbersRight { get; init; } = true;

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public IEnumerable<string> Render()
    {
        var widths = _headers.Select((h, i) => Math.Max(3, _rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        yield return Line(_headers, widths, numericRight: false);
        // The first column names the row; the others are numbers, aligned right.
        yield return "|" + string.Join("|", widths.Select((w, i) => i == 0 || !NumbersRight ? " " + new string('-', w) + " " : " " + new string('-', w - 1) + ": ")) + "|";
        foreach (var row in _rows)
        {
            yield return Line(row, widths, numericRight: NumbersRight);
        }
    }

    private static string Line(string[] cells, int[] widths, bool numericRight)
    {
        var line = new StringBuilder("|");
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = numericRight && i > 0 ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]);
            line.Append(' ').Append(cell).Append(" |");
        }

        return line.ToString();
    }
}
