namespace Functions.Common.Http;

/// <summary>An HTTP request as the functions see it, independent of the API Gateway payload version.</summary>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="Path">Path below the stage, without a trailing slash (at least "/").</param>
/// <param name="Headers">Headers, case-insensitive.</param>
/// <param name="Body">The decoded body, or null when it was larger than the cap (then <paramref name="BodyTooLarge"/>).</param>
/// <param name="BodyTooLarge">True when the body exceeded the hard cap and was not read.</param>
/// <param name="RequestId">API Gateway's request id.</param>
/// <param name="Query">Query-string parameters (first value of each).</param>
public sealed record ApiRequest(
    string Method,
    string Path,
    HeaderMap Headers,
    byte[]? Body,
    bool BodyTooLarge,
    string RequestId,
    IReadOnlyDictionary<string, string> Query)
{
    /// <summary>
    /// Path parameters as API Gateway matched them (already URL-decoded), when the route template has any.
    /// REST APIs and function URLs deliver <see cref="Path"/> percent-encoded, HTTP APIs decoded; these do not vary.
    /// </summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The media type of the body (lower case, parameters removed), or null.</summary>
    public string? MediaType => MediaTypes.Essence(Headers["content-type"]);
}
