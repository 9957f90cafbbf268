namespace Amazon.Lambda.Internal;

/// <summary>Header maps of the event types look names up case-insensitively, whatever case the caller sent.</summary>
internal static class HeaderDictionary
{
    public static IDictionary<string, TValue>? CaseInsensitive<TValue>(IDictionary<string, TValue>? source)
    {
        if (source is null || source is Dictionary<string, TValue> { Comparer: var comparer } && ReferenceEquals(comparer, StringComparer.OrdinalIgnoreCase))
        {
            return source;
        }

        var copy = new Dictionary<string, TValue>(source.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in source)
        {
            copy[name] = value; // names differing only in case: the last one wins instead of throwing
        }

        return copy;
    }
}
