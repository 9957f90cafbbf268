namespace Functions.Common.Http;

/// <summary>An HTTP request as the functions see it, independent of the API Gateway payload version.</summary>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="Path">The path as the caller sent it (base path and stage included), for messages only: routing uses <see cref="Route"/>.</param>
/// <param name="Headers">Headers, case-insensitive.</param>
/// <param name="Body">The decoded body, or null when it was larger than the cap (then <paramref name="BodyTooLarge"/>).</param>
/// <param name="BodyTooLarge">True when the body exceeded its limit and was not decoded (<see cref="BodyLength"/> says by how much).</param>
/// <param name="RequestId">API Gateway's request id.</param>
/// <param name="Query">Query-string parameters (first value of each).</param>
public sealed record ApiRequest(
    string Method,
    string Path,
    HeaderMap Headers,
    byte[]? Body,
    bool BodyTooLarge,
    string RequestId,
    IReadOnlyDictionary<string, string?> Query)
{
    /// <summary>
    /// The route API Gateway matched, as decoded segments in the API's own terms (no base path, no stage): the
    /// <c>resource</c> or <c>routeKey</c> template with its parameters filled in, e.g. <c>["topics", "a/b"]</c> for
    /// <c>/topics/{topicName}</c>; from the path only when the event names no route (see <see cref="MatchedRoute"/>).
    /// </summary>
    public required IReadOnlyList<string> Route { get; init; }

    /// <summary>
    /// The body's length in bytes once decoded: <see cref="Body"/>'s length, or, for a body too large to be decoded,
    /// as measured from the event's text.
    /// </summary>
    public int BodyLength { get => field >= 0 ? field : Body?.Length ?? 0; init; } = -1;

    /// <summary>The media type of the body (lower case, parameters removed), or null.</summary>
    public string? MediaType => MediaTypes.Essence(Headers["content-type"]);
}
