namespace Functions.Common.Configuration;

/// <summary>The topic-name prefixes a deployment allows (<c>ALLOWED_TOPIC_PREFIXES</c>): one rule for publishing and verifying.</summary>
public static class TopicAllowlist
{
    /// <summary>True when <paramref name="topicName"/> starts with one of <paramref name="prefixes"/>, or the list is empty (every topic).</summary>
    public static bool Allows(IReadOnlyList<string> prefixes, string topicName)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        return prefixes.Count == 0 || prefixes.Any(prefix => topicName.StartsWith(prefix, StringComparison.Ordinal));
    }
}
