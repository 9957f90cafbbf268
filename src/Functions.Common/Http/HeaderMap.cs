namespace Functions.Common.Http;

/// <summary>Request headers looked up case-insensitively, as HTTP requires (REST events keep the caller's case).</summary>
public sealed class HeaderMap
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds a map from single-value and multi-value header dictionaries; the first value of a repeated header wins.</summary>
    public static HeaderMap From(IDictionary<string, string>? single, IDictionary<string, IList<string>>? multi = null)
    {
        var map = new HeaderMap();
        if (multi is not null)
        {
            foreach (var (name, values) in multi)
            {
                if (values is { Count: > 0 })
                {
                    map._values.TryAdd(name, values[0]);
                }
            }
        }

        if (single is not null)
        {
            foreach (var (name, value) in single)
            {
                if (value is not null)
                {
                    map._values[name] = value;
                }
            }
        }

        return map;
    }

    /// <summary>The header's value, or null.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;
}
