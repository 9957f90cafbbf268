using System.Globalization;
using Functions.Common.Http;
using Publisher.Contracts;
using static Publisher.Contracts.HttpContract;

namespace Subscriber.Function.Internal;

/// <summary>
/// The parse step: a verification request from JSON (a POST body or a direct invocation, read by its contract
/// record) or from a query string (GET, its numbers parsed here), then one set of rules for both.
/// </summary>
internal sealed class VerifyRequestReader
{
    private static readonly string[] QueryNames = ["topic", "listenMs", "count", "equals", "contains"];

    private readonly SubscriberSettings _settings;

    public VerifyRequestReader(SubscriberSettings settings) => _settings = settings;

    /// <summary>A JSON request; <paramref name="subject"/> names the whole in messages ("The body", "The request").</summary>
    public Checked<VerifyRequest> FromJson(ReadOnlySpan<byte> json, string subject)
    {
        var read = StrictJson.Read(json, SubscriberJsonContext.Default.VerifyRequestBody, subject);
        return read.Failed ? read.Problem : Validate(read.Value.Topic, read.Value.ListenMs, read.Value.Count, read.Value.EqualsText, read.Value.Contains);
    }

    /// <summary>A GET request's query string: the same members, numbers as text.</summary>
    public Checked<VerifyRequest> FromQuery(IReadOnlyDictionary<string, string?> query)
    {
        if (query.Keys.FirstOrDefault(name => !QueryNames.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            return Problem.Invalid(
                $"Unknown query parameter '{Printable.Truncate(unknown)}'; the allowed ones are topic, listenMs, count, equals and contains.", FieldPath.Member(string.Empty, unknown));
        }

        var listenMs = Number(query, "listenMs");
        var count = Number(query, "count");
        if (listenMs.Failed)
        {
            return listenMs.Problem;
        }

        if (count.Failed)
        {
            return count.Problem;
        }

        return Validate(
            query.GetValueOrDefault("topic"), listenMs.Value.Number, count.Value.Number, query.GetValueOrDefault("equals"), query.GetValueOrDefault("contains"));
    }

    private Checked<VerifyRequest> Validate(string? topic, int? listenMs, int? count, string? equals, string? contains)
    {
        if (topic is null)
        {
            return Problem.Invalid("topic is required.", "topic");
        }

        if (RequestRules.TopicName(topic, "topic") is { } badTopic)
        {
            return badTopic;
        }

        // A caller who may publish only under some prefixes must not read the rest of the cache either.
        if (!_settings.IsTopicAllowed(topic))
        {
            return Problem.TopicForbidden("topic");
        }

        var maxMs = (int)_settings.MaxListen.TotalMilliseconds;
        var listen = listenMs ?? Math.Min(DefaultVerifyListenMs, maxMs);
        if (listen < 1 || listen > maxMs)
        {
            return Problem.Invalid($"listenMs must be from 1 to {maxMs}.", "listenMs");
        }

        VerifyCondition condition;
        switch ((count, equals, contains))
        {
            case (not null, not null, _) or (not null, _, not null) or (_, not null, not null):
                return Problem.Invalid("Give at most one of count, equals and contains.", "count");
            case (_, { } probe, _):
                condition = new VerifyCondition.ItemEquals(probe);
                break;
            case (_, _, ""):
                return Problem.Invalid("contains must not be empty.", "contains");
            case (_, _, { } part):
                condition = new VerifyCondition.ItemContains(part);
                break;
            case ({ } n, _, _) when n is < 1 or > MaxVerifyCount:
                return Problem.Invalid($"count must be from 1 to {MaxVerifyCount}.", "count");
            default:
                condition = new VerifyCondition.Count(count ?? 1);
                break;
        }

        return new VerifyRequest(topic, TimeSpan.FromMilliseconds(listen), condition);
    }

    private static Checked<OptionalNumber> Number(IReadOnlyDictionary<string, string?> query, string name)
    {
        if (query.GetValueOrDefault(name) is not { } text)
        {
            return new OptionalNumber(null);
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return new OptionalNumber(value);
        }

        // Digits past Int32 are a whole number out of range: saturated, the rules say which range.
        var digits = text.AsSpan(text.StartsWith('-') || text.StartsWith('+') ? 1 : 0);
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9')
            ? new OptionalNumber(text.StartsWith('-') ? int.MinValue : int.MaxValue)
            : Problem.Invalid($"{name} must be a whole number.", name);
    }

    private sealed record OptionalNumber(int? Number);
}
