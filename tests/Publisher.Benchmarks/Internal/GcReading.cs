using System.Text.Json;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// The managed heap as the function reports it in each invocation record: the heap the last collection left
/// (<c>gcHeapBytes</c>) and what the GC holds from the OS (<c>gcCommittedBytes</c>).
/// </summary>
internal sealed record GcReading(long HeapBytes, long CommittedBytes)
{
    /// <summary>The reading of a log line, or null when it is not an invocation record that carries one.</summary>
    public static GcReading? FromLine(string line)
    {
        if (!line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return root.TryGetProperty("gcHeapBytes", out var heap) && root.TryGetProperty("gcCommittedBytes", out var committed)
            ? new GcReading(heap.GetInt64(), committed.GetInt64())
            : null;
    }

    /// <summary>The last reading among a process's output lines, kept as they arrive.</summary>
    public sealed class LastRecord
    {
        private GcReading? _reading;

        public GcReading? Reading => Volatile.Read(ref _reading);

        /// <summary>Keeps the line's reading; false when the line is not an invocation record.</summary>
        public bool Offer(string line)
        {
            if (FromLine(line) is not { } reading)
            {
                return false;
            }

            Volatile.Write(ref _reading, reading);
            return true;
        }
    }
}
