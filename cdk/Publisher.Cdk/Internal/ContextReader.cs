using System.Globalization;

namespace Publisher.Cdk.Internal;

/// <summary>
/// Turns raw context values into typed ones. Values from <c>-c key=value</c> arrive as strings,
/// values from cdk.json as JSON numbers, booleans or strings, so each reader accepts both.
/// </summary>
internal sealed class ContextReader(Func<string, object?> tryGetContext)
{
    /// <summary>The trimmed string value, or null when the key is absent or blank.</summary>
    public string? String(string key)
    {
        var value = tryGetContext(key);
        if (value is null)
        {
            return null;
        }

        var text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public int? Int(string key)
    {
        var value = tryGetContext(key);
        switch (value)
        {
            case null:
                return null;
            case int i:
                return i;
            case long l when l is >= int.MinValue and <= int.MaxValue:
                return (int)l;
            case double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue:
                return (int)d;
        }

        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"Context '{key}' must be a whole number, not '{text}'.");
    }

    /// <summary>A boolean; with <paramref name="allowAuto"/> the value "auto" means null (let the app decide).</summary>
    public bool? Bool(string key, bool allowAuto = false)
    {
        if (tryGetContext(key) is bool b)
        {
            return b;
        }

        var text = String(key);
        return text?.ToLowerInvariant() switch
        {
            null => null,
            "true" => true,
            "false" => false,
            "auto" when allowAuto => null,
            _ => throw new ArgumentException(
                $"Context '{key}' must be true or false{(allowAuto ? " or auto" : string.Empty)}, not '{text}'."),
        };
    }

    /// <summary>One of the named values, matched case-insensitively.</summary>
    public T Choice<T>(string key, T fallback, params (string Name, T Value)[] choices)
    {
        var text = String(key);
        if (text is null)
        {
            return fallback;
        }

        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var allowed = string.Join(" or ", choices.Select(c => $"'{c.Name}'"));
        throw new ArgumentException($"Context '{key}' must be {allowed}, not '{text}'.");
    }

    /// <summary>A comma-separated list (or a JSON array in cdk.json); entries are trimmed and blanks dropped.</summary>
    public IReadOnlyList<string> List(string key)
    {
        var value = tryGetContext(key);
        var items = value switch
        {
            null => [],
            string s => s.Split(','),
            System.Collections.IEnumerable e => e.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)),
            _ => [Convert.ToString(value, CultureInfo.InvariantCulture)],
        };
        return items
            .Select(item => item?.Trim())
            .Where(item => !string.IsNullOrEmpty(item))
            .Select(item => item!)
            .ToArray();
    }
}
