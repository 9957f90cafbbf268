using System.Globalization;
using Publisher.Contracts;
using static Publisher.Contracts.HttpContract;

namespace Functions.Common.Http;

/// <summary>RFC 9457 problem details: the one error format callers see, from the function or the gateway.</summary>
/// <param name="Slug">The problem type's last path segment (see <see cref="HttpContract.ProblemTypes"/>).</param>
/// <param name="Title">Short, fixed summary of the problem type.</param>
/// <param name="Status">HTTP status code.</param>
/// <param name="Detail">What exactly was wrong with this request; never a value, a key or an exception text.</param>
public sealed record Problem(string Slug, string Title, int Status, string Detail)
{
    /// <summary>The request field at fault as a JSON path (e.g. <c>topicName</c>, <c>messages[2].topicValue</c>), if any.</summary>
    public string? Field { get; init; }

    /// <summary>Seconds the caller should wait before retrying (sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The methods the route takes (sent as <c>Allow</c> with a 405).</summary>
    public string? Allow { get; init; }

    /// <summary>400: the request is malformed or breaks a rule.</summary>
    public static Problem Invalid(string detail, string? field = null) =>
        new(ProblemTypes.InvalidRequest, "The request is invalid.", 400, detail) { Field = field };

    /// <summary>413: the body or a value is larger than allowed.</summary>
    public static Problem TooLarge(string detail, string? field = null) =>
        new(ProblemTypes.PayloadTooLarge, "The payload is too large.", 413, detail) { Field = field };

    /// <summary>415: the body's media type is not accepted on this route.</summary>
    public static Problem UnsupportedMedia(string detail) =>
        new(ProblemTypes.UnsupportedMediaType, "The content type is not supported.", 415, detail);

    /// <summary>404: no such route.</summary>
    public static Problem RouteNotFound(string method, string path) =>
        new(ProblemTypes.NotFound, "No such route.", 404, $"There is no route for {Printable.Truncate(method)} {Printable.Truncate(path)}.");

    /// <summary>405: the route exists but not for this method; <paramref name="allowed"/> goes to <c>Allow</c>.</summary>
    public static Problem WrongMethod(string method, string route, string allowed) =>
        new(ProblemTypes.MethodNotAllowed, "The method is not allowed on this route.", 405, $"{route} accepts {allowed}, not {Printable.Truncate(method)}.")
        {
            Allow = allowed,
        };

    /// <summary>403: the topic is outside the configured prefixes.</summary>
    public static Problem TopicForbidden(string field) =>
        new(ProblemTypes.ForbiddenTopic, "The topic is not allowed.", 403, "The topic name does not start with any of the allowed prefixes.") { Field = field };

    /// <summary>The problem as its JSON document, its <c>type</c> under <paramref name="types"/>.</summary>
    public ProblemDetails ToDetails(ProblemTypeBase types, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(types);
        return new(types.For(Slug), Title, Status, Detail, Field, requestId);
    }

    /// <summary>The problem as an HTTP response with <c>application/problem+json</c> (and <c>Retry-After</c> when set).</summary>
    public ApiResponse ToResponse(ProblemTypeBase types, string? requestId)
    {
        var headers = new Dictionary<string, string>();
        if (RetryAfterSeconds is { } seconds)
        {
            headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (Allow is not null)
        {
            headers["Allow"] = Allow;
        }

        return ApiResponse.Json(Status, ToDetails(types, requestId), ProblemJsonContext.Default.ProblemDetails, headers.Count == 0 ? null : headers) with { ContentType = MediaTypes.ProblemJson };
    }
}
