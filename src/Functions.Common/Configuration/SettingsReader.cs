using System.Globalization;

namespace Functions.Common.Configuration;

/// <summary>Reads typed settings from an environment lookup, failing with messages that name the variable.</summary>
public sealed class SettingsReader
{
    private readonly Func<string, string?> _lookup;

    /// <summary>Wraps a lookup such as <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    public SettingsReader(Func<string, string?> lookup) => _lookup = lookup;

    /// <summary>Reads the process environment.</summary>
    public static SettingsReader FromProcessEnvironment() => new(Environment.GetEnvironmentVariable);

    /// <summary>The trimmed value, or null when unset or blank.</summary>
    public string? Optional(string name)
    {
        var value = _lookup(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The trimmed value; unset or blank fails with a message naming the variable.</summary>
    public string Required(string name, string purpose) =>
        Optional(name) ?? throw new ConfigurationException($"{name} is not set: it must hold {purpose}.");

    /// <summary>A whole number within [min, max], or the default when unset.</summary>
    public int Int32(string name, int defaultValue, int min, int max)
    {
        var raw = Optional(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ConfigurationException(
                $"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; it is '{raw}'.");
        }

        return value;
    }

    /// <summary>A comma-separated list with blanks removed; empty when unset.</summary>
    public IReadOnlyList<string> List(string name) =>
        Optional(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
