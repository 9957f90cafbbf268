using static Publisher.Contracts.HttpContract;

namespace Functions.Common.Http;

/// <summary>
/// The semantic rules both functions apply once a request has its contract's shape: what a schema cannot say.
/// Each returns the problem naming the field, or null when the rule holds.
/// </summary>
public static class RequestRules
{
    /// <summary>A topic name by <see cref="TopicNames.Check"/>, described for <paramref name="field"/>.</summary>
    public static Problem? TopicName(string name, string field)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TopicNames.Check(name) switch
        {
            TopicNameFault.Blank => Problem.Invalid($"{field} must not be blank.", field),
            TopicNameFault.TooLong => Problem.Invalid($"{field} is {name.Length} characters; the limit is {MaxTopicNameLength}.", field),
            TopicNameFault.ControlCharacter => Problem.Invalid($"{field} must not contain control characters.", field),
            _ => null,
        };
    }

    /// <summary>The bytes of canonical padded base64 (what the gateway's schema allows: no whitespace), or the problem.</summary>
    public static Checked<byte[]> Base64(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);

        // .NET's decoder skips whitespace; the contract (and API Gateway's pattern) does not.
        var buffer = new byte[text.Length / 4 * 3];
        return text.AsSpan().IndexOfAny(" \t\r\n") < 0 && Convert.TryFromBase64String(text, buffer, out var written)
            ? buffer[..written]
            : Problem.Invalid($"{field} is not valid base64.", field);
    }
}
